// SPDX-License-Identifier: GPL-3.0-or-later
// Sign-in end to end, as the app does it (RFC 8252: loopback redirect, PKCE S256, state),
// against a real OpenID Connect provider and a GitHub fake on loopback, and the attacks the
// flow exists to stop.

#include "e2efixture.h"
#include "support/testidp.h"

#include "server/auth/crypto.h"

#include <QCryptographicHash>
#include <QUrlQuery>

#include <thread>

using namespace chatterbox::test;
namespace crypto = chatterbox::server::crypto;

namespace {

const QString kRedirect = QStringLiteral("http://127.0.0.1:49999/callback");

struct AppSide {
    QString verifier = QString::fromStdString(crypto::base64UrlEncode(crypto::randomBytes(32)));
    QString challenge = QString::fromStdString(crypto::base64UrlEncode(crypto::sha256(verifier.toStdString())));
    QString state = QString::fromStdString(crypto::base64UrlEncode(crypto::randomBytes(16)));
};

QString query(const QUrl &url, const char *name)
{
    return QUrlQuery(url).queryItemValue(QString::fromLatin1(name), QUrl::FullyDecoded);
}

} // namespace

class TestE2eSignIn : public QObject {
    Q_OBJECT

    std::unique_ptr<TestIdentityProvider> m_oidc;
    std::unique_ptr<TestIdentityProvider> m_github;
    std::unique_ptr<TestIdentityProvider> m_promisesIss;   // its discovery says it always sends iss
    std::unique_ptr<Harness> m_harness;
    QNetworkAccessManager m_net;

    QUrl authorizeUrl(const QString &provider, const AppSide &app, const QString &redirect = kRedirect,
                      const QString &method = QStringLiteral("S256"))
    {
        QUrl url = m_harness->server().httpUrl(QStringLiteral("/oauth/authorize"));
        QUrlQuery q;
        q.addQueryItem(QStringLiteral("provider"), provider);
        q.addQueryItem(QStringLiteral("client_id"), QStringLiteral("chatterbox"));
        q.addQueryItem(QStringLiteral("response_type"), QStringLiteral("code"));
        q.addQueryItem(QStringLiteral("redirect_uri"), QString::fromLatin1(QUrl::toPercentEncoding(redirect)));
        q.addQueryItem(QStringLiteral("state"), app.state);
        if (!method.isEmpty()) {
            q.addQueryItem(QStringLiteral("code_challenge"), method == QStringLiteral("plain") ? app.verifier : app.challenge);
            q.addQueryItem(QStringLiteral("code_challenge_method"), method);
        }
        url.setQuery(q);
        return url;
    }

    // The browser's trip: our server -> provider -> our server's callback -> the app's loopback.
    QUrl browse(const QString &provider, const AppSide &app)
    {
        const auto start = httpStep(m_net, "GET", authorizeUrl(provider, app));
        if (start.status != 302) {
            qWarning("authorize: %d %s", start.status, start.body.left(300).constData());
            return {};
        }
        const auto atProvider = httpStep(m_net, "GET", start.location);
        if (atProvider.status != 302) {
            qWarning("provider: %d %s", atProvider.status, atProvider.body.left(300).constData());
            return {};
        }
        const auto back = httpStep(m_net, "GET", atProvider.location);
        if (back.status != 302)
            qWarning("callback: %d %s\n%s", back.status, back.body.right(300).constData(), qPrintable(m_harness->server().output()));
        return back.status == 302 ? back.location : QUrl();
    }

    json redeem(const QString &code, const QString &verifier, const QString &redirect = kRedirect, int *status = nullptr)
    {
        QUrlQuery form;
        form.addQueryItem(QStringLiteral("grant_type"), QStringLiteral("authorization_code"));
        form.addQueryItem(QStringLiteral("client_id"), QStringLiteral("chatterbox"));
        form.addQueryItem(QStringLiteral("code"), code);
        form.addQueryItem(QStringLiteral("code_verifier"), verifier);
        form.addQueryItem(QStringLiteral("redirect_uri"), QString::fromLatin1(QUrl::toPercentEncoding(redirect)));
        const auto step = httpStep(m_net, "POST", m_harness->server().httpUrl(QStringLiteral("/oauth/token")),
                                   form.toString(QUrl::FullyEncoded).toLatin1());
        if (status)
            *status = step.status;
        return json::parse(step.body.toStdString(), nullptr, false);
    }

