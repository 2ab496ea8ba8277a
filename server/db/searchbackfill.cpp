// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/db/searchbackfill.h"

#include "server/logging.h"

#include <pqxx/pqxx>

#include <chrono>

namespace chatterbox::server {

namespace {

constexpr int kBatch = 2000;
constexpr int kPauseMs = 20;          // between batches: a batch takes about 50 ms
constexpr int kRetryMs = 10000;       // after the database was away

} // namespace

SearchBackfill::SearchBackfill(std::string databaseUrl) : m_url(std::move(databaseUrl)) {}

SearchBackfill::~SearchBackfill()
{
    stop();
}

void SearchBackfill::start()
{
    m_thread = std::thread([this] { run(); });
}

void SearchBackfill::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

bool SearchBackfill::pause(int ms)
{
    std::unique_lock lock(m_mutex);
    return !m_wake.wait_for(lock, std::chrono::milliseconds(ms), [this] { return m_stopping; });
}

std::size_t SearchBackfill::runBatch(pqxx::connection &connection, int limit)
{
    pqxx::work tx(connection);
    // The trigger fires on changes to body or deleted_at only, so this changes nothing else.
    const auto r = tx.exec_params("WITH batch AS (SELECT id FROM messages WHERE search_vector IS NULL AND deleted_at IS NULL"
                                  " ORDER BY created_at DESC LIMIT $1 FOR UPDATE SKIP LOCKED)"
                                  " UPDATE messages m SET search_vector = chatterbox_message_vector(m.body, m.topic_id) FROM batch WHERE m.id = batch.id",
                                  limit);
    tx.commit();
    return static_cast<std::size_t>(r.affected_rows());
}

void SearchBackfill::run()
{
    std::size_t done = 0;
    bool announced = false;
    while (true) {
        try {
            pqxx::connection connection(m_url);
            while (true) {
                const std::size_t batch = runBatch(connection, kBatch);
                if (batch == 0) {
                    if (announced)
                        qCInfo(lcDb, "search: every earlier message is searchable now (%zu by this instance)", done);
                    return;
                }
                if (!announced) {
                    const auto left = pqxx::work(connection).exec1("SELECT count(*) FROM messages WHERE search_vector IS NULL AND deleted_at IS NULL");
                    qCInfo(lcDb, "search: making %lld earlier messages searchable, newest first", left[0].as<long long>() + static_cast<long long>(batch));
                    announced = true;
                }
                done += batch;
                if (done % 500000 < batch)
                    qCInfo(lcDb, "search: %zu earlier messages searchable so far", done);
                if (!pause(kPauseMs))
                    return;
            }
        } catch (const std::exception &e) {
            qCWarning(lcDb, "search: making earlier messages searchable failed, trying again later: %s", e.what());
        }
        if (!pause(kRetryMs))
            return;
    }
}

} // namespace chatterbox::server
