// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/db/eventlog.h"

#include "server/handlers/queries.h"
#include "server/logging.h"
#include "shared/frames.h"

#include <QString>

#include <pqxx/pqxx>

namespace chatterbox::server::eventlog {

std::vector<CommittedEvent> append(pqxx::transaction_base &tx, std::vector<PartyEvent> &events)
{
    std::vector<CommittedEvent> out;
    if (events.empty())
        return out;
    const auto count = static_cast<std::int64_t>(events.size());
    nlohmann::json rows = nlohmann::json::array();
    out.reserve(events.size());
    for (auto &e : events) {
        CommittedEvent c;
        c.frame = protocol::encodeEvent(e.event);
        rows.push_back({{"p", e.partyId}, {"k", protocol::eventName(e.event)}, {"d", protocol::eventData(e.event)},
                        {"r", e.recipientUserId}, {"m", e.moreParties}});
        c.partyId = std::move(e.partyId);
        c.event = std::move(e.event);
        c.recipientUserId = std::move(e.recipientUserId);
        c.moreParties = std::move(e.moreParties);
        out.push_back(std::move(c));
    }
    // One statement for the whole batch: the ids taken from the head row (whose lock, held to
    // commit, puts ids in commit order) and the events written under them.
    const auto last = queries::prepared(tx, "event_log_append",
                    "WITH head AS (UPDATE event_log_head SET last_id = last_id + $1 RETURNING last_id),"
                    " ins AS (INSERT INTO events (id, party_id, kind, payload, recipient_user_id, more_party_ids)"
                    "  SELECT head.last_id - $1 + t.n, NULLIF(t.e->>'p', '')::uuid, t.e->>'k', t.e->'d',"
                    "         NULLIF(t.e->>'r', '')::uuid, NULLIF(ARRAY(SELECT jsonb_array_elements_text(t.e->'m')), '{}')::uuid[]"
                    "  FROM head, jsonb_array_elements($2::jsonb) WITH ORDINALITY AS t(e, n))"
                    " SELECT last_id FROM head",
                    count, rows.dump())[0][0].as<std::int64_t>();
    std::int64_t id = last - count;
    for (auto &c : out)
        c.id = ++id;
    return out;
}

Page after(pqxx::transaction_base &tx, std::int64_t afterId, int limit)
{
    const auto rows = tx.exec_params("SELECT id, coalesce(party_id::text, ''), kind, payload::text,"
                                     " coalesce(recipient_user_id::text, ''), coalesce(array_to_string(more_party_ids, ','), '')"
                                     " FROM events WHERE id > $1 ORDER BY id LIMIT $2",
                                     afterId, limit);
    Page page;
    page.events.reserve(rows.size());
    for (const auto &row : rows) {
        CommittedEvent c;
        c.id = row[0].as<std::int64_t>();
        c.partyId = row[1].as<std::string>();
        auto event = decode(row[2].as<std::string>(), row[3].as<std::string>());
        if (!event) {
            qCWarning(lcDb, "event %lld (%s) cannot be read by this version; skipped",
                      static_cast<long long>(c.id), row[2].c_str());
            page.unreadable.push_back(c.id);
            continue;
        }
        c.event = std::move(*event);
        c.frame = protocol::encodeEvent(c.event);
        c.recipientUserId = row[4].as<std::string>();
        for (const auto &part : QString::fromStdString(row[5].as<std::string>()).split(QLatin1Char(','), Qt::SkipEmptyParts))
            c.moreParties.push_back(part.toStdString());
        page.events.push_back(std::move(c));
    }
    return page;
}

std::optional<protocol::Event> decode(const std::string &kind, const std::string &data)
{
    // The stored kind and payload are exactly an event frame's "event" and "data".
    const std::string frame = R"({"type":"event","event":)" + nlohmann::json(kind).dump() + R"(,"data":)" + data + "}";
    auto decoded = protocol::decodeServerFrame(frame);
    if (!decoded)
        return std::nullopt;
    auto *event = std::get_if<protocol::EventFrame>(&decoded.value());
    if (!event)
        return std::nullopt;
    return std::move(event->event);
}

std::int64_t lastId(pqxx::transaction_base &tx)
{
    return tx.exec1("SELECT last_id FROM event_log_head")[0].as<std::int64_t>();
}

} // namespace chatterbox::server::eventlog
