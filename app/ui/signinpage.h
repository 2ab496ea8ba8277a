#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QVBoxLayout;

namespace chatterbox::app {
class Preferences;
class Session;
} // namespace chatterbox::app

namespace chatterbox::ui {

// The first screen: which server, then one button per sign-in provider the server offers, then
// a wait while the browser is open. Every failure says what to do next.
class SignInPage final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SignInPage)

public:
    SignInPage(app::Session &session, app::Preferences &preferences, QWidget *parent = nullptr);

    // Starts at the remembered server (or the given one, from an invite link).
    void start(const QString &serverUrl = {});

private:
    void onContinue();
    void onServerReady();
    void onStateChanged();
    void showError(const QString &message);
    void setBusy(const QString &message, bool cancellable);

    app::Session &m_session;
    app::Preferences &m_preferences;
    QLineEdit *m_server = nullptr;
    QPushButton *m_continue = nullptr;
    QWidget *m_providerBox = nullptr;
    QVBoxLayout *m_providers = nullptr;
    QLabel *m_status = nullptr;
    QProgressBar *m_progress = nullptr;
    QPushButton *m_cancel = nullptr;
    QLabel *m_error = nullptr;
};

} // namespace chatterbox::ui
