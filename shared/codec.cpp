// SPDX-License-Identifier: GPL-3.0-or-later
#include "shared/codec.h"

#include "shared/limits.h"

#include <nlohmann/json.hpp>

#include <stdexcept>

namespace chatterbox::protocol {

namespace {

const json &field(const json &j, const char *key)
{
    if (!j.is_object())
        throw CodecError("expected an object");
    auto it = j.find(key);
    if (it == j.end() || it->is_null())
        throw CodecError(std::string("'") + key + "' is missing");
    return *it;
}

void read(const json &j, const char *key, std::string &out)
{
    const json &v = field(j, key);
    if (!v.is_string())
        throw CodecError(std::string("'") + key + "' must be a string");
    out = v.get<std::string>();
}

void read(const json &j, const char *key, std::int64_t &out)
{
    const json &v = field(j, key);
    if (!v.is_number_integer())
        throw CodecError(std::string("'") + key + "' must be an integer");
    out = v.get<std::int64_t>();
}

void read(const json &j, const char *key, int &out)
{
    std::int64_t wide = 0;
    read(j, key, wide);
    if (wide < INT32_MIN || wide > INT32_MAX)
        throw CodecError(std::string("'") + key + "' is out of range");
    out = static_cast<int>(wide);
}

void read(const json &j, const char *key, bool &out)
{
    const json &v = field(j, key);
    if (!v.is_boolean())
        throw CodecError(std::string("'") + key + "' must be true or false");
    out = v.get<bool>();
}

void read(const json &j, const char *key, Role &out)
{
    std::string name;
    read(j, key, name);
    if (!roleFromName(name, out))
        throw CodecError(std::string("'") + key + "' must be owner, admin or member");
}

void read(const json &j, const char *key, Presence &out)
{
    std::string name;
    read(j, key, name);
    if (!presenceFromName(name, out))
        throw CodecError(std::string("'") + key + "' must be online, idle, dnd or offline");
}

void read(const json &j, const char *key, PartyKind &out)
{
    std::string name;
    read(j, key, name);
    if (!partyKindFromName(name, out))
        throw CodecError(std::string("'") + key + "' must be party or direct");
}

void read(const json &j, const char *key, MassMentionRule &out)
{
    std::string name;
    read(j, key, name);
    if (!massMentionRuleFromName(name, out))
        throw CodecError(std::string("'") + key + "' must be admins or members");
}

void read(const json &j, const char *key, NotifyLevel &out)
{
    std::string name;
    read(j, key, name);
    if (!notifyLevelFromName(name, out))
        throw CodecError(std::string("'") + key + "' must be all, mentions or nothing");
}

void read(const json &j, const char *key, MassMention &out)
{
    std::string name;
    read(j, key, name);
    if (!massMentionFromName(name, out))
        throw CodecError(std::string("'") + key + "' must be everyone or here");
}

void read(const json &j, const char *key, std::vector<std::string> &out)
{
    const json &v = field(j, key);
    if (!v.is_array())
        throw CodecError(std::string("'") + key + "' must be an array of strings");
    out.clear();
    out.reserve(v.size());
    for (const json &item : v) {
        if (!item.is_string())
            throw CodecError(std::string("'") + key + "' must be an array of strings");
        out.push_back(item.get<std::string>());
    }
}

template <typename T>
void read(const json &j, const char *key, std::vector<T> &out)
{
    const json &v = field(j, key);
    if (!v.is_array())
        throw CodecError(std::string("'") + key + "' must be an array");
    out.clear();
    out.reserve(v.size());
    for (const json &item : v) {
        T element;
        from_json(item, element);
        out.push_back(std::move(element));
    }
}

template <typename T>
void read(const json &j, const char *key, T &out)
{
    from_json(field(j, key), out);
}

// An optional field: absent or null leaves it empty.
template <typename T>
void readOptional(const json &j, const char *key, std::optional<T> &out)
{
    if (!j.is_object())
        throw CodecError("expected an object");
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
        out.reset();
        return;
    }
    T value{};
    read(j, key, value);
    out = std::move(value);
}

template <typename T>
void readOr(const json &j, const char *key, T &out, T fallback)
{
    if (!j.is_object())
        throw CodecError("expected an object");
    auto it = j.find(key);
    if (it == j.end() || it->is_null())
        out = std::move(fallback);
    else
        read(j, key, out);
}

template <typename T>
void writeOptional(json &j, const char *key, const std::optional<T> &value)
{
    if (value)
        j[key] = *value;
}

void requireObject(const json &j)
{
    if (!j.is_object())
        throw CodecError("expected an object");
}

} // namespace

const char *roleName(Role role)
{
    switch (role) {
    case Role::Owner: return "owner";
    case Role::Admin: return "admin";
    case Role::Member: return "member";
    }
    return "member";
}

bool roleFromName(const std::string &name, Role &out)
{
    if (name == "owner") out = Role::Owner;
    else if (name == "admin") out = Role::Admin;
    else if (name == "member") out = Role::Member;
    else return false;
    return true;
}

