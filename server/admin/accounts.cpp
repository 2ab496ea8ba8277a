// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/admin/accounts.h"

#include "server/handlers/handlers.h"

#include <pqxx/pqxx>

#include <cctype>
#include <stdexcept>

namespace chatterbox::server::admin {

namespace {

constexpr const char *kIso = "YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"";

std::string iso(const std::string &column)
{
    return "to_char(" + column + " AT TIME ZONE 'UTC', '" + kIso + "')";
}

std::optional<std::string> optionalText(const pqxx::field &field)
{
    return field.is_null() ? std::nullopt : std::optional<std::string>(field.as<std::string>());
}

const std::string kPersonSelect =
    "SELECT u.id, u.display_name, " + iso("u.created_at") + ", " + iso("u.suspended_at") + ", " + iso("u.deleted_at") + ","
    " coalesce((SELECT array_to_string(array_agg(i.provider || ':' || i.subject ORDER BY i.created_at), chr(10))"
    "           FROM identities i WHERE i.user_id = u.id), ''),"
    " (SELECT count(*) FROM members m WHERE m.user_id = u.id),"
    " (SELECT count(*) FROM messages m WHERE m.author_id = u.id AND m.deleted_at IS NULL)"
    " FROM users u";

PersonRow personFromRow(const pqxx::row &row)
{
    PersonRow p;
    p.id = row[0].as<std::string>();
    p.displayName = row[1].as<std::string>();
    p.createdAt = row[2].as<std::string>();
    p.suspendedAt = optionalText(row[3]);
    p.deletedAt = optionalText(row[4]);
    const std::string identities = row[5].as<std::string>();
    for (std::size_t start = 0; start < identities.size();) {
        const auto end = identities.find('\n', start);
        p.identities.push_back(identities.substr(start, end == std::string::npos ? std::string::npos : end - start));
        start = end == std::string::npos ? identities.size() : end + 1;
    }
    p.parties = row[6].as<int>();
    p.messages = row[7].as<std::int64_t>();
    return p;
}

// A handler's answer taken as the operator's: its events kept, a refusal an error (the whole
// transaction is then rolled back by the caller).
template <typename Answer>
void take(Answer answer, std::vector<PartyEvent> &events, const char *what)
{
    if (!answer.ok())
        throw std::runtime_error(std::string(what) + ": " + answer.error->message);
    for (auto &event : answer.events)
        events.push_back(std::move(event));
}

bool isUuid(const std::string &text)
{
    if (text.size() != 36)
        return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? c != '-' : !std::isxdigit(static_cast<unsigned char>(c)))
            return false;
    }
    return true;
}

} // namespace

std::vector<PersonRow> findPeople(pqxx::transaction_base &tx, const std::string &text, int limit)
{
    const auto rows = tx.exec_params(kPersonSelect +
                                         " WHERE $1 = '' OR strpos(lower(u.display_name), lower($1)) > 0 OR u.id::text = lower($1)"
                                         "    OR EXISTS (SELECT 1 FROM identities i WHERE i.user_id = u.id AND strpos(lower(i.subject), lower($1)) > 0)"
                                         " ORDER BY u.created_at DESC, u.id LIMIT $2",
                                     text, limit);
    std::vector<PersonRow> people;
    for (const auto &row : rows)
        people.push_back(personFromRow(row));
    return people;
}

std::optional<PersonRow> person(pqxx::transaction_base &tx, const std::string &userId)
{
    if (!isUuid(userId))
        return std::nullopt;
    const auto rows = tx.exec_params(kPersonSelect + " WHERE u.id = $1", userId);
    if (rows.empty())
        return std::nullopt;
    return personFromRow(rows[0]);
}

std::optional<std::vector<std::string>> suspend(pqxx::transaction_base &tx, const std::string &userId, const std::string &reason)
{
    if (!isUuid(userId))
        return std::nullopt;
    // The row first: a sign-in committing now either ends here or sees the suspension.
    if (tx.exec_params("UPDATE users SET suspended_at = coalesce(suspended_at, now()), suspended_reason = $2 WHERE id = $1 RETURNING 1",
                       userId, reason)
            .empty())
        return std::nullopt;
    std::vector<std::string> families;
    for (const auto &row : tx.exec_params("WITH ended AS (UPDATE refresh_tokens SET revoked_at = coalesce(revoked_at, now())"
                                          " WHERE user_id = $1 AND expires_at > now() - interval '1 day' RETURNING family_id)"
                                          " SELECT DISTINCT family_id FROM ended",
                                          userId))
        families.push_back(row[0].as<std::string>());
    // Codes issued but not yet redeemed would start a sign-in after this.
    tx.exec_params0("DELETE FROM authorization_codes WHERE user_id = $1 AND redeemed_at IS NULL", userId);
    return families;
}

