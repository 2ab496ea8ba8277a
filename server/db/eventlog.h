// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/handlers/outcome.h"

#include <pqxx/transaction_base>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace chatterbox::server {

// An event as it was committed: its place in the change log and its frame, encoded once.
struct CommittedEvent {
    std::int64_t id = 0;
    std::string partyId;
    protocol::Event event;
    std::string frame;
    std::string recipientUserId;            // see PartyEvent
    std::vector<std::string> moreParties;
};

// The change log (table events). Ids are in commit order across every instance on the
// database, with no gaps: see 0004_cluster.sql.
namespace eventlog {

// Appends a write batch's events as the last step before its commit.
std::vector<CommittedEvent> append(pqxx::transaction_base &tx, std::vector<PartyEvent> &events);

// Up to `limit` events after `afterId`, in id order, as they were committed (by any instance).
// A stored event this server cannot read (written by a newer version) is skipped and logged;
// its id is in `unreadable`, so a reader that follows the log moves past it.
struct Page {
    std::vector<CommittedEvent> events;
    std::vector<std::int64_t> unreadable;
    std::size_t rows() const { return events.size() + unreadable.size(); }
};
Page after(pqxx::transaction_base &tx, std::int64_t afterId, int limit);

// An event from its name and its data (as in an event frame); nothing when this version cannot
// read it.
std::optional<protocol::Event> decode(const std::string &kind, const std::string &data);

// The id of the newest committed event (0 when there is none).
std::int64_t lastId(pqxx::transaction_base &tx);

} // namespace eventlog
} // namespace chatterbox::server
