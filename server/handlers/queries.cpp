// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/handlers/queries.h"

#include "shared/codec.h"
#include "shared/limits.h"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include <map>

namespace chatterbox::server::queries {

using protocol::Role;

namespace {

Role roleFromColumn(const pqxx::field &f)
{
    Role role = Role::Member;
    protocol::roleFromName(f.as<std::string>(), role);
    return role;
}

protocol::Topic topicFromRow(const pqxx::row &r)
{
    protocol::Topic t;
    t.id = r["id"].as<std::string>();
    t.partyId = r["party_id"].as<std::string>();
    t.name = r["name"].as<std::string>();
    t.position = r["position"].as<int>();
    t.lastSeq = r["last_seq"].as<std::int64_t>();
    t.lastRev = r["last_rev"].as<std::int64_t>();
    t.pinnedCount = r["pinned_count"].as<int>();
    return t;
}

protocol::Status statusFromRow(const pqxx::row &r)
{
    protocol::Status status;
    status.text = r["status_text"].as<std::string>();
    if (!r["status_expires_ms"].is_null())
        status.expiresAt = r["status_expires_ms"].as<std::int64_t>();
    if (!r["last_seen_ms"].is_null())
        status.lastSeenAt = r["last_seen_ms"].as<std::int64_t>();
    return status;
}

protocol::Member memberFromRow(const pqxx::row &r)
{
    protocol::Member m;
    m.userId = r["user_id"].as<std::string>();
    m.displayName = r["display_name"].as<std::string>();
    m.avatarUrl = r["avatar_url"].as<std::string>();
    m.avatarFileId = r["avatar_file_id"].as<std::string>();
    m.role = roleFromColumn(r["role"]);
    m.joinedAt = r["joined_ms"].as<std::int64_t>();
    m.status = statusFromRow(r);
    return m;
}

constexpr const char *kTopicColumns = "t.id, t.party_id, t.name, t.position, t.last_seq, t.last_rev, t.pinned_count";
// A status past its time is no status: never sent.
#define CHATTERBOX_STATUS_COLUMNS                                                                                   \
    "CASE WHEN u.status_expires_at IS NULL OR u.status_expires_at > now() THEN u.status_text ELSE '' END AS status_text, " \
    "CASE WHEN u.status_expires_at > now() AND u.status_text <> '' THEN " CHATTERBOX_MS("u.status_expires_at")          \
    " END AS status_expires_ms, " CHATTERBOX_MS("u.last_seen_at") " AS last_seen_ms"

constexpr const char *kMemberColumns =
    "mb.party_id, mb.user_id, u.display_name, u.avatar_url, coalesce(u.avatar_file_id::text, '') AS avatar_file_id, mb.role, "
    CHATTERBOX_MS("mb.joined_at") " AS joined_ms, " CHATTERBOX_STATUS_COLUMNS;

} // namespace

const char *const kUserColumns =
    "u.id, u.display_name, u.avatar_url, coalesce(u.avatar_file_id::text, '') AS avatar_file_id, " CHATTERBOX_STATUS_COLUMNS;

protocol::User userFromRow(const pqxx::row &r)
{
    return {r["id"].as<std::string>(), r["display_name"].as<std::string>(), r["avatar_url"].as<std::string>(),
            r["avatar_file_id"].as<std::string>(), statusFromRow(r)};
}

const char *const kMessageColumns =
    "m.id, m.topic_id, m.seq, m.rev, m.author_id, m.client_msg_id, m.body, "
    CHATTERBOX_MS("m.created_at") " AS created_ms, "
    CHATTERBOX_MS("m.edited_at") " AS edited_ms, "
    "m.deleted_at IS NOT NULL AS deleted, "
    "(SELECT string_agg(mm.user_id::text, ',' ORDER BY mm.user_id) FROM message_mentions mm"
    " WHERE mm.message_id = m.id AND NOT mm.mass) AS mentions, m.mass_mention, "
    // The quoted original, by its primary key; its text only while it is not deleted.
    "(SELECT json_build_object('messageId', o.id, 'seq', o.seq, 'authorId', o.author_id,"
    " 'excerpt', CASE WHEN o.deleted_at IS NULL THEN left(o.body, 100) ELSE '' END,"
    " 'deleted', o.deleted_at IS NOT NULL)::text FROM messages o WHERE o.id = m.reply_to_id) AS reply_to, "
    // Each emoji once, in the order it was first used, with who used it, first first.
    "(SELECT json_agg(json_build_object('emoji', x.emoji, 'userIds', x.users) ORDER BY x.first, x.emoji)::text"
    " FROM (SELECT r.emoji, array_agg(r.user_id ORDER BY r.created_at, r.user_id) AS users, min(r.created_at) AS first"
    "       FROM message_reactions r WHERE r.message_id = m.id GROUP BY r.emoji) x) AS reactions, "
    CHATTERBOX_MS("m.pinned_at") " AS pinned_ms, m.pinned_by, "
    // Its files in the order they were sent (none on a new message: they are attached after it).
    "(SELECT json_agg(json_build_object('id', f.id, 'name', f.name, 'type', f.media_type, 'size', f.size,"
    " 'width', f.width, 'height', f.height, 'thumbnail', f.thumbnail IS NOT NULL) ORDER BY f.position)::text"
    " FROM files f WHERE f.message_id = m.id) AS files";

static_assert(limits::kReplyExcerptChars == 100, "kMessageColumns quotes left(o.body, 100)");

std::vector<protocol::FileInfo> filesOf(Tx &tx, const std::string &messageId)
{
    std::vector<protocol::FileInfo> files;
    for (const auto &r : tx.exec_params("SELECT f.id, f.name, f.media_type, f.size, f.width, f.height, f.thumbnail IS NOT NULL"
                                        " FROM files f WHERE f.message_id = $1 ORDER BY f.position", messageId)) {
        protocol::FileInfo file{r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>(), r[3].as<std::int64_t>(), {}, {}, r[6].as<bool>()};
        if (!r[4].is_null())
            file.width = r[4].as<int>();
        if (!r[5].is_null())
            file.height = r[5].as<int>();
        files.push_back(std::move(file));
    }
    return files;
}

protocol::Message messageFromRow(const pqxx::row &r, const std::string &partyId)
{
    protocol::Message m;
    m.id = r["id"].as<std::string>();
    m.topicId = r["topic_id"].as<std::string>();
    m.partyId = partyId;
    m.seq = r["seq"].as<std::int64_t>();
    m.rev = r["rev"].as<std::int64_t>();
    m.authorId = r["author_id"].as<std::string>();
    m.clientMsgId = r["client_msg_id"].as<std::string>();
    m.body = r["body"].as<std::string>();
    m.createdAt = r["created_ms"].as<std::int64_t>();
    if (!r["edited_ms"].is_null())
        m.editedAt = r["edited_ms"].as<std::int64_t>();
    m.deleted = r["deleted"].as<bool>();
    if (!r["mentions"].is_null()) {
        const std::string all = r["mentions"].as<std::string>();
        for (std::size_t start = 0; start <= all.size();) {
            const auto comma = std::min(all.find(',', start), all.size());
            m.mentions.push_back(all.substr(start, comma - start));
            start = comma + 1;
        }
    }
    if (!r["mass_mention"].is_null())
        protocol::massMentionFromName(r["mass_mention"].as<std::string>(), m.massMention);
    // Built by PostgreSQL from our own columns; a row that does not parse is a bug, not input.
    if (!r["reply_to"].is_null())
        m.replyTo = nlohmann::json::parse(r["reply_to"].c_str()).get<protocol::ReplyPreview>();
    if (!r["reactions"].is_null())
        m.reactions = nlohmann::json::parse(r["reactions"].c_str()).get<std::vector<protocol::Reaction>>();
    if (!r["pinned_ms"].is_null()) {
        m.pinnedAt = r["pinned_ms"].as<std::int64_t>();
        m.pinnedBy = r["pinned_by"].is_null() ? std::string() : r["pinned_by"].as<std::string>();
    }
    if (!r["files"].is_null())
        m.files = nlohmann::json::parse(r["files"].c_str()).get<std::vector<protocol::FileInfo>>();
    return m;
}

std::optional<Role> roleOf(Tx &tx, const std::string &partyId, const std::string &userId)
{
    const auto r = tx.exec_params("SELECT role FROM members WHERE party_id = $1 AND user_id = $2", partyId, userId);
    if (r.empty())
        return std::nullopt;
    return roleFromColumn(r[0][0]);
}

std::optional<TopicAccess> topicAccess(Tx &tx, const std::string &topicId, const std::string &userId)
{
    const auto r = prepared(tx, "topic_access",
                            "SELECT t.party_id, mb.role, p.kind = 'direct' FROM topics t"
                            " JOIN members mb ON mb.party_id = t.party_id AND mb.user_id = $2"
                            " JOIN parties p ON p.id = t.party_id"
                            " WHERE t.id = $1",
                            topicId, userId);
    if (r.empty())
        return std::nullopt;
    return TopicAccess{r[0][0].as<std::string>(), roleFromColumn(r[0][1]), r[0][2].as<bool>()};
}

std::optional<MessageAccess> messageAccess(Tx &tx, const std::string &messageId, const std::string &userId)
{
    const auto r = tx.exec_params(std::string("SELECT ") + kMessageColumns + ", t.party_id, mb.role"
                                  " FROM messages m JOIN topics t ON t.id = m.topic_id"
                                  " JOIN members mb ON mb.party_id = t.party_id AND mb.user_id = $2"
                                  " WHERE m.id = $1",
                                  messageId, userId);
    if (r.empty())
        return std::nullopt;
    return MessageAccess{messageFromRow(r[0], r[0]["party_id"].as<std::string>()), roleFromColumn(r[0]["role"])};
}

std::optional<MessageAccess> lockedMessageAccess(Tx &tx, const std::string &messageId, const std::string &userId)
{
    const auto locked = prepared(tx, "lock_message_topic",
                                 "SELECT t.id FROM messages m JOIN topics t ON t.id = m.topic_id"
                                 " JOIN members mb ON mb.party_id = t.party_id AND mb.user_id = $2"
                                 " WHERE m.id = $1 FOR UPDATE OF t",
                                 messageId, userId);
    if (locked.empty())
        return std::nullopt;
    return messageAccess(tx, messageId, userId);
}

std::optional<protocol::Message> lockedMessage(Tx &tx, const std::string &messageId)
{
    if (tx.exec_params("SELECT t.id FROM messages m JOIN topics t ON t.id = m.topic_id WHERE m.id = $1 FOR UPDATE OF t", messageId).empty())
        return std::nullopt;
    const auto r = tx.exec_params(std::string("SELECT ") + kMessageColumns + ", t.party_id FROM messages m JOIN topics t ON t.id = m.topic_id"
                                  " WHERE m.id = $1",
                                  messageId);
    if (r.empty())
        return std::nullopt;
    return messageFromRow(r[0], r[0]["party_id"].as<std::string>());
}

std::optional<protocol::ReplyPreview> replyPreview(Tx &tx, const std::string &messageId)
{
    const auto r = tx.exec_params("SELECT (SELECT json_build_object('messageId', o.id, 'seq', o.seq, 'authorId', o.author_id,"
                                  " 'excerpt', CASE WHEN o.deleted_at IS NULL THEN left(o.body, 100) ELSE '' END,"
                                  " 'deleted', o.deleted_at IS NOT NULL)::text FROM messages o WHERE o.id = $1)",
                                  messageId);
    if (r.empty() || r[0][0].is_null())
        return std::nullopt;
    return nlohmann::json::parse(r[0][0].c_str()).get<protocol::ReplyPreview>();
}

std::optional<protocol::Topic> topic(Tx &tx, const std::string &topicId)
{
    const auto r = tx.exec_params(std::string("SELECT ") + kTopicColumns + " FROM topics t WHERE t.id = $1", topicId);
    if (r.empty())
        return std::nullopt;
    return topicFromRow(r[0]);
}

std::optional<protocol::Member> member(Tx &tx, const std::string &partyId, const std::string &userId)
{
    const auto r = tx.exec_params(std::string("SELECT ") + kMemberColumns +
                                  " FROM members mb JOIN users u ON u.id = mb.user_id"
                                  " WHERE mb.party_id = $1 AND mb.user_id = $2",
                                  partyId, userId);
    if (r.empty())
        return std::nullopt;
    return memberFromRow(r[0]);
}

std::string uuidArray(const std::vector<std::string> &ids)
{
    std::string out = "{";
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (i)
            out += ',';
        out += ids[i];
    }
    out += '}';
    return out;
}

