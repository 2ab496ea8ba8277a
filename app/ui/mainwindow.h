// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/core/invitelink.h"

#include <QMainWindow>
#include <QPointer>
#include <QTimer>

class QMessageBox;
class QStackedWidget;

namespace chatterbox::app {
class Client;
class Preferences;
} // namespace chatterbox::app

namespace chatterbox::ui {

class ChatPage;
class SignInPage;
class Theme;

// The app's one window: the sign-in page until someone is signed in, then the chat. The menus
// name every action with its shortcut, so everything is reachable from the keyboard.
class MainWindow final : public QMainWindow {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    MainWindow(app::Client &client, app::Preferences &preferences, Theme &theme, QWidget *parent = nullptr);

    // Shows the sign-in (or goes straight in with a remembered sign-in).
    void start();
    // A link from outside (a click in the browser, a second start). Checked before anything
    // else: a bad one is refused with the reason; a good one asks to join, once signed in.
    void openLink(const QString &link) { openLinks({link}); }
    // Several at once (a start with many): the good ones as above, the refused ones listed in
    // one box, which a later refusal adds to rather than opening another.
    void openLinks(const QStringList &links);
    void showAndRaise();
    void goToTopic(const QString &partyId, const QString &topicId);
    // Whether a tray icon is there to keep the app reachable when the window closes.
    void setTrayShown(bool shown) { m_trayShown = shown; }

    SignInPage *signInPage() const { return m_signIn; }
    ChatPage *chatPage() const { return m_chat; }
    QString heldLink() const { return m_heldLink; }

Q_SIGNALS:
    // What the person has in front of them, for notifications.
    void onScreenChanged(const QString &topicId, bool windowActive);

protected:
    void changeEvent(QEvent *event) override;
    // Notes the first paint of the sign-in page and of a topic's messages (chatterbox.startup).
    bool eventFilter(QObject *watched, QEvent *event) override;
    void closeEvent(QCloseEvent *event) override;

private:
    void buildMenus();
    void showChat();
    void showSignIn(const QString &server = {});
    void switchServer(const QUrl &server, const QString &link);
    // Started from the local store: the sign-in is restored behind the chat, and tried again
    // while the server cannot be reached. Ends signed in, or on the sign-in page when the
    // sign-in kept on this computer is gone or refused.
    void resumeFailed(const QString &problem);
    void endResume();

    app::Client &m_client;
    app::Preferences &m_preferences;
    QStackedWidget *m_pages = nullptr;
    SignInPage *m_signIn = nullptr;
    ChatPage *m_chat = nullptr;
    void applyStartup();
    void reportOnScreen();
    void updateTitle();

    void showRefusedLinks(const QStringList &lines);
    void openGoodLink(const QString &link, const app::InviteLink &invite);

    QString m_heldLink;
    QPointer<QMessageBox> m_refusedLinks;
    QStringList m_refusedLines;
    bool m_trayShown = false;
    QTimer m_titleTimer;   // many changes at once make one new title
    bool m_firstPaintNoted = false;
    bool m_resuming = false;
    bool m_resumeReachedServer = false;
    int m_resumeWait = 0;   // seconds before the next try
    QTimer m_resumeRetry;
};

} // namespace chatterbox::ui
