// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/handlers/handlers.h"

#include "server/handlers/queries.h"
#include "shared/limits.h"
#include "shared/replies.h"

#include <pqxx/pqxx>

#include <algorithm>

// Direct conversations (parties of kind 'direct', see 0013_direct_conversations.sql) and blocks.
namespace chatterbox::server::handlers {

using protocol::ErrorCode;

namespace {

// The same answer for a made-up id, a stranger, someone who blocked the caller and someone the
// caller blocked: none of them can be told apart from outside.
Refusal noSuchPerson()
{
    return Outcome::fail(ErrorCode::NotFound, "no such person among the people you share a party with");
}

// Everyone in the conversation, sorted: the key that makes one conversation per set of people.
std::string directKey(const std::string &callerId, std::vector<std::string> others)
{
    others.push_back(callerId);
    std::sort(others.begin(), others.end());
    std::string key;
    for (const auto &id : others) {
        if (!key.empty())
            key += ',';
        key += id;
    }
    return key;
}

// The caller's block list, as replies and events carry it; tells the caller's other connections.
Answer<protocol::BlockList> blockListChanged(Tx &tx, const RequestContext &ctx)
{
    auto ids = queries::blockedBy(tx, ctx.userId);
    auto o = Outcome::reply(protocol::BlockList{ids});
    // Events travel by party; any of the person's parties reaches all of their connections.
    // Someone in no party has no other connection that could have drawn anything from the list.
    const auto parties = queries::partyIdsOf(tx, ctx.userId);
    if (!parties.empty())
        o.events.push_back({parties.front(), protocol::BlocksUpdated{std::move(ids)}, ctx.userId});
    return o;
}

// Whether the caller shares a party (not a direct conversation) with this person.
bool sharesParty(Tx &tx, const std::string &callerId, const std::string &userId)
{
    return !tx.exec_params("SELECT 1 FROM members a JOIN parties p ON p.id = a.party_id AND p.kind = 'party'"
                           " JOIN members b ON b.party_id = a.party_id AND b.user_id = $2"
                           " WHERE a.user_id = $1 LIMIT 1",
                           callerId, userId)
                .empty();
}

} // namespace

Refusal forbiddenIn(Tx &tx, const std::string &partyId, const char *refusal)
{
    if (queries::isDirect(tx, partyId))
        return Outcome::fail(ErrorCode::Forbidden, "a direct conversation has no owner, topics to manage or invites");
    return Outcome::fail(ErrorCode::Forbidden, refusal);
}

AnswerTo<protocol::OpenDirect> openDirect(Tx &tx, const RequestContext &ctx, const protocol::OpenDirect &request)
{
    if (std::find(request.userIds.begin(), request.userIds.end(), ctx.userId) != request.userIds.end())
        return Outcome::fail(ErrorCode::InvalidRequest, "name the others: you are in your conversations anyway");
    for (const auto &userId : request.userIds) {
        if (!sharesParty(tx, ctx.userId, userId))
            return noSuchPerson();
    }
    const auto blocked = tx.exec_params("SELECT 1 FROM blocks WHERE (user_id = $1 AND blocked_id = ANY($2::uuid[]))"
                                        " OR (blocked_id = $1 AND user_id = ANY($2::uuid[])) LIMIT 1",
                                        ctx.userId, queries::uuidArray(request.userIds));
    if (!blocked.empty())
        return noSuchPerson();

    const std::string key = directKey(ctx.userId, request.userIds);
    // Two people opening the same conversation at once: the second insert waits for the first
    // to commit, then does nothing, and the look-up that follows (a statement of its own, so
    // with a snapshot taken after that commit) finds the conversation the first made.
    const auto made = tx.exec_params("INSERT INTO parties (name, owner_id, kind, direct_key) VALUES ('', $1, 'direct', $2)"
                                     " ON CONFLICT (direct_key) DO NOTHING RETURNING id",
                                     ctx.userId, key);
    if (made.empty()) {
        const auto partyId = tx.exec_params1("SELECT id FROM parties WHERE direct_key = $1", key)[0].as<std::string>();
        return Outcome::reply(protocol::JoinedParty{*queries::party(tx, partyId), {}});
    }
    const auto partyId = made[0][0].as<std::string>();
    const auto count = tx.exec_params1("SELECT count(*) FROM members mb JOIN parties p ON p.id = mb.party_id AND p.kind = 'direct'"
                                       " WHERE mb.user_id = $1",
                                       ctx.userId)[0].as<std::size_t>();
    if (count >= limits::kMaxDirectConversationsPerUser)
        return Outcome::fail(ErrorCode::Conflict, "you are in too many direct conversations; leave a group one first");
    std::vector<std::string> everyone = request.userIds;
    everyone.push_back(ctx.userId);
    tx.exec_params0("INSERT INTO members (party_id, user_id, role) SELECT $1, unnest($2::uuid[]), 'member'", partyId,
                    queries::uuidArray(everyone));
    tx.exec_params0("INSERT INTO topics (party_id, name, position) VALUES ($1, 'messages', 0)", partyId);
    auto party = *queries::party(tx, partyId);
    auto o = Outcome::reply(protocol::JoinedParty{party, {}});
    o.events.push_back({partyId, protocol::PartyCreated{std::move(party)}});
    return o;
}

AnswerTo<protocol::BlockUser> blockUser(Tx &tx, const RequestContext &ctx, const protocol::BlockUser &request)
{
    if (request.userId == ctx.userId)
        return Outcome::fail(ErrorCode::InvalidRequest, "you cannot block yourself");
    // Only someone the caller could meet: a made-up id and a stranger look the same.
    if (!sharesParty(tx, ctx.userId, request.userId))
        return noSuchPerson();
    // The person's row keeps two blocks at once from passing the limit together.
    tx.exec_params("SELECT 1 FROM users WHERE id = $1 FOR UPDATE", ctx.userId);
    const auto count = tx.exec_params1("SELECT count(*) FROM blocks WHERE user_id = $1", ctx.userId)[0].as<std::size_t>();
    if (count >= limits::kMaxBlockedUsers)
        return Outcome::fail(ErrorCode::Conflict, "you block too many people; unblock someone first");
    tx.exec_params0("INSERT INTO blocks (user_id, blocked_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", ctx.userId, request.userId);
    return blockListChanged(tx, ctx);
}

AnswerTo<protocol::UnblockUser> unblockUser(Tx &tx, const RequestContext &ctx, const protocol::UnblockUser &request)
{
    // Anyone on the list, also after the last shared party is gone; nobody else.
    const auto removed = tx.exec_params("DELETE FROM blocks WHERE user_id = $1 AND blocked_id = $2 RETURNING 1", ctx.userId,
                                        request.userId);
    if (removed.empty())
        return Outcome::fail(ErrorCode::NotFound, "you do not block this person");
    return blockListChanged(tx, ctx);
}

} // namespace chatterbox::server::handlers