const char *presenceName(Presence presence)
{
    switch (presence) {
    case Presence::Online: return "online";
    case Presence::Idle: return "idle";
    case Presence::Offline: return "offline";
    case Presence::DoNotDisturb: return "dnd";
    }
    return "offline";
}

bool presenceFromName(const std::string &name, Presence &out)
{
    if (name == "online") out = Presence::Online;
    else if (name == "idle") out = Presence::Idle;
    else if (name == "offline") out = Presence::Offline;
    else if (name == "dnd") out = Presence::DoNotDisturb;
    else return false;
    return true;
}

const char *partyKindName(PartyKind kind)
{
    return kind == PartyKind::Direct ? "direct" : "party";
}

bool partyKindFromName(const std::string &name, PartyKind &out)
{
    if (name == "party") out = PartyKind::Party;
    else if (name == "direct") out = PartyKind::Direct;
    else return false;
    return true;
}

const char *notifyLevelName(NotifyLevel level)
{
    switch (level) {
    case NotifyLevel::All: return "all";
    case NotifyLevel::Mentions: return "mentions";
    case NotifyLevel::Nothing: return "nothing";
    }
    return "all";
}

bool notifyLevelFromName(const std::string &name, NotifyLevel &out)
{
    if (name == "all") out = NotifyLevel::All;
    else if (name == "mentions") out = NotifyLevel::Mentions;
    else if (name == "nothing") out = NotifyLevel::Nothing;
    else return false;
    return true;
}

// Domain types.

namespace {

// A person's status, in the object that carries it; absent fields when there is none.
void writeStatus(json &j, const Status &status)
{
    if (!status.text.empty())
        j["statusText"] = status.text;
    writeOptional(j, "statusExpiresAt", status.expiresAt);
    writeOptional(j, "lastSeenAt", status.lastSeenAt);
}

void readStatus(const json &j, Status &status)
{
    readOr(j, "statusText", status.text, std::string());
    readOptional(j, "statusExpiresAt", status.expiresAt);
    readOptional(j, "lastSeenAt", status.lastSeenAt);
}

} // namespace

void to_json(json &j, const User &v)
{
    j = {{"id", v.id}, {"displayName", v.displayName}};
    if (!v.avatarUrl.empty())
        j["avatarUrl"] = v.avatarUrl;
    if (!v.avatarFileId.empty())
        j["avatarFileId"] = v.avatarFileId;
    writeStatus(j, v.status);
}
void from_json(const json &j, User &v)
{
    read(j, "id", v.id); read(j, "displayName", v.displayName); readOr(j, "avatarUrl", v.avatarUrl, std::string());
    readOr(j, "avatarFileId", v.avatarFileId, std::string());
    readStatus(j, v.status);
}

void to_json(json &j, const Member &v)
{
    j = {{"userId", v.userId}, {"displayName", v.displayName}, {"role", roleName(v.role)}, {"joinedAt", v.joinedAt}};
    if (!v.avatarUrl.empty())
        j["avatarUrl"] = v.avatarUrl;
    if (!v.avatarFileId.empty())
        j["avatarFileId"] = v.avatarFileId;
    writeStatus(j, v.status);
}
void from_json(const json &j, Member &v)
{
    read(j, "userId", v.userId); read(j, "displayName", v.displayName); read(j, "role", v.role);
    read(j, "joinedAt", v.joinedAt); readOr(j, "avatarUrl", v.avatarUrl, std::string());
    readOr(j, "avatarFileId", v.avatarFileId, std::string());
    readStatus(j, v.status);
}

void to_json(json &j, const ReadState &v)
{
    j = {{"topicId", v.topicId}, {"lastReadSeq", v.lastReadSeq}, {"unread", v.unread}, {"mentions", v.mentions}};
}
void from_json(const json &j, ReadState &v)
{
    read(j, "topicId", v.topicId); read(j, "lastReadSeq", v.lastReadSeq); read(j, "unread", v.unread);
    read(j, "mentions", v.mentions);
}

void to_json(json &j, const Invite &v)
{
    j = {{"code", v.code}, {"partyId", v.partyId}, {"url", v.url}, {"createdBy", v.createdBy},
         {"createdAt", v.createdAt}, {"uses", v.uses}};
    writeOptional(j, "expiresAt", v.expiresAt);
    writeOptional(j, "maxUses", v.maxUses);
}
void from_json(const json &j, Invite &v)
{
    read(j, "code", v.code); read(j, "partyId", v.partyId); read(j, "url", v.url); read(j, "createdBy", v.createdBy);
    read(j, "createdAt", v.createdAt); read(j, "uses", v.uses); readOptional(j, "expiresAt", v.expiresAt);
    readOptional(j, "maxUses", v.maxUses);
}