namespace {

// Loads whole parties (topics and members) for the ids a query selected.
std::vector<protocol::Party> loadParties(Tx &tx, const pqxx::result &partyRows)
{
    std::vector<protocol::Party> parties;
    std::map<std::string, std::size_t> index;
    std::vector<std::string> ids;
    for (const auto &r : partyRows) {
        protocol::Party p;
        p.id = r["id"].as<std::string>();
        p.name = r["name"].as<std::string>();
        protocol::partyKindFromName(r["kind"].as<std::string>(), p.kind);
        // A direct conversation has no owner: who started it is nobody else's business.
        if (p.kind == protocol::PartyKind::Party)
            p.ownerId = r["owner_id"].as<std::string>();
        p.createdAt = r["created_ms"].as<std::int64_t>();
        protocol::massMentionRuleFromName(r["mass_mentions"].as<std::string>(), p.massMentions);
        protocol::notifyLevelFromName(r["notify_default"].as<std::string>(), p.notifyDefault);
        index[p.id] = parties.size();
        ids.push_back(p.id);
        parties.push_back(std::move(p));
    }
    if (ids.empty())
        return parties;
    const std::string array = uuidArray(ids);
    const auto topics = tx.exec_params(std::string("SELECT ") + kTopicColumns +
                                       " FROM topics t WHERE t.party_id = ANY($1::uuid[])"
                                       " ORDER BY t.party_id, t.position, t.created_at",
                                       array);
    for (const auto &r : topics) {
        auto t = topicFromRow(r);
        parties[index.at(t.partyId)].topics.push_back(std::move(t));
    }
    const auto members = tx.exec_params(std::string("SELECT ") + kMemberColumns +
                                        " FROM members mb JOIN users u ON u.id = mb.user_id"
                                        " WHERE mb.party_id = ANY($1::uuid[])"
                                        " ORDER BY mb.party_id, mb.joined_at, mb.user_id",
                                        array);
    for (const auto &r : members)
        parties[index.at(r["party_id"].as<std::string>())].members.push_back(memberFromRow(r));
    return parties;
}

constexpr const char *kPartyColumns = "p.id, p.name, p.owner_id, p.mass_mentions, p.notify_default, p.kind, " CHATTERBOX_MS("p.created_at") " AS created_ms";

} // namespace