bool unsuspend(pqxx::transaction_base &tx, const std::string &userId)
{
    if (!isUuid(userId))
        return false;
    return !tx.exec_params("UPDATE users SET suspended_at = NULL, suspended_reason = NULL WHERE id = $1 AND deleted_at IS NULL RETURNING 1",
                           userId)
                .empty();
}

std::optional<nlohmann::json> exportPerson(pqxx::transaction_base &tx, const std::string &userId)
{
    const auto who = person(tx, userId);
    if (!who)
        return std::nullopt;
    using nlohmann::json;
    const auto profile = tx.exec_params1("SELECT status_text, avatar_url FROM users WHERE id = $1", userId);
    json out = {{"format", "chatterbox-person-export"},
                {"version", 1},
                {"exportedAt", tx.exec1("SELECT " + iso("now()"))[0].as<std::string>()},
                {"person",
                 {{"id", who->id},
                  {"displayName", who->displayName},
                  {"createdAt", who->createdAt},
                  {"statusText", profile[0].as<std::string>()},
                  {"avatarUrl", profile[1].is_null() ? json() : json(profile[1].as<std::string>())},
                  {"suspendedAt", who->suspendedAt ? json(*who->suspendedAt) : json()},
                  {"deletedAt", who->deletedAt ? json(*who->deletedAt) : json()}}}};
    json identities = json::array();
    for (const auto &row : tx.exec_params("SELECT provider, subject, " + iso("created_at") + " FROM identities WHERE user_id = $1 ORDER BY created_at",
                                          userId))
        identities.push_back({{"provider", row[0].as<std::string>()}, {"subject", row[1].as<std::string>()}, {"since", row[2].as<std::string>()}});
    out["identities"] = std::move(identities);
    json parties = json::array();
    for (const auto &row : tx.exec_params("SELECT p.id, p.name, p.kind, m.role, " + iso("m.joined_at") +
                                              " FROM members m JOIN parties p ON p.id = m.party_id WHERE m.user_id = $1 ORDER BY m.joined_at",
                                          userId))
        parties.push_back({{"id", row[0].as<std::string>()}, {"name", row[1].as<std::string>()}, {"kind", row[2].as<std::string>()},
                           {"role", row[3].as<std::string>()}, {"joinedAt", row[4].as<std::string>()}});
    out["parties"] = std::move(parties);
    json messages = json::array();
    for (const auto &row : tx.exec_params(
             "SELECT m.id, t.party_id, m.topic_id, t.name, " + iso("m.created_at") + ", " + iso("m.edited_at") + ", " + iso("m.deleted_at") +
                 ", m.body, coalesce((SELECT json_agg(json_build_object('body', v.body, 'writtenAt', " + iso("v.written_at") +
                 ") ORDER BY v.version) FROM message_versions v WHERE v.message_id = m.id), '[]')"
                 " FROM messages m JOIN topics t ON t.id = m.topic_id WHERE m.author_id = $1 ORDER BY m.created_at, m.id",
             userId)) {
        messages.push_back({{"id", row[0].as<std::string>()},
                            {"partyId", row[1].as<std::string>()},
                            {"topicId", row[2].as<std::string>()},
                            {"topic", row[3].as<std::string>()},
                            {"createdAt", row[4].as<std::string>()},
                            {"editedAt", row[5].is_null() ? json() : json(row[5].as<std::string>())},
                            {"deletedAt", row[6].is_null() ? json() : json(row[6].as<std::string>())},
                            {"body", row[7].as<std::string>()},
                            {"earlierVersions", json::parse(row[8].as<std::string>())}});
    }
    out["messages"] = std::move(messages);
    json reactions = json::array();
    for (const auto &row : tx.exec_params("SELECT message_id, emoji, " + iso("created_at") +
                                              " FROM message_reactions WHERE user_id = $1 ORDER BY created_at",
                                          userId))
        reactions.push_back({{"messageId", row[0].as<std::string>()}, {"emoji", row[1].as<std::string>()}, {"at", row[2].as<std::string>()}});
    out["reactions"] = std::move(reactions);
    json files = json::array();
    for (const auto &row : tx.exec_params("SELECT id, name, media_type, size, message_id, avatar, " + iso("created_at") +
                                              " FROM files WHERE owner_id = $1 ORDER BY created_at",
                                          userId))
        files.push_back({{"id", row[0].as<std::string>()},
                         {"name", row[1].as<std::string>()},
                         {"mediaType", row[2].as<std::string>()},
                         {"size", row[3].as<std::int64_t>()},
                         {"messageId", row[4].is_null() ? json() : json(row[4].as<std::string>())},
                         {"picture", row[5].as<bool>()},
                         {"createdAt", row[6].as<std::string>()}});
    out["files"] = std::move(files);
    json blocks = json::array();
    for (const auto &row : tx.exec_params("SELECT blocked_id, " + iso("created_at") + " FROM blocks WHERE user_id = $1 ORDER BY created_at", userId))
        blocks.push_back({{"userId", row[0].as<std::string>()}, {"since", row[1].as<std::string>()}});
    out["blocks"] = std::move(blocks);
    return out;
}