void to_json(json &j, const InvitePreview &v)
{
    j = {{"code", v.code}, {"partyName", v.partyName}, {"memberCount", v.memberCount},
         {"inviterName", v.inviterName}, {"alreadyMember", v.alreadyMember}};
}
void from_json(const json &j, InvitePreview &v)
{
    read(j, "code", v.code); read(j, "partyName", v.partyName); read(j, "memberCount", v.memberCount);
    read(j, "inviterName", v.inviterName); read(j, "alreadyMember", v.alreadyMember);
}

void to_json(json &j, const Topic &v)
{
    j = {{"id", v.id}, {"partyId", v.partyId}, {"name", v.name}, {"position", v.position},
         {"lastSeq", v.lastSeq}, {"lastRev", v.lastRev}, {"pinnedCount", v.pinnedCount}};
}
void from_json(const json &j, Topic &v)
{
    read(j, "id", v.id); read(j, "partyId", v.partyId); read(j, "name", v.name);
    read(j, "position", v.position); read(j, "lastSeq", v.lastSeq); read(j, "lastRev", v.lastRev);
    readOr(j, "pinnedCount", v.pinnedCount, 0);
}

void to_json(json &j, const Party &v)
{
    j = {{"id", v.id}, {"name", v.name}, {"ownerId", v.ownerId}, {"createdAt", v.createdAt},
         {"topics", v.topics}, {"members", v.members}, {"massMentions", massMentionRuleName(v.massMentions)},
         {"kind", partyKindName(v.kind)}, {"notifyDefault", notifyLevelName(v.notifyDefault)}};
}
void from_json(const json &j, Party &v)
{
    read(j, "id", v.id); read(j, "name", v.name); read(j, "ownerId", v.ownerId);
    read(j, "createdAt", v.createdAt); read(j, "topics", v.topics); read(j, "members", v.members);
    readOr(j, "massMentions", v.massMentions, MassMentionRule::Admins);
    readOr(j, "kind", v.kind, PartyKind::Party);
    readOr(j, "notifyDefault", v.notifyDefault, NotifyLevel::All);
}

void to_json(json &j, const Reaction &v) { j = {{"emoji", v.emoji}, {"userIds", v.userIds}}; }
void from_json(const json &j, Reaction &v) { read(j, "emoji", v.emoji); read(j, "userIds", v.userIds); }

void to_json(json &j, const ReplyPreview &v)
{
    j = {{"messageId", v.messageId}, {"seq", v.seq}, {"authorId", v.authorId}, {"excerpt", v.excerpt},
         {"deleted", v.deleted}};
}
void from_json(const json &j, ReplyPreview &v)
{
    read(j, "messageId", v.messageId); read(j, "seq", v.seq); read(j, "authorId", v.authorId);
    read(j, "excerpt", v.excerpt); readOr(j, "deleted", v.deleted, false);
}

void to_json(json &j, const FileInfo &v)
{
    j = {{"id", v.id}, {"name", v.name}, {"type", v.mediaType}, {"size", v.size}};
    writeOptional(j, "width", v.width);
    writeOptional(j, "height", v.height);
    if (v.hasThumbnail)
        j["thumbnail"] = true;
}
void from_json(const json &j, FileInfo &v)
{
    read(j, "id", v.id); read(j, "name", v.name); read(j, "type", v.mediaType); read(j, "size", v.size);
    readOptional(j, "width", v.width); readOptional(j, "height", v.height);
    readOr(j, "thumbnail", v.hasThumbnail, false);
}

void to_json(json &j, const Message &v)
{
    j = {{"id", v.id}, {"topicId", v.topicId}, {"partyId", v.partyId}, {"seq", v.seq}, {"rev", v.rev},
         {"authorId", v.authorId}, {"clientMsgId", v.clientMsgId}, {"body", v.body},
         {"createdAt", v.createdAt}, {"deleted", v.deleted}, {"mentions", v.mentions}};
    writeOptional(j, "editedAt", v.editedAt);
    writeOptional(j, "replyTo", v.replyTo);
    if (!v.reactions.empty())
        j["reactions"] = v.reactions;
    if (v.pinnedAt) {
        j["pinnedAt"] = *v.pinnedAt;
        j["pinnedBy"] = v.pinnedBy;
    }
    if (v.massMention != MassMention::None)
        j["massMention"] = massMentionName(v.massMention);
    if (!v.files.empty())
        j["files"] = v.files;
}
void from_json(const json &j, Message &v)
{
    read(j, "id", v.id); read(j, "topicId", v.topicId); read(j, "partyId", v.partyId);
    read(j, "seq", v.seq); read(j, "rev", v.rev); read(j, "authorId", v.authorId);
    read(j, "clientMsgId", v.clientMsgId); read(j, "body", v.body); read(j, "createdAt", v.createdAt);
    readOptional(j, "editedAt", v.editedAt); readOr(j, "deleted", v.deleted, false);
    readOr(j, "mentions", v.mentions, std::vector<std::string>{});
    readOptional(j, "replyTo", v.replyTo);
    readOr(j, "reactions", v.reactions, std::vector<Reaction>{});
    readOr(j, "massMention", v.massMention, MassMention::None);
    readOptional(j, "pinnedAt", v.pinnedAt);
    if (v.pinnedAt)
        read(j, "pinnedBy", v.pinnedBy);
    else
        v.pinnedBy.clear();
    readOr(j, "files", v.files, std::vector<FileInfo>{});
}

