// A client that stops reading is dropped once its unsent queue passes the limit, and the
// people it shares a party with go on being served.

#include "e2efixture.h"
#include "rawpeer.h"

using namespace chatterbox::test;

class TestE2eSlowConsumer : public QObject {
    Q_OBJECT

    Harness m_harness{{QStringLiteral("--max-send-queue-bytes"), QStringLiteral("65536")}};

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_harness.start()); }

    void stalledReader_dropped_othersServed()
    {
        Person alice = m_harness.connect(QStringLiteral("alice"));
        const auto [partyId, topicId] = Harness::createParty(alice, "Firehose");
        Person carolSetup = m_harness.connect(QStringLiteral("carol"));
        QVERIFY(Harness::join(alice, partyId, carolSetup));
        const Login carol = carolSetup.login;
        Person bob = m_harness.connect(QStringLiteral("bob"));
        QVERIFY(Harness::join(alice, partyId, bob));
        bob = m_harness.reconnect(bob);

        RawPeer carolPeer;
        QVERIFY(carolPeer.upgrade(m_harness.server().webSocketUrl(), carol.accessToken, 4096));
        carolPeer.sendText("{\"type\":\"hello\",\"id\":1,\"protocol\":1}");
        QVERIFY(QTest::qWaitFor([&] { return carolPeer.m_socket.bytesAvailable() > 0; }, 5000)); // her ready

        // Carol reads nothing from here on. Alice posts from several connections (each has its
        // own rate budget) until the server gives up on carol.
        std::vector<Person> senders;
        for (int i = 0; i < 8; ++i)
            senders.push_back(m_harness.reconnect(alice));
        const std::string body(3900, 'x');
        const auto dropped = [&] {
            return m_harness.server().http("GET", QStringLiteral("/metrics")).second.contains("chatterbox_slow_consumers_closed_total 1");
        };
        QElapsedTimer timer;
        timer.start();
        int sent = 0;
        bool gone = false;
        while (!gone && timer.elapsed() < 60000) {
            for (int burst = 0; burst < 10; ++burst) {
                for (auto &s : senders)
                    s->request("message.send", {{"topicId", topicId}, {"clientMsgId", uuid()}, {"body", body}}, 0);
                sent += int(senders.size());
                QTest::qWait(50);
            }
            gone = dropped();
        }
        QVERIFY2(gone, qPrintable(QStringLiteral("not dropped after %1 messages").arg(sent)));
        // Once carol reads again she finds the connection ended.
        carolPeer.m_socket.setReadBufferSize(0);
        QVERIFY(QTest::qWaitFor([&] {
            carolPeer.m_socket.readAll();
            return carolPeer.m_socket.state() == QAbstractSocket::UnconnectedState;
        }, 15000));

        // Bob, who reads, got every message in order; alice can still talk.
        const json ack = alice->request("message.send", {{"topicId", topicId}, {"clientMsgId", uuid()}, {"body", "still here"}});
        QVERIFY(isOk(ack));
        const int last = ack["result"]["message"]["seq"].get<int>();
        QVERIFY(bob->waitForEvent("message.created", [&](const json &d) { return d["message"]["seq"] == last; }, 30000));
        int expected = 1;
        for (const auto &e : bob->events) {
            if (e["event"] == "message.created")
                QCOMPARE(e["data"]["message"]["seq"].get<int>(), expected++);
        }
    }
};

QTEST_GUILESS_MAIN(TestE2eSlowConsumer)
#include "tst_e2e_slowconsumer.moc"
