// SPDX-License-Identifier: GPL-3.0-or-later
// The server stopped under load, cleanly (SIGTERM) and not (SIGKILL), with exact accounting of
// every message afterwards: what was acknowledged is stored once, what was not acknowledged is
// either stored once or not at all and is never acknowledged twice, seqs have no gaps, and what
// each subscriber ends up with (live, then catch-up) is what the database holds, in order.

#include "faultaccounting.h"

using namespace chatterbox::test;

class TestFaultServer : public QObject {
    Q_OBJECT

    Harness m_harness{{QStringLiteral("--max-connections-per-user"), QStringLiteral("50")}};
    Person m_alice;
    std::string m_partyId;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_harness.start());
        m_alice = m_harness.connect(QStringLiteral("alice"));
        QVERIFY(m_alice.ready.is_object());
        m_partyId = Harness::createParty(m_alice, "Faults").partyId;
        QVERIFY(!m_partyId.empty());
    }

    // SIGTERM with sends in flight: the server stops taking requests, finishes the writes it
    // took, answers them, then closes with 1001. Each send is acknowledged or never stored
    // (they were once stored and left unanswered, 18 of 18).
    void sigterm_inFlightSendsAnsweredOrNeverStored()
    {
        for (int round = 0; round < 3; ++round) {
            Person owner = m_harness.reconnect(m_alice);
            const json topic = owner->request("topic.create", {{"partyId", m_partyId}, {"name", "term-" + std::to_string(round)}});
            QVERIFY(isOk(topic));
            const std::string topicId = topic["result"]["topic"]["id"];
            std::vector<Sender> senders(4);
            for (auto &s : senders) {
                s.person = m_harness.reconnect(m_alice);
                QVERIFY(s.person.ready.is_object());
                s.person->replies.clear();   // hello's
                s.post(topicId, uuid());
            }
            // Under way: each sender's first is acknowledged; then 50 more each go out at once,
            // and the stop comes as soon as the server is answering them.
            for (auto &s : senders) {
                QVERIFY(QTest::qWaitFor([&] { return !s.person->replies.isEmpty(); }, 10000));
                QVERIFY2(s.person->replies.front()["type"] == "result", s.person->replies.front().dump().c_str());
                QVERIFY(s.collect());
            }
            for (auto &s : senders) {
                for (int i = 0; i < 50; ++i)
                    s.post(topicId, uuid());
            }
            QVERIFY(QTest::qWaitFor([&] {
                return std::any_of(senders.begin(), senders.end(), [](Sender &s) { return !s.person->replies.isEmpty(); });
            }, 10000));
            QVERIFY2(m_harness.server().terminateAndWait(20000), qPrintable(m_harness.server().output().right(2000)));
            for (auto &s : senders) {
                QVERIFY(s.person->waitForClose(5000));
                QCOMPARE(s.person->closeCode(), 1001);
                QVERIFY(s.collect());
            }
            const Stored db = stored(m_harness.databaseUrl(), topicId);
            int acked = 0;
            for (const auto &s : senders) {
                for (const auto &[clientMsgId, seq] : s.acked) {
                    QCOMPARE(db.seqByClientId.count(clientMsgId), std::size_t(1));
                    QCOMPARE(db.seqByClientId.at(clientMsgId), seq);
                    ++acked;
                }
                for (const auto &clientMsgId : s.unacked())
                    QVERIFY2(!db.seqByClientId.count(clientMsgId), "stored but never acknowledged");
            }
            QCOMPARE(db.rows, acked);
            QVERIFY2(acked > 4, qPrintable(QStringLiteral("%1 acknowledged").arg(acked)));
            qInfo("round %d: %d of %d sends acknowledged before the stop", round, acked, 4 * 51);
            QVERIFY2(m_harness.server().start(), qPrintable(m_harness.server().output()));
            m_alice = m_harness.reconnect(m_alice);
        }
    }

    // SIGKILL under load, twice: senders retry what was not acknowledged with the same ids,
    // subscribers reconnect and sync. Nothing is lost or doubled anywhere.
    void kill9_underLoad_nothingLostOrDoubled()
    {
        Person owner = m_harness.reconnect(m_alice);
        const json topic = owner->request("topic.create", {{"partyId", m_partyId}, {"name", "killed"}});
        QVERIFY(isOk(topic));
        const std::string topicId = topic["result"]["topic"]["id"];
        Person bobSetup = m_harness.connect(QStringLiteral("bob"));
        QVERIFY(Harness::join(m_alice, m_partyId, bobSetup));

        std::vector<Sender> senders(3);
        for (auto &s : senders) {
            s.person = m_harness.reconnect(m_alice);
            s.person->replies.clear();   // hello's
        }
        struct Subscriber {
            Person person;
            std::vector<json> live;                  // message.created as delivered, across connections
            std::map<std::int64_t, json> held;       // seq -> message, live and caught up
        };
        std::vector<Subscriber> subscribers(2);
        for (auto &sub : subscribers)
            sub.person = m_harness.reconnect(bobSetup);
        const auto takeLive = [&](Subscriber &sub) {
            for (const json &e : sub.person->events) {
                if (e["event"] == "message.created" && e["data"]["message"]["topicId"] == topicId) {
                    sub.live.push_back(e["data"]["message"]);
                    sub.held[e["data"]["message"]["seq"].get<std::int64_t>()] = e["data"]["message"];
                }
            }
            sub.person->events.clear();
        };

        for (int round = 0; round < 2; ++round) {
            for (int i = 0; i < 40; ++i) {
                for (auto &s : senders)
                    s.post(topicId, uuid());
                QTest::qWait(5);
            }
            QVERIFY(QTest::qWaitFor([&] { return std::any_of(senders.begin(), senders.end(), [](Sender &s) {
                return !s.person->replies.isEmpty(); }); }, 10000));
            m_harness.server().kill();
            for (auto &s : senders) {
                QVERIFY(s.person->waitForClose(10000));
                QVERIFY(s.collect());
            }
            for (auto &sub : subscribers) {
                QVERIFY(sub.person->waitForClose(10000));
                takeLive(sub);
            }
            QVERIFY2(m_harness.server().start(), qPrintable(m_harness.server().output()));
            // The outbox: everything not acknowledged goes again, with the same id.
            for (auto &s : senders) {
                s.person = m_harness.reconnect(s.person);
                QVERIFY(s.person.ready.is_object());
                s.person->replies.clear();   // hello's
                s.inFlight.clear();
                for (const auto &clientMsgId : s.unacked())
                    s.post(topicId, clientMsgId);
            }
            for (auto &sub : subscribers) {
                sub.person = m_harness.reconnect(sub.person);
                QVERIFY(sub.person.ready.is_object());
            }
        }
        for (auto &s : senders) {
            QVERIFY(QTest::qWaitFor([&] { return s.collect() && s.unacked().empty(); }, 20000));
        }

        const Stored db = stored(m_harness.databaseUrl(), topicId);
        std::size_t sent = 0;
        for (const auto &s : senders) {
            sent += s.all.size();
            for (const auto &[clientMsgId, seq] : s.acked)
                QCOMPARE(db.seqByClientId.at(clientMsgId), seq);
        }
        QCOMPARE(std::size_t(db.rows), sent);   // every send stored exactly once
        for (std::size_t i = 0; i < db.seqs.size(); ++i)
            QCOMPARE(db.seqs[i], std::int64_t(i + 1));   // no gap

        for (auto &sub : subscribers) {
            takeLive(sub);
            std::set<std::int64_t> seen;
            for (const json &m : sub.live)
                QVERIFY2(seen.insert(m["seq"].get<std::int64_t>()).second, "a message delivered live twice");
            // Catch up from what it holds, as the app does, until nothing more.
            std::int64_t afterSeq = sub.held.empty() ? 0 : sub.held.rbegin()->first;
            for (int page = 0; page < 50; ++page) {
                const json sync = sub.person->request("message.sync", {{"topics", {{{"topicId", topicId}, {"afterSeq", afterSeq}}}}});
                QVERIFY(isOk(sync));
                for (const json &m : sync["result"]["topics"][0]["messages"]) {
                    sub.held[m["seq"].get<std::int64_t>()] = m;
                    afterSeq = std::max(afterSeq, m["seq"].get<std::int64_t>());
                }
                if (!sync["result"]["topics"][0]["hasMore"].get<bool>())
                    break;
            }
            // Gaps left by the kills are filled from history, as the app fills them.
            std::vector<std::int64_t> missing;
            for (std::int64_t seq = 1; seq <= afterSeq; ++seq) {
                if (!sub.held.count(seq))
                    missing.push_back(seq);
            }
            for (const std::int64_t seq : missing) {
                const json page = sub.person->request("message.history", {{"topicId", topicId}, {"afterSeq", seq - 1}, {"limit", 1}});
                QVERIFY(isOk(page));
                for (const json &m : page["result"]["messages"])
                    sub.held[m["seq"].get<std::int64_t>()] = m;
            }
            QCOMPARE(sub.held.size(), std::size_t(db.rows));
            for (const auto &[seq, m] : sub.held)
                QCOMPARE(db.seqByClientId.at(m["clientMsgId"].get<std::string>()), seq);
        }
    }
};

QTEST_GUILESS_MAIN(TestFaultServer)
#include "tst_fault_server.moc"
