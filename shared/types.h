// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "shared/mentions.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

// The things people see: users, parties, their members and topics, and messages.
// Ids are UUIDs in canonical text form; times are milliseconds since the Unix epoch (UTC).
namespace chatterbox::protocol {

enum class Role { Owner, Admin, Member };

const char *roleName(Role role);
bool roleFromName(const std::string &name, Role &out);

// Do not disturb is one the person sets; it wins over their other connections' online or idle.
enum class Presence { Offline, Idle, Online, DoNotDisturb };

const char *presenceName(Presence presence);
bool presenceFromName(const std::string &name, Presence &out);

// What a person says of themselves and when they were last around, as User and Member carry it.
struct Status {
    std::string text;                       // a short line the person set ("On holiday"); empty when none
    std::optional<std::int64_t> expiresAt;  // when the server stops showing it; none: until changed
    std::optional<std::int64_t> lastSeenAt; // when they last came or went online; none: never seen
    bool operator==(const Status &) const = default;
};

struct User {
    std::string id;
    std::string displayName;
    std::string avatarUrl;      // empty when none: a link of the person's, which the app does not load
    std::string avatarFileId;   // the person's picture, a file at /files/<id>; empty when none
    Status status = {};
};

struct Member {
    std::string userId;
    std::string displayName;
    std::string avatarUrl;
    Role role = Role::Member;
    std::int64_t joinedAt = 0;
    std::string avatarFileId;   // as in User
    Status status = {};         // as in User
};

struct Topic {
    std::string id;
    std::string partyId;
    std::string name;
    int position = 0;
    std::int64_t lastSeq = 0;   // seq of the newest message; 0 when empty
    std::int64_t lastRev = 0;   // newest change (post, edit, delete, reaction, pin) in the topic
    int pinnedCount = 0;        // messages pinned in the topic
};

// A party people are invited to, or a direct conversation: a few people (kMaxDirectMembers at
// most) who share a party, with one topic, no owner, no name and no invites.
enum class PartyKind { Party, Direct };

const char *partyKindName(PartyKind kind);
bool partyKindFromName(const std::string &name, PartyKind &out);

// What reaches a person from a party or topic: every message, only what names them, or nothing.
// A party's owner sets its default; each member may choose their own for a party or a topic.
enum class NotifyLevel { All, Mentions, Nothing };

const char *notifyLevelName(NotifyLevel level);   // "all", "mentions", "nothing"
bool notifyLevelFromName(const std::string &name, NotifyLevel &out);

struct Party {
    std::string id;
    std::string name;             // empty for a direct conversation: apps name it by its members
    std::string ownerId;          // empty for a direct conversation
    std::int64_t createdAt = 0;
    std::vector<Topic> topics;    // ordered by position
    std::vector<Member> members;
    MassMentionRule massMentions = MassMentionRule::Admins;   // who may use @everyone and @here
    PartyKind kind = PartyKind::Party;
    NotifyLevel notifyDefault = NotifyLevel::All;   // what reaches a member who chose nothing else
};

// One emoji on a message and who put it there.
struct Reaction {
    std::string emoji;
    std::vector<std::string> userIds;   // first to react first; the count is their number
};

// What a reply shows of the message it answers: who wrote it and how it starts.
struct ReplyPreview {
    std::string messageId;
    std::int64_t seq = 0;
    std::string authorId;
    std::string excerpt;    // the start of its text (limits::kReplyExcerptChars); empty once deleted
    bool deleted = false;
};

// A file attached to a message (docs/protocol.md, "Files"): what a client needs to show it
// before fetching it. The bytes are fetched over HTTP by members of the message's party.
struct FileInfo {
    std::string id;
    std::string name;                    // as the sender's file was called, no directories
    std::string mediaType;               // as the sender's app declared it: "image/png"
    std::int64_t size = 0;               // bytes
    std::optional<int> width;            // pixels, for images, as the sender's app measured them
    std::optional<int> height;
    bool hasThumbnail = false;           // a small image made by the sender's app, at /files/<id>/thumbnail
};

struct Message {
    std::string id;
    std::string topicId;
    std::string partyId;
    std::int64_t seq = 0;          // gapless per topic: 1, 2, 3, ...
    std::int64_t rev = 0;          // per-topic change counter at this message's last change
    std::string authorId;
    std::string clientMsgId;
    std::string body;              // empty once deleted
    std::int64_t createdAt = 0;
    std::optional<std::int64_t> editedAt;
    bool deleted = false;
    std::vector<std::string> mentions;   // user ids named with @ in the body, resolved when sent
    MassMention massMention = MassMention::None;   // @everyone or @here, by someone allowed to
    std::optional<ReplyPreview> replyTo;   // the message this one answers, in the same topic
    std::vector<Reaction> reactions;       // in the order each emoji was first used
    std::optional<std::int64_t> pinnedAt;  // when it was pinned; none when it is not
    std::string pinnedBy;                  // who pinned it; empty when it is not
    std::vector<FileInfo> files;           // attached when sent, in the order sent; none once deleted
};

// Whether the message mentions this person: by name, or with @everyone or @here (which the
// server keeps only from people allowed to use them) when they did not write it.
inline bool mentionsUser(const Message &message, const std::string &userId)
{
    if (message.massMention != MassMention::None && message.authorId != userId)
        return true;
    for (const auto &id : message.mentions) {
        if (id == userId)
            return true;
    }
    return false;
}

// An earlier text of an edited message: what it said until writtenAt's successor replaced it.
struct MessageVersion {
    std::string body;
    std::int64_t writtenAt = 0;   // when this text was written (sent, or the edit that made it)
};

// Where one person is in one topic.
struct ReadState {
    std::string topicId;
    std::int64_t lastReadSeq = 0;
    std::int64_t unread = 0;     // messages after lastReadSeq by others, not deleted (capped at 1000)
    std::int64_t mentions = 0;   // of those, the ones that mention this person
};

struct Invite {
    std::string code;
    std::string partyId;
    std::string url;             // the shareable link: <server base URL>/invite/<code>
    std::string createdBy;
    std::int64_t createdAt = 0;
    std::optional<std::int64_t> expiresAt;
    std::optional<int> maxUses;
    int uses = 0;
};

// What someone holding an invite may see before joining.
struct InvitePreview {
    std::string code;
    std::string partyName;
    int memberCount = 0;
    std::string inviterName;
    bool alreadyMember = false;
};

} // namespace chatterbox::protocol
