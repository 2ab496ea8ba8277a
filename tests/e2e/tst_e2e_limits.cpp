// Hostile and careless clients: no token, bad frames, oversized frames, floods, too many
// connections, silent peers and peers that stop reading. Each gets a clear answer or a documented
// close code, and the server carries on serving everyone else.

#include "e2efixture.h"

#include "rawpeer.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QTcpSocket>

using namespace chatterbox::test;


class TestE2eLimits : public QObject {
    Q_OBJECT

    Harness m_harness{{QStringLiteral("--max-connections-per-user"), QStringLiteral("3"), QStringLiteral("--ping-interval"),
                       QStringLiteral("1"), QStringLiteral("--idle-timeout"), QStringLiteral("3")}};
    Person m_alice;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_harness.start());
        m_alice = m_harness.connect(QStringLiteral("alice"));
        QVERIFY(m_alice.ready.is_object());
    }

    void upgrade_withoutValidToken_refused()
    {
        for (const QByteArray &token : {QByteArray(), QByteArray("garbage"), m_alice.login.accessToken + "x"}) {
            TestClient client;
            QVERIFY(!client.open(m_harness.server().webSocketUrl(), token));
        }
        // A refresh token is not an access token.
        TestClient client;
        QVERIFY(!client.open(m_harness.server().webSocketUrl(), m_alice.login.refreshToken));
    }

    void badFrames_answered_connectionStays()
    {
        QCOMPARE(errorCode(m_alice->sendRaw("not json")), std::string("bad_frame"));
        QCOMPARE(errorCode(m_alice->sendRaw("{\"type\":\"party.create\",\"id\":5}")), std::string("invalid_request"));
        QCOMPARE(errorCode(m_alice->sendRaw("{\"type\":\"nope\",\"id\":6}")), std::string("unknown_type"));
        QCOMPARE(errorCode(m_alice->sendRaw("{\"type\":\"message.send\",\"id\":7,\"topicId\":\"x\",\"clientMsgId\":\"y\",\"body\":\"\\u0000\"}")),
                 std::string("invalid_request"));
        QCOMPARE(errorCode(m_alice->request("hello", {{"protocol", 1}})), std::string("invalid_request"));
        QVERIFY(isOk(m_alice->request("party.list")));
    }

    void beforeHello_notReady_andWrongProtocol()
    {
        TestClient client;
        QVERIFY(client.open(m_harness.server().webSocketUrl(), m_alice.login.accessToken));
        QCOMPARE(errorCode(client.request("party.list")), std::string("not_ready"));
        QCOMPARE(errorCode(client.request("hello", {{"protocol", 99}})), std::string("protocol_mismatch"));
        QVERIFY(client.hello().is_object());
    }

    void oversizedFrame_closedWith1009()
    {
        Person p = m_harness.reconnect(m_alice);
        QVERIFY(p.ready.is_object());
        const QByteArray huge = "{\"type\":\"party.create\",\"id\":1,\"name\":\"" + QByteArray(70 * 1024, 'a') + "\"}";
        p->sendRaw(huge, 3000);
        QVERIFY(p->waitForClose(5000));
        QCOMPARE(p->closeCode(), 1009);
        QVERIFY(isOk(m_alice->request("party.list")));
    }

    void flood_rateLimited()
    {
        Person p = m_harness.reconnect(m_alice);
        int limited = 0;
        for (int i = 0; i < 120; ++i) {
            if (errorCode(p->request("party.list")) == "rate_limited")
                ++limited;
        }
        QVERIFY2(limited > 0, "120 requests at once must meet the rate limit");
        QVERIFY(p->isOpen());
        QTest::qWait(200);
        QVERIFY(isOk(p->request("party.list")));
    }

    void tooManyConnections_refused()
    {
        // Alice has one open; the limit is 3.
        Person second = m_harness.reconnect(m_alice);
        Person third = m_harness.reconnect(m_alice);
        QVERIFY(second.ready.is_object() && third.ready.is_object());
        TestClient fourth;
        QVERIFY(!fourth.open(m_harness.server().webSocketUrl(), m_alice.login.accessToken));
        third->close();
        QTest::qWait(200);
        TestClient again;
        QVERIFY(again.open(m_harness.server().webSocketUrl(), m_alice.login.accessToken));
    }

    // Connecting and never finishing the upgrade request (slowloris) holds nothing for long: the
    // socket is dropped after the upgrade timeout (10 s), and others are served meanwhile.
    void unfinishedUpgrade_dropped()
    {
        QTcpSocket idle;
        QTcpSocket partial;
        for (QTcpSocket *socket : {&idle, &partial}) {
            socket->connectToHost(QHostAddress::LocalHost, static_cast<quint16>(m_harness.server().webSocketUrl().port()));
            QVERIFY(socket->waitForConnected(5000));
        }
        partial.write("GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n");
        QVERIFY(partial.waitForBytesWritten(5000));
        QElapsedTimer clock;
        clock.start();
        Person carol = m_harness.connect(QStringLiteral("carol"));
        QVERIFY(carol.ready.is_object());
        QVERIFY(QTest::qWaitFor([&] { return idle.state() == QAbstractSocket::UnconnectedState
                                             && partial.state() == QAbstractSocket::UnconnectedState; }, 20000));
        QVERIFY2(clock.elapsed() >= 8000, "dropped before the upgrade timeout");
    }

    void silentPeer_closedAfterIdleTimeout()
    {
        const Login bob = m_harness.server().login(QStringLiteral("bob"));
        RawPeer peer;
        QVERIFY(peer.upgrade(m_harness.server().webSocketUrl(), bob.accessToken));
        // It never answers the server's pings: the idle timeout (3 s here) ends it.
        QVERIFY(peer.waitForDisconnect(10000));
    }
};

QTEST_GUILESS_MAIN(TestE2eLimits)
#include "tst_e2e_limits.moc"