std::optional<protocol::Party> party(Tx &tx, const std::string &partyId)
{
    const auto rows = tx.exec_params(std::string("SELECT ") + kPartyColumns + " FROM parties p WHERE p.id = $1", partyId);
    auto parties = loadParties(tx, rows);
    if (parties.empty())
        return std::nullopt;
    return std::move(parties.front());
}

std::vector<protocol::Party> partiesOf(Tx &tx, const std::string &userId)
{
    const auto rows = tx.exec_params(std::string("SELECT ") + kPartyColumns +
                                     " FROM parties p JOIN members mb ON mb.party_id = p.id AND mb.user_id = $1"
                                     " ORDER BY mb.joined_at, p.id",
                                     userId);
    return loadParties(tx, rows);
}

std::size_t partyCount(Tx &tx, const std::string &userId)
{
    return tx.exec_params1("SELECT count(*) FROM members mb JOIN parties p ON p.id = mb.party_id AND p.kind = 'party'"
                           " WHERE mb.user_id = $1",
                           userId)[0].as<std::size_t>();
}

bool isDirect(Tx &tx, const std::string &partyId)
{
    const auto rows = tx.exec_params("SELECT kind = 'direct' FROM parties WHERE id = $1", partyId);
    return !rows.empty() && rows[0][0].as<bool>();
}

