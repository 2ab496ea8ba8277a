// SPDX-License-Identifier: GPL-3.0-or-later
// Sign-in rules that two requests at the same moment could break, against the real server, many
// rounds each: a refresh token used twice at once, and an authorization code redeemed twice at
// once. Either way the whole sign-in must end: no token of it works, in memory or in the
// database, before or after a restart.

#include "e2efixture.h"
#include "support/testidp.h"

#include "server/auth/crypto.h"

#include <QUrlQuery>

#include <latch>
#include <thread>

using namespace chatterbox::test;
namespace crypto = chatterbox::server::crypto;

namespace {

const QByteArray kRedirect = "http://127.0.0.1:49999/callback";

// Sends all the requests at the same moment, each from its own thread, and returns the answers.
std::vector<HttpStep> atOnce(const QUrl &url, const std::vector<QByteArray> &bodies)
{
    std::vector<HttpStep> answers(bodies.size());
    std::latch ready(static_cast<std::ptrdiff_t>(bodies.size()));
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < bodies.size(); ++i) {
        threads.emplace_back([&, i] {
            QNetworkAccessManager manager;
            ready.arrive_and_wait();
            answers[i] = httpStep(manager, "POST", url, bodies[i]);
        });
    }
    for (auto &t : threads)
        t.join();
    return answers;
}

json body(const HttpStep &step)
{
    return json::parse(step.body.toStdString(), nullptr, false);
}

} // namespace

class TestE2eTokenRaces : public QObject {
    Q_OBJECT

    Harness m_harness;
    QNetworkAccessManager m_net;
    // Every token a race handed out, to try again after the restart.
    std::vector<std::string> m_refreshTokens;
    std::vector<std::string> m_accessTokens;

    QUrl tokenUrl() { return m_harness.server().httpUrl(QStringLiteral("/oauth/token")); }

    int refreshStatus(const std::string &token)
    {
        return httpStep(m_net, "POST", tokenUrl(), "grant_type=refresh_token&client_id=chatterbox&refresh_token=" + QUrl::toPercentEncoding(QString::fromStdString(token))).status;
    }

    bool accessWorks(const std::string &token)
    {
        TestClient client;
        return client.open(m_harness.server().webSocketUrl(), QByteArray::fromStdString(token)) && client.hello().is_object();
    }

    // The browser's trip through the development provider: a code for the loopback redirect.
    QString codeFor(const QString &name, const QString &challenge, const QString &state)
    {
        QUrl authorize = m_harness.server().httpUrl(QStringLiteral("/oauth/authorize"));
        QUrlQuery q;
        q.addQueryItem(QStringLiteral("provider"), QStringLiteral("dev"));
        q.addQueryItem(QStringLiteral("client_id"), QStringLiteral("chatterbox"));
        q.addQueryItem(QStringLiteral("response_type"), QStringLiteral("code"));
        q.addQueryItem(QStringLiteral("redirect_uri"), QString::fromLatin1(QUrl::toPercentEncoding(QString::fromLatin1(kRedirect))));
        q.addQueryItem(QStringLiteral("state"), state);
        q.addQueryItem(QStringLiteral("code_challenge"), challenge);
        q.addQueryItem(QStringLiteral("code_challenge_method"), QStringLiteral("S256"));
        authorize.setQuery(q);
        const auto start = httpStep(m_net, "GET", authorize);
        const QUrl pick = authorize.resolved(start.location);
        const QString attempt = QUrlQuery(pick).queryItemValue(QStringLiteral("attempt"));
        QUrl post = pick;
        post.setQuery(QString());
        const auto picked = httpStep(m_net, "POST", post, "attempt=" + attempt.toLatin1() + "&name=" + QUrl::toPercentEncoding(name));
        return QUrlQuery(picked.location).queryItemValue(QStringLiteral("code"), QUrl::FullyDecoded);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_harness.start());
    }

    void refreshTwiceAtOnce_endsTheWholeSignIn()
    {
        for (int round = 0; round < 50; ++round) {
            const Login login = m_harness.server().login(QStringLiteral("racer %1").arg(round));
            QVERIFY(!login.refreshToken.isEmpty());
            const QByteArray form = "grant_type=refresh_token&client_id=chatterbox&refresh_token=" + QUrl::toPercentEncoding(QString::fromLatin1(login.refreshToken));
            const auto answers = atOnce(tokenUrl(), {form, form});
            std::vector<json> won;
            for (const auto &answer : answers) {
                if (answer.status == 200)
                    won.push_back(body(answer));
            }
            QCOMPARE(won.size(), std::size_t(1));
            m_refreshTokens.push_back(login.refreshToken.toStdString());
            m_refreshTokens.push_back(won[0]["refresh_token"]);
            m_accessTokens.push_back(won[0]["access_token"]);
            // The refresh that lost saw the token spent: the winner's new tokens are dead too.
            QCOMPARE(refreshStatus(won[0]["refresh_token"]), 400);
            QVERIFY2(!accessWorks(won[0]["access_token"]), qPrintable(QStringLiteral("round %1: the winner's access token still works").arg(round)));
        }
    }

    void codeRedeemedTwiceAtOnce_endsTheSignInItMade()
    {
        for (int round = 0; round < 20; ++round) {
            const QString verifier = QString::fromStdString(crypto::base64UrlEncode(crypto::randomBytes(32)));
            const QString challenge = QString::fromStdString(crypto::base64UrlEncode(crypto::sha256(verifier.toStdString())));
            const QString code = codeFor(QStringLiteral("replayer %1").arg(round), challenge, QStringLiteral("s%1").arg(round));
            QVERIFY(!code.isEmpty());
            const QByteArray form = "grant_type=authorization_code&client_id=chatterbox&code=" + QUrl::toPercentEncoding(code)
                                    + "&code_verifier=" + verifier.toLatin1() + "&redirect_uri=" + QUrl::toPercentEncoding(QString::fromLatin1(kRedirect));
            const auto answers = atOnce(tokenUrl(), {form, form});
            std::vector<json> won;
            for (const auto &answer : answers) {
                if (answer.status == 200)
                    won.push_back(body(answer));
            }
            QCOMPARE(won.size(), std::size_t(1));
            m_refreshTokens.push_back(won[0]["refresh_token"]);
            m_accessTokens.push_back(won[0]["access_token"]);
            // The code was presented twice, so whoever got its sign-in may be an attacker.
            QCOMPARE(refreshStatus(m_refreshTokens.back()), 400);
            QVERIFY2(!accessWorks(m_accessTokens.back()), qPrintable(QStringLiteral("round %1: the sign-in of a replayed code still works").arg(round)));
        }
    }

    void afterARestart_noTokenOfThoseSignInsWorks()
    {
        QVERIFY(m_harness.server().restart());
        for (const auto &token : m_refreshTokens)
            QCOMPARE(refreshStatus(token), 400);
        for (const auto &token : m_accessTokens)
            QVERIFY(!accessWorks(token));
        // And the database agrees: no token of those families is left unrevoked.
        pqxx::connection c(m_harness.databaseUrl());
        pqxx::work tx(c);
        QCOMPARE(tx.exec1("SELECT count(*) FROM refresh_tokens WHERE revoked_at IS NULL AND family_id IN"
                          " (SELECT family_id FROM refresh_tokens WHERE revoked_at IS NOT NULL)")[0].as<int>(), 0);
    }
};

QTEST_GUILESS_MAIN(TestE2eTokenRaces)
#include "tst_e2e_tokenraces.moc"
