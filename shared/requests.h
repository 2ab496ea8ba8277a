// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "shared/replies.h"
#include "shared/types.h"

#include <optional>
#include <string>
#include <variant>
#include <vector>

// Client -> server requests. Each is sent as {"type": kType, "id": <int>, ...fields}
// and answered by exactly one reply carrying the same id: a Reply (replies.h) or an error.
namespace chatterbox::protocol {

struct Hello {
    static constexpr const char *kType = "hello";
    using Reply = Ready;
    int protocol = 0;
    std::vector<std::string> features;
};

struct ListParties {
    static constexpr const char *kType = "party.list";
    using Reply = PartyList;
};

struct CreateParty {
    static constexpr const char *kType = "party.create";
    using Reply = PartyReply;
    std::string name;
};

struct RenameParty {
    static constexpr const char *kType = "party.rename";
    using Reply = PartyReply;
    std::string partyId;
    std::string name;
};

// The party's settings (owner): who may mention @everyone and @here, and what reaches its members
// by default. Each one left out stays as it is; at least one must be given.
struct ConfigureParty {
    static constexpr const char *kType = "party.configure";
    using Reply = PartyReply;
    std::string partyId;
    std::optional<MassMentionRule> massMentions;
    std::optional<NotifyLevel> notifyDefault;
};

struct DeleteParty {
    static constexpr const char *kType = "party.delete";
    using Reply = Empty;
    std::string partyId;
};

struct LeaveParty {
    static constexpr const char *kType = "party.leave";
    using Reply = Empty;
    std::string partyId;
};

struct TransferOwnership {
    static constexpr const char *kType = "party.transfer";
    using Reply = PartyReply;
    std::string partyId;
    std::string userId;
};

struct SetMemberRole {
    static constexpr const char *kType = "member.setRole";
    using Reply = Empty;
    std::string partyId;
    std::string userId;
    Role role = Role::Member;   // admin or member; ownership moves with party.transfer
};

struct KickMember {
    static constexpr const char *kType = "member.kick";
    using Reply = Empty;
    std::string partyId;
    std::string userId;
};

struct CreateTopic {
    static constexpr const char *kType = "topic.create";
    using Reply = TopicReply;
    std::string partyId;
    std::string name;
};

struct RenameTopic {
    static constexpr const char *kType = "topic.rename";
    using Reply = TopicReply;
    std::string topicId;
    std::string name;
};

struct DeleteTopic {
    static constexpr const char *kType = "topic.delete";
    using Reply = Empty;
    std::string topicId;
};

struct ReorderTopics {
    static constexpr const char *kType = "topic.reorder";
    using Reply = TopicOrder;
    std::string partyId;
    std::vector<std::string> topicIds;   // every topic of the party, in the new order
};

struct SendMessage {
    static constexpr const char *kType = "message.send";
    using Reply = MessageReply;
    std::string topicId;
    std::string clientMsgId;   // UUID made by the client; a retry with the same id is a no-op
    std::string body;
    std::optional<std::string> replyTo = {};   // the id of a message of the same topic this one answers
    std::vector<std::string> files = {};       // uploaded files of the sender's, not yet sent; the body may then be empty
};

struct EditMessage {
    static constexpr const char *kType = "message.edit";
    using Reply = MessageReply;
    std::string messageId;
    std::string body;
};

struct DeleteMessage {
    static constexpr const char *kType = "message.delete";
    using Reply = MessageReply;
    std::string messageId;
};

// One message by id, wherever it is in history (permalinks, the original of a reply).
struct GetMessage {
    static constexpr const char *kType = "message.get";
    using Reply = MessageReply;
    std::string messageId;
};

// Keyset pagination on seq: at most `limit` messages before `beforeSeq` (newest first
// internally, returned oldest first), or after `afterSeq`, or around `aroundSeq` (that message
// and about as many before it as after it: where a permalink or a reply's quote jumps to), or
// the newest page when none is given.
struct FetchHistory {
    static constexpr const char *kType = "message.history";
    using Reply = History;
    std::string topicId;
    std::optional<std::int64_t> beforeSeq;
    std::optional<std::int64_t> afterSeq;
    int limit = 50;
    std::optional<std::int64_t> aroundSeq = {};
};

// Messages of the caller's parties that match a query (shared/searchquery.h), newest first.
// topicId or partyId narrows it to one topic or party (the app's "this topic").
struct SearchMessages {
    static constexpr const char *kType = "message.search";
    using Reply = SearchResults;
    std::string query;
    std::optional<std::string> topicId = {};
    std::optional<std::string> partyId = {};
    std::optional<std::string> cursor = {};   // the previous page's "next"
    int limit = 20;
    int utcOffsetMinutes = 0;              // where before:, after: and on: days begin
};

// The earlier texts of an edited message, oldest first (the current one is the message's body).
struct GetMessageVersions {
    static constexpr const char *kType = "message.versions";
    using Reply = MessageVersions;
    std::string messageId;
};

// Adds the caller's reaction (one emoji) to a message; adding one that is there already is a no-op.
struct AddReaction {
    static constexpr const char *kType = "reaction.add";
    using Reply = Empty;
    std::string messageId;
    std::string emoji;
};

// Takes the caller's reaction away; taking away one that is not there is a no-op.
struct RemoveReaction {
    static constexpr const char *kType = "reaction.remove";
    using Reply = Empty;
    std::string messageId;
    std::string emoji;
};

// Owners and admins pin messages in a topic, and unpin them.
struct PinMessage {
    static constexpr const char *kType = "message.pin";
    using Reply = MessageReply;
    std::string messageId;
    bool pinned = true;   // false unpins
};

// The pinned messages of a topic, the most recently pinned first.
struct ListPins {
    static constexpr const char *kType = "pin.list";
    using Reply = PinnedMessages;
    std::string topicId;
};

// Where a reconnecting client was in one topic.
struct SyncPosition {
    std::string topicId;
    std::int64_t afterSeq = 0;                 // newest seq the client holds
    std::optional<std::int64_t> afterRev;      // newest rev it holds; asks for edits and deletes too
};

struct SyncTopics {
    static constexpr const char *kType = "message.sync";
    using Reply = SyncResult;
    std::vector<SyncPosition> topics;
};

struct CreateInvite {
    static constexpr const char *kType = "invite.create";
    using Reply = InviteReply;
    std::string partyId;
    std::optional<std::int64_t> expiresInSeconds;   // none: never expires
    std::optional<int> maxUses;                     // none: unlimited
};

struct ListInvites {
    static constexpr const char *kType = "invite.list";
    using Reply = InviteList;
    std::string partyId;
};

struct RevokeInvite {
    static constexpr const char *kType = "invite.revoke";
    using Reply = Empty;
    std::string partyId;
    std::string code;
};

struct PreviewInvite {
    static constexpr const char *kType = "invite.preview";
    using Reply = InvitePreviewReply;
    std::string code;
};

struct JoinInvite {
    static constexpr const char *kType = "invite.join";
    using Reply = JoinedParty;
    std::string code;
};

// A direct conversation with these people (the caller is in it too): the one they already have,
// or a new one. Each must share a party with the caller, and none may have blocked them.
struct OpenDirect {
    static constexpr const char *kType = "direct.open";
    using Reply = JoinedParty;
    std::vector<std::string> userIds;   // the others, 1 to kMaxDirectMembers - 1, in any order
};

// Blocking someone closes the direct conversations between the two to both, and stops the
// blocked person from starting one; the app hides the blocked person's messages.
struct BlockUser {
    static constexpr const char *kType = "user.block";
    using Reply = BlockList;
    std::string userId;
};

struct UnblockUser {
    static constexpr const char *kType = "user.unblock";
    using Reply = BlockList;
    std::string userId;
};

// The app reports "idle" after inactivity and "online" when the person is back, and "dnd" while
// they asked not to be disturbed.
struct SetPresence {
    static constexpr const char *kType = "presence.set";
    using Reply = Empty;
    Presence status = Presence::Online;   // online, idle or dnd
};

struct StartTyping {
    static constexpr const char *kType = "typing.start";
    using Reply = Empty;
    std::string topicId;
};

struct MarkRead {
    static constexpr const char *kType = "topic.markRead";
    using Reply = ReadStateReply;
    std::string topicId;
    std::int64_t seq = 0;   // the newest seq read; the read position never moves back
};

struct UpdateProfile {
    static constexpr const char *kType = "profile.update";
    using Reply = ProfileReply;
    std::optional<std::string> displayName;
    std::optional<std::string> avatarUrl;   // "" removes it
    // The person's picture: a file of theirs, uploaded and not sent in a message ("" removes it).
    std::optional<std::string> avatarFileId;
    // A short line about themselves ("" removes it), shown until statusExpiresAt when that is given.
    std::optional<std::string> statusText = {};
    std::optional<std::int64_t> statusExpiresAt = {};
};

// Hands an open connection the access token its sign-in was refreshed to, so that the connection
// lives as long as the sign-in instead of closing with 4001 when the token it opened with expires.
struct RenewAccess {
    static constexpr const char *kType = "session.renew";
    using Reply = RenewedAccess;
    std::string accessToken;
};

using Request = std::variant<Hello, ListParties, CreateParty, RenameParty, ConfigureParty, DeleteParty, LeaveParty,
                             TransferOwnership, SetMemberRole, KickMember, CreateTopic, RenameTopic,
                             DeleteTopic, ReorderTopics, SendMessage, EditMessage, DeleteMessage,
                             GetMessage, FetchHistory, SearchMessages, GetMessageVersions, AddReaction, RemoveReaction,
                             PinMessage, ListPins, SyncTopics, CreateInvite, ListInvites, RevokeInvite,
                             PreviewInvite, JoinInvite, OpenDirect, BlockUser, UnblockUser, SetPresence,
                             StartTyping, MarkRead, UpdateProfile, RenewAccess>;

// A decoded client frame: the request and the id its reply must carry.
struct ClientFrame {
    std::int64_t id = 0;
    Request request;
};

} // namespace chatterbox::protocol
