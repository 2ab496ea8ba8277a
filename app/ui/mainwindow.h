#pragma once

#include <QMainWindow>

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
    // An invite link from outside (a click, a second launch): held until someone is signed in.
    void openInviteLink(const QString &link);

    SignInPage *signInPage() const { return m_signIn; }
    ChatPage *chatPage() const { return m_chat; }

protected:
    void changeEvent(QEvent *event) override;
    void closeEvent(QCloseEvent *event) override;

private:
    void buildMenus();
    void showChat();
    void showSignIn(const QString &server = {});
    void switchServer(const QUrl &server, const QString &link);

    app::Client &m_client;
    app::Preferences &m_preferences;
    QStackedWidget *m_pages = nullptr;
    SignInPage *m_signIn = nullptr;
    ChatPage *m_chat = nullptr;
    QString m_heldLink;
};

} // namespace chatterbox::ui
