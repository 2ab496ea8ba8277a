// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/db/databasehealth.h"
#include "server/metrics.h"
#include "server/db/eventlog.h"
#include "server/handlers/outcome.h"

#include <pqxx/connection>
#include <pqxx/transaction_base>

#include <any>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace chatterbox::server {

struct ExecutorStats {
    DatabaseHealth health;
    std::atomic<std::int64_t> writeQueue{0};
    std::atomic<std::int64_t> readQueue{0};
    std::atomic<std::int64_t> commits{0};
    std::atomic<std::int64_t> failures{0};
    std::atomic<std::int64_t> retriedBatches{0};   // run again request by request after a failure
    std::atomic<std::int64_t> reconnects{0};       // broken connections replaced
    Histogram writeSeconds;                         // a write batch, from its start to its commit
    Histogram readSeconds;
};

// Runs handlers on database threads, each with its own connection, so the network thread
// never waits on PostgreSQL.
//
// Writes go through one writer thread. It takes every write that is waiting (up to a batch),
// runs them inside one transaction, appends their events to the change log, and commits once:
// a group commit. If one of them fails, the batch runs again with a savepoint per request, so
// the failure undoes only itself. Event ids are in commit order (see eventlog.h), which is
// what lets a new connection's snapshot say exactly which events it already covers.
// Reads run on a pool of reader threads in REPEATABLE READ, READ ONLY transactions.
//
// Callbacks run on the database thread that did the work; the caller posts them onward.
class Executor final {
public:
    using Work = std::function<Outcome(pqxx::transaction_base &)>;
    using Done = std::function<void(Outcome)>;
    using EventSink = std::function<void(std::vector<CommittedEvent>)>;

    // A write that can run together with its neighbours of the same kind, as one statement:
    // message.send, the request that sets the write rate. Neighbouring jobs in a write batch
    // with the same `runAll` go to it at once; it returns one outcome per request, in order,
    // and a request it refuses must have changed nothing, so the others of the run still
    // commit. If it throws, the batch runs again request by request, each going to `runAll`
    // alone.
    struct Combinable {
        using RunAll = std::vector<Outcome> (*)(pqxx::transaction_base &, const std::vector<const std::any *> &);
        RunAll runAll = nullptr;
        std::any request;
    };

    // writerThreads > 1 runs that many group commits side by side; writes with the same order
    // key always go to the same writer, so they commit in the order they were asked.
    Executor(std::string databaseUrl, int readerThreads, EventSink sink, int writerThreads = 1);
    ~Executor();
    Executor(const Executor &) = delete;
    Executor &operator=(const Executor &) = delete;

    void write(Work work, Done done) { write(std::string(), std::move(work), std::move(done)); }
    void write(const std::string &orderKey, Work work, Done done);
    void write(const std::string &orderKey, Combinable work, Done done);
    void read(Work work, Done done);
    // Housekeeping on a reader thread's connection, outside any request; failures are logged.
    void maintain(std::function<void(pqxx::connection_base &)> task);
    void stop();

    const ExecutorStats &stats() const { return m_stats; }

private:
    struct Job {
        Work work;
        Done done;
        std::function<void(pqxx::connection_base &)> maintenance = {};
        Combinable combinable = {};   // instead of work
    };
    struct Queue {
        std::mutex mutex;
        std::condition_variable wake;
        std::deque<Job> jobs;
    };

    void enqueueWrite(const std::string &orderKey, Job job);
    void writerLoop(Queue &queue);
    void readerLoop();
    std::vector<Job> take(Queue &queue, std::size_t most);
    // Returns false when the connection broke and must be replaced.
    bool runWriteBatch(pqxx::connection &connection, std::vector<Job> &batch);
    static void runJobs(pqxx::transaction_base &tx, std::vector<Job> &batch, std::size_t first, std::size_t end,
                        std::vector<Outcome> &outcomes);
    bool runBatchOnce(pqxx::connection &connection, std::vector<Job> &batch, bool savepoints,
                      std::vector<Outcome> &outcomes, std::vector<CommittedEvent> &committed);

    const std::string m_url;
    EventSink m_sink;
    std::vector<std::unique_ptr<Queue>> m_writes;
    Queue m_reads;
    std::atomic<bool> m_stopping{false};
    std::vector<std::thread> m_threads;
    ExecutorStats m_stats;
};

// Maps a database failure to what the client is told; logs the SQLSTATE, never sends SQL text.
Outcome outcomeForDatabaseError(const std::exception &error);

} // namespace chatterbox::server
