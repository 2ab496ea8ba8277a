#pragma once

#include "server/db/eventlog.h"
#include "server/handlers/outcome.h"

#include <pqxx/connection>
#include <pqxx/transaction_base>

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
    std::atomic<std::int64_t> writeQueue{0};
    std::atomic<std::int64_t> readQueue{0};
    std::atomic<std::int64_t> commits{0};
    std::atomic<std::int64_t> failures{0};
};

// Runs handlers on database threads, each with its own connection, so the network thread
// never waits on PostgreSQL.
//
// Writes go through one writer thread. It takes every write that is waiting (up to a batch),
// runs each in its own savepoint inside one transaction, inserts their events, and commits
// once: a group commit. Because there is one writer, event ids grow in commit order, which is
// what lets a new connection's snapshot say exactly which events it already covers.
// Reads run on a pool of reader threads in REPEATABLE READ, READ ONLY transactions.
//
// Callbacks run on the database thread that did the work; the caller posts them onward.
class Executor final {
public:
    using Work = std::function<Outcome(pqxx::transaction_base &)>;
    using Done = std::function<void(Outcome)>;
    using EventSink = std::function<void(std::vector<CommittedEvent>)>;

    Executor(std::string databaseUrl, int readerThreads, EventSink sink);
    ~Executor();
    Executor(const Executor &) = delete;
    Executor &operator=(const Executor &) = delete;

    void write(Work work, Done done);
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
    };
    struct Queue {
        std::mutex mutex;
        std::condition_variable wake;
        std::deque<Job> jobs;
    };

    void writerLoop();
    void readerLoop();
    std::vector<Job> take(Queue &queue, std::size_t most);
    // Returns false when the connection broke and must be replaced.
    bool runWriteBatch(pqxx::connection &connection, std::vector<Job> &batch);

    const std::string m_url;
    EventSink m_sink;
    Queue m_writes;
    Queue m_reads;
    std::atomic<bool> m_stopping{false};
    std::vector<std::thread> m_threads;
    ExecutorStats m_stats;
};

// Maps a database failure to what the client is told; logs the SQLSTATE, never sends SQL text.
Outcome outcomeForDatabaseError(const std::exception &error);

} // namespace chatterbox::server