    json refresh(const std::string &token, int *status = nullptr)
    {
        const auto step = httpStep(m_net, "POST", m_harness->server().httpUrl(QStringLiteral("/oauth/token")),
                                   "grant_type=refresh_token&client_id=chatterbox&refresh_token=" + QUrl::toPercentEncoding(QString::fromStdString(token)));
        if (status)
            *status = step.status;
        return json::parse(step.body.toStdString(), nullptr, false);
    }

    // A whole sign-in; the token response, or null.
    json signIn(const QString &provider)
    {
        AppSide app;
        const QUrl back = browse(provider, app);
        if (query(back, "state") != app.state || query(back, "code").isEmpty())
            return {};
        return redeem(query(back, "code"), app.verifier);
    }

    std::unique_ptr<TestClient> connectWith(const std::string &accessToken)
    {
        auto client = std::make_unique<TestClient>();
        if (!client->open(m_harness->server().webSocketUrl(), QByteArray::fromStdString(accessToken)))
            return nullptr;
        return client;
    }

    int userCount()
    {
        pqxx::connection c(m_harness->databaseUrl());
        pqxx::work tx(c);
        return tx.exec1("SELECT count(*) FROM users")[0].as<int>();
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_oidc = std::make_unique<TestIdentityProvider>(TestIdentityProvider::Kind::Oidc, QStringLiteral("chatterbox-test"),
                                                        QStringLiteral("oidc-secret"));
        QVERIFY2(m_oidc->start(), qPrintable(m_oidc->error()));
        m_github = std::make_unique<TestIdentityProvider>(TestIdentityProvider::Kind::GitHub, QStringLiteral("gh-client"),
                                                          QStringLiteral("gh-secret"));
        QVERIFY2(m_github->start(), qPrintable(m_github->error()));
        m_promisesIss = std::make_unique<TestIdentityProvider>(TestIdentityProvider::Kind::Oidc, QStringLiteral("chatterbox-strict"),
                                                               QStringLiteral("strict-secret"), QStringList{QStringLiteral("promise-iss")});
        QVERIFY2(m_promisesIss->start(), qPrintable(m_promisesIss->error()));
        m_harness = std::make_unique<Harness>(QStringList{
            QStringLiteral("--provider"),
            QStringLiteral("type=oidc,id=acme,name=Acme SSO,issuer=%1,client-id=chatterbox-test,client-secret=oidc-secret").arg(m_oidc->url()),
            QStringLiteral("--provider"),
            QStringLiteral("type=github,client-id=gh-client,client-secret=gh-secret,authorize-url=%1/login/oauth/authorize,"
                           "token-url=%1/login/oauth/access_token,api-url=%1").arg(m_github->url()),
            QStringLiteral("--provider"),
            QStringLiteral("type=oidc,id=strict,name=Strict SSO,issuer=%1,client-id=chatterbox-strict,client-secret=strict-secret").arg(m_promisesIss->url())});
        QVERIFY(m_harness->start());
    }

    // Whatever a test told a provider (who signs in, how it misbehaves) ends with it.
    void cleanup()
    {
        QVERIFY(m_oidc->setNext(json::object()));
        QVERIFY(m_promisesIss->setNext(json::object()));
    }

    void discovery_listsProviders()
    {
        const auto [status, body] = m_harness->server().http("GET", QStringLiteral("/.well-known/chatterbox"));
        const json j = json::parse(body.toStdString());
        QStringList ids;
        for (const auto &p : j["providers"])
            ids << QString::fromStdString(p["id"].get<std::string>());
        QCOMPARE(ids, (QStringList{"acme", "github", "strict", "dev"}));
        QCOMPARE(j["authorization_endpoint"].get<std::string>(), std::string("/oauth/authorize"));
    }

    void oidc_signIn_thenChat()
    {
        QVERIFY(m_oidc->setNext({{"sub", "ada-123"}, {"name", "Ada Lovelace"}, {"email", "ada@example.org"}}));
        const json tokens = signIn(QStringLiteral("acme"));
        QVERIFY2(tokens.is_object() && tokens.contains("access_token"), tokens.dump().c_str());
        auto client = connectWith(tokens["access_token"]);
        QVERIFY(client);
        const json ready = client->hello();
        QCOMPARE(ready["me"]["displayName"].get<std::string>(), std::string("Ada Lovelace"));

        // The same person again: the same account.
        QVERIFY(m_oidc->setNext({{"sub", "ada-123"}, {"name", "Ada L."}}));
        auto again = connectWith(signIn(QStringLiteral("acme"))["access_token"]);
        QVERIFY(again);
        QCOMPARE(again->hello()["me"]["id"].get<std::string>(), ready["me"]["id"].get<std::string>());
    }

