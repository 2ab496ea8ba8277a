// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/core/session.h"

#include "app/core/pkce.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>

namespace chatterbox::app {

Session::Session(QNetworkAccessManager &network, SecretStore &secrets, UrlOpener &browser, QObject *parent)
    : QObject(parent), m_network(network), m_secrets(secrets), m_browser(browser)
{
    m_refreshTimer.setSingleShot(true);
    connect(&m_refreshTimer, &QTimer::timeout, this, [this] {
        refresh([this](bool ok) {
            // A restore that could not reach the token endpoint is signed in by the retry.
            if (ok && std::exchange(m_restoring, false))
                Q_EMIT signedIn();
        });
    });
}

void Session::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

void Session::fail(const QString &message, State state)
{
    m_error = message;
    setState(state);
    Q_EMIT failed(message);
}

QString Session::secretKey() const
{
    // One refresh token per server (and so per account on it).
    return QStringLiteral("refresh-token:") + m_server.baseUrl.toString(QUrl::FullyEncoded);
}

void Session::setServer(const QUrl &baseUrl)
{
    setState(State::Discovering);
    fetchServerInfo(m_network, baseUrl, [this](const ServerInfo *info, const QString &error) {
        if (!info)
            return fail(error);
        m_server = *info;
        setState(State::SignedOut);
        Q_EMIT serverReady();
    });
}

void Session::signIn(const QString &providerId)
{
    m_restoring = false;
    m_receiver = std::make_unique<LoopbackReceiver>();
    if (!m_receiver->listen())
        return fail(tr("Could not start sign-in: no local port is free. Close other programs and try again."));
    const Pkce pkce = Pkce::generate();
    m_verifier = pkce.verifier;
    m_state_ = pkce.state;
    connect(m_receiver.get(), &LoopbackReceiver::received, this, &Session::redeem);
    connect(m_receiver.get(), &LoopbackReceiver::timedOut, this, [this] {
        fail(tr("Sign-in timed out. Click the sign-in button to try again."));
    });
    QUrl url = m_server.authorizeUrl;
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("provider"), providerId);
    query.addQueryItem(QStringLiteral("client_id"), QStringLiteral("chatterbox"));
    query.addQueryItem(QStringLiteral("response_type"), QStringLiteral("code"));
    query.addQueryItem(QStringLiteral("redirect_uri"),
                       QString::fromLatin1(QUrl::toPercentEncoding(m_receiver->redirectUri().toString())));
    query.addQueryItem(QStringLiteral("state"), QString::fromLatin1(pkce.state));
    query.addQueryItem(QStringLiteral("code_challenge"), QString::fromLatin1(pkce.challenge));
    query.addQueryItem(QStringLiteral("code_challenge_method"), QStringLiteral("S256"));
    url.setQuery(query);
    m_signInUrl = url;
    setState(State::WaitingForBrowser);
    openBrowser();
}

void Session::openBrowser()
{
    const QUrl url = m_signInUrl;
    m_browser.openUrl(url, [this, url](bool opened, const QString &problem) {
        // Only the attempt still waiting hears about its browser.
        if (!opened && m_state == State::WaitingForBrowser && url == m_signInUrl)
            Q_EMIT browserProblem(problem);
    });
}

void Session::reopenBrowser()
{
    if (m_state == State::WaitingForBrowser)
        openBrowser();
}

void Session::cancelSignIn()
{
    if (m_receiver)
        m_receiver->stop();
    m_signInUrl.clear();
    setState(State::SignedOut);
}

void Session::redeem(const QUrlQuery &answer)
{
    // The state must be ours before anything else is believed.
    if (answer.queryItemValue(QStringLiteral("state")).toLatin1() != m_state_)
        return fail(tr("The sign-in answer did not match this request. Try signing in again."));
    if (answer.hasQueryItem(QStringLiteral("error"))) {
        const QString why = answer.queryItemValue(QStringLiteral("error_description"), QUrl::FullyDecoded);
        return fail(tr("Sign-in did not finish: %1. Try again, or pick another sign-in method.").arg(why.left(200)));
    }
    setState(State::SigningIn);
    QUrlQuery form;
    form.addQueryItem(QStringLiteral("grant_type"), QStringLiteral("authorization_code"));
    form.addQueryItem(QStringLiteral("client_id"), QStringLiteral("chatterbox"));
    form.addQueryItem(QStringLiteral("code"), answer.queryItemValue(QStringLiteral("code"), QUrl::FullyDecoded));
    form.addQueryItem(QStringLiteral("code_verifier"), QString::fromLatin1(m_verifier));
    form.addQueryItem(QStringLiteral("redirect_uri"),
                      QString::fromLatin1(QUrl::toPercentEncoding(m_receiver->redirectUri().toString())));
    postForm(m_server.tokenUrl, form.toString(QUrl::FullyEncoded).toLatin1(), [this](int status, const QByteArray &body) {
        if (status != 200)
            return fail(tr("The server did not accept the sign-in (%1). Try again.")
                            .arg(QJsonDocument::fromJson(body).object().value(QStringLiteral("error_description")).toString().left(200)));
        acceptTokens(body, [this](bool ok) {
            if (ok)
                Q_EMIT signedIn();
        });
    });
}

