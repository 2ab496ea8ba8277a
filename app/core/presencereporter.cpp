// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/core/presencereporter.h"

#include "app/core/connection.h"
#include "app/core/preferences.h"

#include <QCoreApplication>
#include <QEvent>

namespace chatterbox::app {

PresenceReporter::PresenceReporter(Connection &connection, const Preferences &preferences, Clock clock, QObject *parent)
    : QObject(parent), m_connection(connection), m_preferences(preferences),
      m_clock(clock ? std::move(clock) : Clock([] { return QDateTime::currentDateTime(); }))
{
    m_lastInput = m_clock();
    m_timer.setInterval(kCheckSeconds * 1000);
    connect(&m_timer, &QTimer::timeout, this, &PresenceReporter::check);
    m_timer.start();
    // The server starts every connection online; anything else is said again.
    connect(&connection, &Connection::ready, this, [this] {
        m_told = protocol::Presence::Online;
        check();
    });
    connect(&connection, &Connection::stateChanged, this, [this](Connection::State state) {
        if (state != Connection::State::Online)
            m_told.reset();
    });
    connect(&preferences, &Preferences::presenceRulesChanged, this, &PresenceReporter::check);
    if (QCoreApplication::instance())
        QCoreApplication::instance()->installEventFilter(this);
}

protocol::Presence PresenceReporter::wanted() const
{
    const QDateTime now = m_clock();
    if (m_preferences.isDoNotDisturb(now))
        return protocol::Presence::DoNotDisturb;
    if (m_lastInput.secsTo(now) >= qint64(m_preferences.idleMinutes()) * 60)
        return protocol::Presence::Idle;
    return protocol::Presence::Online;
}

void PresenceReporter::noteActivity()
{
    m_lastInput = m_clock();
    // Back from idle at once; otherwise nothing changes.
    if (m_told == protocol::Presence::Idle)
        check();
}

void PresenceReporter::check()
{
    if (!m_told || m_connection.state() != Connection::State::Online)
        return;
    const protocol::Presence status = wanted();
    if (status == *m_told)
        return;
    m_told = status;
    m_connection.call(protocol::SetPresence{status});
}

bool PresenceReporter::eventFilter(QObject *watched, QEvent *event)
{
    switch (event->type()) {
    case QEvent::KeyPress:
    case QEvent::MouseButtonPress:
    case QEvent::MouseMove:
    case QEvent::Wheel:
    case QEvent::TouchBegin:
        noteActivity();
        break;
    default:
        break;
    }
    return QObject::eventFilter(watched, event);
}

} // namespace chatterbox::app
