// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/core/preferences.h"
#include "app/core/store.h"

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QTimer>

namespace chatterbox::app {

// One notification on the desktop: the messages of one topic since the person last looked.
struct Notification {
    QString topicId;    // also its key: one notification per topic, replaced as messages come
    QString partyId;
    QString title;      // "#general · Book Club"
    QString body;       // plain text: "Alice: see you there" or "Alice: see you there (+4 more)"
    bool mention = false;
    int count = 1;
    bool silent = false;   // the person turned the sound off
};

// Decides what the desktop hears about. Nothing while do not disturb is on (for a while or in the
// quiet hours: Preferences::isDoNotDisturb), and nothing from a topic whose level is "nothing"
// (app/core/notifylevel.h). Mentions (and every direct message) otherwise; other new messages only
// where the level is "all", and not for the topic on screen. A burst of messages
// in one topic stays one notification: the first shows at once, later ones update it at most
// once a second. Reading the topic takes it away.
class NotificationCenter final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NotificationCenter)

public:
    NotificationCenter(const Store &store, const Preferences &preferences, QObject *parent = nullptr);

    // What the person is looking at: the open topic, and whether the window is active.
    void setOnScreen(const QString &topicId, bool windowActive);

    static constexpr int kUpdateEveryMs = 1000;
    static constexpr qint64 kBurstEndsAfterMs = 5 * 60 * 1000;   // quiet this long: the next one pops up anew

Q_SIGNALS:
    // Show, or replace the one shown for the same topic.
    void notify(const chatterbox::app::Notification &notification);
    void withdraw(const QString &topicId);

private:
    struct Burst {
        Notification shown;
        QDateTime lastAt;
        bool dirty = false;
    };
    void onMessage(const protocol::Message &message);
    void onReadStateChanged(const QString &topicId);
    void flush();
    bool wanted(const protocol::Message &message, bool mention) const;

    const Store &m_store;
    const Preferences &m_preferences;
    QString m_onScreenTopic;
    bool m_windowActive = false;
    QHash<QString, Burst> m_bursts;
    QTimer m_flush;
};

} // namespace chatterbox::app
