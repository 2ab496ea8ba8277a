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

// Whether the two share a party (not a direct conversation): who may be in a conversation together.
bool sharesParty(Tx &tx, const std::string &a, const std::string &b)
{
    return !tx.exec_params("SELECT 1 FROM members x JOIN parties p ON p.id = x.party_id AND p.kind = 'party'"
                           " JOIN members y ON y.party_id = x.party_id AND y.user_id = $2"
                           " WHERE x.user_id = $1 LIMIT 1",
                           a, b)
                .empty();
}

// Whether the two are in anything together, party or conversation: whom one may block.
bool sharesAnything(Tx &tx, const std::string &a, const std::string &b)
{
    return !tx.exec_params("SELECT 1 FROM members x JOIN members y ON y.party_id = x.party_id AND y.user_id = $2"
                           " WHERE x.user_id = $1 LIMIT 1",
                           a, b)
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
    std::vector<std::string> everyone = request.userIds;
    everyone.push_back(ctx.userId);
    std::sort(everyone.begin(), everyone.end());
    // Everyone in it must be able to meet everyone else: each pair shares a party and no block
    // stands between any two, so nobody is put in with a stranger or someone they block. (Past
    // the caller's own pairs the answer is the same, so that it tells nothing about others.)
    for (std::size_t i = 0; i < everyone.size(); ++i) {
        for (std::size_t j = i + 1; j < everyone.size(); ++j) {
            if (!sharesParty(tx, everyone[i], everyone[j]))
                return noSuchPerson();
        }
    }
    const std::string everyoneArray = queries::uuidArray(everyone);
    if (!tx.exec_params("SELECT 1 FROM blocks WHERE user_id = ANY($1::uuid[]) AND blocked_id = ANY($1::uuid[]) LIMIT 1",
                        everyoneArray)
             .empty())
        return noSuchPerson();

    const std::string key = directKey(ctx.userId, request.userIds);
    // Two people opening the same conversation at once: the second insert waits for the first
    // to commit, then does nothing, and the look-up that follows (a statement of its own, so
    // with a snapshot taken after that commit) finds the conversation the first made.
    const auto made = tx.exec_params("INSERT INTO parties (name, owner_id, kind, direct_key, mass_mentions) VALUES ('', $1, 'direct', $2, 'members')"
                                     " ON CONFLICT (direct_key) DO NOTHING RETURNING id",
                                     ctx.userId, key);
    if (made.empty()) {
        const auto found = tx.exec_params("SELECT id FROM parties WHERE direct_key = $1", key);
        // Gone again between the two statements (someone left it): the next try makes a new one.
        if (found.empty())
            return Outcome::fail(ErrorCode::Conflict, "the conversation changed meanwhile; try again");
        return Outcome::reply(protocol::JoinedParty{*queries::party(tx, found[0][0].as<std::string>()), {}});
    }
    const auto partyId = made[0][0].as<std::string>();
    // Every member's count, not only the caller's, under their rows' locks (taken in id order,
    // as every open takes them, so that two opens cannot deadlock): nobody can be put in more
    // conversations than the limit, also by opens racing on other instances.
    tx.exec_params("SELECT 1 FROM users WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE", everyoneArray);
    const auto full = tx.exec_params("SELECT mb.user_id FROM members mb JOIN parties p ON p.id = mb.party_id AND p.kind = 'direct'"
                                     " WHERE mb.user_id = ANY($1::uuid[]) GROUP BY mb.user_id HAVING count(*) >= $2 LIMIT 1",
                                     everyoneArray, static_cast<std::int64_t>(limits::kMaxDirectConversationsPerUser));
    if (!full.empty())
        return Outcome::fail(ErrorCode::Conflict, full[0][0].as<std::string>() == ctx.userId
                                                      ? "you are in too many direct conversations; leave one first"
                                                      : "someone of them is in too many direct conversations");
    tx.exec_params0("INSERT INTO members (party_id, user_id, role) SELECT $1, unnest($2::uuid[]), 'member'", partyId, everyoneArray);
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
    if (!sharesAnything(tx, ctx.userId, request.userId))
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