void to_json(json &j, const MessageVersion &v) { j = {{"body", v.body}, {"writtenAt", v.writtenAt}}; }
void from_json(const json &j, MessageVersion &v) { read(j, "body", v.body); read(j, "writtenAt", v.writtenAt); }

// Requests. The "type" and "id" of the frame are written by encodeRequest().

void to_json(json &j, const Hello &v) { j = {{"protocol", v.protocol}, {"features", v.features}}; }
void from_json(const json &j, Hello &v)
{
    read(j, "protocol", v.protocol);
    readOr(j, "features", v.features, std::vector<std::string>{});
}

void to_json(json &j, const ListParties &) { j = json::object(); }
void from_json(const json &j, ListParties &) { requireObject(j); }

void to_json(json &j, const CreateParty &v) { j = {{"name", v.name}}; }
void from_json(const json &j, CreateParty &v) { read(j, "name", v.name); }

void to_json(json &j, const ConfigureParty &v)
{
    j = {{"partyId", v.partyId}};
    if (v.massMentions)
        j["massMentions"] = massMentionRuleName(*v.massMentions);
    if (v.notifyDefault)
        j["notifyDefault"] = notifyLevelName(*v.notifyDefault);
}
void from_json(const json &j, ConfigureParty &v)
{
    read(j, "partyId", v.partyId);
    readOptional(j, "massMentions", v.massMentions);
    readOptional(j, "notifyDefault", v.notifyDefault);
    if (!v.massMentions && !v.notifyDefault)
        throw CodecError("give 'massMentions', 'notifyDefault' or both");
}

void to_json(json &j, const RenameParty &v) { j = {{"partyId", v.partyId}, {"name", v.name}}; }
void from_json(const json &j, RenameParty &v) { read(j, "partyId", v.partyId); read(j, "name", v.name); }

void to_json(json &j, const DeleteParty &v) { j = {{"partyId", v.partyId}}; }
void from_json(const json &j, DeleteParty &v) { read(j, "partyId", v.partyId); }

void to_json(json &j, const LeaveParty &v) { j = {{"partyId", v.partyId}}; }
void from_json(const json &j, LeaveParty &v) { read(j, "partyId", v.partyId); }

void to_json(json &j, const TransferOwnership &v) { j = {{"partyId", v.partyId}, {"userId", v.userId}}; }
void from_json(const json &j, TransferOwnership &v) { read(j, "partyId", v.partyId); read(j, "userId", v.userId); }

void to_json(json &j, const SetMemberRole &v)
{
    j = {{"partyId", v.partyId}, {"userId", v.userId}, {"role", roleName(v.role)}};
}
void from_json(const json &j, SetMemberRole &v)
{
    read(j, "partyId", v.partyId); read(j, "userId", v.userId); read(j, "role", v.role);
}

void to_json(json &j, const KickMember &v) { j = {{"partyId", v.partyId}, {"userId", v.userId}}; }
void from_json(const json &j, KickMember &v) { read(j, "partyId", v.partyId); read(j, "userId", v.userId); }

void to_json(json &j, const CreateTopic &v) { j = {{"partyId", v.partyId}, {"name", v.name}}; }
void from_json(const json &j, CreateTopic &v) { read(j, "partyId", v.partyId); read(j, "name", v.name); }

void to_json(json &j, const RenameTopic &v) { j = {{"topicId", v.topicId}, {"name", v.name}}; }
void from_json(const json &j, RenameTopic &v) { read(j, "topicId", v.topicId); read(j, "name", v.name); }

void to_json(json &j, const DeleteTopic &v) { j = {{"topicId", v.topicId}}; }
void from_json(const json &j, DeleteTopic &v) { read(j, "topicId", v.topicId); }

void to_json(json &j, const ReorderTopics &v) { j = {{"partyId", v.partyId}, {"topicIds", v.topicIds}}; }
void from_json(const json &j, ReorderTopics &v) { read(j, "partyId", v.partyId); read(j, "topicIds", v.topicIds); }

void to_json(json &j, const SendMessage &v)
{
    j = {{"topicId", v.topicId}, {"clientMsgId", v.clientMsgId}, {"body", v.body}};
    writeOptional(j, "replyTo", v.replyTo);
    if (!v.files.empty())
        j["files"] = v.files;
}
void from_json(const json &j, SendMessage &v)
{
    read(j, "topicId", v.topicId); read(j, "clientMsgId", v.clientMsgId); read(j, "body", v.body);
    readOptional(j, "replyTo", v.replyTo);
    readOr(j, "files", v.files, std::vector<std::string>{});
}

