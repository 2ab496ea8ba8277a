// SPDX-License-Identifier: GPL-3.0-or-later
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

class Theme;

// The first screen: which server, then one button per sign-in provider the server offers, then
// a wait while the browser is open. When no browser opens, the sign-in address is there to copy
// and open by hand while the app keeps waiting. Every failure says what to do next.
class SignInPage final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SignInPage)

public:
    SignInPage(app::Session &session, app::Preferences &preferences, const Theme &theme, QWidget *parent = nullptr);

    // Starts at the remembered server (or the given one).
    void start(const QString &serverUrl = {});
    // A server named in a link the person opened: its whole address is shown and nothing is
    // asked of it until they press Continue.
    void proposeServer(const QUrl &server);

private:
    void onContinue();
    void onServerReady();
    void onStateChanged();
    void showError(const QString &message);
    void setBusy(const QString &message, bool cancellable);
    // The sign-in address to open by hand, with why the browser did not (empty: the person asked).
    void showManualOpening(const QString &problem);

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
    QPushButton *m_noBrowser = nullptr;
    QWidget *m_manual = nullptr;
    QLabel *m_manualText = nullptr;
    QLineEdit *m_address = nullptr;
};

} // namespace chatterbox::ui
