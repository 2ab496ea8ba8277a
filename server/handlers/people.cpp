#include "server/handlers/handlers.h"

#include "server/handlers/queries.h"
#include "shared/codec.h"
#include "shared/replies.h"

#include <pqxx/pqxx>

// Requests about a person rather than a party: their profile, where they have read to,
// and that they are typing.
namespace chatterbox::server::handlers {

using protocol::ErrorCode;

AnswerTo<protocol::UpdateProfile> updateProfile(Tx &tx, const RequestContext &ctx, const protocol::UpdateProfile &request)
{
    const auto row = tx.exec_params1("UPDATE users SET display_name = coalesce(NULLIF($2, ''), display_name),"
                                     " avatar_url = CASE WHEN $3 THEN $4 ELSE avatar_url END"
                                     " WHERE id = $1 RETURNING id, display_name, avatar_url",
                                     ctx.userId, request.displayName.value_or(std::string()), request.avatarUrl.has_value(),
                                     request.avatarUrl.value_or(std::string()));
    protocol::User user{row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::string>()};
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
    PartyEvent typing{access->partyId, protocol::Typing{access->partyId, request.topicId, ctx.userId}};
    typing.exceptUserId = ctx.userId;
    o.ephemeral.push_back(std::move(typing));
    return o;
}

} // namespace chatterbox::server::handlers