void to_json(json &j, const EditMessage &v) { j = {{"messageId", v.messageId}, {"body", v.body}}; }
void from_json(const json &j, EditMessage &v) { read(j, "messageId", v.messageId); read(j, "body", v.body); }

void to_json(json &j, const DeleteMessage &v) { j = {{"messageId", v.messageId}}; }
void from_json(const json &j, DeleteMessage &v) { read(j, "messageId", v.messageId); }

void to_json(json &j, const GetMessage &v) { j = {{"messageId", v.messageId}}; }
void from_json(const json &j, GetMessage &v) { read(j, "messageId", v.messageId); }

void to_json(json &j, const FetchHistory &v)
{
    j = {{"topicId", v.topicId}, {"limit", v.limit}};
    writeOptional(j, "beforeSeq", v.beforeSeq);
    writeOptional(j, "afterSeq", v.afterSeq);
    writeOptional(j, "aroundSeq", v.aroundSeq);
}
void from_json(const json &j, FetchHistory &v)
{
    read(j, "topicId", v.topicId);
    readOptional(j, "beforeSeq", v.beforeSeq);
    readOptional(j, "afterSeq", v.afterSeq);
    readOptional(j, "aroundSeq", v.aroundSeq);
    readOr(j, "limit", v.limit, 50);
}

void to_json(json &j, const SearchMessages &v)
{
    j = {{"query", v.query}, {"limit", v.limit}};
    writeOptional(j, "topicId", v.topicId);
    writeOptional(j, "partyId", v.partyId);
    writeOptional(j, "cursor", v.cursor);
    if (v.utcOffsetMinutes)
        j["utcOffsetMinutes"] = v.utcOffsetMinutes;
}
void from_json(const json &j, SearchMessages &v)
{
    read(j, "query", v.query);
    readOptional(j, "topicId", v.topicId);
    readOptional(j, "partyId", v.partyId);
    readOptional(j, "cursor", v.cursor);
    readOr(j, "limit", v.limit, limits::kDefaultSearchPage);
    readOr(j, "utcOffsetMinutes", v.utcOffsetMinutes, 0);
}

void to_json(json &j, const GetMessageVersions &v) { j = {{"messageId", v.messageId}}; }
void from_json(const json &j, GetMessageVersions &v) { read(j, "messageId", v.messageId); }

void to_json(json &j, const AddReaction &v) { j = {{"messageId", v.messageId}, {"emoji", v.emoji}}; }
void from_json(const json &j, AddReaction &v) { read(j, "messageId", v.messageId); read(j, "emoji", v.emoji); }

void to_json(json &j, const RemoveReaction &v) { j = {{"messageId", v.messageId}, {"emoji", v.emoji}}; }
void from_json(const json &j, RemoveReaction &v) { read(j, "messageId", v.messageId); read(j, "emoji", v.emoji); }

void to_json(json &j, const PinMessage &v) { j = {{"messageId", v.messageId}, {"pinned", v.pinned}}; }
void from_json(const json &j, PinMessage &v) { read(j, "messageId", v.messageId); readOr(j, "pinned", v.pinned, true); }

void to_json(json &j, const ListPins &v) { j = {{"topicId", v.topicId}}; }
void from_json(const json &j, ListPins &v) { read(j, "topicId", v.topicId); }

void to_json(json &j, const SyncPosition &v)
{
    j = {{"topicId", v.topicId}, {"afterSeq", v.afterSeq}};
    writeOptional(j, "afterRev", v.afterRev);
}
void from_json(const json &j, SyncPosition &v)
{
    read(j, "topicId", v.topicId); read(j, "afterSeq", v.afterSeq); readOptional(j, "afterRev", v.afterRev);
}

void to_json(json &j, const SyncTopics &v) { j = {{"topics", v.topics}}; }
void from_json(const json &j, SyncTopics &v) { read(j, "topics", v.topics); }

void to_json(json &j, const CreateInvite &v)
{
    j = {{"partyId", v.partyId}};
    writeOptional(j, "expiresInSeconds", v.expiresInSeconds);
    writeOptional(j, "maxUses", v.maxUses);
}
void from_json(const json &j, CreateInvite &v)
{
    read(j, "partyId", v.partyId); readOptional(j, "expiresInSeconds", v.expiresInSeconds);
    readOptional(j, "maxUses", v.maxUses);
}

void to_json(json &j, const ListInvites &v) { j = {{"partyId", v.partyId}}; }
void from_json(const json &j, ListInvites &v) { read(j, "partyId", v.partyId); }

void to_json(json &j, const RevokeInvite &v) { j = {{"partyId", v.partyId}, {"code", v.code}}; }
void from_json(const json &j, RevokeInvite &v) { read(j, "partyId", v.partyId); read(j, "code", v.code); }

void to_json(json &j, const PreviewInvite &v) { j = {{"code", v.code}}; }
void from_json(const json &j, PreviewInvite &v) { read(j, "code", v.code); }

