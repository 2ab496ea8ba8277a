// SPDX-License-Identifier: GPL-3.0-or-later
// Hostile and careless clients: no token, bad frames, oversized frames, floods, too many
// connections, silent peers and peers that stop reading. Each gets a clear answer or a documented
// close code, and the server carries on serving everyone else.

#include "e2efixture.h"

#include "rawpeer.h"
#include "shared/limits.h"

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

    void invisibleNamesAndBodies_refused_andChangeNothing()
    {
        // Three zero-width spaces, a bidi override with its pop, a byte order mark: nothing to see.
        const std::string zeroWidth = "\xe2\x80\x8b\xe2\x80\x8b\xe2\x80\x8b";
        const std::string overridePop = "\xe2\x80\xae\xe2\x80\xac";
        QCOMPARE(errorCode(m_alice->request("party.create", {{"name", zeroWidth}})), std::string("invalid_request"));
        QCOMPARE(errorCode(m_alice->request("profile.update", {{"displayName", overridePop}})), std::string("invalid_request"));
        const auto party = Harness::createParty(m_alice, "Visible Club");
        QCOMPARE(errorCode(m_alice->request("message.send", {{"topicId", party.topicId}, {"clientMsgId", uuid()}, {"body", "\xef\xbb\xbf \xc2\xa0"}})),
                 std::string("invalid_request"));
        const auto [status, body] = m_harness.server().http("POST", QStringLiteral("/auth/dev"), QByteArray::fromStdString(json{{"name", zeroWidth}}.dump()));
        QCOMPARE(status, 400);
        // Nothing was stored.
        pqxx::connection c(m_harness.databaseUrl());
        pqxx::work tx(c);
        QCOMPARE(tx.exec_params1("SELECT count(*) FROM messages WHERE topic_id = $1", party.topicId)[0].as<int>(), 0);
        QCOMPARE(tx.exec_params1("SELECT count(*) FROM users WHERE display_name = $1", overridePop)[0].as<int>(), 0);
        QCOMPARE(tx.exec_params1("SELECT count(*) FROM parties WHERE name = $1", zeroWidth)[0].as<int>(), 0);
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

    // Requests pipelined right after hello are served after its reply, however quickly
    // the snapshot is read; no event, not even the person's own coming online, comes before it.
    void pipelinedAfterHello_servedAfterReady_eventsAfterIt()
    {
        for (int round = 0; round < 20; ++round) {
            TestClient client;
            QVERIFY(client.open(m_harness.server().webSocketUrl(), m_alice.login.accessToken));
            const std::int64_t hello = client.post("hello", {{"protocol", 1}});
            const std::int64_t list = client.post("party.list");
            const std::int64_t presence = client.post("presence.set", {{"status", "online"}});
            QVERIFY(QTest::qWaitFor([&] { return client.replies.size() >= 3; }, 10000));
            QCOMPARE(client.received.front()["type"].get<std::string>(), std::string("result"));
            QCOMPARE(client.received.front()["id"].get<std::int64_t>(), hello);
            QCOMPARE(client.received.front()["result"]["presence"].value(m_alice.login.userId, std::string()), std::string("online"));
            // Replies may come in any order (protocol.md); each is a result.
            for (const std::int64_t id : {list, presence}) {
                const auto reply = std::find_if(client.replies.begin(), client.replies.end(), [&](const json &r) { return r["id"] == id; });
                QVERIFY(reply != client.replies.end());
                QVERIFY2(isOk(*reply), reply->dump().c_str());
            }
        }
        // Before hello it is still not_ready.
        TestClient early;
        QVERIFY(early.open(m_harness.server().webSocketUrl(), m_alice.login.accessToken));
        QCOMPARE(errorCode(early.request("party.list")), std::string("not_ready"));
    }

    void oversizedFrame_closedWith1009()
    {
        Person p = m_harness.reconnect(m_alice);
        QVERIFY(p.ready.is_object());
        const QByteArray huge = "{\"type\":\"party.create\",\"id\":1,\"name\":\"" + QByteArray(qsizetype(chatterbox::limits::kMaxMessageBytes) + 1024, 'a') + "\"}";
        p->sendRaw(huge, 3000);
        QVERIFY(p->waitForClose(5000));
        QCOMPARE(p->closeCode(), 1009);
        QVERIFY(isOk(m_alice->request("party.list")));
    }

    // What RFC 6455 forbids ends the connection with the RFC's close code, then the server ends
    // the TCP connection itself; everyone else carries on.
    void framingViolations_closedWithRfcCodes_data()
    {
        QTest::addColumn<char>("first");
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<bool>("masked");
        QTest::addColumn<int>("code");
        QTest::newRow("unmasked") << char(0x81) << QByteArray("{}") << false << 1002;
        QTest::newRow("reserved bit") << char(0xC1) << QByteArray("{}") << true << 1002;
        QTest::newRow("unknown opcode") << char(0x83) << QByteArray("{}") << true << 1002;
        QTest::newRow("continuation first") << char(0x80) << QByteArray("{}") << true << 1002;
        QTest::newRow("fragmented ping") << char(0x09) << QByteArray("p") << true << 1002;
        QTest::newRow("not UTF-8") << char(0x81) << QByteArray("{\"type\":\"caf\xc3\"}") << true << 1007;
        QTest::newRow("binary") << char(0x82) << QByteArray("\x01\x02") << true << 4000;
    }

    void framingViolations_closedWithRfcCodes()
    {
        QFETCH(char, first);
        QFETCH(QByteArray, payload);
        QFETCH(bool, masked);
        QFETCH(int, code);
        RawPeer peer;
        QVERIFY(peer.upgrade(m_harness.server().webSocketUrl(), m_harness.server().login(QStringLiteral("dave")).accessToken));
        peer.sendFrame(first, payload, masked);
        QCOMPARE(peer.readUntilClose(), code);
        if (code == 4000)
            peer.sendFrame(char(0x88), QByteArray("\x0f\xa0", 2));   // answer the close, as a client should
        QVERIFY(peer.waitForDisconnect(5000));
        QVERIFY(isOk(m_alice->request("party.list")));
    }

    void pingAnswered_fragmentsReassembled_closeAnswered()
    {
        RawPeer peer;
        QVERIFY(peer.upgrade(m_harness.server().webSocketUrl(), m_harness.server().login(QStringLiteral("dave")).accessToken));
        peer.sendFrame(char(0x89), "are you there");
        RawPeer::ServerFrame pong = peer.readFrame();
        QCOMPARE(pong.opcode, 0xA);
        QCOMPARE(pong.payload, QByteArray("are you there"));
        // A request in three fragments, with a ping between them.
        peer.sendFrame(char(0x01), "{\"type\":\"party");
        peer.sendFrame(char(0x89), "mid");
        peer.sendFrame(char(0x00), ".list\",");
        peer.sendFrame(char(0x80), "\"id\":42}");
        QCOMPARE(peer.readFrame().opcode, 0xA);
        const RawPeer::ServerFrame reply = peer.readFrame();
        QCOMPARE(reply.opcode, 0x1);
        const auto json = nlohmann::json::parse(reply.payload.toStdString());
        QCOMPARE(json.value("id", 0), 42);
        QCOMPARE(errorCode(json), std::string("not_ready"));
        // The client closes: the server answers with the same code and ends the connection.
        peer.sendFrame(char(0x88), QByteArray("\x03\xe8", 2));
        QCOMPARE(peer.readUntilClose(), 1000);
        QVERIFY(peer.waitForDisconnect(5000));
    }

    void badUpgradeRequests_plainHttpErrors()
    {
        const QUrl url = m_harness.server().webSocketUrl();
        const QByteArray token = m_alice.login.accessToken;
        const QByteArray start = "GET / HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token + "\r\n";
        const QByteArray upgrade = "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
        RawPeer oldVersion;
        const QByteArray version = oldVersion.upgradeWith(url, start + upgrade + "Sec-WebSocket-Version: 8\r\n\r\n");
        QVERIFY2(version.startsWith("HTTP/1.1 426 ") && version.contains("Sec-WebSocket-Version: 13\r\n"), version.constData());
        RawPeer plain;
        QVERIFY(plain.upgradeWith(url, start + "\r\n").startsWith("HTTP/1.1 400 "));
        RawPeer huge;
        QVERIFY(huge.upgradeWith(url, start + "X-Filler: " + QByteArray(9000, 'a') + "\r\n\r\n").startsWith("HTTP/1.1 431 "));
        RawPeer garbage;
        QVERIFY(garbage.upgradeWith(url, QByteArray("\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\r\n\r\n", 13)).startsWith("HTTP/1.1 400 "));
        for (RawPeer *peer : {&oldVersion, &plain, &huge, &garbage})
            QVERIFY(peer->waitForDisconnect(5000));
        QVERIFY(isOk(m_alice->request("party.list")));
    }

    // RFC 9110 11.1: the scheme is case-insensitive. And one Authorization header only: with two,
    // a proxy in front may have checked the other one.
    void authorizationHeader_anyCase_once()
    {
        const QUrl url = m_harness.server().webSocketUrl();
        const QByteArray token = m_alice.login.accessToken;
        const QByteArray upgrade = "GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                   "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";
        for (const QByteArray &scheme : QByteArrayList{"Bearer", "bearer", "BEARER", "bEaReR"}) {
            RawPeer peer;
            const QByteArray answer = peer.upgradeWith(url, upgrade + "Authorization: " + scheme + " " + token + "\r\n\r\n");
            QVERIFY2(answer.startsWith("HTTP/1.1 101 "), (scheme + ": " + answer).constData());
        }
        for (const QByteArray &bad : {QByteArray("Basic ") + token, QByteArray("Bearer"), QByteArray("Bearer "),
                                     QByteArray("Bearer") + token, QByteArray("Bearerx ") + token, token}) {
            RawPeer peer;
            const QByteArray answer = peer.upgradeWith(url, upgrade + "Authorization: " + bad + "\r\n\r\n");
            QVERIFY2(answer.startsWith("HTTP/1.1 401 "), (bad.left(20) + ": " + answer).constData());
        }
        const QByteArray good = "Authorization: Bearer " + token + "\r\n";
        for (const QByteArray &twice : {good + good, good + "Authorization: Bearer forged\r\n",
                                        "authorization: Bearer forged\r\n" + good}) {
            RawPeer peer;
            const QByteArray answer = peer.upgradeWith(url, upgrade + twice + "\r\n");
            QVERIFY2(answer.startsWith("HTTP/1.1 400 ") && answer.contains("one Authorization header"), answer.constData());
        }
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

    // A flood closes the connection with 4004, but what it was already given stays given: each
    // send it took before is answered first (they were once lost with the close), and stored
    // exactly when it was acknowledged.
    void flood_closed4004_afterAnsweringWhatItTook()
    {
        Person p = m_harness.reconnect(m_alice);
        const auto [partyId, topicId] = Harness::createParty(p, "Flood");
        QVERIFY(!topicId.empty());
        QTest::qWait(3000);   // a full bucket again
        std::vector<std::pair<std::int64_t, std::string>> sends;
        for (int i = 0; i < 50; ++i) {
            const std::string clientMsgId = uuid();
            sends.emplace_back(p->post("message.send", {{"topicId", topicId}, {"clientMsgId", clientMsgId}, {"body", "n" + std::to_string(i)}}),
                               clientMsgId);
        }
        for (int i = 0; i < 200; ++i)
            p->post("party.list");
        QVERIFY(p->waitForClose(15000));
        QCOMPARE(p->closeCode(), 4004);
        int acknowledged = 0;
        for (const auto &[id, clientMsgId] : sends) {
            const auto reply = std::find_if(p->replies.begin(), p->replies.end(), [&](const json &r) { return r["id"] == id; });
            QVERIFY2(reply != p->replies.end(), qPrintable(QStringLiteral("send %1 was never answered").arg(id)));
            if ((*reply)["type"] == "result")
                ++acknowledged;
        }
        QCOMPARE(acknowledged, 50);
        pqxx::connection db(m_harness.databaseUrl());
        pqxx::work tx(db);
        QCOMPARE(tx.exec_params1("SELECT count(*) FROM messages WHERE topic_id = $1", topicId)[0].as<int>(), acknowledged);
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
