// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/handlers/handlers.h"

#include "server/auth/crypto.h"
#include "server/handlers/queries.h"
#include "shared/codec.h"
#include "shared/limits.h"
#include "shared/replies.h"

#include <pqxx/pqxx>

namespace chatterbox::server::handlers {

using protocol::ErrorCode;
using protocol::Role;

namespace {

constexpr const char *kInviteColumns =
    "i.code, i.party_id, i.created_by, " CHATTERBOX_MS("i.created_at") " AS created_ms, "
    CHATTERBOX_MS("i.expires_at") " AS expires_ms, i.max_uses, i.uses";

// Usable: not revoked, not expired, not used up.
constexpr const char *kUsable =
    "i.revoked_at IS NULL AND (i.expires_at IS NULL OR i.expires_at > now())"
    " AND (i.max_uses IS NULL OR i.uses < i.max_uses)";

protocol::Invite inviteFromRow(const pqxx::row &r, const std::string &baseUrl)
{
    protocol::Invite invite;
    invite.code = r["code"].as<std::string>();
    invite.partyId = r["party_id"].as<std::string>();
    invite.url = baseUrl + "/invite/" + invite.code;
    invite.createdBy = r["created_by"].as<std::string>();
    invite.createdAt = r["created_ms"].as<std::int64_t>();
    if (!r["expires_ms"].is_null())
        invite.expiresAt = r["expires_ms"].as<std::int64_t>();
    if (!r["max_uses"].is_null())
        invite.maxUses = r["max_uses"].as<int>();
    invite.uses = r["uses"].as<int>();
    return invite;
}

// Invites are the owner's and admins' business; others get the refusal, strangers not_found.
std::optional<Refusal> refuseUnlessManager(Tx &tx, const RequestContext &ctx, const std::string &partyId, const char *refusal)
{
    const auto role = queries::roleOf(tx, partyId, ctx.userId);
    if (!role)
        return Outcome::fail(ErrorCode::NotFound, "no such party");
    if (*role != Role::Owner && *role != Role::Admin)
        return forbiddenIn(tx, partyId, refusal);
    return std::nullopt;
}

Refusal noSuchInvite() { return Outcome::fail(ErrorCode::NotFound, "this invite does not exist or is no longer valid"); }

} // namespace

AnswerTo<protocol::CreateInvite> createInvite(Tx &tx, const RequestContext &ctx, const protocol::CreateInvite &request)
{
    if (auto refused = refuseUnlessManager(tx, ctx, request.partyId, "only the owner and admins can invite"))
        return std::move(*refused);
    const auto live = tx.exec_params1("SELECT count(*) FROM invites i WHERE i.party_id = $1 AND " + std::string(kUsable),
                                      request.partyId)[0].as<std::size_t>();
    if (live >= limits::kMaxInvitesPerParty)
        return Outcome::fail(ErrorCode::Conflict, "this party has too many open invites; revoke some first");
    // 128 bits from the CSPRNG, URL-safe: unguessable, and fine in a link.
    const std::string code = crypto::base64UrlEncode(crypto::randomBytes(16));
    const auto row = tx.exec_params1(
        "INSERT INTO invites AS i (code, party_id, created_by, expires_at, max_uses)"
        " VALUES ($1, $2, $3, CASE WHEN $4 > 0 THEN now() + make_interval(secs => $4) END, NULLIF($5, 0))"
        " RETURNING " + std::string(kInviteColumns),
        code, request.partyId, ctx.userId, static_cast<double>(request.expiresInSeconds.value_or(0)), request.maxUses.value_or(0));
    return Outcome::reply(protocol::InviteReply{inviteFromRow(row, ctx.baseUrl)});
}

AnswerTo<protocol::ListInvites> listInvites(Tx &tx, const RequestContext &ctx, const protocol::ListInvites &request)
{
    if (auto refused = refuseUnlessManager(tx, ctx, request.partyId, "only the owner and admins can see invites"))
        return std::move(*refused);
    protocol::InviteList list;
    for (const auto &r : tx.exec_params("SELECT " + std::string(kInviteColumns) + " FROM invites i WHERE i.party_id = $1 AND "
                                        + kUsable + " ORDER BY i.created_at",
                                        request.partyId))
        list.invites.push_back(inviteFromRow(r, ctx.baseUrl));
    return Outcome::reply(list);
}

AnswerTo<protocol::RevokeInvite> revokeInvite(Tx &tx, const RequestContext &ctx, const protocol::RevokeInvite &request)
{
    if (auto refused = refuseUnlessManager(tx, ctx, request.partyId, "only the owner and admins can revoke invites"))
        return std::move(*refused);
    const auto revoked = tx.exec_params("UPDATE invites SET revoked_at = coalesce(revoked_at, now())"
                                        " WHERE code = $1 AND party_id = $2 RETURNING code",
                                        request.code, request.partyId);
    if (revoked.empty())
        return noSuchInvite();
    return Outcome::reply(protocol::Empty{});
}

AnswerTo<protocol::PreviewInvite> previewInvite(Tx &tx, const RequestContext &ctx, const protocol::PreviewInvite &request)
{
    const auto r = tx.exec_params("SELECT p.name, u.display_name,"
                                  " (SELECT count(*) FROM members mb WHERE mb.party_id = p.id) AS members,"
                                  " EXISTS (SELECT 1 FROM members mb WHERE mb.party_id = p.id AND mb.user_id = $2) AS joined"
                                  " FROM invites i JOIN parties p ON p.id = i.party_id JOIN users u ON u.id = i.created_by"
                                  " WHERE i.code = $1 AND " + std::string(kUsable),
                                  request.code, ctx.userId);
    if (r.empty())
        return noSuchInvite();
    protocol::InvitePreview preview;
    preview.code = request.code;
    preview.partyName = r[0][0].as<std::string>();
    preview.inviterName = r[0][1].as<std::string>();
    preview.memberCount = r[0][2].as<int>();
    preview.alreadyMember = r[0][3].as<bool>();
    return Outcome::reply(protocol::InvitePreviewReply{preview});
}

AnswerTo<protocol::JoinInvite> joinInvite(Tx &tx, const RequestContext &ctx, const protocol::JoinInvite &request)
{
    const auto invite = tx.exec_params("SELECT i.party_id FROM invites i WHERE i.code = $1 AND " + std::string(kUsable),
                                       request.code);
    if (invite.empty())
        return noSuchInvite();
    const std::string partyId = invite[0][0].as<std::string>();
    if (queries::roleOf(tx, partyId, ctx.userId))
        return Outcome::reply(protocol::JoinedParty{*queries::party(tx, partyId), {}}); // already in: spends nothing
    const auto count = queries::partyCount(tx, ctx.userId);
    if (count >= limits::kMaxPartiesPerUser)
        return Outcome::fail(ErrorCode::Conflict, "you are in too many parties; leave one first");
    // One conditional UPDATE spends a use: its row lock makes concurrent joins queue, and each
    // re-checks the limit after the one before it committed, so uses never pass max_uses.
    const auto spent = tx.exec_params("UPDATE invites i SET uses = uses + 1 WHERE i.code = $1 AND " + std::string(kUsable)
                                      + " RETURNING i.party_id",
                                      request.code);
    if (spent.empty())
        return noSuchInvite();
    tx.exec_params0("INSERT INTO members (party_id, user_id, role) VALUES ($1, $2, 'member')", partyId, ctx.userId);
    queries::startReadStatesAtEnd(tx, ctx.userId, partyId);
    auto party = *queries::party(tx, partyId);
    auto member = *queries::member(tx, partyId, ctx.userId);
    auto o = Outcome::reply(protocol::JoinedParty{party, {}});
    o.events.push_back({partyId, protocol::PartyJoined{std::move(party)}, ctx.userId});
    o.events.push_back({partyId, protocol::MemberJoined{partyId, std::move(member)}});
    return o;
}

} // namespace chatterbox::server::handlers
