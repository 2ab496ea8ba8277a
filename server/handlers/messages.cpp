#include "server/handlers/handlers.h"

#include "server/handlers/queries.h"
#include "shared/codec.h"
#include "shared/replies.h"

#include <pqxx/pqxx>

#include <algorithm>

namespace chatterbox::server::handlers {

using protocol::ErrorCode;
using protocol::Role;

namespace {

Outcome noSuchMessage() { return Outcome::fail(ErrorCode::NotFound, "no such message"); }

// Advances the topic's change counter under its row lock; the lock is held until commit,
// which is what keeps rev (and seq) gapless and in commit order.
std::int64_t nextRev(Tx &tx, const std::string &topicId)
{
    return tx.exec_params1("UPDATE topics SET last_rev = last_rev + 1 WHERE id = $1 RETURNING last_rev",
                           topicId)[0].as<std::int64_t>();
}

protocol::Message reload(Tx &tx, const std::string &messageId, const std::string &partyId)
{
    const auto r = tx.exec_params1(std::string("SELECT ") + queries::kMessageColumns + " FROM messages m WHERE m.id = $1",
                                   messageId);
    return queries::messageFromRow(r, partyId);
}

// Resolves "@name" against the party's members and records who is mentioned.
void recordMentions(Tx &tx, const protocol::Message &message, const std::string &body)
{
    std::vector<std::string> mentioned;
    if (body.find('@') != std::string::npos)
        mentioned = protocol::resolveMentions(body, queries::mentionCandidates(tx, message.partyId));
    queries::storeMentions(tx, message, mentioned);
}

} // namespace

Outcome sendMessage(Tx &tx, const RequestContext &ctx, const protocol::SendMessage &request)
{
    // One statement, one round trip (this is the path that sets the write rate): the access
    // check, the retry check, the topic's counters, the message and the sender's read position.
    // The counters' row lock is held until commit, which is what keeps seq and rev gapless and
    // in commit order. A retry (same author, same clientMsgId) changes nothing and comes back
    // as the original. Writing in a topic means having read it up to here.
    const auto rows = queries::prepared(tx, "send_message",
        std::string("WITH access AS (SELECT t.party_id FROM topics t"
                    "                JOIN members mb ON mb.party_id = t.party_id AND mb.user_id = $2 WHERE t.id = $1),"
                    " original AS (SELECT m.*, t.party_id FROM messages m JOIN topics t ON t.id = m.topic_id"
                    "              WHERE m.author_id = $2 AND m.client_msg_id = $3 AND EXISTS (SELECT 1 FROM access)),"
                    " c AS (UPDATE topics SET last_seq = last_seq + 1, last_rev = last_rev + 1"
                    "       WHERE id = $1 AND EXISTS (SELECT 1 FROM access) AND NOT EXISTS (SELECT 1 FROM original)"
                    "       RETURNING last_seq, last_rev),"
                    " ins AS (INSERT INTO messages (topic_id, seq, rev, author_id, client_msg_id, body)"
                    "         SELECT $1, c.last_seq, c.last_rev, $2, $3, $4 FROM c RETURNING *),"
                    " rs AS (INSERT INTO read_states (user_id, topic_id, last_read_seq) SELECT $2, $1, seq FROM ins"
                    CHATTERBOX_READ_STATE_UPSERT ")"
                    " SELECT false AS retry, (SELECT party_id FROM access) AS party_id, ") + queries::kMessageColumns
            + " FROM ins m"
              " UNION ALL SELECT true, m.party_id, " + queries::kMessageColumns + " FROM original m",
        request.topicId, ctx.userId, request.clientMsgId, request.body);
    if (rows.size() != 1)
        return Outcome::fail(ErrorCode::NotFound, "no such topic");
    const std::string partyId = rows[0]["party_id"].as<std::string>();
    auto message = queries::messageFromRow(rows[0], partyId);
    if (rows[0]["retry"].as<bool>())
        return Outcome::reply(protocol::MessageReply{std::move(message)});
    // A new message has no mentions yet: store them, and put them in the reply without reading
    // them back.
    if (request.body.find('@') != std::string::npos) {
        auto mentioned = protocol::resolveMentions(request.body, queries::mentionCandidates(tx, partyId));
        std::sort(mentioned.begin(), mentioned.end());
        mentioned.erase(std::unique(mentioned.begin(), mentioned.end()), mentioned.end());
        queries::storeMentions(tx, message, mentioned);
        message.mentions = std::move(mentioned);
    }
    Outcome o = Outcome::reply(protocol::MessageReply{message});
    o.events.push_back({partyId, protocol::MessageCreated{std::move(message)}});
    return o;
}

Outcome editMessage(Tx &tx, const RequestContext &ctx, const protocol::EditMessage &request)
{
    const auto access = queries::messageAccess(tx, request.messageId, ctx.userId);
    if (!access)
        return noSuchMessage();
    const auto &original = access->message;
    if (original.authorId != ctx.userId)
        return Outcome::fail(ErrorCode::Forbidden, "you can only edit your own messages");
    if (original.deleted)
        return Outcome::fail(ErrorCode::Conflict, "the message was deleted");
    if (original.body == request.body)
        return Outcome::reply(protocol::MessageReply{original});
    const auto rev = nextRev(tx, original.topicId);
    tx.exec_params0("UPDATE messages SET body = $2, edited_at = now(), rev = $3 WHERE id = $1",
                    request.messageId, request.body, rev);
    recordMentions(tx, original, request.body);
    auto message = reload(tx, request.messageId, original.partyId);
    Outcome o = Outcome::reply(protocol::MessageReply{message});
    o.events.push_back({message.partyId, protocol::MessageUpdated{std::move(message)}});
    return o;
}

Outcome deleteMessage(Tx &tx, const RequestContext &ctx, const protocol::DeleteMessage &request)
{
    const auto access = queries::messageAccess(tx, request.messageId, ctx.userId);
    if (!access)
        return noSuchMessage();
    const auto &original = access->message;
    const bool moderator = access->role == Role::Owner || access->role == Role::Admin;
    if (original.authorId != ctx.userId && !moderator)
        return Outcome::fail(ErrorCode::Forbidden, "you can only delete your own messages");
    if (original.deleted)
        return Outcome::reply(protocol::MessageReply{original});
    // The row stays as a tombstone so that seq stays gapless and catch-up can report the delete.
    const auto rev = nextRev(tx, original.topicId);
    tx.exec_params0("UPDATE messages SET body = '', deleted_at = now(), rev = $2 WHERE id = $1", request.messageId, rev);
    queries::storeMentions(tx, original, {});
    auto message = reload(tx, request.messageId, original.partyId);
    Outcome o = Outcome::reply(protocol::MessageReply{message});
    o.events.push_back({message.partyId, protocol::MessageDeleted{std::move(message)}});
    return o;
}

} // namespace chatterbox::server::handlers
