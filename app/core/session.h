// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/core/loopbackreceiver.h"
#include "app/core/secretstore.h"
#include "app/core/serverinfo.h"
#include "app/core/transport.h"

#include <QByteArray>
#include <QObject>
#include <QTimer>

#include <functional>
#include <memory>

class QNetworkAccessManager;

namespace chatterbox::app {

// Who is signed in to which server: discovery, the browser sign-in (loopback redirect, PKCE S256,
// state), the tokens (the refresh token in the keychain, or with no keychain in memory for this
// run only: never in a file), silent refresh, sign-out.
class Session final : public QObject, public TokenSource {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Session)

public:
    enum class State { SignedOut, Discovering, WaitingForBrowser, SigningIn, SignedIn };
    Q_ENUM(State)

    Session(QNetworkAccessManager &network, SecretStore &secrets, UrlOpener &browser, QObject *parent = nullptr);

    State state() const { return m_state; }
    const ServerInfo &server() const { return m_server; }
    QByteArray accessToken() const { return m_accessToken; }
    QString lastError() const { return m_error; }
    // True when the keychain could not take the sign-in: it lasts until the app quits.
    bool isKeptInMemoryOnly() const { return m_inMemoryOnly; }

    // Reads the server's discovery; then signIn() or restore().
    void setServer(const QUrl &baseUrl);
    // Opens the browser at the provider's sign-in. The app listens for the answer until it
    // comes, the sign-in is cancelled, or it times out, whether or not a browser opened.
    void signIn(const QString &providerId);
    // The address that starts the sign-in in progress, for a person to open by hand.
    QUrl signInUrl() const { return m_signInUrl; }
    // Asks the browser again for the sign-in in progress.
    void reopenBrowser();
    // Signs in again with the refresh token kept in the keychain, if there is one.
    void restore();
    // Gets a new access token now (the connection calls this when the server says 4001).
    void refresh(std::function<void(bool ok)> done = {});
    void signOut();
    void cancelSignIn();

    bool isSignedIn() const override { return m_state == State::SignedIn && !m_accessToken.isEmpty(); }
    QByteArray currentAccessToken() const override { return m_accessToken; }
    QUrl webSocketUrl() const override { return m_server.webSocketUrl; }
    void refreshAccess(std::function<void(bool ok)> done) override { refresh(std::move(done)); }

Q_SIGNALS:
    void stateChanged(chatterbox::app::Session::State state);
    void serverReady();
    void signedIn();
    // restore() found no sign-in kept on this computer: the person signs in.
    void nothingToRestore();
    // A new access token, from a sign-in or a refresh; currentAccessToken() has it.
    void accessTokenChanged();
    // Something went wrong; the text says what to do next.
    void failed(const QString &message);
    // The sign-in worked but no keychain took it, so it is kept in memory for this run only.
    // Emitted once per run; detail is what the keychain said.
    void keptInMemoryOnly(const QString &detail);
    // No browser took the sign-in address; the sign-in still waits for it to be opened by hand.
    void browserProblem(const QString &problem);

private:
    void setState(State state);
    void openBrowser();
    void fail(const QString &message, State state = State::SignedOut);
    void redeem(const QUrlQuery &answer);
    void acceptTokens(const QByteArray &json, std::function<void(bool)> done);
    void postForm(const QUrl &url, const QByteArray &form, std::function<void(int status, const QByteArray &body)> done);
    QString secretKey() const;

    QNetworkAccessManager &m_network;
    SecretStore &m_secrets;
    UrlOpener &m_browser;
    State m_state = State::SignedOut;
    ServerInfo m_server;
    QByteArray m_accessToken;
    QString m_refreshToken;
    QString m_error;
    std::unique_ptr<LoopbackReceiver> m_receiver;
    QByteArray m_verifier;
    QByteArray m_state_;
    QUrl m_signInUrl;
    QTimer m_refreshTimer;
    bool m_refreshing = false;
    bool m_inMemoryOnly = false;
    bool m_restoring = false;   // restore() waits for a refresh, which may be retried later
    QList<std::function<void(bool)>> m_refreshWaiters;
};

} // namespace chatterbox::app
