// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/handlers/handlers.h"

#include "server/handlers/queries.h"
#include "shared/codec.h"
#include "shared/replies.h"

#include <pqxx/pqxx>

#include <algorithm>
#include <set>

namespace chatterbox::server::handlers {

using protocol::ErrorCode;
using protocol::Role;

namespace {

Refusal noSuchMessage() { return Outcome::fail(ErrorCode::NotFound, "no such message"); }

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

// Resolves "@name" against the party's members and records who is mentioned (replacing what
// was recorded before); returns them in the order a message read back lists them.
std::vector<std::string> recordMentions(Tx &tx, const protocol::Message &message, const std::string &body)
{
    std::vector<std::string> mentioned;
    if (body.find('@') != std::string::npos)
        mentioned = protocol::resolveMentions(body, queries::mentionCandidates(tx, message.partyId));
    queries::storeMentions(tx, message, mentioned);
    std::sort(mentioned.begin(), mentioned.end());
    return mentioned;
}

// "@everyone" and "@here" from someone the party allows (its owner and admins, or every member
// when its owner said so): a mention row for each member it reaches (every member but the
// author, or those online now), marked as added by it, so that their unread mention counts
// include it as any mention. From anyone else it is plain text. Returns what it was.
protocol::MassMention recordMassMention(Tx &tx, const protocol::Message &message, const std::string &body)
{
    auto mass = protocol::massMentionIn(body);
    if (mass != protocol::MassMention::None) {
        const auto allowed = tx.exec_params1(
            "SELECT p.mass_mentions = 'members' OR mb.role IN ('owner', 'admin') FROM parties p"
            " JOIN members mb ON mb.party_id = p.id AND mb.user_id = $2 WHERE p.id = $1",
            message.partyId, message.authorId)[0].as<bool>();
        if (!allowed)
            mass = protocol::MassMention::None;
    }
    tx.exec_params0("UPDATE messages SET mass_mention = NULLIF($2, '') WHERE id = $1", message.id,
                    std::string(protocol::massMentionName(mass)));
    if (mass == protocol::MassMention::None)
        return mass;
    tx.exec_params0("INSERT INTO message_mentions (message_id, user_id, topic_id, seq, mass)"
                    " SELECT $1, mb.user_id, $2, $3, true FROM members mb WHERE mb.party_id = $4 AND mb.user_id <> $5"
                    " AND ($6 = 'everyone' OR EXISTS (SELECT 1 FROM instance_presence ip WHERE ip.user_id = mb.user_id))"
                    " ON CONFLICT (message_id, user_id) DO NOTHING",
                    message.id, message.topicId, message.seq, message.partyId, message.authorId,
                    std::string(protocol::massMentionName(mass)));
    return mass;
}

// A send's files are the sender's own, complete, not their picture, and not sent in another
// message (a retry of this send finds them in its original). Locked until commit, so that two sends racing for one
// file take turns and the second finds it taken.
bool filesUsable(Tx &tx, const SendRequest &send, std::set<std::string> &claimed)
{
    const auto &files = send.request.files;
    if (files.empty())
        return true;
    // Two sends in one batch (one transaction: the lock does not keep them apart) for one file.
    for (const auto &id : files) {
        if (!claimed.insert(id).second)
            return false;
    }
    const auto usable = tx.exec_params(
        "SELECT f.id FROM files f WHERE f.id = ANY($1::uuid[]) AND f.owner_id = $2 AND f.received = f.size AND NOT f.avatar"
        " AND (f.message_id IS NULL OR f.message_id = (SELECT o.id FROM messages o WHERE o.author_id = $2 AND o.client_msg_id = $3))"
        " FOR UPDATE OF f",
        queries::uuidArray(files), send.context.userId, send.request.clientMsgId);
    return usable.size() == files.size();
}

void attachFiles(Tx &tx, protocol::Message &message, const std::vector<std::string> &files)
{
    tx.exec_params0("UPDATE files SET message_id = $1, party_id = $2, position = array_position($3::uuid[], id)"
                    " WHERE id = ANY($3::uuid[])",
                    message.id, message.partyId, queries::uuidArray(files));
    message.files = queries::filesOf(tx, message.id);
}

} // namespace

std::vector<AnswerTo<protocol::SendMessage>> sendMessages(Tx &tx, const std::vector<const SendRequest *> &sends)
{
    // One statement for all of them, one round trip (this is the path that sets the write
    // rate): for each send the access check and the retry check, then for each topic its
    // counters moved once by the number of new messages in it, the messages, and the senders'
    // read positions. The counters' row lock is held until commit, which is what keeps seq and
    // rev gapless and in commit order; within the statement, a topic's messages take their seq
    // in the order they were asked. A retry (same author, same clientMsgId) changes nothing and
    // comes back as the original. Writing in a topic means having read it up to here.
    // Two new sends with the same author and clientMsgId fail the statement on the unique key;
    // the executor then runs each alone, where the second finds the first.
    std::vector<bool> refusedFiles(sends.size(), false);
    std::set<std::string> claimedFiles;
    nlohmann::json requests = nlohmann::json::array();
    for (std::size_t n = 0; n < sends.size(); ++n) {
        if (!filesUsable(tx, *sends[n], claimedFiles)) {
            refusedFiles[n] = true;
            continue;
        }
        requests.push_back({{"n", n}, {"topic_id", sends[n]->request.topicId}, {"author_id", sends[n]->context.userId},
                            {"client_msg_id", sends[n]->request.clientMsgId}, {"body", sends[n]->request.body},
                            {"reply_to", sends[n]->request.replyTo ? nlohmann::json(*sends[n]->request.replyTo) : nlohmann::json()}});
    }
    const auto rows = queries::prepared(tx, "send_messages",
        std::string("WITH req AS (SELECT * FROM jsonb_to_recordset($1::jsonb)"
                    "             AS r(n int, topic_id uuid, author_id uuid, client_msg_id uuid, body text, reply_to uuid)),"
                    // Each look-up by its whole key, one request at a time (LIMIT keeps the
                    // planner from turning it into a join that scans a party's members).
                    " access AS (SELECT r.n, a.party_id, a.blocked FROM req r CROSS JOIN LATERAL"
                    // In a direct conversation, a block between the sender and another member
                    // (either way) stops new messages; the parties' row settles it for others.
                    "            (SELECT t.party_id, EXISTS (SELECT 1 FROM parties p JOIN members o ON o.party_id = p.id"
                    "              JOIN blocks b ON (b.user_id = o.user_id AND b.blocked_id = r.author_id)"
                    "                            OR (b.user_id = r.author_id AND b.blocked_id = o.user_id)"
                    "              WHERE p.id = t.party_id AND p.kind = 'direct' AND o.user_id <> r.author_id) AS blocked"
                    "             FROM topics t WHERE t.id = r.topic_id AND EXISTS"
                    "             (SELECT 1 FROM members mb WHERE mb.party_id = t.party_id AND mb.user_id = r.author_id)"
                    // A reply answers a message of the same topic.
                    "             AND (r.reply_to IS NULL OR EXISTS"
                    "              (SELECT 1 FROM messages o WHERE o.id = r.reply_to AND o.topic_id = r.topic_id)) LIMIT 1) a),"
                    " original AS (SELECT a.n, o.* FROM access a JOIN req r ON r.n = a.n CROSS JOIN LATERAL"
                    "              (SELECT m.*, t.party_id FROM messages m JOIN topics t ON t.id = m.topic_id"
                    "               WHERE m.author_id = r.author_id AND m.client_msg_id = r.client_msg_id LIMIT 1) o),"
                    " fresh AS (SELECT r.*, a.party_id, row_number() OVER (PARTITION BY r.topic_id ORDER BY r.n) AS k"
                    "           FROM req r JOIN access a ON a.n = r.n WHERE NOT a.blocked"
                    "           AND NOT EXISTS (SELECT 1 FROM original o WHERE o.n = r.n)),"
                    " c AS (UPDATE topics t SET last_seq = t.last_seq + f.count, last_rev = t.last_rev + f.count"
                    "       FROM (SELECT topic_id, count(*) AS count FROM fresh GROUP BY topic_id) f WHERE t.id = f.topic_id"
                    "       RETURNING t.id, t.last_seq - f.count AS seq0, t.last_rev - f.count AS rev0),"
                    " ins AS (INSERT INTO messages (topic_id, seq, rev, author_id, client_msg_id, body, reply_to_id)"
                    "         SELECT f.topic_id, c.seq0 + f.k, c.rev0 + f.k, f.author_id, f.client_msg_id, f.body, f.reply_to"
                    "         FROM fresh f JOIN c ON c.id = f.topic_id ORDER BY f.n RETURNING *),"
                    " rs AS (INSERT INTO read_states (user_id, topic_id, last_read_seq)"
                    "        SELECT author_id, topic_id, max(seq) FROM ins GROUP BY author_id, topic_id"
                    CHATTERBOX_READ_STATE_UPSERT ")"
                    " SELECT f.n, false AS retry, f.party_id, ") + queries::kMessageColumns
            + " FROM ins m JOIN fresh f ON f.author_id = m.author_id AND f.client_msg_id = m.client_msg_id"
              " UNION ALL SELECT m.n, true, m.party_id, " + queries::kMessageColumns + " FROM original m",
        requests.dump());

    std::vector<AnswerTo<protocol::SendMessage>> outcomes;
    outcomes.reserve(sends.size());
    for (std::size_t n = 0; n < sends.size(); ++n) {
        if (refusedFiles[n])
            outcomes.push_back(Outcome::fail(ErrorCode::NotFound, "no such file: each file is uploaded by its sender, whole, and sent once"));
        else
            outcomes.push_back(Outcome::fail(ErrorCode::NotFound, sends[n]->request.replyTo ? "no such topic, or no such message in it to reply to"
                                                                                         : "no such topic"));
    }
    std::vector<bool> answered(sends.size(), false);
    for (const auto &row : rows)
        answered[row["n"].as<std::size_t>()] = true;
    // A refusal is rare: only then is it worth asking whether a block was the reason.
    for (std::size_t n = 0; n < sends.size(); ++n) {
        if (answered[n] || refusedFiles[n])
            continue;
        const auto access = queries::topicAccess(tx, sends[n]->request.topicId, sends[n]->context.userId);
        if (access && access->direct && queries::blockedInDirect(tx, access->partyId, sends[n]->context.userId))
            outcomes[n] = Outcome::fail(ErrorCode::Forbidden, "you cannot write in this conversation any more");
    }
    for (const auto &row : rows) {
        const auto n = row["n"].as<std::size_t>();
        const std::string partyId = row["party_id"].as<std::string>();
        auto message = queries::messageFromRow(row, partyId);
        if (row["retry"].as<bool>()) {
            outcomes[n] = Outcome::reply(protocol::MessageReply{std::move(message)});
            continue;
        }
        // The statement read the original it quotes before it waited for the topic's lock: a
        // delete committed meanwhile must not leave its text in this message's event.
        if (message.replyTo)
            message.replyTo = queries::replyPreview(tx, message.replyTo->messageId);
        // A new message has no mentions yet: store them, and put them in the reply without
        // reading them back.
        if (sends[n]->request.body.find('@') != std::string::npos) {
            message.mentions = recordMentions(tx, message, sends[n]->request.body);
            message.massMention = recordMassMention(tx, message, sends[n]->request.body);
        }
        if (!sends[n]->request.files.empty())
            attachFiles(tx, message, sends[n]->request.files);
        outcomes[n] = Outcome::reply(protocol::MessageReply{message});
        outcomes[n].events.push_back({partyId, protocol::MessageCreated{std::move(message)}});
    }
    return outcomes;
}

AnswerTo<protocol::SendMessage> sendMessage(Tx &tx, const RequestContext &ctx, const protocol::SendMessage &request)
{
    const SendRequest send{ctx, request};
    return std::move(sendMessages(tx, {&send}).front());
}

AnswerTo<protocol::EditMessage> editMessage(Tx &tx, const RequestContext &ctx, const protocol::EditMessage &request)
{
    const auto access = queries::lockedMessageAccess(tx, request.messageId, ctx.userId);
    if (!access)
        return noSuchMessage();
    const auto &original = access->message;
    // An edit reaches the others as a new message would (with its mentions): a block stops it too.
    if (queries::blockedInDirect(tx, original.partyId, ctx.userId))
        return Outcome::fail(ErrorCode::Forbidden, "you cannot write in this conversation any more");
    if (original.authorId != ctx.userId)
        return Outcome::fail(ErrorCode::Forbidden, "you can only edit your own messages");
    if (original.deleted)
        return Outcome::fail(ErrorCode::Conflict, "the message was deleted");
    if (original.body == request.body)
        return Outcome::reply(protocol::MessageReply{original});
    const auto rev = nextRev(tx, original.topicId);
    // The text being replaced becomes the newest earlier version, dated when it was written.
    tx.exec_params0("INSERT INTO message_versions (message_id, version, body, written_at)"
                    " SELECT m.id, coalesce((SELECT max(v.version) FROM message_versions v WHERE v.message_id = m.id), 0) + 1,"
                    "        m.body, coalesce(m.edited_at, m.created_at) FROM messages m WHERE m.id = $1",
                    request.messageId);
    tx.exec_params0("UPDATE messages SET body = $2, edited_at = now(), rev = $3 WHERE id = $1",
                    request.messageId, request.body, rev);
    recordMentions(tx, original, request.body);
    recordMassMention(tx, original, request.body);
    // The change log's earlier copies of this message take the new text: the replaced one is kept
    // in its versions alone, where the edit history (and a deletion) finds it.
    tx.exec_params0("UPDATE events SET payload = jsonb_set(payload, '{message,body}', to_jsonb($2::text))"
                    " WHERE payload ? 'message' AND (payload->'message'->>'id') = $1",
                    request.messageId, request.body);
    auto message = reload(tx, request.messageId, original.partyId);
    auto o = Outcome::reply(protocol::MessageReply{message});
    o.events.push_back({message.partyId, protocol::MessageUpdated{std::move(message)}});
    return o;
}

namespace {

// The message becomes a tombstone, whoever deletes it. The row stays so that seq stays gapless
// and catch-up can report the delete. Its text goes everywhere it was kept: earlier versions,
// the change log's payloads (its own events and the quotes of replies to it); its reactions
// and its pin go with it.
AnswerTo<protocol::DeleteMessage> tombstone(Tx &tx, const protocol::Message &original)
{
    const auto rev = nextRev(tx, original.topicId);
    tx.exec_params0("UPDATE messages SET body = '', deleted_at = now(), rev = $2, pinned_at = NULL, pinned_by = NULL, mass_mention = NULL"
                    " WHERE id = $1", original.id, rev);
    tx.exec_params0("DELETE FROM message_versions WHERE message_id = $1", original.id);
    tx.exec_params0("DELETE FROM message_reactions WHERE message_id = $1", original.id);
    // Its files can no longer be fetched from here on; their bytes go with the next sweep.
    tx.exec_params0("DELETE FROM files WHERE message_id = $1", original.id);
    tx.exec_params0("UPDATE events SET payload = jsonb_set(jsonb_set(payload, '{message,body}', '\"\"'), '{message,mentions}', '[]') #- '{message,files}'"
                    " WHERE payload ? 'message' AND (payload->'message'->>'id') = $1", original.id);
    tx.exec_params0("UPDATE events SET payload = jsonb_set(payload, '{message,replyTo,excerpt}', '\"\"')"
                    " WHERE payload->'message' ? 'replyTo' AND (payload->'message'->'replyTo'->>'messageId') = $1",
                    original.id);
    queries::storeMentions(tx, original, {});
    auto message = reload(tx, original.id, original.partyId);
    auto o = Outcome::reply(protocol::MessageReply{message});
    o.events.push_back({message.partyId, protocol::MessageDeleted{message}});
    if (original.pinnedAt) {
        const int pinned = tx.exec_params1("UPDATE topics SET pinned_count = pinned_count - 1 WHERE id = $1 RETURNING pinned_count",
                                           original.topicId)[0].as<int>();
        o.events.push_back({message.partyId, protocol::PinChanged{std::move(message), pinned}});
    }
    return o;
}

} // namespace

AnswerTo<protocol::DeleteMessage> deleteMessage(Tx &tx, const RequestContext &ctx, const protocol::DeleteMessage &request)
{
    const auto access = queries::lockedMessageAccess(tx, request.messageId, ctx.userId);
    if (!access)
        return noSuchMessage();
    const auto &original = access->message;
    const bool moderator = access->role == Role::Owner || access->role == Role::Admin;
    if (original.authorId != ctx.userId && !moderator)
        return Outcome::fail(ErrorCode::Forbidden, "you can only delete your own messages");
    if (original.deleted)
        return Outcome::reply(protocol::MessageReply{original});
    return tombstone(tx, original);
}

std::vector<PartyEvent> expungeMessage(Tx &tx, const std::string &messageId)
{
    const auto original = queries::lockedMessage(tx, messageId);
    if (!original || original->deleted)
        return {};
    return std::move(tombstone(tx, *original).events);
}

} // namespace chatterbox::server::handlers