    void oidc_nameOnlyInUserinfo_isRead()
    {
        // The code flow lets a provider keep the profile for userinfo; the name comes from there.
        QVERIFY(m_oidc->setNext({{"sub", "quiet-1"}, {"name", "Katherine Johnson"}, {"tamper", "userinfo"}}));
        auto client = connectWith(signIn(QStringLiteral("acme"))["access_token"]);
        QVERIFY(client);
        QCOMPARE(client->hello()["me"]["displayName"].get<std::string>(), std::string("Katherine Johnson"));
        // Only an e-mail address: the part before the @, not the address others would then see.
        QVERIFY(m_oidc->setNext({{"sub", "quiet-2"}, {"name", ""}, {"email", "dorothy.vaughan@example.org"}, {"tamper", "userinfo"}}));
        auto second = connectWith(signIn(QStringLiteral("acme"))["access_token"]);
        QVERIFY(second);
        QCOMPARE(second->hello()["me"]["displayName"].get<std::string>(), std::string("dorothy.vaughan"));
    }

    void oidc_userinfoAboutSomeoneElse_isIgnored()
    {
        QVERIFY(m_oidc->setNext({{"sub", "quiet-3"}, {"name", "Somebody Else"}, {"tamper", "userinfo-other-sub"}}));
        auto client = connectWith(signIn(QStringLiteral("acme"))["access_token"]);
        QVERIFY(client);
        QCOMPARE(client->hello()["me"]["displayName"].get<std::string>(), std::string("New member"));
    }

    void sameEmail_otherSubject_otherAccount()
    {
        QVERIFY(m_oidc->setNext({{"sub", "impostor-9"}, {"name", "Not Ada"}, {"email", "ada@example.org"}}));
        auto client = connectWith(signIn(QStringLiteral("acme"))["access_token"]);
        QVERIFY(client);
        QCOMPARE(client->hello()["me"]["displayName"].get<std::string>(), std::string("Not Ada"));
        pqxx::connection c(m_harness->databaseUrl());
        pqxx::work tx(c);
        QCOMPARE(tx.exec1("SELECT count(*) FROM identities WHERE provider = 'acme' AND subject IN ('ada-123', 'impostor-9')")[0].as<int>(), 2);
    }

    void github_keyedOnNumericId()
    {
        QVERIFY(m_github->setNext({{"id", 583231}, {"login", "octocat"}, {"name", "The Octocat"}}));
        const json first = signIn(QStringLiteral("github"));
        QVERIFY2(first.contains("access_token"), first.dump().c_str());
        // Renamed on GitHub: still the same account.
        QVERIFY(m_github->setNext({{"id", 583231}, {"login", "octo-renamed"}, {"name", "Octo"}}));
        const json second = signIn(QStringLiteral("github"));
        auto a = connectWith(first["access_token"]);
        auto b = connectWith(second["access_token"]);
        QVERIFY(a && b);
        QCOMPARE(a->hello()["me"]["id"].get<std::string>(), b->hello()["me"]["id"].get<std::string>());
        pqxx::connection c(m_harness->databaseUrl());
        pqxx::work tx(c);
        QCOMPARE(tx.exec1("SELECT subject FROM identities WHERE provider = 'github'")[0].as<std::string>(), std::string("583231"));
    }

    void devProvider_pickANamePage()
    {
        AppSide app;
        const auto start = httpStep(m_net, "GET", authorizeUrl(QStringLiteral("dev"), app));
        QCOMPARE(start.status, 302);
        QCOMPARE(start.location.path(), QStringLiteral("/auth/dev/pick"));
        const auto page = httpStep(m_net, "GET", m_harness->server().httpUrl(start.location.path()).resolved(start.location));
        QCOMPARE(page.status, 200);
        QVERIFY(page.body.contains("<form"));
        const QString attempt = query(start.location, "attempt");
        const auto posted = httpStep(m_net, "POST", m_harness->server().httpUrl(QStringLiteral("/auth/dev/pick")),
                                     "attempt=" + attempt.toLatin1() + "&name=Grace");
        QCOMPARE(posted.status, 302);
        QCOMPARE(query(posted.location, "state"), app.state);
        const json tokens = redeem(query(posted.location, "code"), app.verifier);
        auto client = connectWith(tokens["access_token"]);
        QVERIFY(client);
        QCOMPARE(client->hello()["me"]["displayName"].get<std::string>(), std::string("Grace"));
    }

