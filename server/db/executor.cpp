// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/db/executor.h"

#include <chrono>

#include "server/db/eventlog.h"
#include "server/logging.h"
#include "shared/frames.h"

#include <pqxx/pqxx>
#include <pqxx/except>
#include <pqxx/subtransaction>
#include <pqxx/transaction>

#include <optional>

namespace chatterbox::server {

namespace {

constexpr std::size_t kMaxWriteBatch = 64;
constexpr std::size_t kMaxReadBatch = 1;

using ReadTransaction = pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>;

// Opens a connection, or returns nothing (the jobs then get "unavailable"). While the database
// is away, only when the shared backoff says it is time to try again.
std::unique_ptr<pqxx::connection> connect(const std::string &url, DatabaseHealth &health)
{
    if (!health.mayConnect(steadyNowMs()))
        return nullptr;
    try {
        auto connection = std::make_unique<pqxx::connection>(url);
        health.reached(steadyNowMs());
        return connection;
    } catch (const std::exception &e) {
        health.lost(e.what(), steadyNowMs());
        return nullptr;
    }
}

Outcome unavailable(DatabaseHealth &health)
{
    health.refused();
    return Outcome::fail(protocol::ErrorCode::Unavailable, "the server cannot reach its database; try again shortly");
}

bool isConnectionLoss(const std::exception &e)
{
    return dynamic_cast<const pqxx::broken_connection *>(&e) || dynamic_cast<const pqxx::in_doubt_error *>(&e);
}

bool usable(const std::unique_ptr<pqxx::connection> &c)
{
    return c && c->is_open();
}

// Where the run of jobs that go together, starting at `first`, ends: one job, unless it and
// its neighbours are combinable of the same kind.
template <typename JobList>
std::size_t endOfRun(const JobList &batch, std::size_t first)
{
    const auto runAll = batch[first].combinable.runAll;
    std::size_t end = first + 1;
    if (runAll == nullptr)
        return end;
    while (end < batch.size() && batch[end].combinable.runAll == runAll)
        ++end;
    return end;
}

} // namespace

Outcome outcomeForDatabaseError(const std::exception &error)
{
    using protocol::ErrorCode;
    // Logged by DatabaseHealth, once per outage, not once per request.
    if (dynamic_cast<const pqxx::broken_connection *>(&error) || dynamic_cast<const pqxx::in_doubt_error *>(&error))
        return Outcome::fail(ErrorCode::Unavailable, "the server cannot reach its database; try again shortly");
    if (dynamic_cast<const pqxx::unique_violation *>(&error))
        return Outcome::fail(ErrorCode::Conflict, "that already exists");
    if (const auto *sql = dynamic_cast<const pqxx::sql_error *>(&error)) {
        if (sql->sqlstate() == "57014")   // a statement_timeout a handler set (message.search)
            return Outcome::fail(ErrorCode::Unavailable, "that took the database too long; narrow the search with more words or a filter");
        qCWarning(lcDb, "database error, SQLSTATE %s", sql->sqlstate().c_str());
        return Outcome::fail(ErrorCode::Internal, "the server failed to handle this request");
    }
    qCWarning(lcDb, "request failed: %s", error.what());
    return Outcome::fail(ErrorCode::Internal, "the server failed to handle this request");
}

Executor::Executor(std::string databaseUrl, int readerThreads, EventSink sink, int writerThreads)
    : m_url(std::move(databaseUrl)), m_sink(std::move(sink))
{
    for (int i = 0; i < std::max(1, writerThreads); ++i)
        m_writes.push_back(std::make_unique<Queue>());
    for (auto &queue : m_writes)
        m_threads.emplace_back([this, q = queue.get()] { writerLoop(*q); });
    for (int i = 0; i < std::max(1, readerThreads); ++i)
        m_threads.emplace_back([this] { readerLoop(); });
}

Executor::~Executor()
{
    stop();
}

void Executor::stop()
{
    if (m_stopping.exchange(true))
        return;
    for (auto &queue : m_writes)
        queue->wake.notify_all();
    m_reads.wake.notify_all();
    for (auto &t : m_threads)
        t.join();
    m_threads.clear();
}

void Executor::write(const std::string &orderKey, Work work, Done done)
{
    enqueueWrite(orderKey, {std::move(work), std::move(done)});
}

void Executor::write(const std::string &orderKey, Combinable work, Done done)
{
    enqueueWrite(orderKey, {{}, std::move(done), {}, std::move(work)});
}

void Executor::enqueueWrite(const std::string &orderKey, Job job)
{
    ++m_stats.writeQueue;
    Queue &queue = *m_writes[std::hash<std::string>{}(orderKey) % m_writes.size()];
    {
        std::lock_guard lock(queue.mutex);
        queue.jobs.push_back(std::move(job));
    }
    queue.wake.notify_one();
}

void Executor::read(Work work, Done done)
{
    ++m_stats.readQueue;
    {
        std::lock_guard lock(m_reads.mutex);
        m_reads.jobs.push_back({std::move(work), std::move(done)});
    }
    m_reads.wake.notify_one();
}

void Executor::maintain(std::function<void(pqxx::connection_base &)> task)
{
    {
        std::lock_guard lock(m_reads.mutex);
        m_reads.jobs.push_back({{}, {}, std::move(task)});
    }
    m_reads.wake.notify_one();
}

std::vector<Executor::Job> Executor::take(Queue &queue, std::size_t most)
{
    std::unique_lock lock(queue.mutex);
    queue.wake.wait(lock, [&] { return m_stopping || !queue.jobs.empty(); });
    std::vector<Job> batch;
    while (!queue.jobs.empty() && batch.size() < most) {
        batch.push_back(std::move(queue.jobs.front()));
        queue.jobs.pop_front();
    }
    return batch;
}

void Executor::writerLoop(Queue &queue)
{
    std::unique_ptr<pqxx::connection> connection;
    while (true) {
        auto batch = take(queue, kMaxWriteBatch);
        if (batch.empty())
            return; // stopping, and nothing left to do
        m_stats.writeQueue -= static_cast<std::int64_t>(batch.size());
        if (!usable(connection))
            connection = connect(m_url, m_stats.health);
        if (!usable(connection)) {
            for (auto &job : batch)
                job.done(unavailable(m_stats.health));
            continue;
        }
        // A broken connection is replaced at once: that succeeds after a terminated backend, and
        // failing is how an outage is found (and said, once).
        const auto started = std::chrono::steady_clock::now();
        const bool healthy = runWriteBatch(*connection, batch);
        m_stats.writeSeconds.observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
        if (!healthy) {
            ++m_stats.reconnects;
            connection = connect(m_url, m_stats.health);
        }
    }
}

// Runs jobs [first, end) into outcomes: one job's work, or a run of combinable jobs at once.
void Executor::runJobs(pqxx::transaction_base &tx, std::vector<Job> &batch, std::size_t first, std::size_t end,
                       std::vector<Outcome> &outcomes)
{
    if (!batch[first].combinable.runAll) {
        outcomes[first] = batch[first].work(tx);
        return;
    }
    std::vector<const std::any *> requests;
    for (std::size_t i = first; i < end; ++i)
        requests.push_back(&batch[i].combinable.request);
    auto results = batch[first].combinable.runAll(tx, requests);
    if (results.size() != requests.size())
        throw std::logic_error("a combined write returned the wrong number of outcomes");
    std::move(results.begin(), results.end(), outcomes.begin() + static_cast<std::ptrdiff_t>(first));
}

// Runs the batch in one transaction and commits it. With savepoints, one request's failure
// undoes only that request. Without, a failure rolls everything back and returns false, and
// the caller runs the batch again with savepoints: two round trips fewer per request in the
// common case where nothing fails, and neighbouring combinable requests run as one (a refusal
// among them stands on its own; only an exception sends their batch to the savepoint pass).
// (A batch of one never needs them: the transaction is its savepoint.) Connection and commit
// failures throw.
bool Executor::runBatchOnce(pqxx::connection &connection, std::vector<Job> &batch, bool savepoints,
                            std::vector<Outcome> &outcomes, std::vector<CommittedEvent> &committed)
{
    std::vector<PartyEvent> events;
    const auto keepEvents = [&events](Outcome &outcome) {
        events.insert(events.end(), std::make_move_iterator(outcome.events.begin()),
                      std::make_move_iterator(outcome.events.end()));
        outcome.events.clear();
    };
    const bool alone = batch.size() == 1;
    pqxx::work tx(connection);
    for (std::size_t i = 0; i < batch.size();) {
        if (!savepoints || alone) {
            const std::size_t end = endOfRun(batch, i);
            try {
                runJobs(tx, batch, i, end, outcomes);
            } catch (const pqxx::broken_connection &) {
                throw;
            } catch (const std::exception &) {
                if (alone)
                    throw;
                tx.abort();
                return false;
            }
            // A combinable request that was refused changed nothing (its contract), so the
            // rest of its run stands; a plain request may have written before it failed.
            const bool combined = batch[i].combinable.runAll != nullptr;
            for (; i < end; ++i) {
                if (outcomes[i].ok()) {
                    keepEvents(outcomes[i]);
                } else if (!combined) {
                    tx.abort();
                    return alone;
                }
            }
            continue;
        }
        try {
            pqxx::subtransaction sub(tx, "request");
            runJobs(sub, batch, i, i + 1, outcomes);
            if (outcomes[i].ok()) {
                sub.commit();
                keepEvents(outcomes[i]);
            } else {
                sub.abort();
            }
        } catch (const pqxx::broken_connection &) {
            throw;
        } catch (const std::exception &e) {
            outcomes[i] = outcomeForDatabaseError(e);
        }
        ++i;
    }
    committed = eventlog::append(tx, events);
    tx.commit();
    return true;
}

bool Executor::runWriteBatch(pqxx::connection &connection, std::vector<Job> &batch)
{
    bool connectionHealthy = true;
    std::vector<Outcome> outcomes(batch.size());
    std::vector<CommittedEvent> committed;
    try {
        if (!runBatchOnce(connection, batch, false, outcomes, committed)) {
            ++m_stats.retriedBatches;
            runBatchOnce(connection, batch, true, outcomes, committed);
        }
        ++m_stats.commits;
        m_stats.health.reached(steadyNowMs());
    } catch (const std::exception &e) {
        // Nothing of the batch is committed: every request in it fails, and no event goes out.
        ++m_stats.failures;
        // One broken connection is not an outage (a terminated backend, an idle timeout): the
        // next batch reconnects at once, and only a failed connect counts as the database gone.
        connectionHealthy = !isConnectionLoss(e);
        if (!connectionHealthy) {
            for (std::size_t i = 0; i < batch.size(); ++i)
                m_stats.health.refused();
        }
        const Outcome failed = outcomeForDatabaseError(e);
        for (auto &o : outcomes)
            o = failed;
        committed.clear();
    }
    // Events first, then the replies: a sender sees its own event before its ack.
    if (!committed.empty())
        m_sink(std::move(committed));
    for (std::size_t i = 0; i < batch.size(); ++i)
        batch[i].done(std::move(outcomes[i]));
    return connectionHealthy;
}

void Executor::readerLoop()
{
    std::unique_ptr<pqxx::connection> connection;
    while (true) {
        auto batch = take(m_reads, kMaxReadBatch);
        if (batch.empty())
            return;
        for (auto &job : batch) {
            if (!usable(connection))
                connection = connect(m_url, m_stats.health);
            if (job.maintenance) {
                try {
                    if (connection)
                        job.maintenance(*connection);
                } catch (const std::exception &e) {
                    if (!isConnectionLoss(e))
                        qCWarning(lcDb, "housekeeping failed: %s", e.what());
                    connection.reset();
                }
                continue;
            }
            --m_stats.readQueue;
            if (!usable(connection)) {
                job.done(unavailable(m_stats.health));
                continue;
            }
            Outcome outcome;
            const auto started = std::chrono::steady_clock::now();
            try {
                ReadTransaction tx(*connection);
                outcome = job.work(tx);
                tx.commit();
                m_stats.health.reached(steadyNowMs());
            } catch (const std::exception &e) {
                outcome = outcomeForDatabaseError(e);
                if (isConnectionLoss(e)) {
                    ++m_stats.reconnects;
                    connection = connect(m_url, m_stats.health);   // failing is how an outage is found
                }
            }
            m_stats.readSeconds.observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
            job.done(std::move(outcome));
        }
    }
}

} // namespace chatterbox::server
