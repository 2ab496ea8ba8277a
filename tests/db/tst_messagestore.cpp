// SPDX-License-Identifier: GPL-3.0-or-later
// Messages in PostgreSQL: gapless per-topic seq under concurrent senders, idempotent retries,
// keyset pagination and catch-up, all through the real handlers on a real database.

#include "dbfixture.h"

#include <QTest>

#include <set>
#include <thread>

using namespace chatterbox;
using namespace chatterbox::server;
using protocol::FetchHistory;
using protocol::SendMessage;

class TestMessageStore : public QObject {
    Q_OBJECT

    test::TestDatabase m_db;
    std::string m_alice, m_bob, m_mallory;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_db.isValid(), qPrintable(m_db.error()));
        QVERIFY2(m_db.migrate(), qPrintable(m_db.error()));
        m_alice = test::createUser(m_db.url(), "Alice");
        m_bob = test::createUser(m_db.url(), "Bob");
        m_mallory = test::createUser(m_db.url(), "Mallory");
    }

    void concurrentSenders_seqGaplessAndUnique()
    {
        pqxx::connection setup(m_db.url());
        const auto [partyId, topicId] = test::makeParty(setup, m_alice, {m_bob});
        constexpr int kThreads = 8;
        constexpr int kEach = 40;
        std::atomic<int> failures{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&, t] {
                pqxx::connection c(m_db.url());
                for (int i = 0; i < kEach; ++i) {
                    const auto o = test::run(c, handlers::sendMessage, t % 2 ? m_alice : m_bob,
                                             SendMessage{topicId, test::newUuid(), "message " + std::to_string(i)});
                    if (!o.ok())
                        ++failures;
                }
            });
        }
        for (auto &t : threads)
            t.join();
        QCOMPARE(failures.load(), 0);
        pqxx::work tx(setup);
        const auto rows = tx.exec_params("SELECT seq FROM messages WHERE topic_id = $1 ORDER BY seq", topicId);
        QCOMPARE(int(rows.size()), kThreads * kEach);
        for (int i = 0; i < int(rows.size()); ++i)
            QCOMPARE(rows[i][0].as<int>(), i + 1);
        QCOMPARE(tx.exec_params1("SELECT last_seq FROM topics WHERE id = $1", topicId)[0].as<int>(), kThreads * kEach);
    }

    void retry_sameClientId_returnsOriginal()
    {
        pqxx::connection c(m_db.url());
        const auto [partyId, topicId] = test::makeParty(c, m_alice);
        const std::string clientId = test::newUuid();
        const auto first = test::run(c, handlers::sendMessage, m_alice, SendMessage{topicId, clientId, "once"});
        QVERIFY(first.ok());
        QCOMPARE(first.events.size(), std::size_t(1));
        const auto retry = test::run(c, handlers::sendMessage, m_alice, SendMessage{topicId, clientId, "once"});
        QVERIFY(retry.ok());
        QCOMPARE(QString::fromStdString(retry.resultJson()["message"]["id"].dump()), QString::fromStdString(first.resultJson()["message"]["id"].dump()));
        QCOMPARE(QString::fromStdString(retry.resultJson()["message"]["seq"].dump()), QString::fromStdString(first.resultJson()["message"]["seq"].dump()));
        QVERIFY2(retry.events.empty(), "a retry must not announce the message again");
        // The seq after the retry continues with no gap.
        const auto next = test::run(c, handlers::sendMessage, m_alice, SendMessage{topicId, test::newUuid(), "twice"});
        QCOMPARE(next.resultJson()["message"]["seq"].get<int>(), first.resultJson()["message"]["seq"].get<int>() + 1);
        pqxx::work tx(c);
        QCOMPARE(tx.exec_params1("SELECT count(*) FROM messages WHERE topic_id = $1", topicId)[0].as<int>(), 2);
    }

    // Many sends as one statement (what the writer does with neighbouring sends): each gets
    // what it would have got alone, in the order asked.
    void sendMany_eachAnsweredAsIfAlone()
    {
        pqxx::connection c(m_db.url());
        const auto [partyId, topicA] = test::makeParty(c, m_alice, {m_bob});
        const auto topicB = test::run(c, handlers::createTopic, m_alice, protocol::CreateTopic{partyId, "b"}).resultJson()["topic"]["id"].get<std::string>();
        const auto [otherParty, closedTopic] = test::makeParty(c, m_mallory);
        const std::string storedClientId = test::newUuid();
        const auto stored = test::run(c, handlers::sendMessage, m_alice, SendMessage{topicA, storedClientId, "stored"});
        QVERIFY(stored.ok());

        std::vector<handlers::SendRequest> sends = {
            {{m_alice}, {topicA, test::newUuid(), "a2"}},
            {{m_bob}, {topicB, test::newUuid(), "b1"}},
            {{m_alice}, {closedTopic, test::newUuid(), "not a member"}},
            {{m_bob}, {topicA, test::newUuid(), "a3, hello @Alice"}},
            {{m_alice}, {topicA, storedClientId, "stored"}},   // a retry
            {{m_alice}, {topicB, test::newUuid(), "b2: \"quoted\", a back\\slash,\na new line, ünïcödé, 🎉 and {\"json\": [1]}"}},   // travels inside JSON
            {{m_alice}, {test::newUuid(), test::newUuid(), "no such topic"}},
            {{m_bob}, {topicA, test::newUuid(), "a4"}},
        };
        std::vector<const handlers::SendRequest *> pointers;
        for (const auto &send : sends)
            pointers.push_back(&send);
        std::vector<AnswerTo<SendMessage>> outcomes;
        {
            pqxx::work tx(c);
            outcomes = handlers::sendMessages(tx, pointers);
            tx.commit();
        }
        QCOMPARE(outcomes.size(), sends.size());
        const auto seqOf = [&](std::size_t i) { return outcomes[i].resultJson()["message"]["seq"].get<int>(); };
        QCOMPARE(seqOf(0), 2);
        QCOMPARE(seqOf(3), 3);
        QCOMPARE(seqOf(7), 4);
        QCOMPARE(seqOf(1), 1);
        QCOMPARE(seqOf(5), 2);
        for (std::size_t i : {2, 6}) {
            QVERIFY(!outcomes[i].ok());
            QCOMPARE(outcomes[i].error->code, protocol::ErrorCode::NotFound);
            QVERIFY(outcomes[i].events.empty());
        }
        QVERIFY(outcomes[4].resultJson()["message"]["id"] == stored.resultJson()["message"]["id"]);
        QVERIFY2(outcomes[4].events.empty(), "a retry must not announce the message again");
        for (std::size_t i : {0, 1, 3, 5, 7}) {
            QCOMPARE(outcomes[i].events.size(), std::size_t(1));
            const auto &message = std::get<protocol::MessageCreated>(outcomes[i].events[0].event).message;
            QCOMPARE(message.body, sends[i].request.body);
            QCOMPARE(message.authorId, sends[i].context.userId);
            QCOMPARE(message.partyId, partyId);
            QCOMPARE(outcomes[i].events[0].partyId, partyId);
            QCOMPARE(message.rev, message.seq);   // nothing edited yet: each new message moves rev too
        }
        QVERIFY(outcomes[3].resultJson()["message"]["mentions"] == nlohmann::json::array({m_alice}));

        pqxx::work tx(c);
        QCOMPARE(tx.exec_params1("SELECT last_seq FROM topics WHERE id = $1", topicA)[0].as<int>(), 4);
        QCOMPARE(tx.exec_params1("SELECT last_rev FROM topics WHERE id = $1", topicB)[0].as<int>(), 2);
        QCOMPARE(tx.exec_params1("SELECT count(*) FROM messages WHERE topic_id = $1", closedTopic)[0].as<int>(), 0);
        QCOMPARE(tx.exec_params1("SELECT count(*) FROM message_mentions WHERE user_id = $1 AND topic_id = $2", m_alice, topicA)[0].as<int>(), 1);
        // Each sender has read each topic up to their own newest message in it.
        QCOMPARE(tx.exec_params1("SELECT last_read_seq FROM read_states WHERE user_id = $1 AND topic_id = $2", m_bob, topicA)[0].as<int>(), 4);
        QCOMPARE(tx.exec_params1("SELECT last_read_seq FROM read_states WHERE user_id = $1 AND topic_id = $2", m_alice, topicA)[0].as<int>(), 2);
        QCOMPARE(tx.exec_params1("SELECT last_read_seq FROM read_states WHERE user_id = $1 AND topic_id = $2", m_alice, topicB)[0].as<int>(), 2);
    }

    // Ids in time order (UUID version 7), so inserts go to the end of the primary key's index.
    void messageIds_inTimeOrder()
    {
        pqxx::connection c(m_db.url());
        const auto [partyId, topicId] = test::makeParty(c, m_alice);
        std::vector<std::string> ids;
        for (int i = 0; i < 3; ++i) {
            ids.push_back(test::run(c, handlers::sendMessage, m_alice, SendMessage{topicId, test::newUuid(), "m"}).resultJson()["message"]["id"]);
            QTest::qWait(2);
        }
        for (const std::string &id : ids)
            QCOMPARE(id.at(14), '7');   // the version digit: xxxxxxxx-xxxx-7xxx-...
        QVERIFY(ids[0] < ids[1] && ids[1] < ids[2]);
        pqxx::work tx(c);
        const std::string now = tx.exec1("SELECT to_hex((extract(epoch FROM clock_timestamp()) * 1000)::bigint)")[0].as<std::string>();
        // The first 48 bits are the milliseconds it was made at: within the last minute.
        const auto made = std::stoll(ids[2].substr(0, 8) + ids[2].substr(9, 4), nullptr, 16);
        QVERIFY(std::stoll(now, nullptr, 16) - made < 60000);
    }

    void concurrentRetries_storeOneMessage()
    {
        pqxx::connection setup(m_db.url());
        const auto [partyId, topicId] = test::makeParty(setup, m_alice);
        const std::string clientId = test::newUuid();
        std::vector<std::thread> threads;
        std::mutex mutex;
        std::set<std::string> ids;
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back([&] {
                pqxx::connection c(m_db.url());
                try {
                    auto o = test::run(c, handlers::sendMessage, m_alice, SendMessage{topicId, clientId, "same"});
                    std::lock_guard lock(mutex);
                    if (o.ok())
                        ids.insert(o.resultJson()["message"]["id"].get<std::string>());
                } catch (const pqxx::unique_violation &) {
                    // The loser of the race is refused by the unique key; the writer answers it
                    // with the original on its next try.
                }
            });
        }
        for (auto &t : threads)
            t.join();
        QCOMPARE(ids.size(), std::size_t(1));
        pqxx::work tx(setup);
        QCOMPARE(tx.exec_params1("SELECT count(*), max(seq) FROM messages WHERE topic_id = $1", topicId)[0].as<int>(), 1);
        QCOMPARE(tx.exec_params1("SELECT last_seq FROM topics WHERE id = $1", topicId)[0].as<int>(), 1);
    }

    // message.get: a member gets the message wherever it is in history, a deleted one as its
    // tombstone; anyone else gets what a made-up id gets.
    void getMessage_membersOnly_tombstoneWhenDeleted()
    {
        pqxx::connection c(m_db.url());
        const auto [partyId, topicId] = test::makeParty(c, m_alice, {m_bob});
        const auto sent = test::run(c, handlers::sendMessage, m_alice, SendMessage{topicId, test::newUuid(), "find me"});
        const std::string id = std::get<protocol::MessageReply>(sent.result).message.id;
        for (int i = 0; i < 60; ++i)   // well past one history page
            QVERIFY(test::run(c, handlers::sendMessage, m_bob, SendMessage{topicId, test::newUuid(), "later"}).ok());

        const auto got = test::run(c, handlers::getMessage, m_bob, protocol::GetMessage{id});
        QVERIFY(got.ok());
        const auto &message = std::get<protocol::MessageReply>(got.result).message;
        QCOMPARE(message.body, std::string("find me"));
        QCOMPARE(message.seq, std::int64_t(1));

        const auto stranger = test::run(c, handlers::getMessage, m_mallory, protocol::GetMessage{id});
        const auto madeUp = test::run(c, handlers::getMessage, m_bob, protocol::GetMessage{test::newUuid()});
        QCOMPARE(test::errorCode(stranger), std::string("not_found"));
        QCOMPARE(stranger.error->message, madeUp.error->message);

        QVERIFY(test::run(c, handlers::deleteMessage, m_alice, protocol::DeleteMessage{id}).ok());
        const auto tombstone = test::run(c, handlers::getMessage, m_bob, protocol::GetMessage{id});
        QVERIFY(tombstone.ok());
        QVERIFY(std::get<protocol::MessageReply>(tombstone.result).message.deleted);
        QVERIFY(std::get<protocol::MessageReply>(tombstone.result).message.body.empty());
    }

    void history_keysetPages_coverEverySeqOnce()
    {
        pqxx::connection c(m_db.url());
        const auto [partyId, topicId] = test::makeParty(c, m_alice);
        constexpr int kCount = 237;
        for (int i = 0; i < kCount; ++i)
            QVERIFY(test::run(c, handlers::sendMessage, m_alice, SendMessage{topicId, test::newUuid(), "m" + std::to_string(i + 1)}).ok());

        // Backwards from the newest.
        std::vector<int> seen;
        FetchHistory page{topicId, std::nullopt, std::nullopt, 50};
        while (true) {
            const auto o = test::run(c, handlers::fetchHistory, m_alice, page);
            QVERIFY(o.ok());
            const auto messages = o.resultJson()["messages"];
            std::vector<int> seqs;
            for (const auto &m : messages)
                seqs.push_back(m["seq"].get<int>());
            QVERIFY(std::is_sorted(seqs.begin(), seqs.end()));
            seen.insert(seen.begin(), seqs.begin(), seqs.end());
            if (!o.resultJson()["hasMore"].get<bool>())
                break;
            QCOMPARE(int(messages.size()), 50);
            page.beforeSeq = seqs.front();
        }
        QCOMPARE(int(seen.size()), kCount);
        for (int i = 0; i < kCount; ++i)
            QCOMPARE(seen[i], i + 1);

        // Forwards from a point.
        const auto after = test::run(c, handlers::fetchHistory, m_alice, FetchHistory{topicId, std::nullopt, 200, 100});
        QCOMPARE(int(after.resultJson()["messages"].size()), 37);
        QCOMPARE(after.resultJson()["messages"][0]["seq"].get<int>(), 201);
        QCOMPARE(after.resultJson()["messages"][0]["body"].get<std::string>(), std::string("m201"));
        QVERIFY(!after.resultJson()["hasMore"].get<bool>());
    }

    void history_nonMember_notFound()
    {
        pqxx::connection c(m_db.url());
        const auto [partyId, topicId] = test::makeParty(c, m_alice);
        const auto o = test::run(c, handlers::fetchHistory, m_mallory, FetchHistory{topicId, std::nullopt, std::nullopt, 50});
        QCOMPARE(test::errorCode(o), std::string("not_found"));
        const auto missing = test::run(c, handlers::fetchHistory, m_mallory, FetchHistory{test::newUuid(), std::nullopt, std::nullopt, 50});
        QCOMPARE(missing.error->message, o.error->message);
    }

    void sync_afterSeqAndRev_returnsNewAndChanged()
    {
        pqxx::connection c(m_db.url());
        const auto [partyId, topicId] = test::makeParty(c, m_alice, {m_bob});
        std::vector<std::string> ids;
        for (int i = 0; i < 5; ++i)
            ids.push_back(test::run(c, handlers::sendMessage, m_alice, SendMessage{topicId, test::newUuid(), "m" + std::to_string(i + 1)})
                              .resultJson()["message"]["id"].get<std::string>());
        // Bob was here up to seq 3, rev 3. Then message 2 is edited, 1 deleted, and 6 posted.
        QVERIFY(test::run(c, handlers::editMessage, m_alice, protocol::EditMessage{ids[1], "m2 edited"}).ok());
        QVERIFY(test::run(c, handlers::deleteMessage, m_alice, protocol::DeleteMessage{ids[0]}).ok());
        QVERIFY(test::run(c, handlers::sendMessage, m_alice, SendMessage{topicId, test::newUuid(), "m6"}).ok());

        protocol::SyncTopics sync;
        sync.topics.push_back({topicId, 3, 3});
        const auto o = test::run(c, handlers::syncTopics, m_bob, sync);
        QVERIFY(o.ok());
        std::vector<int> seqs;
        const nlohmann::json result = o.resultJson();
        for (const auto &m : result["topics"][0]["messages"])
            seqs.push_back(m["seq"].get<int>());
        QCOMPARE(seqs, (std::vector<int>{1, 2, 4, 5, 6}));
        const auto messages = o.resultJson()["topics"][0]["messages"];
        QVERIFY(messages[0]["deleted"].get<bool>());
        QCOMPARE(messages[0]["body"].get<std::string>(), std::string());
        QCOMPARE(messages[1]["body"].get<std::string>(), std::string("m2 edited"));
        QVERIFY(messages[1].contains("editedAt"));

        // Without a rev: only what is new.
        protocol::SyncTopics plain;
        plain.topics.push_back({topicId, 3, std::nullopt});
        const auto p = test::run(c, handlers::syncTopics, m_bob, plain);
        QCOMPARE(int(p.resultJson()["topics"][0]["messages"].size()), 3);

        // A topic the caller cannot see fails the whole request the same way as a missing one.
        plain.topics.push_back({test::newUuid(), 0, std::nullopt});
        QCOMPARE(test::errorCode(test::run(c, handlers::syncTopics, m_bob, plain)), std::string("not_found"));
    }

    void editAndDelete_onlyAuthorOrModerator()
    {
        pqxx::connection c(m_db.url());
        const auto [partyId, topicId] = test::makeParty(c, m_alice, {m_bob});
        const auto bobs = test::run(c, handlers::sendMessage, m_bob, SendMessage{topicId, test::newUuid(), "bob's"})
                              .resultJson()["message"]["id"].get<std::string>();
        const auto alices = test::run(c, handlers::sendMessage, m_alice, SendMessage{topicId, test::newUuid(), "alice's"})
                                .resultJson()["message"]["id"].get<std::string>();
        // Nobody edits another's words, not even the owner.
        QCOMPARE(test::errorCode(test::run(c, handlers::editMessage, m_alice, protocol::EditMessage{bobs, "x"})), std::string("forbidden"));
        // A member cannot delete the owner's message; the owner can delete a member's.
        QCOMPARE(test::errorCode(test::run(c, handlers::deleteMessage, m_bob, protocol::DeleteMessage{alices})), std::string("forbidden"));
        QVERIFY(test::run(c, handlers::deleteMessage, m_alice, protocol::DeleteMessage{bobs}).ok());
        // A stranger is told it does not exist.
        QCOMPARE(test::errorCode(test::run(c, handlers::editMessage, m_mallory, protocol::EditMessage{alices, "x"})), std::string("not_found"));
        // Deleted stays deleted: no edit, and a second delete changes nothing.
        QCOMPARE(test::errorCode(test::run(c, handlers::editMessage, m_bob, protocol::EditMessage{bobs, "back"})), std::string("conflict"));
        const auto again = test::run(c, handlers::deleteMessage, m_alice, protocol::DeleteMessage{bobs});
        QVERIFY(again.ok());
        QVERIFY(again.events.empty());
    }
};

QTEST_GUILESS_MAIN(TestMessageStore)
#include "tst_messagestore.moc"
