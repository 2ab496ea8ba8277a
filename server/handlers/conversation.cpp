// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/handlers/handlers.h"

#include "server/handlers/queries.h"
#include "shared/limits.h"
#include "shared/replies.h"

#include <pqxx/pqxx>


// Reactions, pins and edit history: what people do to a message once it is there.
namespace chatterbox::server::handlers {

using protocol::ErrorCode;
using protocol::Role;

namespace {

Refusal noSuchMessage() { return Outcome::fail(ErrorCode::NotFound, "no such message"); }

std::optional<queries::MessageAccess> lockedAccess(Tx &tx, const std::string &messageId, const std::string &userId)
{
    return queries::lockedMessageAccess(tx, messageId, userId);
}

// Moves the topic's change counter (its row is locked already) and gives the message that rev.
std::int64_t touch(Tx &tx, const protocol::Message &message)
{
    const auto rev = tx.exec_params1("UPDATE topics SET last_rev = last_rev + 1 WHERE id = $1 RETURNING last_rev",
                                     message.topicId)[0].as<std::int64_t>();
    tx.exec_params0("UPDATE messages SET rev = $2 WHERE id = $1", message.id, rev);
    return rev;
}

template <typename Event>
Event reactionEvent(const protocol::Message &message, std::int64_t rev, const std::string &emoji, const std::string &userId)
{
    Event e;
    e.partyId = message.partyId;
    e.topicId = message.topicId;
    e.messageId = message.id;
    e.seq = message.seq;
    e.rev = rev;
    e.emoji = emoji;
    e.userId = userId;
    return e;
}

} // namespace

namespace {

// What a reaction needs to know of its message, read under the topic's row lock in one
// statement: reactions are frequent, and the writer is what every write waits for.
struct ReactionTarget {
    protocol::Message message;   // id, topic, party and seq only
    bool deleted = false;
    bool mine = false;           // the caller's reaction with this emoji is there
    bool emojiThere = false;     // someone's reaction with this emoji is there
    std::size_t distinct = 0;    // distinct emoji on the message
};

std::optional<ReactionTarget> reactionTarget(Tx &tx, const std::string &messageId, const std::string &userId, const std::string &emoji)
{
    // The lock first, the counts after, in a statement of their own: a statement that waited
    // for the lock still sees what it saw when it started, so counts read in the locking
    // statement could miss a reaction committed while it waited (and pass the limit).
    const auto r = queries::prepared(tx, "reaction_lock",
        "SELECT m.topic_id, t.party_id, m.seq FROM messages m JOIN topics t ON t.id = m.topic_id"
        " JOIN members mb ON mb.party_id = t.party_id AND mb.user_id = $2"
        " WHERE m.id = $1 FOR UPDATE OF t",
        messageId, userId);
    if (r.empty())
        return std::nullopt;
    ReactionTarget target;
    target.message.id = messageId;
    target.message.topicId = r[0][0].as<std::string>();
    target.message.partyId = r[0][1].as<std::string>();
    target.message.seq = r[0][2].as<std::int64_t>();
    const auto counts = queries::prepared(tx, "reaction_counts",
        "SELECT coalesce(bool_or(r.emoji = $3 AND r.user_id = $2), false), coalesce(bool_or(r.emoji = $3), false),"
        " count(DISTINCT r.emoji), (SELECT m.deleted_at IS NOT NULL FROM messages m WHERE m.id = $1)"
        " FROM message_reactions r WHERE r.message_id = $1",
        messageId, userId, emoji);
    target.mine = counts[0][0].as<bool>();
    target.emojiThere = counts[0][1].as<bool>();
    target.distinct = counts[0][2].as<std::size_t>();
    target.deleted = counts[0][3].as<bool>();
    return target;
}

// The topic's next rev, given to the message, in one statement.
std::int64_t touchMessage(Tx &tx, const protocol::Message &message)
{
    return queries::prepared(tx, "touch_message",
                             "WITH rev AS (UPDATE topics SET last_rev = last_rev + 1 WHERE id = $2 RETURNING last_rev)"
                             " UPDATE messages SET rev = (SELECT last_rev FROM rev) WHERE id = $1 RETURNING rev",
                             message.id, message.topicId)[0][0].as<std::int64_t>();
}

} // namespace

AnswerTo<protocol::AddReaction> addReaction(Tx &tx, const RequestContext &ctx, const protocol::AddReaction &request)
{
    const auto target = reactionTarget(tx, request.messageId, ctx.userId, request.emoji);
    if (!target)
        return noSuchMessage();
    if (target->deleted)
        return Outcome::fail(ErrorCode::Conflict, "the message was deleted");
    if (target->mine)
        return Outcome::reply(protocol::Empty{});   // there already
    if (queries::blockedInDirect(tx, target->message.partyId, ctx.userId))
        return Outcome::fail(ErrorCode::Forbidden, "you cannot write in this conversation any more");
    if (!target->emojiThere && target->distinct >= limits::kMaxReactionsPerMessage)
        return Outcome::fail(ErrorCode::Conflict, "a message can have at most " + std::to_string(limits::kMaxReactionsPerMessage)
                                                      + " different emoji; add one of those already there");
    queries::prepared(tx, "reaction_add", "INSERT INTO message_reactions (message_id, emoji, user_id) VALUES ($1, $2, $3)",
                      request.messageId, request.emoji, ctx.userId);
    const auto rev = touchMessage(tx, target->message);
    auto o = Outcome::reply(protocol::Empty{});
    o.events.push_back({target->message.partyId, reactionEvent<protocol::ReactionAdded>(target->message, rev, request.emoji, ctx.userId)});
    return o;
}

AnswerTo<protocol::RemoveReaction> removeReaction(Tx &tx, const RequestContext &ctx, const protocol::RemoveReaction &request)
{
    const auto target = reactionTarget(tx, request.messageId, ctx.userId, request.emoji);
    if (!target)
        return noSuchMessage();
    if (!target->mine)
        return Outcome::reply(protocol::Empty{});   // not there: nothing to take away
    queries::prepared(tx, "reaction_remove", "DELETE FROM message_reactions WHERE message_id = $1 AND emoji = $2 AND user_id = $3",
                      request.messageId, request.emoji, ctx.userId);
    const auto rev = touchMessage(tx, target->message);
    auto o = Outcome::reply(protocol::Empty{});
    o.events.push_back({target->message.partyId, reactionEvent<protocol::ReactionRemoved>(target->message, rev, request.emoji, ctx.userId)});
    return o;
}

AnswerTo<protocol::PinMessage> pinMessage(Tx &tx, const RequestContext &ctx, const protocol::PinMessage &request)
{
    const auto access = lockedAccess(tx, request.messageId, ctx.userId);
    if (!access)
        return noSuchMessage();
    const auto &message = access->message;
    // In a direct conversation, where nobody has a role, everyone in it pins.
    if (access->role != Role::Owner && access->role != Role::Admin && !queries::isDirect(tx, message.partyId))
        return Outcome::fail(ErrorCode::Forbidden, "only the party's owner and admins can pin messages");
    if (request.pinned && message.deleted)
        return Outcome::fail(ErrorCode::Conflict, "the message was deleted");
    if (request.pinned == message.pinnedAt.has_value())
        return Outcome::reply(protocol::MessageReply{message});   // already so
    const auto topic = tx.exec_params1("SELECT pinned_count FROM topics WHERE id = $1", message.topicId);
    if (request.pinned && topic[0].as<std::size_t>() >= limits::kMaxPinsPerTopic)
        return Outcome::fail(ErrorCode::Conflict, "a topic can have at most " + std::to_string(limits::kMaxPinsPerTopic)
                                                      + " pinned messages; unpin one first");
    touch(tx, message);
    if (request.pinned)
        tx.exec_params0("UPDATE messages SET pinned_at = now(), pinned_by = $2 WHERE id = $1", message.id, ctx.userId);
    else
        tx.exec_params0("UPDATE messages SET pinned_at = NULL, pinned_by = NULL WHERE id = $1", message.id);
    const int pinned = tx.exec_params1("UPDATE topics SET pinned_count = pinned_count + $2 WHERE id = $1 RETURNING pinned_count",
                                       message.topicId, request.pinned ? 1 : -1)[0].as<int>();
    auto changed = queries::messageAccess(tx, message.id, ctx.userId)->message;
    auto o = Outcome::reply(protocol::MessageReply{changed});
    o.events.push_back({changed.partyId, protocol::PinChanged{std::move(changed), pinned}});
    return o;
}

AnswerTo<protocol::ListPins> listPins(Tx &tx, const RequestContext &ctx, const protocol::ListPins &request)
{
    const auto access = queries::topicAccess(tx, request.topicId, ctx.userId);
    if (!access)
        return Outcome::fail(ErrorCode::NotFound, "no such topic");
    const auto rows = tx.exec_params(std::string("SELECT ") + queries::kMessageColumns + " FROM messages m"
                                     " WHERE m.topic_id = $1 AND m.pinned_at IS NOT NULL ORDER BY m.pinned_at DESC, m.seq DESC"
                                     " LIMIT $2",
                                     request.topicId, static_cast<int>(limits::kMaxPinsPerTopic));
    protocol::PinnedMessages pins;
    pins.topicId = request.topicId;
    for (const auto &row : rows)
        pins.messages.push_back(queries::messageFromRow(row, access->partyId));
    return Outcome::reply(pins);
}

AnswerTo<protocol::GetMessageVersions> getMessageVersions(Tx &tx, const RequestContext &ctx, const protocol::GetMessageVersions &request)
{
    const auto access = queries::messageAccess(tx, request.messageId, ctx.userId);
    if (!access)
        return noSuchMessage();
    protocol::MessageVersions versions;
    versions.messageId = request.messageId;
    versions.authorId = access->message.authorId;
    const auto rows = tx.exec_params("SELECT body, " CHATTERBOX_MS("written_at") " FROM message_versions"
                                     " WHERE message_id = $1 ORDER BY version",
                                     request.messageId);
    for (const auto &row : rows)
        versions.versions.push_back({row[0].as<std::string>(), row[1].as<std::int64_t>()});
    return Outcome::reply(versions);
}

} // namespace chatterbox::server::handlers
