// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/handlers/outcome.h"

#include <nlohmann/json.hpp>

#include <pqxx/transaction_base>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

// What an operator does to people and parties (chatterbox-server admin), as functions of a
// transaction. Changes go through the request handlers, so members' apps hear of them as of any
// change: the events returned are appended to the change log by the caller, in the same
// transaction, and the running instances deliver them.
namespace chatterbox::server::admin {

struct PersonRow {
    std::string id;
    std::string displayName;
    std::string createdAt;                 // ISO 8601, UTC
    std::vector<std::string> identities;   // "provider:subject"
    int parties = 0;
    std::int64_t messages = 0;
    std::optional<std::string> suspendedAt;
    std::optional<std::string> deletedAt;
};

// People whose name, id or sign-in subject contains `text` (case-insensitive; all when empty),
// newest first, at most `limit`.
std::vector<PersonRow> findPeople(pqxx::transaction_base &tx, const std::string &text, int limit);
std::optional<PersonRow> person(pqxx::transaction_base &tx, const std::string &userId);

// Every sign-in of theirs ended (the families, for the instances to close their connections)
// and no new one until unsuspended. Nothing when there is no such person.
std::optional<std::vector<std::string>> suspend(pqxx::transaction_base &tx, const std::string &userId, const std::string &reason);
bool unsuspend(pqxx::transaction_base &tx, const std::string &userId);

// Everything kept about a person, for a data-access request: profile, sign-in identities,
// parties, messages with their earlier versions, reactions, files (what they are, not their
// bytes) and blocks.
std::optional<nlohmann::json> exportPerson(pqxx::transaction_base &tx, const std::string &userId);

struct Erasure {
    std::int64_t messages = 0;
    int reactions = 0;
    int partiesLeft = 0;
    int partiesHandedOn = 0;
    int partiesDeleted = 0;
    std::vector<PartyEvent> events;
    std::vector<std::string> endedSignIns;
};
// Deletes a person and everything they wrote: their messages become tombstones (text, files,
// reactions and earlier versions gone, the change log's copies too), their reactions go, the
// parties they own pass to the longest-standing admin (or member) or, with nobody else in them,
// are deleted; they leave every party; their profile, identities, invites, blocks and uploads
// go. The row stays, named "Deleted person", as the author of the tombstones, suspended so that
// nobody signs in to it. Nothing when there is no such person or they are deleted already.
std::optional<Erasure> erasePerson(pqxx::transaction_base &tx, const std::string &userId);

// Deletes a party with everything in it, as its owner would. Nothing when there is none.
std::optional<std::vector<PartyEvent>> deleteParty(pqxx::transaction_base &tx, const std::string &partyId);

struct InstanceRow {
    std::string id;
    std::string startedAt;
    std::string seenAt;
    int people = 0;   // connected to it
};
std::vector<InstanceRow> instances(pqxx::transaction_base &tx);

} // namespace chatterbox::server::admin