void Session::acceptTokens(const QByteArray &json, std::function<void(bool)> done)
{
    const QJsonObject tokens = QJsonDocument::fromJson(json).object();
    const QByteArray access = tokens.value(QStringLiteral("access_token")).toString().toLatin1();
    const QString refreshToken = tokens.value(QStringLiteral("refresh_token")).toString();
    const int lifetime = tokens.value(QStringLiteral("expires_in")).toInt();
    if (access.isEmpty() || refreshToken.isEmpty() || lifetime <= 0) {
        fail(tr("The server sent an answer the app does not understand. Update the app and try again."));
        return done(false);
    }
    m_secrets.write(secretKey(), refreshToken, [this, access, refreshToken, lifetime, done](bool ok, const QString &error) {
        if (!ok && !m_inMemoryOnly) {
            // No keychain: the sign-in lives in memory until the app quits, and is never written
            // anywhere else. The person hears of it once.
            m_inMemoryOnly = true;
            Q_EMIT keptInMemoryOnly(error);
        }
        m_accessToken = access;
        m_refreshToken = refreshToken;
        // Refresh well before expiry so that a slow network never leaves the app without a token.
        m_refreshTimer.start(std::max(5, lifetime * 4 / 5) * 1000);
        m_error.clear();
        setState(State::SignedIn);
        Q_EMIT accessTokenChanged();
        done(true);
    });
}

void Session::restore()
{
    m_secrets.read(secretKey(), [this](const SecretStore::ReadResult &result) {
        // No keychain means nothing was kept from an earlier run: the person signs in, and is
        // told then that it lasts for this run only.
        if (result.status != SecretStore::Status::Ok) {
            setState(State::SignedOut);
            Q_EMIT nothingToRestore();
            return;
        }
        m_refreshToken = result.secret;
        m_restoring = true;
        refresh([this](bool ok) {
            if (ok && std::exchange(m_restoring, false))
                Q_EMIT signedIn();
        });
    });
}

void Session::refresh(std::function<void(bool)> done)
{
    if (done)
        m_refreshWaiters.append(std::move(done));
    if (m_refreshing)
        return; // one refresh at a time: a second use of the same token would end the sign-in
    if (m_refreshToken.isEmpty()) {
        for (auto &w : std::exchange(m_refreshWaiters, {}))
            w(false);
        return;
    }
    m_refreshing = true;
    QUrlQuery form;
    form.addQueryItem(QStringLiteral("grant_type"), QStringLiteral("refresh_token"));
    form.addQueryItem(QStringLiteral("client_id"), QStringLiteral("chatterbox"));
    form.addQueryItem(QStringLiteral("refresh_token"), QString::fromLatin1(QUrl::toPercentEncoding(m_refreshToken)));
    postForm(m_server.tokenUrl, form.toString(QUrl::FullyEncoded).toLatin1(), [this](int status, const QByteArray &body) {
        const auto finish = [this](bool ok) {
            m_refreshing = false;
            for (auto &w : std::exchange(m_refreshWaiters, {}))
                w(ok);
        };
        if (status == 200)
            return acceptTokens(body, finish);
        if (status == 400 || status == 401) {
            // The sign-in is over (signed out elsewhere, or revoked): forget it.
            m_accessToken.clear();
            m_refreshToken.clear();
            m_secrets.remove(secretKey(), [](bool, const QString &) {});
            m_restoring = false;
            fail(tr("Your session has ended. Sign in again."));
            return finish(false);
        }
        // The server could not be reached: keep the token and try again soon.
        m_refreshTimer.start(15000);
        finish(false);
    });
}

void Session::signOut()
{
    m_refreshTimer.stop();
    m_restoring = false;
    if (!m_refreshToken.isEmpty())
        postForm(m_server.revokeUrl, "token=" + QUrl::toPercentEncoding(m_refreshToken), [](int, const QByteArray &) {});
    m_secrets.remove(secretKey(), [](bool, const QString &) {});
    m_accessToken.clear();
    m_refreshToken.clear();
    setState(State::SignedOut);
}

void Session::postForm(const QUrl &url, const QByteArray &form, std::function<void(int, const QByteArray &)> done)
{
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/x-www-form-urlencoded"));
    request.setTransferTimeout(15000);
    QNetworkReply *reply = m_network.post(request, form);
    connect(reply, &QNetworkReply::finished, this, [reply, done] {
        reply->deleteLater();
        done(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->read(64 * 1024));
    });
}

} // namespace chatterbox::app
