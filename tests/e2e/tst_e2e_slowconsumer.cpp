// SPDX-License-Identifier: GPL-3.0-or-later
// A client that stops reading is dropped once it has left what it was sent unread too long, and
// the people it shares a party with go on being served; a client that reads is never dropped,
// however large what it asks for: history and sync replies are paged by size as well as count,
// and each fits in the 1 MiB many WebSocket libraries accept by default.

#include "e2efixture.h"
#include "rawpeer.h"

using namespace chatterbox::test;

namespace {

constexpr qint64 kOneMiB = 1024 * 1024;

// Every message.sync reply until the topic has no more, going on from the newest seq and rev
// each brought, as protocol.md says; the messages in the order received.
std::vector<json> syncAll(TestClient &client, const std::string &topicId, int &rounds)
{
    std::vector<json> got;
    std::int64_t afterSeq = 0;
    std::int64_t afterRev = 0;
    for (rounds = 1; rounds < 100; ++rounds) {
        const json reply = client.request("message.sync",
                                          {{"topics", {{{"topicId", topicId}, {"afterSeq", afterSeq}, {"afterRev", afterRev}}}}}, 30000);
        if (!isOk(reply) || reply.dump().size() > std::size_t(kOneMiB))
            return {};
        const json &topic = reply["result"]["topics"][0];
        for (const json &m : topic["messages"]) {
            got.push_back(m);
            afterSeq = std::max(afterSeq, m["seq"].get<std::int64_t>());
            afterRev = std::max(afterRev, m["rev"].get<std::int64_t>());
        }
        if (!topic["hasMore"].get<bool>())
            return got;
    }
    return {};
}

bool seqsAreOneTo(const std::vector<json> &messages, int count)
{
    std::vector<int> seqs;
    for (const json &m : messages)
        seqs.push_back(m["seq"].get<int>());
    std::sort(seqs.begin(), seqs.end());
    if (int(seqs.size()) != count)
        return false;
    for (int i = 0; i < count; ++i) {
        if (seqs[std::size_t(i)] != i + 1)
            return false;
    }
    return true;
}

} // namespace

class TestE2eSlowConsumer : public QObject {
    Q_OBJECT

    Harness m_harness{{QStringLiteral("--slow-consumer-timeout"), QStringLiteral("3"),
                       QStringLiteral("--max-connections-per-user"), QStringLiteral("30")}};

