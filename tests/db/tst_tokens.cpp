// SPDX-License-Identifier: GPL-3.0-or-later
// Access and refresh tokens: what verifies, what is refused, and what survives a restart.

#include "server/auth/crypto.h"
#include "server/auth/tokens.h"
#include "support/testdatabase.h"

#include <QTest>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include <thread>

using namespace chatterbox;
using namespace chatterbox::server;
using nlohmann::json;

namespace {

json with(json j, const char *key, const char *value)
{
    j[key] = value;
    return j;
}

std::string sign(const json &header, const json &claims, const std::string &key)
{
    const std::string input = crypto::base64UrlEncode(header.dump()) + "." + crypto::base64UrlEncode(claims.dump());
    return input + "." + crypto::base64UrlEncode(crypto::hmacSha256(key, input));
}

} // namespace

class TestTokens : public QObject {
    Q_OBJECT

    test::TestDatabase m_db;
    std::string m_user;
    std::string m_kid;
    std::string m_secret;

    // A fresh service on the same database: what a restarted server has.
    std::unique_ptr<TokenService> service()
    {
        auto tokens = std::make_unique<TokenService>("chatterbox", std::chrono::seconds(900), std::chrono::seconds(3600));
        pqxx::connection c(m_db.url());
        tokens->loadKeys(c);
        return tokens;
    }

