// SPDX-License-Identifier: GPL-3.0-or-later
// A live connection takes its sign-in's refreshed access token (session.renew) and then lives
// past the expiry of the token it opened with; it takes no one else's token, and no other
// sign-in's.

#include "e2efixture.h"

using namespace chatterbox::test;

namespace {

// The refresh grant, as the app does it; the new access token, or empty.
QByteArray refreshed(TestServer &server, const Login &login)
{
    const QByteArray form = "grant_type=refresh_token&client_id=chatterbox&refresh_token=" + login.refreshToken;
    const auto [status, body] = server.http("POST", QStringLiteral("/oauth/token"), form, "application/x-www-form-urlencoded");
    if (status != 200)
        return {};
    return QByteArray::fromStdString(json::parse(body.toStdString()).value("access_token", std::string()));
}

} // namespace

class TestE2eRenew : public QObject {
    Q_OBJECT

    // Tokens that live 10 s, so that expiry happens within the test.
    Harness m_harness{{QStringLiteral("--access-token-ttl"), QStringLiteral("10")}};

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_harness.start()); }

    void renewedConnection_outlivesItsFirstToken()
    {
        Person alice = m_harness.connect(QStringLiteral("alice"));
        Person plain = m_harness.reconnect(alice);   // never renewed: the control
        QVERIFY(alice.ready.is_object() && plain.ready.is_object());
        QTest::qWait(5000);   // half the first token's life: the new one expires 5 s after it
        const QByteArray newer = refreshed(m_harness.server(), alice.login);
        QVERIFY(!newer.isEmpty());
        const json renewed = alice->request("session.renew", {{"accessToken", newer.toStdString()}});
        QVERIFY2(isOk(renewed), renewed.dump().c_str());
        QVERIFY(renewed["result"]["expiresAt"].get<std::int64_t>() > QDateTime::currentMSecsSinceEpoch());

        // Past the first token's expiry (10 s) and a sweep: the control is closed with 4001,
        // the renewed one goes on.
        QVERIFY(plain->waitForClose(20000));
        QCOMPARE(plain->closeCode(), 4001);
        QVERIFY2(alice->isOpen(), qPrintable(QStringLiteral("closed with %1").arg(alice->closeCode())));
        QVERIFY(isOk(alice->request("party.list")));
    }

    void renew_refusesOtherPeopleAndOtherSignIns()
    {
        Person alice = m_harness.connect(QStringLiteral("alice"));
        const std::vector<std::pair<const char *, QByteArray>> tokens = {
            {"someone else's", m_harness.server().login(QStringLiteral("bob")).accessToken},
            {"another sign-in of the same person", m_harness.server().login(QStringLiteral("alice")).accessToken},
            {"not a token", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."},
            {"empty", {}},
            {"too long", QByteArray(8192, 'a')},
        };
        for (const auto &[what, token] : tokens) {
            const json refused = alice->request("session.renew", {{"accessToken", token.toStdString()}});
            QVERIFY2(errorCode(refused) == "invalid_request", what);
        }
        // Nothing changed: it still expires with its own token.
        QVERIFY(alice->waitForClose(20000));
        QCOMPARE(alice->closeCode(), 4001);
    }
};

QTEST_GUILESS_MAIN(TestE2eRenew)
#include "tst_e2e_renew.moc"