    void badRedirectOrChallenge_refused_data()
    {
        QTest::addColumn<QString>("redirect");
        QTest::addColumn<QString>("method");
        QTest::addColumn<bool>("redirectsToApp");
        QTest::newRow("non-loopback redirect") << "http://evil.example:49999/callback" << "S256" << false;
        QTest::newRow("localhost name") << "http://localhost:49999/callback" << "S256" << false;
        QTest::newRow("https loopback") << "https://127.0.0.1:49999/callback" << "S256" << false;
        QTest::newRow("plain challenge") << kRedirect << "plain" << true;
        QTest::newRow("missing challenge") << kRedirect << "" << true;
    }
    void badRedirectOrChallenge_refused()
    {
        QFETCH(QString, redirect);
        QFETCH(QString, method);
        QFETCH(bool, redirectsToApp);
        AppSide app;
        const auto step = httpStep(m_net, "GET", authorizeUrl(QStringLiteral("acme"), app, redirect, method));
        if (redirectsToApp) {
            QCOMPARE(step.status, 302);
            QVERIFY(step.location.toString().startsWith(kRedirect));
            QCOMPARE(query(step.location, "error"), QStringLiteral("invalid_request"));
            QCOMPARE(query(step.location, "state"), app.state);
        } else {
            // Never a redirect to an address that was not checked.
            QCOMPARE(step.status, 400);
            QVERIFY(step.location.isEmpty());
        }
    }

    // RFC 6749 2.1 and 4.1.2.1: the one client is the app, and it says so; any other is told,
    // never redirected, and a code stays good for the client it was made for.
    void unknownClient_refused()
    {
        AppSide app;
        for (const QString &clientId : {QString(), QStringLiteral("someone-else"), QStringLiteral("chatterbox ")}) {
            QUrl url = authorizeUrl(QStringLiteral("acme"), app);
            QUrlQuery q(url);
            q.removeQueryItem(QStringLiteral("client_id"));
            if (!clientId.isNull())
                q.addQueryItem(QStringLiteral("client_id"), QString::fromLatin1(QUrl::toPercentEncoding(clientId)));
            url.setQuery(q);
            const auto step = httpStep(m_net, "GET", url);
            QCOMPARE(step.status, 400);
            QVERIFY(step.location.isEmpty());
            QVERIFY2(step.body.contains("client_id"), step.body.constData());
        }

        QVERIFY(m_oidc->setNext({{"sub", "client-check"}, {"name", "Client Check"}}));
        const QUrl back = browse(QStringLiteral("acme"), app);
        const QString code = query(back, "code");
        QVERIFY(!code.isEmpty());
        const QUrl tokenUrl = m_harness->server().httpUrl(QStringLiteral("/oauth/token"));
        const QByteArray codeForm = "grant_type=authorization_code&code=" + QUrl::toPercentEncoding(code) + "&code_verifier="
                                    + app.verifier.toLatin1() + "&redirect_uri=" + QUrl::toPercentEncoding(kRedirect);
        for (const QByteArray &client : {QByteArray(), QByteArray("&client_id=other"), QByteArray("&client_id=")}) {
            const auto step = httpStep(m_net, "POST", tokenUrl, codeForm + client);
            QCOMPARE(step.status, 401);
            QCOMPARE(json::parse(step.body.toStdString(), nullptr, false).value("error", std::string()), std::string("invalid_client"));
        }
        // Nothing was spent on the wrong client: the app still redeems its code, and refreshes.
        const json tokens = redeem(code, app.verifier);
        QVERIFY2(tokens.contains("refresh_token"), tokens.dump().c_str());
        const auto wrongRefresh = httpStep(m_net, "POST", tokenUrl, "grant_type=refresh_token&refresh_token="
                                           + QUrl::toPercentEncoding(QString::fromStdString(tokens["refresh_token"].get<std::string>())));
        QCOMPARE(wrongRefresh.status, 401);
        QVERIFY(refresh(tokens["refresh_token"]).contains("access_token"));
    }

