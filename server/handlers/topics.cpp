// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/handlers/handlers.h"

#include "server/handlers/queries.h"
#include "shared/codec.h"
#include "shared/limits.h"
#include "shared/replies.h"

#include <pqxx/pqxx>

#include <set>

namespace chatterbox::server::handlers {

using protocol::ErrorCode;
using protocol::Role;

namespace {

bool managesTopics(Role role) { return role == Role::Owner || role == Role::Admin; }

Refusal forbidden(Tx &tx, const std::string &partyId) { return forbiddenIn(tx, partyId, "only the owner and admins can change topics"); }

bool nameTaken(Tx &tx, const std::string &partyId, const std::string &name, const std::string &exceptTopic)
{
    return !tx.exec_params("SELECT 1 FROM topics WHERE party_id = $1 AND lower(name) = lower($2) AND id::text <> $3",
                           partyId, name, exceptTopic).empty();
}

Refusal nameConflict() { return Outcome::fail(ErrorCode::Conflict, "a topic with that name already exists"); }

} // namespace

AnswerTo<protocol::CreateTopic> createTopic(Tx &tx, const RequestContext &ctx, const protocol::CreateTopic &request)
{
    const auto role = queries::roleOf(tx, request.partyId, ctx.userId);
    if (!role)
        return Outcome::fail(ErrorCode::NotFound, "no such party");
    if (!managesTopics(*role))
        return forbidden(tx, request.partyId);
    const auto row = tx.exec_params1("SELECT count(*), coalesce(max(position) + 1, 0) FROM topics WHERE party_id = $1",
                                     request.partyId);
    if (row[0].as<std::size_t>() >= limits::kMaxTopicsPerParty)
        return Outcome::fail(ErrorCode::Conflict, "this party has as many topics as it can hold");
    if (nameTaken(tx, request.partyId, request.name, {}))
        return nameConflict();
    const auto id = tx.exec_params1("INSERT INTO topics (party_id, name, position) VALUES ($1, $2, $3) RETURNING id",
                                    request.partyId, request.name, row[1].as<int>())[0].as<std::string>();
    auto topic = *queries::topic(tx, id);
    auto o = Outcome::reply(protocol::TopicReply{topic});
    o.events.push_back({request.partyId, protocol::TopicCreated{std::move(topic)}});
    return o;
}

AnswerTo<protocol::RenameTopic> renameTopic(Tx &tx, const RequestContext &ctx, const protocol::RenameTopic &request)
{
    const auto access = queries::topicAccess(tx, request.topicId, ctx.userId);
    if (!access)
        return Outcome::fail(ErrorCode::NotFound, "no such topic");
    if (!managesTopics(access->role))
        return forbidden(tx, access->partyId);
    if (nameTaken(tx, access->partyId, request.name, request.topicId))
        return nameConflict();
    tx.exec_params0("UPDATE topics SET name = $2 WHERE id = $1", request.topicId, request.name);
    auto topic = *queries::topic(tx, request.topicId);
    auto o = Outcome::reply(protocol::TopicReply{topic});
    o.events.push_back({access->partyId, protocol::TopicUpdated{std::move(topic)}});
    return o;
}

AnswerTo<protocol::DeleteTopic> deleteTopic(Tx &tx, const RequestContext &ctx, const protocol::DeleteTopic &request)
{
    const auto access = queries::topicAccess(tx, request.topicId, ctx.userId);
    if (!access)
        return Outcome::fail(ErrorCode::NotFound, "no such topic");
    if (!managesTopics(access->role))
        return forbidden(tx, access->partyId);
    tx.exec_params0("DELETE FROM topics WHERE id = $1", request.topicId);
    auto o = Outcome::reply(protocol::Empty{});
    o.events.push_back({access->partyId, protocol::TopicDeleted{access->partyId, request.topicId}});
    return o;
}

AnswerTo<protocol::ReorderTopics> reorderTopics(Tx &tx, const RequestContext &ctx, const protocol::ReorderTopics &request)
{
    const auto role = queries::roleOf(tx, request.partyId, ctx.userId);
    if (!role)
        return Outcome::fail(ErrorCode::NotFound, "no such party");
    if (!managesTopics(*role))
        return forbidden(tx, request.partyId);
    std::set<std::string> current;
    for (const auto &r : tx.exec_params("SELECT id FROM topics WHERE party_id = $1", request.partyId))
        current.insert(r[0].as<std::string>());
    const std::set<std::string> asked(request.topicIds.begin(), request.topicIds.end());
    if (asked != current)
        return Outcome::fail(ErrorCode::InvalidRequest, "topicIds must list every topic of the party exactly once");
    tx.exec_params0("UPDATE topics t SET position = o.ord - 1"
                    " FROM unnest($1::uuid[]) WITH ORDINALITY AS o(id, ord)"
                    " WHERE t.id = o.id AND t.party_id = $2",
                    queries::uuidArray(request.topicIds), request.partyId);
    auto o = Outcome::reply(protocol::TopicOrder{request.partyId, request.topicIds});
    o.events.push_back({request.partyId, protocol::TopicsReordered{request.partyId, request.topicIds}});
    return o;
}

} // namespace chatterbox::server::handlers