std::vector<std::string> blockedBy(Tx &tx, const std::string &userId)
{
    std::vector<std::string> ids;
    for (const auto &r : tx.exec_params("SELECT blocked_id FROM blocks WHERE user_id = $1 ORDER BY blocked_id", userId))
        ids.push_back(r[0].as<std::string>());
    return ids;
}

bool blockedInDirect(Tx &tx, const std::string &partyId, const std::string &userId)
{
    // No row for a party of the other kind, so its members are never looked at.
    const auto rows = tx.exec_params(
        "SELECT EXISTS (SELECT 1 FROM members mb JOIN blocks b"
        "  ON (b.user_id = mb.user_id AND b.blocked_id = $2) OR (b.user_id = $2 AND b.blocked_id = mb.user_id)"
        "  WHERE mb.party_id = p.id AND mb.user_id <> $2)"
        " FROM parties p WHERE p.id = $1 AND p.kind = 'direct'",
        partyId, userId);
    return !rows.empty() && rows[0][0].as<bool>();
}

std::vector<std::string> partyIdsOf(Tx &tx, const std::string &userId)
{
    std::vector<std::string> ids;
    for (const auto &r : tx.exec_params("SELECT party_id FROM members WHERE user_id = $1 ORDER BY party_id", userId))
        ids.push_back(r[0].as<std::string>());
    return ids;
}