    bool slowConsumersClosed(int n)
    {
        return m_harness.server().http("GET", QStringLiteral("/metrics")).second.contains(
            QByteArray("chatterbox_slow_consumers_closed_total ") + QByteArray::number(n) + '\n');
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_harness.start()); }

    // 500 messages of 4,000 emoji are 8.2 MB: once a single sync reply that closed its reader
    // with 4003, every time, and a reader that reconnected and synced again looped.
    void largeHistory_pagedBySize_readerNeverDropped()
    {
        Person alice = m_harness.connect(QStringLiteral("alice"));
        const auto [partyId, topicId] = Harness::createParty(alice, "Emoji wall");
        QVERIFY(!topicId.empty());
        std::string body;
        for (int i = 0; i < 4000; ++i)
            body += "\xF0\x9F\x98\x80";   // U+1F600
        std::vector<Person> senders;
        for (int i = 0; i < 10; ++i)
            senders.push_back(m_harness.reconnect(alice));
        for (auto &sender : senders) {
            for (int i = 0; i < 50; ++i)
                QVERIFY(isOk(sender->request("message.send", {{"topicId", topicId}, {"clientMsgId", uuid()}, {"body", body}})));
        }

        TestClient reader;
        reader.limitIncomingMessageBytes(kOneMiB);
        QVERIFY(reader.open(m_harness.server().webSocketUrl(), alice.login.accessToken));
        QVERIFY(reader.hello().is_object());

        int rounds = 0;
        const std::vector<json> synced = syncAll(reader, topicId, rounds);
        QVERIFY2(seqsAreOneTo(synced, 500), qPrintable(QStringLiteral("sync brought %1 messages").arg(synced.size())));
        QVERIFY2(rounds >= 9, qPrintable(QStringLiteral("%1 rounds for 8 MB").arg(rounds)));

        // History, newest page first, then older ones: each under 1 MiB, all 500 once.
        std::vector<json> paged;
        json page = reader.request("message.history", {{"topicId", topicId}, {"limit", 100}}, 30000);
        for (int n = 0; isOk(page) && n < 100; ++n) {
            QVERIFY(page.dump().size() <= std::size_t(kOneMiB));
            const json &messages = page["result"]["messages"];
            QVERIFY(!messages.empty());
            paged.insert(paged.end(), messages.begin(), messages.end());
            if (!page["result"]["hasMore"].get<bool>())
                break;
            page = reader.request("message.history", {{"topicId", topicId}, {"limit", 100}, {"beforeSeq", messages[0]["seq"]}}, 30000);
        }
        QVERIFY2(seqsAreOneTo(paged, 500), qPrintable(QStringLiteral("history brought %1 messages").arg(paged.size())));

        // Many large replies at once, to a client that reads them: all answered, still open.
        std::vector<std::int64_t> ids;
        for (int i = 0; i < 20; ++i)
            ids.push_back(reader.post("message.history", {{"topicId", topicId}, {"limit", 100}, {"beforeSeq", 500 - i}}));
        QVERIFY(QTest::qWaitFor([&] {
            return std::all_of(ids.begin(), ids.end(), [&](std::int64_t id) {
                return std::any_of(reader.replies.begin(), reader.replies.end(),
                                   [&](const json &r) { return r["id"] == id && r["type"] == "result"; });
            });
        }, 60000));
        QVERIFY(reader.isOpen());
        QCOMPARE(reader.closeCode(), -1);
        QVERIFY(slowConsumersClosed(0));
    }

    // The documented 1,000 topics, with the largest seqs and revs a client could name, fit in
    // one request frame (1,000 positions once needed 84 KB of a 64 KiB frame and closed 1009).
    void sync_thousandTopicsInOneRequest()
    {
        Person alice = m_harness.connect(QStringLiteral("alice"));
        std::vector<std::string> topics;
        // The topics are written straight into the database: making 998 through the protocol
        // would only test topic.create, and slowly.
        for (int p = 0; p < 2; ++p) {
            const auto [partyId, general] = Harness::createParty(alice, "Many topics " + std::to_string(p));
            QVERIFY(!general.empty());
            topics.push_back(general);
            pqxx::connection db(m_harness.databaseUrl());
            pqxx::work tx(db);
            for (const auto &row : tx.exec_params("INSERT INTO topics (party_id, name, position)"
                                                  " SELECT $1, 't' || n, n FROM generate_series(1, 499) AS n RETURNING id",
                                                  partyId))
                topics.push_back(row[0].as<std::string>());
            tx.commit();
        }
        QCOMPARE(topics.size(), std::size_t(1000));
        json positions = json::array();
        for (const auto &id : topics)
            positions.push_back({{"topicId", id}, {"afterSeq", INT64_MAX}, {"afterRev", INT64_MAX}});
        const json frame = {{"type", "message.sync"}, {"id", 1}, {"topics", positions}};
        QVERIFY2(frame.dump().size() > 100 * 1024, "the request should be as large as it gets");
        const json reply = alice->request("message.sync", {{"topics", positions}}, 30000);
        QVERIFY2(isOk(reply), reply.dump().substr(0, 300).c_str());
        QCOMPARE(reply["result"]["topics"].size(), std::size_t(1000));
        QVERIFY(alice->isOpen());
    }

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
        // own rate budget) until the server gives up on carol: her kernel buffers fill, and
        // then what waits for her waits longer than the 3 s the server was given.
        std::vector<Person> senders;
        for (int i = 0; i < 8; ++i)
            senders.push_back(m_harness.reconnect(alice));
        const std::string body(3900, 'x');
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
            gone = slowConsumersClosed(1);
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
