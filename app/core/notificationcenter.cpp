// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/core/notificationcenter.h"

#include "app/core/displaytext.h"
#include "app/core/notifylevel.h"

#include <algorithm>

namespace chatterbox::app {

namespace {
constexpr int kPreviewChars = 200;

QString preview(const QString &body)
{
    QString text = body.simplified();
    if (text.size() > kPreviewChars)
        text = text.left(kPreviewChars - 1) + QChar(0x2026);
    return text;
}
} // namespace

NotificationCenter::NotificationCenter(const Store &store, const Preferences &preferences, QObject *parent)
    : QObject(parent), m_store(store), m_preferences(preferences)
{
    m_flush.setInterval(kUpdateEveryMs);
    connect(&m_flush, &QTimer::timeout, this, &NotificationCenter::flush);
    connect(&store, &Store::messageArrived, this, &NotificationCenter::onMessage);
    connect(&store, &Store::readStateChanged, this, &NotificationCenter::onReadStateChanged);
}

void NotificationCenter::setOnScreen(const QString &topicId, bool windowActive)
{
    m_onScreenTopic = topicId;
    m_windowActive = windowActive;
    if (windowActive && m_bursts.remove(topicId))
        Q_EMIT withdraw(topicId);
}

bool NotificationCenter::wanted(const protocol::Message &message, bool mention) const
{
    if (m_preferences.isDoNotDisturb(QDateTime::currentDateTime()))
        return false;
    const auto *party = m_store.party(message.partyId);
    const auto level = party ? topicLevel(&m_preferences, *party, message.topicId) : protocol::NotifyLevel::All;
    if (level == protocol::NotifyLevel::Nothing)
        return false;
    if (mention)
        return m_preferences.notifyOnMentions();
    const QString topicId = QString::fromStdString(message.topicId);
    if (level == protocol::NotifyLevel::Mentions || !m_preferences.notifyOnMessages())
        return false;
    return !(m_windowActive && topicId == m_onScreenTopic);
}

void NotificationCenter::onMessage(const protocol::Message &message)
{
    // Someone the person blocks is not heard from at all.
    if (message.authorId == m_store.me().id || message.deleted || m_store.isBlocked(message.authorId))
        return;
    const auto *topic = m_store.topic(message.topicId);
    if (!topic)
        return;
    // A direct message is written to the person: it is heard as a mention is.
    const auto *party = m_store.party(message.partyId);
    const bool direct = party && party->kind == protocol::PartyKind::Direct;
    const bool mention = direct || protocol::mentionsUser(message, m_store.me().id);
    if (!wanted(message, mention))
        return;
    const QString topicId = QString::fromStdString(message.topicId);
    const QString line = tr("%1: %2").arg(isolated(m_store.displayName(message.authorId)), preview(QString::fromStdString(message.body)));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    auto it = m_bursts.find(topicId);
    if (it != m_bursts.end() && it->lastAt.msecsTo(now) > kBurstEndsAfterMs) {
        m_bursts.erase(it);
        it = m_bursts.end();
    }
    if (it == m_bursts.end()) {
        Burst burst;
        burst.shown = {topicId, QString::fromStdString(message.partyId), m_store.placeName(*topic), line, mention, 1,
                       !m_preferences.notificationSound()};
        burst.lastAt = now;
        m_bursts.insert(topicId, burst);
        Q_EMIT notify(burst.shown);
        m_flush.start();
        return;
    }
    // The same notification, updated with the newest line and how many came.
    Burst &burst = *it;
    ++burst.shown.count;
    burst.shown.mention = burst.shown.mention || mention;
    burst.shown.body = tr("%1 (+%2 more)").arg(line).arg(burst.shown.count - 1);
    burst.lastAt = now;
    burst.dirty = true;
    if (!m_flush.isActive())
        m_flush.start();
}

void NotificationCenter::flush()
{
    bool updated = false;
    for (auto &burst : m_bursts) {
        if (burst.dirty) {
            burst.dirty = false;
            updated = true;
            Q_EMIT notify(burst.shown);
        }
    }
    // Ticks only while updates come; a quiet second lets it rest until the next one.
    if (!updated)
        m_flush.stop();
}

void NotificationCenter::onReadStateChanged(const QString &topicId)
{
    // Read elsewhere (this app, or another of the person's): nothing left to tell.
    if (m_store.readState(topicId.toStdString()).unread == 0 && m_bursts.remove(topicId))
        Q_EMIT withdraw(topicId);
}

} // namespace chatterbox::app