    // RFC 9207: an answer that names another issuer is not taken for this provider's, and a
    // provider that promises to name itself must have.
    void issParameter_checked_data()
    {
        QTest::addColumn<QString>("provider");
        QTest::addColumn<QString>("tamper");
        QTest::addColumn<bool>("signsIn");
        QTest::newRow("none sent, none promised") << "acme" << "" << true;
        QTest::newRow("its own") << "acme" << "iss-right" << true;
        QTest::newRow("another's") << "acme" << "iss-other" << false;
        QTest::newRow("promised, its own") << "strict" << "" << true;
        QTest::newRow("promised, another's") << "strict" << "iss-other" << false;
        QTest::newRow("promised, none sent") << "strict" << "iss-none" << false;
    }
    void issParameter_checked()
    {
        QFETCH(QString, provider);
        QFETCH(QString, tamper);
        QFETCH(bool, signsIn);
        TestIdentityProvider &idp = provider == QStringLiteral("strict") ? *m_promisesIss : *m_oidc;
        QVERIFY(idp.setNext({{"sub", "iss-" + tamper.toStdString()}, {"name", "Iss Check"}, {"tamper", tamper.toStdString()}}));
        const int usersBefore = userCount();
        AppSide app;
        const QUrl back = browse(provider, app);
        QVERIFY(back.toString().startsWith(kRedirect));
        QCOMPARE(query(back, "state"), app.state);
        if (signsIn) {
            QVERIFY(redeem(query(back, "code"), app.verifier).contains("access_token"));
        } else {
            QCOMPARE(query(back, "error"), QStringLiteral("access_denied"));
            QVERIFY(query(back, "code").isEmpty());
            QCOMPARE(userCount(), usersBefore);
        }
    }

    void wrongState_atCallback_refused()
    {
        AppSide app;
        const auto start = httpStep(m_net, "GET", authorizeUrl(QStringLiteral("acme"), app));
        const auto atProvider = httpStep(m_net, "GET", start.location);
        QUrl forged = atProvider.location;
        QUrlQuery q(forged);
        q.removeQueryItem(QStringLiteral("state"));
        q.addQueryItem(QStringLiteral("state"), QStringLiteral("forged-state"));
        forged.setQuery(q);
        const auto back = httpStep(m_net, "GET", forged);
        QCOMPARE(back.status, 400);
        QVERIFY(back.location.isEmpty());
        // And the real callback, replayed after use, is refused too.
        QCOMPARE(httpStep(m_net, "GET", atProvider.location).status, 302);
        QCOMPARE(httpStep(m_net, "GET", atProvider.location).status, 400);
    }

    void replayedCode_refused_andFirstSignInRevoked()
    {
        AppSide app;
        const QUrl back = browse(QStringLiteral("acme"), app);
        const QString code = query(back, "code");
        const json first = redeem(code, app.verifier);
        QVERIFY(first.contains("access_token"));
        auto live = connectWith(first["access_token"]);
        QVERIFY(live && live->hello().is_object());
        int status = 0;
        const json second = redeem(code, app.verifier, kRedirect, &status);
        QCOMPARE(status, 400);
        QCOMPARE(second["error"].get<std::string>(), std::string("invalid_grant"));
        // Whoever used the code first may not be who should have: that sign-in ends.
        QVERIFY(live->waitForClose(3000));
        QCOMPARE(live->closeCode(), 4001);
        QCOMPARE(refresh(first["refresh_token"], &status)["error"].get<std::string>(), std::string("invalid_grant"));
        QVERIFY(!connectWith(first["access_token"]));
    }

    void codeWithAnotherVerifier_refused_andBurned()
    {
        AppSide app;
        const QUrl back = browse(QStringLiteral("acme"), app);
        AppSide attacker;
        int status = 0;
        QCOMPARE(redeem(query(back, "code"), attacker.verifier, kRedirect, &status)["error"].get<std::string>(), std::string("invalid_grant"));
        QCOMPARE(status, 400);
        // The code is gone: not even the right verifier gets it now.
        QCOMPARE(redeem(query(back, "code"), app.verifier)["error"].get<std::string>(), std::string("invalid_grant"));
    }

