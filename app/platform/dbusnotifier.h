// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/platform/notifier.h"

#include <QDBusConnection>
#include <QHash>

namespace chatterbox::platform {

// Notifications through org.freedesktop.Notifications (Linux desktops). Every call is
// asynchronous: a missing or hung notification service never blocks the app; when the service
// is missing, notifications go to the fallback (the tray) instead. One notification per topic,
// replaced in place as messages come (replaces_id); a click opens the topic.
class DBusNotifier final : public Notifier {
    Q_OBJECT

public:
    DBusNotifier(QDBusConnection bus, Notifier *fallback, QObject *parent = nullptr);

    void show(const app::Notification &notification) override;
    void withdraw(const QString &topicId) override;
    // False once the bus said there is no notification service.
    bool isAvailable() const { return m_available; }

private Q_SLOTS:
    void onActionInvoked(uint id, const QString &action);
    void onClosed(uint id, uint reason);

private:
    void send(const app::Notification &notification);

    QDBusConnection m_bus;
    Notifier *m_fallback = nullptr;
    bool m_available = true;
    QHash<QString, uint> m_ids;                         // topic -> notification id
    QHash<uint, app::Notification> m_shown;             // notification id -> what it shows
    QHash<QString, app::Notification> m_waiting;        // newer content while a call for its topic is out
    QSet<QString> m_pending;                            // topics with a Notify call out
};

} // namespace chatterbox::platform
