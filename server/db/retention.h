// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/handlers/outcome.h"

#include <pqxx/connection>
#include <pqxx/transaction_base>

#include <cstddef>
#include <string>
#include <vector>

namespace chatterbox::server::retention {

// Deletes up to `limit` of the oldest messages written more than `days` days ago, as their
// authors' deletes would (tombstones, text gone everywhere it was kept), returning the events
// for the change log; and the change log's rows older than that, whose payloads hold text.
// Returns how many messages it deleted; a caller sweeping repeats while that is `limit`.
std::size_t expire(pqxx::transaction_base &tx, int days, int limit, std::vector<PartyEvent> &events);

// One round of the server's retention: batches of expire(), each committed with its events and
// a wake-up for the instances (this one too) to deliver them, for at most a few seconds' work.
// Returns how many messages went.
std::size_t sweep(pqxx::connection_base &connection, int days, const std::string &instanceId);

} // namespace chatterbox::server::retention