std::optional<Erasure> erasePerson(pqxx::transaction_base &tx, const std::string &userId)
{
    if (!isUuid(userId))
        return std::nullopt;
    // The row locked for the whole erasure: a sign-in or a send committing meanwhile waits.
    const auto row = tx.exec_params("SELECT deleted_at IS NOT NULL FROM users WHERE id = $1 FOR UPDATE", userId);
    if (row.empty() || row[0][0].as<bool>())
        return std::nullopt;
    Erasure erasure;
    const RequestContext as{userId};
    // Signed out first, and no new sign-in: nothing they do lands after this.
    erasure.endedSignIns = *suspend(tx, userId, "deleted");
    // Their name and picture go while they are still in their parties, so the others hear of it.
    protocol::UpdateProfile anonymous;
    anonymous.displayName = "Deleted person";
    anonymous.avatarUrl = "";
    anonymous.avatarFileId = "";
    anonymous.statusText = "";
    take(handlers::updateProfile(tx, as, anonymous), erasure.events, "the profile");
    for (const auto &message : tx.exec_params("SELECT id FROM messages WHERE author_id = $1 AND deleted_at IS NULL ORDER BY created_at", userId)) {
        for (auto &event : handlers::expungeMessage(tx, message[0].as<std::string>()))
            erasure.events.push_back(std::move(event));
        ++erasure.messages;
    }
    for (const auto &reaction : tx.exec_params("SELECT message_id, emoji FROM message_reactions WHERE user_id = $1", userId)) {
        take(handlers::removeReaction(tx, as, protocol::RemoveReaction{reaction[0].as<std::string>(), reaction[1].as<std::string>()}),
             erasure.events, "a reaction");
        ++erasure.reactions;
    }
    for (const auto &membership : tx.exec_params("SELECT party_id, role FROM members WHERE user_id = $1 ORDER BY joined_at", userId)) {
        const std::string partyId = membership[0].as<std::string>();
        if (membership[1].as<std::string>() == "owner") {
            const auto heir = tx.exec_params("SELECT user_id FROM members WHERE party_id = $1 AND user_id <> $2"
                                             " ORDER BY role = 'admin' DESC, joined_at, user_id LIMIT 1",
                                             partyId, userId);
            if (heir.empty()) {
                take(handlers::deleteParty(tx, as, protocol::DeleteParty{partyId}), erasure.events, "a party");
                ++erasure.partiesDeleted;
                continue;
            }
            take(handlers::transferOwnership(tx, as, protocol::TransferOwnership{partyId, heir[0][0].as<std::string>()}), erasure.events,
                 "a party's ownership");
            ++erasure.partiesHandedOn;
        }
        take(handlers::leaveParty(tx, as, protocol::LeaveParty{partyId}), erasure.events, "a party");
        ++erasure.partiesLeft;
    }
    tx.exec_params0("DELETE FROM identities WHERE user_id = $1", userId);
    tx.exec_params0("DELETE FROM invites WHERE created_by = $1", userId);
    tx.exec_params0("DELETE FROM blocks WHERE user_id = $1 OR blocked_id = $1", userId);
    tx.exec_params0("DELETE FROM read_states WHERE user_id = $1", userId);
    tx.exec_params0("DELETE FROM files WHERE owner_id = $1", userId);   // uploads never sent; the sweep drops the bytes
    tx.exec_params0("UPDATE users SET deleted_at = now(), display_name = 'Deleted person', status_text = '', avatar_url = '' WHERE id = $1",
                    userId);
    return erasure;
}

std::optional<std::vector<PartyEvent>> deleteParty(pqxx::transaction_base &tx, const std::string &partyId)
{
    if (!isUuid(partyId))
        return std::nullopt;
    const auto owner = tx.exec_params("SELECT owner_id FROM parties WHERE id = $1 FOR UPDATE", partyId);
    if (owner.empty())
        return std::nullopt;
    std::vector<PartyEvent> events;
    take(handlers::deleteParty(tx, RequestContext{owner[0][0].as<std::string>()}, protocol::DeleteParty{partyId}), events, "the party");
    return events;
}

std::vector<InstanceRow> instances(pqxx::transaction_base &tx)
{
    std::vector<InstanceRow> list;
    for (const auto &row : tx.exec("SELECT s.id, " + iso("s.started_at") + ", " + iso("s.seen_at") +
                                   ", (SELECT count(*) FROM instance_presence p WHERE p.instance_id = s.id)"
                                   " FROM server_instances s ORDER BY s.started_at"))
        list.push_back({row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::string>(), row[3].as<int>()});
    return list;
}

} // namespace chatterbox::server::admin