    void badIdToken_noAccount_data()
    {
        QTest::addColumn<QString>("tamper");
        QTest::newRow("wrong issuer") << "wrong-iss";
        QTest::newRow("wrong audience") << "wrong-aud";
        QTest::newRow("wrong nonce") << "wrong-nonce";
        QTest::newRow("expired") << "expired";
        QTest::newRow("alg none") << "alg-none";
        QTest::newRow("HS256 with the public key") << "hs256-public-key";
        QTest::newRow("bad signature") << "bad-signature";
    }
    void badIdToken_noAccount()
    {
        QFETCH(QString, tamper);
        const int before = userCount();
        QVERIFY(m_oidc->setNext({{"sub", "mallory-" + tamper.toStdString()}, {"tamper", tamper.toStdString()}}));
        AppSide app;
        const QUrl back = browse(QStringLiteral("acme"), app);
        QVERIFY2(back.toString().startsWith(kRedirect), qPrintable(back.toString()));
        QCOMPARE(query(back, "error"), QStringLiteral("access_denied"));
        QVERIFY(query(back, "code").isEmpty());
        QCOMPARE(userCount(), before);
        QVERIFY(m_oidc->setNext({{"sub", "subject-1"}}));
    }

    void refreshReuse_revokesFamily_closesConnections()
    {
        QVERIFY(m_oidc->setNext({{"sub", "refresher"}}));
        const json tokens = signIn(QStringLiteral("acme"));
        const json rotated = refresh(tokens["refresh_token"]);
        QVERIFY(rotated.contains("refresh_token"));
        auto live = connectWith(rotated["access_token"]);
        QVERIFY(live && live->hello().is_object());
        int status = 0;
        QCOMPARE(refresh(tokens["refresh_token"], &status)["error"].get<std::string>(), std::string("invalid_grant"));
        QElapsedTimer timer;
        timer.start();
        QVERIFY(live->waitForClose(2000));
        QVERIFY(timer.elapsed() < 1000);
        QCOMPARE(live->closeCode(), 4001);
        QCOMPARE(refresh(rotated["refresh_token"])["error"].get<std::string>(), std::string("invalid_grant"));
    }

    void concurrentRefresh_exactlyOneWins()
    {
        QVERIFY(m_oidc->setNext({{"sub", "racer"}}));
        const std::string token = signIn(QStringLiteral("acme"))["refresh_token"];
        std::atomic<int> wins{0};
        std::vector<std::thread> threads;
        for (int i = 0; i < 4; ++i) {
            threads.emplace_back([&] {
                QNetworkAccessManager manager;
                const auto step = httpStep(manager, "POST", m_harness->server().httpUrl(QStringLiteral("/oauth/token")),
                                           "grant_type=refresh_token&client_id=chatterbox&refresh_token=" + QByteArray::fromStdString(token));
                if (step.status == 200)
                    ++wins;
            });
        }
        for (auto &t : threads)
            t.join();
        QCOMPARE(wins.load(), 1);
    }

    void tokensInTheWrongPlace_refused()
    {
        QVERIFY(m_oidc->setNext({{"sub", "confused"}}));
        const json tokens = signIn(QStringLiteral("acme"));
        int status = 0;
        QCOMPARE(refresh(tokens["access_token"], &status)["error"].get<std::string>(), std::string("invalid_grant"));
        QVERIFY(!connectWith(tokens["refresh_token"]));
        QVERIFY(connectWith(tokens["access_token"]));
    }

    void signOut_closesThatSessionOnly_withinASecond()
    {
        QVERIFY(m_oidc->setNext({{"sub", "leaver"}}));
        const json laptop = signIn(QStringLiteral("acme"));
        const json phone = signIn(QStringLiteral("acme"));
        auto onLaptop = connectWith(laptop["access_token"]);
        auto onPhone = connectWith(phone["access_token"]);
        QVERIFY(onLaptop && onPhone && onLaptop->hello().is_object() && onPhone->hello().is_object());
        const auto step = httpStep(m_net, "POST", m_harness->server().httpUrl(QStringLiteral("/oauth/revoke")),
                                   "token=" + QByteArray::fromStdString(laptop["refresh_token"].get<std::string>()));
        QCOMPARE(step.status, 200);
        QElapsedTimer timer;
        timer.start();
        QVERIFY(onLaptop->waitForClose(2000));
        QVERIFY(timer.elapsed() < 1000);
        QCOMPARE(onLaptop->closeCode(), 4001);
        QVERIFY(onPhone->isOpen());
        QVERIFY(isOk(onPhone->request("party.list")));
        QVERIFY(!connectWith(laptop["access_token"]));
        // Revoking an unknown token is fine (RFC 7009).
        QCOMPARE(httpStep(m_net, "POST", m_harness->server().httpUrl(QStringLiteral("/oauth/revoke")), "token=nonsense").status, 200);
    }
};

QTEST_GUILESS_MAIN(TestE2eSignIn)
#include "tst_e2e_signin.moc"
