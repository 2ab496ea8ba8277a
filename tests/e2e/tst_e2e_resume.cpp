// SPDX-License-Identifier: GPL-3.0-or-later
// A client that comes back says where it was and gets exactly what it missed: no gap, no
// duplicate, edits and deletes of older messages included; across a server restart too.

#include "e2efixture.h"

#include <set>

using namespace chatterbox::test;

class TestE2eResume : public QObject {
    Q_OBJECT

    Harness m_harness;
    Person m_alice, m_bob;
    std::string m_partyId, m_topicId;

    std::string send(const std::string &body)
    {
        const json reply = m_alice->request("message.send", {{"topicId", m_topicId}, {"clientMsgId", uuid()}, {"body", body}});
        return isOk(reply) ? reply["result"]["message"]["id"].get<std::string>() : std::string();
    }

    // What bob holds: the newest seq and rev he has seen in live events.
    std::pair<int, int> position(const TestClient &client)
    {
        int seq = 0, rev = 0;
        for (const auto &e : client.events) {
            if (e["event"] == "message.created" || e["event"] == "message.updated" || e["event"] == "message.deleted") {
                seq = std::max(seq, e["data"]["message"]["seq"].get<int>());
                rev = std::max(rev, e["data"]["message"]["rev"].get<int>());
            }
        }
        return {seq, rev};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_harness.start());
        m_alice = m_harness.connect(QStringLiteral("alice"));
        const auto ids = Harness::createParty(m_alice, "Resumers");
        m_partyId = ids.partyId;
        m_topicId = ids.topicId;
        m_bob = m_harness.connect(QStringLiteral("bob"));
        QVERIFY(Harness::join(m_alice, m_partyId, m_bob));
    }

    void reconnect_withLastSeq_getsExactlyWhatWasMissed()
    {
        std::vector<std::string> early;
        for (int i = 1; i <= 10; ++i)
            early.push_back(send("before " + std::to_string(i)));
        QVERIFY(m_bob->waitForEvent("message.created", [](const json &d) { return d["message"]["seq"] == 10; }));
        const auto [seq, rev] = position(*m_bob.client);
        QCOMPARE(seq, 10);

        // Bob drops off. While he is away: new messages, an edit and a delete of old ones.
        m_bob->abort();
        for (int i = 11; i <= 17; ++i)
            send("while away " + std::to_string(i));
        QVERIFY(isOk(m_alice->request("message.edit", {{"messageId", early[2]}, {"body", "before 3 (edited)"}})));
        QVERIFY(isOk(m_alice->request("message.delete", {{"messageId", early[4]}})));

        m_bob = m_harness.reconnect(m_bob);
        QVERIFY(m_bob.ready.is_object());
        QCOMPARE(m_bob.ready["parties"][0]["topics"][0]["lastSeq"].get<int>(), 17);
        const json sync = m_bob->request("message.sync", {{"topics", {{{"topicId", m_topicId}, {"afterSeq", seq}, {"afterRev", rev}}}}});
        QVERIFY(isOk(sync));
        const auto &messages = sync["result"]["topics"][0]["messages"];
        std::vector<int> seqs;
        for (const auto &m : messages)
            seqs.push_back(m["seq"].get<int>());
        QCOMPARE(seqs, (std::vector<int>{3, 5, 11, 12, 13, 14, 15, 16, 17}));
        QCOMPARE(messages[0]["body"].get<std::string>(), std::string("before 3 (edited)"));
        QVERIFY(messages[1]["deleted"].get<bool>());
        QVERIFY(!sync["result"]["topics"][0]["hasMore"].get<bool>());
        // And live delivery picks up after that, with nothing replayed twice.
        send("back again");
        const auto live = m_bob->waitForEvent("message.created");
        QVERIFY(live);
        QCOMPARE((*live)["message"]["seq"].get<int>(), 18);
        QVERIFY(m_bob->noEvent("message.created", 300));
    }

    void serverRestart_historyAndSyncSurvive()
    {
        const auto [seq, rev] = position(*m_bob.client);
        m_harness.server().stop();
        QVERIFY(m_bob->waitForClose(5000));
        QCOMPARE(m_bob->closeCode(), 1001);
        QVERIFY(m_harness.server().start());
        m_alice = m_harness.reconnect(m_alice);
        QVERIFY(m_alice.ready.is_object());
        send("after restart");
        m_bob = m_harness.reconnect(m_bob);
        const json sync = m_bob->request("message.sync", {{"topics", {{{"topicId", m_topicId}, {"afterSeq", seq}, {"afterRev", rev}}}}});
        QVERIFY(isOk(sync));
        QCOMPARE(int(sync["result"]["topics"][0]["messages"].size()), 1);
        QCOMPARE(sync["result"]["topics"][0]["messages"][0]["body"].get<std::string>(), std::string("after restart"));
        QCOMPARE(sync["result"]["topics"][0]["messages"][0]["seq"].get<int>(), seq + 1);
    }

    void eventsDuringHello_neitherLostNorDoubled()
    {
        // A connection that says hello while messages are flowing must get each message once:
        // in its snapshot (lastSeq) or as an event after it, never both, never neither.
        std::vector<std::unique_ptr<TestClient>> late;
        const auto base = m_harness.reconnect(m_alice).ready["parties"][0]["topics"][0]["lastSeq"].get<int>();
        for (int round = 0; round < 5; ++round) {
            auto client = std::make_unique<TestClient>();
            QVERIFY(client->open(m_harness.server().webSocketUrl(), m_bob.login.accessToken));
            // Send a message, then hello without waiting for the ack, then another.
            m_alice->request("message.send", {{"topicId", m_topicId}, {"clientMsgId", uuid()}, {"body", "race a"}}, 0);
            const json ready = client->hello();
            QVERIFY(ready.is_object());
            const int snapshotSeq = ready["parties"][0]["topics"][0]["lastSeq"].get<int>();
            send("race b");
            const int newest = base + 2 * (round + 1);
            QVERIFY(client->waitForEvent("message.created", [&](const json &d) { return d["message"]["seq"] == newest; }));
            std::set<int> seen;
            for (const auto &e : client->events) {
                if (e["event"] == "message.created") {
                    const int s = e["data"]["message"]["seq"].get<int>();
                    QVERIFY2(seen.insert(s).second, "an event arrived twice");
                    QVERIFY2(s > snapshotSeq, "an event repeated what the snapshot held");
                }
            }
            QCOMPARE(int(seen.size()), newest - snapshotSeq);
            late.push_back(std::move(client));
        }
    }
};

QTEST_GUILESS_MAIN(TestE2eResume)
#include "tst_e2e_resume.moc"