namespace {

// Unread and mention counts after each topic's read position. Unread stops counting at
// kMaxUnreadCount so that a long-neglected topic costs no more than that to count.
constexpr const char *kReadStateQuery =
    "SELECT t.id, coalesce(rs.last_read_seq, 0) AS last_read,"
    " (SELECT count(*) FROM (SELECT 1 FROM messages m WHERE m.topic_id = t.id"
    "   AND m.seq > coalesce(rs.last_read_seq, 0) AND m.author_id <> $1 AND m.deleted_at IS NULL"
    "   LIMIT 1000) AS unread) AS unread,"
    " (SELECT count(*) FROM message_mentions mm WHERE mm.user_id = $1 AND mm.topic_id = t.id"
    "   AND mm.seq > coalesce(rs.last_read_seq, 0)) AS mentions"
    " FROM topics t LEFT JOIN read_states rs ON rs.topic_id = t.id AND rs.user_id = $1";

protocol::ReadState readStateFromRow(const pqxx::row &r)
{
    return {r[0].as<std::string>(), r[1].as<std::int64_t>(), r[2].as<std::int64_t>(), r[3].as<std::int64_t>()};
}

} // namespace

std::vector<protocol::ReadState> readStates(Tx &tx, const std::string &userId, const std::vector<std::string> &partyIds)
{
    std::vector<protocol::ReadState> out;
    if (partyIds.empty())
        return out;
    for (const auto &r : tx.exec_params(std::string(kReadStateQuery) + " WHERE t.party_id = ANY($2::uuid[]) ORDER BY t.party_id, t.position",
                                        userId, uuidArray(partyIds)))
        out.push_back(readStateFromRow(r));
    return out;
}

protocol::ReadState readState(Tx &tx, const std::string &userId, const std::string &topicId)
{
    return readStateFromRow(tx.exec_params1(std::string(kReadStateQuery) + " WHERE t.id = $2", userId, topicId));
}

void startReadStatesAtEnd(Tx &tx, const std::string &userId, const std::string &partyId)
{
    tx.exec_params0("INSERT INTO read_states (user_id, topic_id, last_read_seq)"
                    " SELECT $1, id, last_seq FROM topics WHERE party_id = $2"
                    " ON CONFLICT (user_id, topic_id) DO UPDATE SET last_read_seq = EXCLUDED.last_read_seq",
                    userId, partyId);
}

void advanceReadState(Tx &tx, const std::string &userId, const std::string &topicId, std::int64_t seq)
{
    prepared(tx, "advance_read_state",
             "INSERT INTO read_states (user_id, topic_id, last_read_seq) VALUES ($1, $2, $3)" CHATTERBOX_READ_STATE_UPSERT,
             userId, topicId, seq);
}

std::vector<protocol::MentionCandidate> mentionCandidates(Tx &tx, const std::string &partyId)
{
    std::vector<protocol::MentionCandidate> out;
    for (const auto &r : tx.exec_params("SELECT mb.user_id, u.display_name FROM members mb JOIN users u ON u.id = mb.user_id"
                                        " WHERE mb.party_id = $1",
                                        partyId))
        out.push_back({r[0].as<std::string>(), r[1].as<std::string>()});
    return out;
}

void storeMentions(Tx &tx, const protocol::Message &message, const std::vector<std::string> &userIds)
{
    tx.exec_params0("DELETE FROM message_mentions WHERE message_id = $1", message.id);
    if (userIds.empty())
        return;
    tx.exec_params0("INSERT INTO message_mentions (message_id, user_id, topic_id, seq)"
                    " SELECT $1, u, $2, $3 FROM unnest($4::uuid[]) AS u",
                    message.id, message.topicId, message.seq, uuidArray(userIds));
}

} // namespace chatterbox::server::queries
