#include "server/db/executor.h"

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

// Opens a connection, or returns nothing and logs why (the jobs then get "unavailable").
std::unique_ptr<pqxx::connection> connect(const std::string &url)
{
    try {
        return std::make_unique<pqxx::connection>(url);
    } catch (const std::exception &e) {
        qCWarning(lcDb, "cannot connect to the database: %s", e.what());
        return nullptr;
    }
}

bool usable(const std::unique_ptr<pqxx::connection> &c)
{
    return c && c->is_open();
}

} // namespace

Outcome outcomeForDatabaseError(const std::exception &error)
{
    using protocol::ErrorCode;
    if (dynamic_cast<const pqxx::broken_connection *>(&error) || dynamic_cast<const pqxx::in_doubt_error *>(&error)) {
        qCWarning(lcDb, "database connection lost: %s", error.what());
        return Outcome::fail(ErrorCode::Unavailable, "the server cannot reach its database; try again shortly");
    }
    if (dynamic_cast<const pqxx::unique_violation *>(&error))
        return Outcome::fail(ErrorCode::Conflict, "that already exists");
    if (const auto *sql = dynamic_cast<const pqxx::sql_error *>(&error)) {
        qCWarning(lcDb, "database error, SQLSTATE %s", sql->sqlstate().c_str());
        return Outcome::fail(ErrorCode::Internal, "the server failed to handle this request");
    }
    qCWarning(lcDb, "request failed: %s", error.what());
    return Outcome::fail(ErrorCode::Internal, "the server failed to handle this request");
}

Executor::Executor(std::string databaseUrl, int readerThreads, EventSink sink)
    : m_url(std::move(databaseUrl)), m_sink(std::move(sink))
{
    m_threads.emplace_back([this] { writerLoop(); });
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
    m_writes.wake.notify_all();
    m_reads.wake.notify_all();
    for (auto &t : m_threads)
        t.join();
    m_threads.clear();
}

void Executor::write(Work work, Done done)
{
    ++m_stats.writeQueue;
    {
        std::lock_guard lock(m_writes.mutex);
        m_writes.jobs.push_back({std::move(work), std::move(done)});
    }
    m_writes.wake.notify_one();
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

void Executor::writerLoop()
{
    std::unique_ptr<pqxx::connection> connection;
    while (true) {
        auto batch = take(m_writes, kMaxWriteBatch);
        if (batch.empty())
            return; // stopping, and nothing left to do
        m_stats.writeQueue -= static_cast<std::int64_t>(batch.size());
        if (!usable(connection))
            connection = connect(m_url);
        if (!usable(connection)) {
            for (auto &job : batch)
                job.done(Outcome::fail(protocol::ErrorCode::Unavailable, "the server cannot reach its database; try again shortly"));
            continue;
        }
        if (!runWriteBatch(*connection, batch))
            connection.reset(); // reconnect before the next batch
    }
}

bool Executor::runWriteBatch(pqxx::connection &connection, std::vector<Job> &batch)
{
    bool connectionHealthy = true;
    std::vector<Outcome> outcomes(batch.size());
    std::vector<PartyEvent> events;
    std::vector<CommittedEvent> committed;
    const auto keepEvents = [&events](Outcome &outcome) {
        events.insert(events.end(), std::make_move_iterator(outcome.events.begin()),
                      std::make_move_iterator(outcome.events.end()));
        outcome.events.clear();
    };
    try {
        pqxx::work tx(connection);
        for (std::size_t i = 0; i < batch.size(); ++i) {
            // One request's failure must not undo the others in the batch: each gets a savepoint.
            // A batch of one needs none; the transaction itself is its savepoint.
            if (batch.size() == 1) {
                outcomes[i] = batch[i].work(tx);
                if (outcomes[i].ok())
                    keepEvents(outcomes[i]);
                continue;
            }
            try {
                pqxx::subtransaction sub(tx, "request");
                outcomes[i] = batch[i].work(sub);
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
        }
        if (batch.size() == 1 && !outcomes[0].ok()) {
            tx.abort();
        } else {
            committed = eventlog::append(tx, events);
            tx.commit();
        }
        ++m_stats.commits;
    } catch (const std::exception &e) {
        // Nothing of the batch is committed: every request in it fails, and no event goes out.
        ++m_stats.failures;
        connectionHealthy = dynamic_cast<const pqxx::broken_connection *>(&e) == nullptr;
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
                connection = connect(m_url);
            if (job.maintenance) {
                try {
                    if (connection)
                        job.maintenance(*connection);
                } catch (const std::exception &e) {
                    qCWarning(lcDb, "housekeeping failed: %s", e.what());
                    connection.reset();
                }
                continue;
            }
            --m_stats.readQueue;
            if (!usable(connection)) {
                job.done(Outcome::fail(protocol::ErrorCode::Unavailable, "the server cannot reach its database; try again shortly"));
                continue;
            }
            Outcome outcome;
            try {
                ReadTransaction tx(*connection);
                outcome = job.work(tx);
                tx.commit();
            } catch (const std::exception &e) {
                outcome = outcomeForDatabaseError(e);
                if (dynamic_cast<const pqxx::broken_connection *>(&e))
                    connection.reset();
            }
            job.done(std::move(outcome));
        }
    }
}

} // namespace chatterbox::server
