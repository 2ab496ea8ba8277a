// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/ui/connectionbanner.h"

#include "app/core/connection.h"
#include "app/ui/icons.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace chatterbox::ui {

using app::Connection;

ConnectionBanner::ConnectionBanner(Connection &connection, QWidget *parent) : QFrame(parent), m_connection(connection)
{
    setObjectName(QStringLiteral("connectionBanner"));
    setAccessibleName(tr("Connection status"));
    setStyleSheet(QStringLiteral("#connectionBanner { background: #f2a53a; } #connectionBanner QLabel { color: #2a1a00; }"));
    m_icon = new QLabel(this);
    m_icon->setPixmap(icon(QStringLiteral("offline"), QColor(0x2a, 0x1a, 0x00)).pixmap(16, 16));
    m_text = new QLabel(this);
    m_text->setObjectName(QStringLiteral("connectionBannerText"));
    m_text->setTextFormat(Qt::PlainText);
    // A narrow window wraps the reason instead of cutting it off.
    m_text->setWordWrap(true);
    m_text->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_retry = new QPushButton(tr("Reconnect Now"), this);
    m_retry->setObjectName(QStringLiteral("reconnectNow"));
    m_retry->setFlat(true);
    m_retry->setCursor(Qt::PointingHandCursor);
    m_retry->setStyleSheet(QStringLiteral("QPushButton { color: #2a1a00; text-decoration: underline; border: none; }"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(16, 6, 16, 6);
    layout->addWidget(m_icon, 0, Qt::AlignTop);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_retry);
    connect(m_retry, &QPushButton::clicked, &m_connection, &Connection::reconnectNow);
    connect(&m_connection, &Connection::stateChanged, this, &ConnectionBanner::update);
    update();
}

QString ConnectionBanner::text() const
{
    return m_text->text();
}

void ConnectionBanner::update()
{
    const auto state = m_connection.state();
    if (state == Connection::State::Online) {
        hide();
        return;
    }
    // What the window shows meanwhile is what the app kept from its last connection.
    const QString reason = m_connection.reason();
    if (state == Connection::State::Connecting)
        m_text->setText(tr("%1 Showing what was here at the last connection.").arg(reason.isEmpty() ? tr("Connecting…") : reason));
    else
        m_text->setText(tr("Offline: showing what was here at the last connection. %1 What you write is sent when the "
                           "connection is back.").arg(reason));
    // Before the sign-in is back there is no connection to try yet (the window retries it).
    m_retry->setVisible(state == Connection::State::Offline && m_connection.isRunning());
    show();
}

} // namespace chatterbox::ui
