// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/handlers/handlers.h"

#include "server/handlers/queries.h"
#include "shared/codec.h"
#include "shared/limits.h"
#include "shared/replies.h"

#include <pqxx/pqxx>

namespace chatterbox::server::handlers {

using protocol::ErrorCode;
using protocol::Role;

namespace {

Refusal notFound() { return Outcome::fail(ErrorCode::NotFound, "no such party"); }
Refusal notFoundMember() { return Outcome::fail(ErrorCode::NotFound, "no such member"); }

// Owners act on everyone but themselves; admins act on plain members only.
bool mayManage(Role actor, Role target)
{
    if (actor == Role::Owner)
        return target != Role::Owner;
    return actor == Role::Admin && target == Role::Member;
}

// Whether the caller may act on another member; the refusal when not. Fills in the target's role.
std::optional<Refusal> checkManage(Tx &tx, const RequestContext &ctx, const std::string &partyId,
                                   const std::string &targetId, const char *refusal, Role &targetRole)
{
    const auto role = queries::roleOf(tx, partyId, ctx.userId);
    if (!role)
        return notFound();
    const auto target = queries::roleOf(tx, partyId, targetId);
    if (!target)
        return notFoundMember();
    if (!mayManage(*role, *target))
        return forbiddenIn(tx, partyId, refusal);
    targetRole = *target;
    return std::nullopt;
}

protocol::PartyUpdated partyUpdated(Tx &tx, const std::string &partyId)
{
    const auto r = tx.exec_params1("SELECT name, owner_id, mass_mentions, notify_default FROM parties WHERE id = $1", partyId);
    protocol::PartyUpdated updated{partyId, r[0].as<std::string>(), r[1].as<std::string>()};
    protocol::massMentionRuleFromName(r[2].as<std::string>(), updated.massMentions);
    protocol::notifyLevelFromName(r[3].as<std::string>(), updated.notifyDefault);
    return updated;
}

} // namespace

AnswerTo<protocol::CreateParty> createParty(Tx &tx, const RequestContext &ctx, const protocol::CreateParty &request)
{
    const auto count = queries::partyCount(tx, ctx.userId);
    if (count >= limits::kMaxPartiesPerUser)
        return Outcome::fail(ErrorCode::Conflict, "you are in too many parties; leave one first");
    const auto partyId = tx.exec_params1("INSERT INTO parties (name, owner_id) VALUES ($1, $2) RETURNING id",
                                         request.name, ctx.userId)[0].as<std::string>();
    tx.exec_params0("INSERT INTO members (party_id, user_id, role) VALUES ($1, $2, 'owner')", partyId, ctx.userId);
    tx.exec_params0("INSERT INTO topics (party_id, name, position) VALUES ($1, 'general', 0)", partyId);
    auto party = *queries::party(tx, partyId);
    auto o = Outcome::reply(protocol::PartyReply{party});
    o.events.push_back({partyId, protocol::PartyCreated{std::move(party)}});
    return o;
}

AnswerTo<protocol::RenameParty> renameParty(Tx &tx, const RequestContext &ctx, const protocol::RenameParty &request)
{
    const auto role = queries::roleOf(tx, request.partyId, ctx.userId);
    if (!role)
        return notFound();
    if (*role != Role::Owner)
        return forbiddenIn(tx, request.partyId, "only the owner can rename the party");
    tx.exec_params0("UPDATE parties SET name = $2 WHERE id = $1", request.partyId, request.name);
    auto o = Outcome::reply(protocol::PartyReply{*queries::party(tx, request.partyId)});
    o.events.push_back({request.partyId, partyUpdated(tx, request.partyId)});
    return o;
}

AnswerTo<protocol::ConfigureParty> configureParty(Tx &tx, const RequestContext &ctx, const protocol::ConfigureParty &request)
{
    const auto role = queries::roleOf(tx, request.partyId, ctx.userId);
    if (!role)
        return notFound();
    if (*role != Role::Owner)
        return forbiddenIn(tx, request.partyId, "only the owner can change the party's settings");
    if (request.massMentions)
        tx.exec_params0("UPDATE parties SET mass_mentions = $2 WHERE id = $1", request.partyId,
                        std::string(protocol::massMentionRuleName(*request.massMentions)));
    if (request.notifyDefault)
        tx.exec_params0("UPDATE parties SET notify_default = $2 WHERE id = $1", request.partyId,
                        std::string(protocol::notifyLevelName(*request.notifyDefault)));
    auto o = Outcome::reply(protocol::PartyReply{*queries::party(tx, request.partyId)});
    o.events.push_back({request.partyId, partyUpdated(tx, request.partyId)});
    return o;
}

AnswerTo<protocol::DeleteParty> deleteParty(Tx &tx, const RequestContext &ctx, const protocol::DeleteParty &request)
{
    const auto role = queries::roleOf(tx, request.partyId, ctx.userId);
    if (!role)
        return notFound();
    if (*role != Role::Owner)
        return forbiddenIn(tx, request.partyId, "only the owner can delete the party");
    tx.exec_params0("DELETE FROM parties WHERE id = $1", request.partyId);
    auto o = Outcome::reply(protocol::Empty{});
    o.events.push_back({request.partyId, protocol::PartyDeleted{request.partyId}});
    return o;
}

AnswerTo<protocol::LeaveParty> leaveParty(Tx &tx, const RequestContext &ctx, const protocol::LeaveParty &request)
{
    const auto role = queries::roleOf(tx, request.partyId, ctx.userId);
    if (!role)
        return notFound();
    if (*role == Role::Owner)
        return Outcome::fail(ErrorCode::Conflict, "the owner cannot leave; transfer ownership or delete the party");
    const bool direct = queries::isDirect(tx, request.partyId);
    if (direct) {
        // Any conversation can be left; it is then no longer the one its people open (the next
        // open starts a new one), and the last to leave takes it away. The party's row lock
        // makes two people leaving at once take turns, so that one of them sees it empty.
        tx.exec_params0("UPDATE parties SET direct_key = NULL WHERE id = $1", request.partyId);
    }
    tx.exec_params0("DELETE FROM members WHERE party_id = $1 AND user_id = $2", request.partyId, ctx.userId);
    if (direct && tx.exec_params("SELECT 1 FROM members WHERE party_id = $1 LIMIT 1", request.partyId).empty()) {
        tx.exec_params0("DELETE FROM parties WHERE id = $1", request.partyId);
        auto o = Outcome::reply(protocol::Empty{});
        o.events.push_back({request.partyId, protocol::PartyDeleted{request.partyId}});
        return o;
    }
    auto o = Outcome::reply(protocol::Empty{});
    o.events.push_back({request.partyId, protocol::MemberLeft{request.partyId, ctx.userId, "left"}});
    return o;
}

AnswerTo<protocol::TransferOwnership> transferOwnership(Tx &tx, const RequestContext &ctx, const protocol::TransferOwnership &request)
{
    const auto role = queries::roleOf(tx, request.partyId, ctx.userId);
    if (!role)
        return notFound();
    if (*role != Role::Owner)
        return forbiddenIn(tx, request.partyId, "only the owner can transfer ownership");
    if (request.userId == ctx.userId)
        return Outcome::fail(ErrorCode::Conflict, "you already own this party");
    if (!queries::roleOf(tx, request.partyId, request.userId))
        return notFoundMember();
    // Demote first: the schema allows one owner per party at any moment.
    tx.exec_params0("UPDATE members SET role = 'admin' WHERE party_id = $1 AND user_id = $2", request.partyId, ctx.userId);
    tx.exec_params0("UPDATE members SET role = 'owner' WHERE party_id = $1 AND user_id = $2", request.partyId, request.userId);
    tx.exec_params0("UPDATE parties SET owner_id = $2 WHERE id = $1", request.partyId, request.userId);
    auto o = Outcome::reply(protocol::PartyReply{*queries::party(tx, request.partyId)});
    o.events.push_back({request.partyId, protocol::MemberUpdated{request.partyId, *queries::member(tx, request.partyId, ctx.userId)}});
    o.events.push_back({request.partyId, protocol::MemberUpdated{request.partyId, *queries::member(tx, request.partyId, request.userId)}});
    o.events.push_back({request.partyId, partyUpdated(tx, request.partyId)});
    return o;
}

AnswerTo<protocol::SetMemberRole> setMemberRole(Tx &tx, const RequestContext &ctx, const protocol::SetMemberRole &request)
{
    Role target = Role::Member;
    if (auto refused = checkManage(tx, ctx, request.partyId, request.userId, "you cannot change this member's role", target))
        return std::move(*refused);
    tx.exec_params0("UPDATE members SET role = $3 WHERE party_id = $1 AND user_id = $2",
                    request.partyId, request.userId, std::string(protocol::roleName(request.role)));
    auto updated = *queries::member(tx, request.partyId, request.userId);
    auto o = Outcome::reply(protocol::Empty{});
    if (target != request.role)
        o.events.push_back({request.partyId, protocol::MemberUpdated{request.partyId, std::move(updated)}});
    return o;
}

AnswerTo<protocol::KickMember> kickMember(Tx &tx, const RequestContext &ctx, const protocol::KickMember &request)
{
    Role target = Role::Member;
    if (auto refused = checkManage(tx, ctx, request.partyId, request.userId, "you cannot remove this member", target))
        return std::move(*refused);
    tx.exec_params0("DELETE FROM members WHERE party_id = $1 AND user_id = $2", request.partyId, request.userId);
    auto o = Outcome::reply(protocol::Empty{});
    o.events.push_back({request.partyId, protocol::MemberLeft{request.partyId, request.userId, "kicked"}});
    return o;
}

} // namespace chatterbox::server::handlers
