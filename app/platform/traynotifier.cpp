// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/platform/traynotifier.h"

#include <QSystemTrayIcon>

namespace chatterbox::platform {

TrayNotifier::TrayNotifier(QSystemTrayIcon &tray, QObject *parent) : Notifier(parent), m_tray(tray)
{
    connect(&m_tray, &QSystemTrayIcon::messageClicked, this, [this] {
        if (!m_last.topicId.isEmpty())
            Q_EMIT activated(m_last.partyId, m_last.topicId);
    });
}

void TrayNotifier::show(const app::Notification &notification)
{
    m_last = notification;
    if (m_tray.isVisible())
        m_tray.showMessage(notification.title, notification.body, QSystemTrayIcon::Information, 8000);
}

void TrayNotifier::withdraw(const QString &topicId)
{
    if (m_last.topicId == topicId)
        m_last = {};
}

} // namespace chatterbox::platform
