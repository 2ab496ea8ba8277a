// SPDX-License-Identifier: GPL-3.0-or-later
// The executor: group-committed writes whose events and replies come out in commit order,
// one failing request that does not spoil its batch, and a clear error when the database is gone.

#include "dbfixture.h"
#include "server/db/executor.h"
#include "server/net/router.h"

#include <QTest>

#include <algorithm>
#include <condition_variable>
#include <future>
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

// Holds the writer in a job of its own until released, so that the writes queued meanwhile
// all reach it in the next batch.
class WriterHold {
public:
    explicit WriterHold(Executor &executor)
    {
        executor.write(
            [this](pqxx::transaction_base &) {
                m_running.set_value();
                m_released.get_future().wait();
                return Outcome::reply(protocol::Empty{});
            },
            [](Outcome) {});
        m_running.get_future().wait();
    }
    void release() { m_released.set_value(); }

private:
    std::promise<void> m_running;
    std::promise<void> m_released;
};

// A combinable kind of request for testing the executor alone: each request is a number, and
// the runs it is handed are recorded. -1 is refused (changing nothing); -2 throws.
std::vector<std::vector<int>> g_runs;

std::vector<Outcome> recordRun(pqxx::transaction_base &, const std::vector<const std::any *> &requests)
{
    std::vector<int> run;
    std::vector<Outcome> outcomes;
    for (const std::any *request : requests)
        run.push_back(std::any_cast<int>(*request));
    g_runs.push_back(run);
    if (std::find(run.begin(), run.end(), -2) != run.end())
        throw std::runtime_error("a request that throws");
    for (const int n : run) {
        outcomes.push_back(n < 0 ? Outcome::fail(protocol::ErrorCode::NotFound, "no")
                                 : Outcome::reply(protocol::RenewedAccess{n}));   // any reply that carries a number
    }
    return outcomes;
}

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
        const auto topicB = test::run(c, handlers::createTopic, m_alice, protocol::CreateTopic{partyId, "b"}).resultJson()["topic"]["id"].get<std::string>();

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

    // Neighbouring combinable writes in a batch run together; anything else between them ends
    // the run; one refused in a run leaves the others be; when a run throws, the batch runs
    // again one request at a time.
    void combinableWrites_runTogetherUntilOneFails()
    {
        Collected collected;
        Executor executor(m_db.url(), 1, [](std::vector<CommittedEvent>) {});
        std::map<int, Outcome> outcomes;
        const auto done = [&](int n) {
            return [&, n](Outcome o) {
                std::lock_guard lock(collected.mutex);
                outcomes[n] = o;
                collected.replies.push_back(std::move(o));
                collected.changed.notify_all();
            };
        };
        const auto combinable = [](int n) { return Executor::Combinable{recordRun, n}; };

        g_runs.clear();
        WriterHold hold(executor);
        for (int n : {1, 2, 3})
            executor.write({}, combinable(n), done(n));
        executor.write([](pqxx::transaction_base &) { return Outcome::reply(protocol::Empty{}); }, done(0));
        for (int n : {4, 5})
            executor.write({}, combinable(n), done(n));
        hold.release();
        QVERIFY(collected.waitForReplies(6));
        QCOMPARE(g_runs, (std::vector<std::vector<int>>{{1, 2, 3}, {4, 5}}));
        for (int n : {1, 2, 3, 4, 5})
            QCOMPARE(outcomes[n].resultJson()["expiresAt"].get<int>(), n);

        g_runs.clear();
        WriterHold again(executor);
        for (int n : {6, -1, 8})
            executor.write({}, combinable(n), done(n));
        again.release();
        QVERIFY(collected.waitForReplies(9));
        QCOMPARE(g_runs, (std::vector<std::vector<int>>{{6, -1, 8}}));
        QCOMPARE(outcomes[6].resultJson()["expiresAt"].get<int>(), 6);
        QCOMPARE(outcomes[-1].error->code, protocol::ErrorCode::NotFound);
        QCOMPARE(outcomes[8].resultJson()["expiresAt"].get<int>(), 8);

        g_runs.clear();
        WriterHold third(executor);
        for (int n : {9, -2, 11})
            executor.write({}, combinable(n), done(n));
        third.release();
        QVERIFY(collected.waitForReplies(12));
        QCOMPARE(g_runs, (std::vector<std::vector<int>>{{9, -2, 11}, {9}, {-2}, {11}}));
        QCOMPARE(outcomes[9].resultJson()["expiresAt"].get<int>(), 9);
        QCOMPARE(outcomes[-2].error->code, protocol::ErrorCode::Internal);
        QCOMPARE(outcomes[11].resultJson()["expiresAt"].get<int>(), 11);
    }

    // Sends as the server routes them, queued together: one transaction, every message in the
    // order sent, a retry answered with the original, and each refusal on its own.
    void routedSends_combinedInOrder()
    {
        pqxx::connection c(m_db.url());
        const auto [partyId, topicA] = test::makeParty(c, m_alice);
        const auto topicB = test::run(c, handlers::createTopic, m_alice, protocol::CreateTopic{partyId, "b"}).resultJson()["topic"]["id"].get<std::string>();
        const auto bob = test::createUser(m_db.url(), "Bob");
        const auto [bobsParty, closedTopic] = test::makeParty(c, bob);
        const std::string storedClientId = test::newUuid();
        const auto stored = test::run(c, handlers::sendMessage, m_alice, protocol::SendMessage{topicA, storedClientId, "stored"});

        Collected collected;
        Executor executor(m_db.url(), 1, [&](std::vector<CommittedEvent> events) {
            std::lock_guard lock(collected.mutex);
            for (auto &e : events)
                collected.events.push_back(std::move(e));
        });
        std::map<int, Outcome> outcomes;
        const auto send = [&](int n, const std::string &topicId, const std::string &clientId) {
            Route route = routeRequest(protocol::SendMessage{topicId, clientId, "n" + std::to_string(n)}, RequestContext{m_alice});
            QVERIFY(route.combinable);
            executor.write(m_alice, std::move(*route.combinable), [&, n](Outcome o) {
                std::lock_guard lock(collected.mutex);
                outcomes[n] = o;
                collected.replies.push_back(std::move(o));
                collected.changed.notify_all();
            });
        };

        // One run, one transaction, with no second pass: a retry, and a send to a topic Alice
        // is not in, which is refused on its own.
        constexpr int kSends = 40;
        WriterHold hold(executor);
        const auto commitsBefore = executor.stats().commits.load();
        for (int n = 0; n < kSends; ++n)
            send(n, n == 30 ? closedTopic : n % 4 ? topicA : topicB, n == 20 ? storedClientId : test::newUuid());
        hold.release();
        QVERIFY(collected.waitForReplies(kSends));
        QCOMPARE(executor.stats().commits.load() - commitsBefore, std::int64_t(2));   // the hold's, then the sends'
        QCOMPARE(executor.stats().retriedBatches.load(), std::int64_t(0));
        for (const auto &[n, o] : outcomes) {
            if (n != 30)
                QVERIFY2(o.ok(), o.error ? o.error->message.c_str() : "");
        }
        QCOMPARE(outcomes[30].error->code, protocol::ErrorCode::NotFound);
        QVERIFY(outcomes[20].resultJson()["message"]["id"] == stored.resultJson()["message"]["id"]);
        QCOMPARE(int(collected.events.size()), kSends - 2);
        std::map<std::string, std::int64_t> lastSeq{{topicA, 1}};
        int previous = -1;
        for (const auto &e : collected.events) {
            const auto &message = std::get<protocol::MessageCreated>(e.event).message;
            const int n = std::stoi(message.body.substr(1));
            QVERIFY(n > previous);
            previous = n;
            QCOMPARE(message.seq, lastSeq[message.topicId] + 1);
            lastSeq[message.topicId] = message.seq;
            QCOMPARE(outcomes[n].resultJson()["message"]["seq"].get<std::int64_t>(), message.seq);
        }

        // A send to a topic Alice is not in, and two sends with one clientMsgId: each is
        // answered as if it had come alone.
        outcomes.clear();
        collected.replies.clear();
        collected.events.clear();
        const std::string twiceId = test::newUuid();
        WriterHold again(executor);
        send(100, topicA, test::newUuid());
        send(101, closedTopic, test::newUuid());
        send(102, topicB, twiceId);
        send(103, topicB, twiceId);
        send(104, topicA, test::newUuid());
        again.release();
        QVERIFY(collected.waitForReplies(5));
        QCOMPARE(executor.stats().retriedBatches.load(), std::int64_t(1));   // the unique key refused the run
        executor.stop();
        QCOMPARE(outcomes[101].error->code, protocol::ErrorCode::NotFound);
        QVERIFY(outcomes[103].resultJson()["message"]["id"] == outcomes[102].resultJson()["message"]["id"]);
        QCOMPARE(int(collected.events.size()), 3);
        for (int n : {100, 102, 104})
            QVERIFY(outcomes[n].ok());
        QCOMPARE(outcomes[104].resultJson()["message"]["seq"].get<int>(), outcomes[100].resultJson()["message"]["seq"].get<int>() + 1);
        pqxx::work tx(c);
        QCOMPARE(tx.exec_params1("SELECT count(*) FROM messages WHERE client_msg_id = $1", twiceId)[0].as<int>(), 1);
        QCOMPARE(tx.exec_params1("SELECT count(*) FROM messages WHERE topic_id = $1", closedTopic)[0].as<int>(), 0);
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
                                   seqs[std::size_t(i)] = o.resultJson()["message"]["seq"].get<std::int64_t>();
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
