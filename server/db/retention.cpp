// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/db/retention.h"

#include "server/db/eventlog.h"
#include "server/handlers/handlers.h"

#include <nlohmann/json.hpp>

#include <pqxx/pqxx>

#include <chrono>

namespace chatterbox::server::retention {

std::size_t expire(pqxx::transaction_base &tx, int days, int limit, std::vector<PartyEvent> &events)
{
    // The change log first: its rows are what catch-up of a long-gone client would read, and
    // they are older than any client may stay away with them still useful.
    tx.exec_params0("DELETE FROM events WHERE created_at < now() - make_interval(days => $1)", days);
    const auto rows = tx.exec_params("SELECT id FROM messages WHERE deleted_at IS NULL"
                                     " AND created_at < now() - make_interval(days => $1) ORDER BY created_at LIMIT $2",
                                     days, limit);
    for (const auto &row : rows) {
        for (auto &event : handlers::expungeMessage(tx, row[0].as<std::string>()))
            events.push_back(std::move(event));
    }
    return rows.size();
}

std::size_t sweep(pqxx::connection_base &connection, int days, const std::string &instanceId)
{
    constexpr int kBatch = 200;
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    std::size_t total = 0;
    for (;;) {
        pqxx::work tx(connection);
        std::vector<PartyEvent> events;
        const std::size_t deleted = expire(tx, days, kBatch, events);
        const auto committed = eventlog::append(tx, events);
        if (!committed.empty())
            tx.exec_params("SELECT pg_notify('chatterbox', $1)", nlohmann::json{{"i", instanceId}, {"e", committed.back().id}}.dump());
        tx.commit();
        total += deleted;
        if (deleted < static_cast<std::size_t>(kBatch) || std::chrono::steady_clock::now() > until)
            return total;
    }
}

} // namespace chatterbox::server::retention