void to_json(json &j, const JoinInvite &v) { j = {{"code", v.code}}; }
void from_json(const json &j, JoinInvite &v) { read(j, "code", v.code); }

void to_json(json &j, const OpenDirect &v) { j = {{"userIds", v.userIds}}; }
void from_json(const json &j, OpenDirect &v) { read(j, "userIds", v.userIds); }

void to_json(json &j, const BlockUser &v) { j = {{"userId", v.userId}}; }
void from_json(const json &j, BlockUser &v) { read(j, "userId", v.userId); }

void to_json(json &j, const UnblockUser &v) { j = {{"userId", v.userId}}; }
void from_json(const json &j, UnblockUser &v) { read(j, "userId", v.userId); }

void to_json(json &j, const SetPresence &v) { j = {{"status", presenceName(v.status)}}; }
void from_json(const json &j, SetPresence &v) { read(j, "status", v.status); }

void to_json(json &j, const StartTyping &v) { j = {{"topicId", v.topicId}}; }
void from_json(const json &j, StartTyping &v) { read(j, "topicId", v.topicId); }

void to_json(json &j, const RenewAccess &v) { j = {{"accessToken", v.accessToken}}; }
void from_json(const json &j, RenewAccess &v) { read(j, "accessToken", v.accessToken); }

void to_json(json &j, const MarkRead &v) { j = {{"topicId", v.topicId}, {"seq", v.seq}}; }
void from_json(const json &j, MarkRead &v) { read(j, "topicId", v.topicId); read(j, "seq", v.seq); }

void to_json(json &j, const UpdateProfile &v)
{
    j = json::object();
    writeOptional(j, "displayName", v.displayName);
    writeOptional(j, "avatarUrl", v.avatarUrl);
    writeOptional(j, "avatarFileId", v.avatarFileId);
    writeOptional(j, "statusText", v.statusText);
    writeOptional(j, "statusExpiresAt", v.statusExpiresAt);
}
void from_json(const json &j, UpdateProfile &v)
{
    readOptional(j, "displayName", v.displayName); readOptional(j, "avatarUrl", v.avatarUrl);
    readOptional(j, "avatarFileId", v.avatarFileId);
    readOptional(j, "statusText", v.statusText); readOptional(j, "statusExpiresAt", v.statusExpiresAt);
}

// Replies.

namespace {

json presenceObject(const PresenceList &list)
{
    json presence = json::object();
    for (const auto &[userId, status] : list)
        presence[userId] = presenceName(status);
    return presence;
}

void readPresence(const json &j, PresenceList &out)
{
    out.clear();
    if (!j.contains("presence"))
        return;
    const json &presence = field(j, "presence");
    if (!presence.is_object())
        throw CodecError("'presence' must be an object");
    for (auto it = presence.begin(); it != presence.end(); ++it) {
        Presence status = Presence::Offline;
        if (!it->is_string() || !presenceFromName(it->get<std::string>(), status))
            throw CodecError("'presence' values must be online, idle, dnd or offline");
        out.emplace_back(it.key(), status);
    }
}

} // namespace

void to_json(json &j, const Ready &v)
{
    j = {{"protocol", v.protocol}, {"features", v.features}, {"me", v.me}, {"parties", v.parties},
         {"readStates", v.readStates}, {"presence", presenceObject(v.presence)}, {"serverTime", v.serverTime},
         {"blockedUserIds", v.blockedUserIds}};
}
void from_json(const json &j, Ready &v)
{
    read(j, "protocol", v.protocol); read(j, "features", v.features); read(j, "me", v.me);
    read(j, "parties", v.parties); read(j, "serverTime", v.serverTime);
    readOr(j, "readStates", v.readStates, std::vector<ReadState>{});
    readOr(j, "blockedUserIds", v.blockedUserIds, std::vector<std::string>{});
    readPresence(j, v.presence);
}

void to_json(json &j, const BlockList &v) { j = {{"userIds", v.userIds}}; }
void from_json(const json &j, BlockList &v) { read(j, "userIds", v.userIds); }

void to_json(json &j, const PartyList &v) { j = {{"parties", v.parties}}; }
void from_json(const json &j, PartyList &v) { read(j, "parties", v.parties); }

void to_json(json &j, const PartyReply &v) { j = {{"party", v.party}}; }
void from_json(const json &j, PartyReply &v) { read(j, "party", v.party); }

void to_json(json &j, const JoinedParty &v) { j = {{"party", v.party}, {"presence", presenceObject(v.presence)}}; }
void from_json(const json &j, JoinedParty &v)
{
    read(j, "party", v.party);
    readPresence(j, v.presence);
}

void to_json(json &j, const TopicReply &v) { j = {{"topic", v.topic}}; }
void from_json(const json &j, TopicReply &v) { read(j, "topic", v.topic); }

void to_json(json &j, const TopicOrder &v) { j = {{"partyId", v.partyId}, {"topicIds", v.topicIds}}; }
void from_json(const json &j, TopicOrder &v) { read(j, "partyId", v.partyId); read(j, "topicIds", v.topicIds); }

