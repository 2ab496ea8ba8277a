// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/platform/dbusnotifier.h"

#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>

namespace chatterbox::platform {

namespace {
const QString kService = QStringLiteral("org.freedesktop.Notifications");
const QString kPath = QStringLiteral("/org/freedesktop/Notifications");
const QString kInterface = QStringLiteral("org.freedesktop.Notifications");
} // namespace

DBusNotifier::DBusNotifier(QDBusConnection bus, Notifier *fallback, QObject *parent)
    : Notifier(parent), m_bus(std::move(bus)), m_fallback(fallback)
{
    m_bus.connect(kService, kPath, kInterface, QStringLiteral("ActionInvoked"), this, SLOT(onActionInvoked(uint,QString)));
    m_bus.connect(kService, kPath, kInterface, QStringLiteral("NotificationClosed"), this, SLOT(onClosed(uint,uint)));
    if (m_fallback)
        connect(m_fallback, &Notifier::activated, this, &Notifier::activated);
}

void DBusNotifier::show(const app::Notification &notification)
{
    if (!m_available) {
        if (m_fallback)
            m_fallback->show(notification);
        return;
    }
    // Until the first call for a topic answers with its id, a second would pop up beside it.
    if (m_pending.contains(notification.topicId)) {
        m_waiting.insert(notification.topicId, notification);
        return;
    }
    send(notification);
}

void DBusNotifier::send(const app::Notification &notification)
{
    QDBusMessage call = QDBusMessage::createMethodCall(kService, kPath, kInterface, QStringLiteral("Notify"));
    QVariantMap hints{{QStringLiteral("category"), QStringLiteral("im.received")},
                      {QStringLiteral("desktop-entry"), QStringLiteral("org.chatterbox.Chatterbox")},
                      {QStringLiteral("urgency"), QVariant::fromValue(static_cast<uchar>(notification.mention ? 2 : 1))}};
    // The specification's hint for a notification that makes no sound.
    if (notification.silent)
        hints.insert(QStringLiteral("suppress-sound"), true);
    // Servers may read the body as markup; a message is text, so it is escaped.
    call << QStringLiteral("Chatterbox") << m_ids.value(notification.topicId, 0u) << QStringLiteral("chatterbox")
         << notification.title << notification.body.toHtmlEscaped()
         << QStringList{QStringLiteral("default"), tr("Open")} << hints << -1;
    m_pending.insert(notification.topicId);
    auto *watcher = new QDBusPendingCallWatcher(m_bus.asyncCall(call), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [this, watcher, notification] {
        watcher->deleteLater();
        m_pending.remove(notification.topicId);
        const QDBusPendingReply<uint> reply = *watcher;
        if (reply.isError()) {
            m_available = false;   // no service (or a broken one): the tray takes over
            const app::Notification newest = m_waiting.contains(notification.topicId) ? m_waiting.take(notification.topicId) : notification;
            if (m_fallback)
                m_fallback->show(newest);
            return;
        }
        const uint id = reply.value();
        m_ids.insert(notification.topicId, id);
        m_shown.insert(id, notification);
        if (m_waiting.contains(notification.topicId))
            send(m_waiting.take(notification.topicId));
    });
}

void DBusNotifier::withdraw(const QString &topicId)
{
    m_waiting.remove(topicId);
    if (m_fallback)
        m_fallback->withdraw(topicId);
    if (!m_ids.contains(topicId))
        return;
    const uint id = m_ids.take(topicId);
    m_shown.remove(id);
    QDBusMessage call = QDBusMessage::createMethodCall(kService, kPath, kInterface, QStringLiteral("CloseNotification"));
    call << id;
    m_bus.asyncCall(call);
}

void DBusNotifier::onActionInvoked(uint id, const QString &action)
{
    const auto it = m_shown.constFind(id);
    if (it == m_shown.constEnd() || action != QLatin1String("default"))
        return;   // another app's notification, or an action we did not offer
    Q_EMIT activated(it->partyId, it->topicId);
}

void DBusNotifier::onClosed(uint id, uint)
{
    const auto it = m_shown.constFind(id);
    if (it == m_shown.constEnd())
        return;
    // Dismissed: the next message in that topic pops up anew.
    m_ids.remove(it->topicId);
    m_shown.erase(it);
}

} // namespace chatterbox::platform
