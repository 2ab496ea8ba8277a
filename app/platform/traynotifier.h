// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/platform/notifier.h"

class QSystemTrayIcon;

namespace chatterbox::platform {

// Notifications as the tray icon's balloon messages: Windows, macOS, and Linux desktops
// without a notification service.
class TrayNotifier final : public Notifier {
    Q_OBJECT

public:
    explicit TrayNotifier(QSystemTrayIcon &tray, QObject *parent = nullptr);
    void show(const app::Notification &notification) override;
    void withdraw(const QString &topicId) override;

private:
    QSystemTrayIcon &m_tray;
    app::Notification m_last;
};

} // namespace chatterbox::platform