void to_json(json &j, const MessageReply &v) { j = {{"message", v.message}}; }
void from_json(const json &j, MessageReply &v) { read(j, "message", v.message); }

void to_json(json &j, const Empty &) { j = json::object(); }
void from_json(const json &j, Empty &) { requireObject(j); }

void to_json(json &j, const History &v)
{
    j = {{"topicId", v.topicId}, {"messages", v.messages}, {"hasMore", v.hasMore}};
    if (v.hasNewer)
        j["hasNewer"] = true;
}
void from_json(const json &j, History &v)
{
    read(j, "topicId", v.topicId); read(j, "messages", v.messages); read(j, "hasMore", v.hasMore);
    readOr(j, "hasNewer", v.hasNewer, false);
}

void to_json(json &j, const TextRange &v) { j = json::array({v.start, v.length}); }
void from_json(const json &j, TextRange &v)
{
    if (!j.is_array() || j.size() != 2 || !j[0].is_number_integer() || !j[1].is_number_integer())
        throw CodecError("a highlight must be [start, length]");
    v.start = j[0].get<int>();
    v.length = j[1].get<int>();
}

void to_json(json &j, const SearchHit &v) { j = {{"message", v.message}, {"snippet", v.snippet}, {"highlights", v.highlights}}; }
void from_json(const json &j, SearchHit &v)
{
    read(j, "message", v.message); read(j, "snippet", v.snippet); read(j, "highlights", v.highlights);
}

void to_json(json &j, const SearchResults &v)
{
    j = {{"results", v.results}};
    writeOptional(j, "next", v.next);
}
void from_json(const json &j, SearchResults &v)
{
    read(j, "results", v.results);
    readOptional(j, "next", v.next);
}

void to_json(json &j, const MessageVersions &v)
{
    j = {{"messageId", v.messageId}, {"authorId", v.authorId}, {"versions", v.versions}};
}
void from_json(const json &j, MessageVersions &v)
{
    read(j, "messageId", v.messageId); read(j, "authorId", v.authorId); read(j, "versions", v.versions);
}

void to_json(json &j, const PinnedMessages &v) { j = {{"topicId", v.topicId}, {"messages", v.messages}}; }
void from_json(const json &j, PinnedMessages &v) { read(j, "topicId", v.topicId); read(j, "messages", v.messages); }

void to_json(json &j, const TopicCatchUp &v)
{
    j = {{"topicId", v.topicId}, {"messages", v.messages}, {"hasMore", v.hasMore}};
}
void from_json(const json &j, TopicCatchUp &v)
{
    read(j, "topicId", v.topicId); read(j, "messages", v.messages); read(j, "hasMore", v.hasMore);
}

void to_json(json &j, const SyncResult &v) { j = {{"topics", v.topics}}; }
void from_json(const json &j, SyncResult &v) { read(j, "topics", v.topics); }

void to_json(json &j, const InviteReply &v) { j = {{"invite", v.invite}}; }
void from_json(const json &j, InviteReply &v) { read(j, "invite", v.invite); }

void to_json(json &j, const InviteList &v) { j = {{"invites", v.invites}}; }
void from_json(const json &j, InviteList &v) { read(j, "invites", v.invites); }

void to_json(json &j, const InvitePreviewReply &v) { j = {{"preview", v.preview}}; }
void from_json(const json &j, InvitePreviewReply &v) { read(j, "preview", v.preview); }

void to_json(json &j, const ReadStateReply &v) { j = {{"readState", v.readState}}; }
void from_json(const json &j, ReadStateReply &v) { read(j, "readState", v.readState); }

void to_json(json &j, const ProfileReply &v) { j = {{"user", v.user}}; }
void from_json(const json &j, ProfileReply &v) { read(j, "user", v.user); }

void to_json(json &j, const RenewedAccess &v) { j = {{"expiresAt", v.expiresAt}}; }
void from_json(const json &j, RenewedAccess &v) { read(j, "expiresAt", v.expiresAt); }

// Events.

void to_json(json &j, const PartyCreated &v) { j = {{"party", v.party}}; }
void from_json(const json &j, PartyCreated &v) { read(j, "party", v.party); }

void to_json(json &j, const PartyJoined &v) { j = {{"party", v.party}}; }
void from_json(const json &j, PartyJoined &v) { read(j, "party", v.party); }

void to_json(json &j, const PartyUpdated &v)
{
    j = {{"partyId", v.partyId}, {"name", v.name}, {"ownerId", v.ownerId}, {"massMentions", massMentionRuleName(v.massMentions)},
         {"notifyDefault", notifyLevelName(v.notifyDefault)}};
}
void from_json(const json &j, PartyUpdated &v)
{
    read(j, "partyId", v.partyId); read(j, "name", v.name); read(j, "ownerId", v.ownerId);
    readOr(j, "massMentions", v.massMentions, MassMentionRule::Admins);
    readOr(j, "notifyDefault", v.notifyDefault, NotifyLevel::All);
}

