// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QIcon>
#include <QMenu>
#include <QObject>
#include <QSystemTrayIcon>
#include <QTimer>

namespace chatterbox::app {
class Preferences;
class Store;
} // namespace chatterbox::app

namespace chatterbox::ui {

// The icon in the system tray: the app's icon with the number of unread messages painted on
// it, a click to open the window, and a menu to open, mute everything for a while, or quit.
class TrayIcon final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TrayIcon)

public:
    TrayIcon(const app::Store &store, app::Preferences &preferences, QObject *parent = nullptr);

    QSystemTrayIcon &tray() { return m_tray; }
    QMenu &menu() { return m_menu; }
    int unread() const { return m_unread; }

    // The app icon, with a red count on it when count > 0 ("99+" above 99).
    static QIcon iconFor(int count);

Q_SIGNALS:
    void openRequested();
    void quitRequested();

private:
    void update();
    void muteUntil(const QDateTime &until);

    const app::Store &m_store;
    app::Preferences &m_preferences;
    QMenu m_menu;
    QSystemTrayIcon m_tray;
    QAction *m_muteHour = nullptr;
    QAction *m_muteTomorrow = nullptr;
    QAction *m_muteOff = nullptr;
    int m_unread = -1;
    QTimer m_pending;
};

} // namespace chatterbox::ui
