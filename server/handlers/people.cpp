// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/handlers/handlers.h"

#include "server/handlers/queries.h"
#include "shared/codec.h"
#include "shared/limits.h"
#include "shared/replies.h"

#include <pqxx/pqxx>

#include <optional>
#include <string>
#include <utility>

// Requests about a person rather than a party: their profile, where they have read to,
// and that they are typing.
namespace chatterbox::server::handlers {

using protocol::ErrorCode;

namespace {

// Why a file cannot be the person's picture, or nothing when it can. Takes the file's row lock,
// so that a message.send of the same file waits and then finds it marked (or the other way).
struct Refusal {
    ErrorCode code;
    std::string message;
};

std::optional<Refusal> pictureProblem(Tx &tx, const std::string &userId, const std::string &fileId)
{
    auto invalid = [](std::string message) { return Refusal{ErrorCode::InvalidRequest, std::move(message)}; };
    const auto rows = tx.exec_params("SELECT received = size, message_id IS NOT NULL, media_type, size, width, height"
                                     " FROM files WHERE id = $1 AND owner_id = $2 FOR UPDATE",
                                     fileId, userId);
    if (rows.empty())
        return Refusal{ErrorCode::NotFound, "no such file of yours"};
    const auto &r = rows[0];
    if (!r[0].as<bool>())
        return invalid("the picture is not uploaded whole yet");
    if (r[1].as<bool>())
        return invalid("the picture's file was sent in a message; upload it again");
    const auto type = r[2].as<std::string>();
    if (type != "image/png" && type != "image/jpeg" && type != "image/webp")
        return invalid("a picture must be a PNG, JPEG or WebP image");
    if (r[3].as<std::int64_t>() > static_cast<std::int64_t>(limits::kMaxAvatarBytes))
        return invalid("a picture must be at most " + std::to_string(limits::kMaxAvatarBytes / 1024) + " KiB");
    if (r[4].is_null() || r[5].is_null() || r[4].as<int>() != r[5].as<int>() || r[4].as<int>() > limits::kMaxAvatarSide)
        return invalid("a picture must be square (width and height the same), at most " + std::to_string(limits::kMaxAvatarSide) + " pixels a side");
    return std::nullopt;
}

} // namespace

AnswerTo<protocol::UpdateProfile> updateProfile(Tx &tx, const RequestContext &ctx, const protocol::UpdateProfile &request)
{
    if (request.avatarFileId) {
        const std::string &fileId = *request.avatarFileId;
        // The person's row first (as an upload's quota check takes it): two changes of picture
        // at once take turns, so the second unmarks the first's file rather than missing it.
        tx.exec_params("SELECT 1 FROM users WHERE id = $1 FOR UPDATE", ctx.userId);
        if (!fileId.empty()) {
            if (auto refused = pictureProblem(tx, ctx.userId, fileId))
                return Outcome::fail(refused->code, refused->message);
        }
        // The picture it replaces is an unsent upload again, for the next sweep.
        tx.exec_params0("UPDATE files SET avatar = coalesce(id = NULLIF($2, '')::uuid, false) WHERE owner_id = $1 AND (avatar OR id = NULLIF($2, '')::uuid)",
                        ctx.userId, fileId);
        tx.exec_params0("UPDATE users SET avatar_file_id = NULLIF($2, '')::uuid WHERE id = $1", ctx.userId, fileId);
    }
    if (request.statusText)
        tx.exec_params0("UPDATE users SET status_text = $2, status_expires_at = CASE WHEN $3 THEN to_timestamp($4 / 1000.0) END"
                        " WHERE id = $1",
                        ctx.userId, *request.statusText, request.statusExpiresAt.has_value(), request.statusExpiresAt.value_or(0));
    const auto row = tx.exec_params1(std::string("UPDATE users u SET display_name = coalesce(NULLIF($2, ''), display_name),"
                                                 " avatar_url = CASE WHEN $3 THEN $4 ELSE avatar_url END"
                                                 " WHERE u.id = $1 RETURNING ") + queries::kUserColumns,
                                     ctx.userId, request.displayName.value_or(std::string()), request.avatarUrl.has_value(),
                                     request.avatarUrl.value_or(std::string()));
    const protocol::User user = queries::userFromRow(row);
    auto o = Outcome::reply(protocol::ProfileReply{user});
    // Everyone who shares a party with this person hears of it, once.
    auto parties = queries::partyIdsOf(tx, ctx.userId);
    if (!parties.empty()) {
        PartyEvent event{parties.front(), protocol::ProfileUpdated{user}};
        event.moreParties.assign(parties.begin() + 1, parties.end());
        o.events.push_back(std::move(event));
    }
    return o;
}

AnswerTo<protocol::MarkRead> markRead(Tx &tx, const RequestContext &ctx, const protocol::MarkRead &request)
{
    const auto access = queries::topicAccess(tx, request.topicId, ctx.userId);
    if (!access)
        return Outcome::fail(ErrorCode::NotFound, "no such topic");
    const auto before = queries::readState(tx, ctx.userId, request.topicId);
    // A position past the newest message means "all of it".
    const auto lastSeq = tx.exec_params1("SELECT last_seq FROM topics WHERE id = $1", request.topicId)[0].as<std::int64_t>();
    queries::advanceReadState(tx, ctx.userId, request.topicId, std::min(request.seq, lastSeq));
    const auto after = queries::readState(tx, ctx.userId, request.topicId);
    auto o = Outcome::reply(protocol::ReadStateReply{after});
    if (after.lastReadSeq != before.lastReadSeq)
        o.events.push_back({access->partyId, protocol::ReadStateUpdated{after}, ctx.userId});
    return o;
}

AnswerTo<protocol::StartTyping> startTyping(Tx &tx, const RequestContext &ctx, const protocol::StartTyping &request)
{
    const auto access = queries::topicAccess(tx, request.topicId, ctx.userId);
    if (!access)
        return Outcome::fail(ErrorCode::NotFound, "no such topic");
    auto o = Outcome::reply(protocol::Empty{});
    // Between two people a block stands between, nobody is told of typing (nor that it was dropped).
    if (access->direct && queries::blockedInDirect(tx, access->partyId, ctx.userId))
        return o;
    PartyEvent typing{access->partyId, protocol::Typing{access->partyId, request.topicId, ctx.userId}};
    typing.exceptUserId = ctx.userId;
    o.ephemeral.push_back(std::move(typing));
    return o;
}

} // namespace chatterbox::server::handlers