void to_json(json &j, const PartyDeleted &v) { j = {{"partyId", v.partyId}}; }
void from_json(const json &j, PartyDeleted &v) { read(j, "partyId", v.partyId); }

void to_json(json &j, const MemberJoined &v) { j = {{"partyId", v.partyId}, {"member", v.member}}; }
void from_json(const json &j, MemberJoined &v) { read(j, "partyId", v.partyId); read(j, "member", v.member); }

void to_json(json &j, const MemberUpdated &v) { j = {{"partyId", v.partyId}, {"member", v.member}}; }
void from_json(const json &j, MemberUpdated &v) { read(j, "partyId", v.partyId); read(j, "member", v.member); }

void to_json(json &j, const MemberLeft &v)
{
    j = {{"partyId", v.partyId}, {"userId", v.userId}, {"reason", v.reason}};
}
void from_json(const json &j, MemberLeft &v)
{
    read(j, "partyId", v.partyId); read(j, "userId", v.userId); read(j, "reason", v.reason);
}

void to_json(json &j, const TopicCreated &v) { j = {{"topic", v.topic}}; }
void from_json(const json &j, TopicCreated &v) { read(j, "topic", v.topic); }

void to_json(json &j, const TopicUpdated &v) { j = {{"topic", v.topic}}; }
void from_json(const json &j, TopicUpdated &v) { read(j, "topic", v.topic); }

void to_json(json &j, const TopicDeleted &v) { j = {{"partyId", v.partyId}, {"topicId", v.topicId}}; }
void from_json(const json &j, TopicDeleted &v) { read(j, "partyId", v.partyId); read(j, "topicId", v.topicId); }

void to_json(json &j, const TopicsReordered &v) { j = {{"partyId", v.partyId}, {"topicIds", v.topicIds}}; }
void from_json(const json &j, TopicsReordered &v) { read(j, "partyId", v.partyId); read(j, "topicIds", v.topicIds); }

void to_json(json &j, const MessageCreated &v) { j = {{"message", v.message}}; }
void from_json(const json &j, MessageCreated &v) { read(j, "message", v.message); }

void to_json(json &j, const MessageUpdated &v) { j = {{"message", v.message}}; }
void from_json(const json &j, MessageUpdated &v) { read(j, "message", v.message); }

void to_json(json &j, const MessageDeleted &v) { j = {{"message", v.message}}; }
void from_json(const json &j, MessageDeleted &v) { read(j, "message", v.message); }

namespace {
template <typename ReactionEvent>
void writeReaction(json &j, const ReactionEvent &v)
{
    j = {{"partyId", v.partyId}, {"topicId", v.topicId}, {"messageId", v.messageId}, {"seq", v.seq},
         {"rev", v.rev}, {"emoji", v.emoji}, {"userId", v.userId}};
}
template <typename ReactionEvent>
void readReaction(const json &j, ReactionEvent &v)
{
    read(j, "partyId", v.partyId); read(j, "topicId", v.topicId); read(j, "messageId", v.messageId);
    read(j, "seq", v.seq); read(j, "rev", v.rev); read(j, "emoji", v.emoji); read(j, "userId", v.userId);
}
} // namespace

void to_json(json &j, const ReactionAdded &v) { writeReaction(j, v); }
void from_json(const json &j, ReactionAdded &v) { readReaction(j, v); }
void to_json(json &j, const ReactionRemoved &v) { writeReaction(j, v); }
void from_json(const json &j, ReactionRemoved &v) { readReaction(j, v); }

void to_json(json &j, const PinChanged &v) { j = {{"message", v.message}, {"pinnedCount", v.pinnedCount}}; }
void from_json(const json &j, PinChanged &v) { read(j, "message", v.message); read(j, "pinnedCount", v.pinnedCount); }

void to_json(json &j, const PresenceUpdated &v) { j = {{"userId", v.userId}, {"status", presenceName(v.status)}}; }
void from_json(const json &j, PresenceUpdated &v) { read(j, "userId", v.userId); read(j, "status", v.status); }

void to_json(json &j, const Typing &v) { j = {{"partyId", v.partyId}, {"topicId", v.topicId}, {"userId", v.userId}}; }
void from_json(const json &j, Typing &v) { read(j, "partyId", v.partyId); read(j, "topicId", v.topicId); read(j, "userId", v.userId); }

void to_json(json &j, const ReadStateUpdated &v) { j = {{"readState", v.readState}}; }
void from_json(const json &j, ReadStateUpdated &v) { read(j, "readState", v.readState); }

void to_json(json &j, const ProfileUpdated &v) { j = {{"user", v.user}}; }
void from_json(const json &j, ProfileUpdated &v) { read(j, "user", v.user); }

void to_json(json &j, const BlocksUpdated &v) { j = {{"userIds", v.userIds}}; }
void from_json(const json &j, BlocksUpdated &v) { read(j, "userIds", v.userIds); }

} // namespace chatterbox::protocol