    json claimsFor(std::int64_t expOffset)
    {
        const auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
        return {{"iss", "chatterbox"}, {"aud", "chatterbox"}, {"sub", m_user}, {"typ", "access"}, {"fam", "f"},
                {"iat", now}, {"exp", now + expOffset}};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_db.isValid(), qPrintable(m_db.error()));
        QVERIFY(m_db.migrate());
        m_user = test::createUser(m_db.url(), "Alice");
        service(); // creates the first key
        pqxx::connection c(m_db.url());
        pqxx::work tx(c);
        const auto row = tx.exec1("SELECT kid, secret FROM signing_keys");
        m_kid = row[0].as<std::string>();
        m_secret = pqxx::binarystring(row[1]).str();
    }

    void issued_verifies_andSurvivesRestart()
    {
        const std::string token = service()->issueAccessToken(m_user, "family");
        const auto claims = service()->verifyAccessToken(token); // a second service: a restarted server
        QVERIFY(claims);
        QCOMPARE(claims->userId, m_user);
        QCOMPARE(claims->familyId, std::string("family"));
    }

    void forged_refused_data()
    {
        QTest::addColumn<QString>("token");
        const json header{{"alg", "HS256"}, {"typ", "JWT"}, {"kid", m_kid}};
        QTest::newRow("expired") << QString::fromStdString(sign(header, claimsFor(-10), m_secret));
        QTest::newRow("wrong key") << QString::fromStdString(sign(header, claimsFor(600), "guessed"));
        QTest::newRow("unknown kid") << QString::fromStdString(sign({{"alg", "HS256"}, {"kid", "nope"}}, claimsFor(600), m_secret));
        QTest::newRow("wrong issuer") << QString::fromStdString(sign(header, with(claimsFor(600), "iss", "evil"), m_secret));
        QTest::newRow("wrong audience") << QString::fromStdString(sign(header, with(claimsFor(600), "aud", "other"), m_secret));
        QTest::newRow("not an access token") << QString::fromStdString(sign(header, with(claimsFor(600), "typ", "refresh"), m_secret));
        QTest::newRow("alg none") << QString::fromStdString(crypto::base64UrlEncode(json{{"alg", "none"}, {"kid", m_kid}}.dump()) + "."
                                                             + crypto::base64UrlEncode(claimsFor(600).dump()) + ".");
        QTest::newRow("alg HS512 claimed") << QString::fromStdString(sign({{"alg", "HS512"}, {"kid", m_kid}}, claimsFor(600), m_secret));
        QTest::newRow("garbage") << QStringLiteral("not.a.token");
        QTest::newRow("two parts") << QStringLiteral("abc.def");
        QTest::newRow("empty") << QString();
        QTest::newRow("huge") << QString(10000, QLatin1Char('a'));
    }
    void forged_refused()
    {
        QFETCH(QString, token);
        QVERIFY(!service()->verifyAccessToken(token.toStdString()));
    }

    void tamperedClaims_refused()
    {
        const std::string token = service()->issueAccessToken(m_user, "family");
        const auto dot = token.find('.');
        const auto dot2 = token.find('.', dot + 1);
        auto claims = json::parse(*crypto::base64UrlDecode(token.substr(dot + 1, dot2 - dot - 1)));
        claims["sub"] = "00000000-0000-4000-8000-000000000000";
        const std::string forged = token.substr(0, dot + 1) + crypto::base64UrlEncode(claims.dump()) + token.substr(dot2);
        QVERIFY(!service()->verifyAccessToken(forged));
    }

    void refresh_rotates_andReuseRevokesFamily()
    {
        auto tokensOwner = service();
        auto &tokens = *tokensOwner;
        pqxx::connection c(m_db.url());
        const auto first = tokens.signIn(c, m_user);
        const auto second = tokens.refresh(c, first.refreshToken);
        QVERIFY(second);
        QVERIFY(second->refreshToken != first.refreshToken);
        QVERIFY(tokens.verifyAccessToken(second->accessToken));

        // The spent token comes back (stolen?): refused, and the live one dies with it.
        RefreshError why = RefreshError::Invalid;
        QVERIFY(!tokens.refresh(c, first.refreshToken, &why));
        QCOMPARE(why, RefreshError::Reused);
        QVERIFY(!tokens.refresh(c, second->refreshToken, &why));
        QVERIFY(!tokens.refresh(c, "made-up", &why));
        QCOMPARE(why, RefreshError::Invalid);
    }

    void refresh_concurrentUses_onlyOneWins()
    {
        auto tokensOwner = service();
        auto &tokens = *tokensOwner;
        pqxx::connection c(m_db.url());
        const auto pair = tokens.signIn(c, m_user);
        std::atomic<int> wins{0};
        std::vector<std::thread> threads;
        for (int i = 0; i < 6; ++i) {
            threads.emplace_back([&] {
                pqxx::connection own(m_db.url());
                if (tokens.refresh(own, pair.refreshToken))
                    ++wins;
            });
        }
        for (auto &t : threads)
            t.join();
        QCOMPARE(wins.load(), 1);
    }

    void keyRotation_nobodyLoggedOut()
    {
        test::TestDatabase db;
        QVERIFY(db.migrate());
        const std::string user = test::createUser(db.url(), "Rotator");
        pqxx::connection c(db.url());
        const auto rotating = [&] {
            auto t = std::make_unique<TokenService>("chatterbox", std::chrono::seconds(900), std::chrono::seconds(3600),
                                                    std::chrono::hours(24));
            t->refreshKeys(c);
            return t;
        };
        const auto age = [&](const std::string &kid, const char *interval) {
            pqxx::work tx(c);
            tx.exec_params0("UPDATE signing_keys SET created_at = now() - $2::interval WHERE kid = $1", kid, std::string(interval));
            tx.commit();
        };
        auto first = rotating();
        const std::string oldKid = first->currentKeyId();
        const std::string oldToken = first->issueAccessToken(user, "f");

        // The key is due: a new one is made, but it does not sign until every instance has it.
        age(oldKid, "25 hours");
        auto second = rotating();
        QCOMPARE(second->currentKeyId(), oldKid);
        pqxx::work count(c);
        QCOMPARE(count.exec1("SELECT count(*) FROM signing_keys")[0].as<int>(), 2);
        count.commit();

        // Published long enough: it signs now, and the old key still verifies what it signed.
        pqxx::work find(c);
        const std::string newKid = find.exec1("SELECT kid FROM signing_keys ORDER BY created_at DESC LIMIT 1")[0].as<std::string>();
        find.commit();
        age(newKid, "20 minutes");
        auto third = rotating();
        QCOMPARE(third->currentKeyId(), newKid);
        QVERIFY(third->verifyAccessToken(oldToken));
        QVERIFY(third->verifyAccessToken(third->issueAccessToken(user, "f")));

        // Long after, when nothing it signed can still be alive, the old key goes.
        age(oldKid, "60 days");
        auto fourth = rotating();
        QVERIFY(!fourth->verifyAccessToken(oldToken));
        QCOMPARE(fourth->currentKeyId(), newKid);
    }

    void revokedFamily_accessTokensRefused_listenerTold()
    {
        auto tokensOwner = service();
        auto &tokens = *tokensOwner;
        pqxx::connection c(m_db.url());
        const auto pair = tokens.signIn(c, m_user);
        std::string told;
        tokens.setRevocationListener([&](const std::string &family) { told = family; });
        QVERIFY(tokens.verifyAccessToken(pair.accessToken));
        tokens.revokeByRefreshToken(c, pair.refreshToken);
        QCOMPARE(told, pair.familyId);
        QVERIFY(!tokens.verifyAccessToken(pair.accessToken));
        QVERIFY(!tokens.refresh(c, pair.refreshToken));
        // A restarted server remembers recent revocations.
        QVERIFY(!service()->verifyAccessToken(pair.accessToken));
    }

    void refreshTokens_storedOnlyAsHashes()
    {
        auto tokensOwner = service();
        auto &tokens = *tokensOwner;
        pqxx::connection c(m_db.url());
        const auto pair = tokens.signIn(c, m_user);
        pqxx::work tx(c);
        QCOMPARE(tx.exec_params1("SELECT count(*) FROM refresh_tokens WHERE token_hash = $1",
                                 pqxx::binarystring(pair.refreshToken))[0].as<int>(), 0);
        QCOMPARE(tx.exec_params1("SELECT count(*) FROM refresh_tokens WHERE token_hash = $1",
                                 pqxx::binarystring(crypto::sha256(pair.refreshToken)))[0].as<int>(), 1);
    }
};

QTEST_GUILESS_MAIN(TestTokens)
#include "tst_tokens.moc"
