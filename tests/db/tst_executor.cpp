// The executor: group-committed writes whose events and replies come out in commit order,
// one failing request that does not spoil its batch, and a clear error when the database is gone.

#include "dbfixture.h"
#include "server/db/executor.h"

#include <QTest>

#include <condition_variable>
#include <map>
#include <mutex>

using namespace chatterbox;
using namespace chatterbox::server;

namespace {

struct Collected {
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<CommittedEvent> events;
    std::vector<Outcome> replies;

    bool waitForReplies(std::size_t n)
    {
        std::unique_lock lock(mutex);
        return changed.wait_for(lock, std::chrono::seconds(30), [&] { return replies.size() >= n; });
    }
};

} // namespace

class TestExecutor : public QObject {
    Q_OBJECT

    test::TestDatabase m_db;
    std::string m_alice;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_db.isValid(), qPrintable(m_db.error()));
        QVERIFY2(m_db.migrate(), qPrintable(m_db.error()));
        m_alice = test::createUser(m_db.url(), "Alice");
    }

    void manyWrites_committedWithEventsInOrder()
    {
        pqxx::connection c(m_db.url());
        const auto [partyId, topicA] = test::makeParty(c, m_alice);
        const auto topicB = test::run(c, handlers::createTopic, m_alice, protocol::CreateTopic{partyId, "b"}).result["topic"]["id"].get<std::string>();

        Collected collected;
        Executor executor(m_db.url(), 2, [&](std::vector<CommittedEvent> events) {
            std::lock_guard lock(collected.mutex);
            for (auto &e : events)
                collected.events.push_back(std::move(e));
        });
        constexpr int kSends = 300;
        for (int i = 0; i < kSends; ++i) {
            const std::string topic = i % 3 ? topicA : topicB;
            protocol::SendMessage send{topic, test::newUuid(), "n" + std::to_string(i)};
            executor.write([send, this](pqxx::transaction_base &tx) { return handlers::sendMessage(tx, {m_alice}, send); },
                           [&](Outcome o) {
                               std::lock_guard lock(collected.mutex);
                               collected.replies.push_back(std::move(o));
                               collected.changed.notify_all();
                           });
        }
        QVERIFY(collected.waitForReplies(kSends));
        executor.stop();

        for (const auto &o : collected.replies)
            QVERIFY(o.ok());
        QCOMPARE(int(collected.events.size()), kSends);
        // Event ids rise in the order the events reach the network side, and per topic the
        // messages arrive with seq 1, 2, 3, ...
        std::map<std::string, int> lastSeq;
        std::int64_t lastId = 0;
        for (const auto &e : collected.events) {
            QVERIFY(e.id > lastId);
            lastId = e.id;
            const auto &message = std::get<protocol::MessageCreated>(e.event).message;
            QCOMPARE(message.seq, lastSeq[message.topicId] + 1);
            lastSeq[message.topicId] = int(message.seq);
            QVERIFY(e.frame.find("\"message.created\"") != std::string::npos);
        }
        pqxx::work tx(c);
        QCOMPARE(tx.exec("SELECT count(*) FROM events WHERE kind = 'message.created'")[0][0].as<int>(), kSends);
        // Group commit: fewer transactions than requests is what it is for, but at least one.
        QVERIFY(executor.stats().commits > 0);
    }

    // Several writers: one person's writes share a writer, so they commit in the order sent.
    void severalWriters_onePersonsWritesInOrder()
    {
        pqxx::connection c(m_db.url());
        const auto [partyId, topicId] = test::makeParty(c, m_alice);
        Collected collected;
        Executor executor(m_db.url(), 1, [](std::vector<CommittedEvent>) {}, 3);
        constexpr int kSends = 200;
        std::vector<std::int64_t> seqs(kSends, 0);
        for (int i = 0; i < kSends; ++i) {
            protocol::SendMessage send{topicId, test::newUuid(), "n" + std::to_string(i)};
            executor.write(m_alice, [send, this](pqxx::transaction_base &tx) { return handlers::sendMessage(tx, {m_alice}, send); },
                           [&, i](Outcome o) {
                               std::lock_guard lock(collected.mutex);
                               if (o.ok())
                                   seqs[std::size_t(i)] = o.result["message"]["seq"].get<std::int64_t>();
                               collected.replies.push_back(std::move(o));
                               collected.changed.notify_all();
                           });
        }
        QVERIFY(collected.waitForReplies(kSends));
        executor.stop();
        for (int i = 0; i < kSends; ++i)
            QCOMPARE(seqs[std::size_t(i)], std::int64_t(i + 1));
    }

    void failingRequest_doesNotSpoilBatch()
    {
        pqxx::connection c(m_db.url());
        const auto [partyId, topicId] = test::makeParty(c, m_alice);
        Collected collected;
        Executor executor(m_db.url(), 1, [&](std::vector<CommittedEvent> events) {
            std::lock_guard lock(collected.mutex);
            for (auto &e : events)
                collected.events.push_back(std::move(e));
        });
        // A request that throws from SQL (a bad cast) in the middle of good ones.
        std::vector<Executor::Work> work;
        for (int i = 0; i < 20; ++i) {
            if (i == 10) {
                work.push_back([](pqxx::transaction_base &tx) {
                    tx.exec("SELECT 'not a number'::int");
                    return Outcome::reply(protocol::Empty{});
                });
            } else {
                protocol::SendMessage send{topicId, test::newUuid(), "ok"};
                work.push_back([send, this](pqxx::transaction_base &tx) { return handlers::sendMessage(tx, {m_alice}, send); });
            }
        }
        for (auto &w : work) {
            executor.write(std::move(w), [&](Outcome o) {
                std::lock_guard lock(collected.mutex);
                collected.replies.push_back(std::move(o));
                collected.changed.notify_all();
            });
        }
        QVERIFY(collected.waitForReplies(20));
        executor.stop();
        int failed = 0;
        for (const auto &o : collected.replies) {
            if (!o.ok()) {
                ++failed;
                QCOMPARE(o.error->code, protocol::ErrorCode::Internal);
                QVERIFY2(o.error->message.find("SELECT") == std::string::npos, "SQL text must not reach the client");
            }
        }
        QCOMPARE(failed, 1);
        pqxx::work tx(c);
        QCOMPARE(tx.exec_params1("SELECT count(*) FROM messages WHERE topic_id = $1", topicId)[0].as<int>(), 19);
        QCOMPARE(tx.exec_params1("SELECT max(seq) FROM messages WHERE topic_id = $1", topicId)[0].as<int>(), 19);
        QCOMPARE(int(collected.events.size()), 19);
    }

    void databaseGone_unavailable()
    {
        Collected collected;
        Executor executor("postgresql:///nowhere?host=/nonexistent&connect_timeout=2", 1, [](std::vector<CommittedEvent>) {});
        for (bool write : {true, false}) {
            auto work = [](pqxx::transaction_base &) { return Outcome::reply(protocol::Empty{}); };
            auto done = [&](Outcome o) {
                std::lock_guard lock(collected.mutex);
                collected.replies.push_back(std::move(o));
                collected.changed.notify_all();
            };
            if (write)
                executor.write(work, done);
            else
                executor.read(work, done);
        }
        QVERIFY(collected.waitForReplies(2));
        for (const auto &o : collected.replies)
            QCOMPARE(o.error->code, protocol::ErrorCode::Unavailable);
    }
};

QTEST_GUILESS_MAIN(TestExecutor)
#include "tst_executor.moc"
