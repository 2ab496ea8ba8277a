// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "shared/types.h"

#include <string>
#include <utility>
#include <variant>
#include <vector>

// What a successful request returns, as the "result" of {"type":"result","id":N,"result":{...}}.
namespace chatterbox::protocol {

// Who of the members shown is not offline: (userId, status) pairs, an object on the wire.
using PresenceList = std::vector<std::pair<std::string, Presence>>;

// The reply to hello: everything a client needs to draw its first screen.
struct Ready {
    int protocol = 0;
    std::vector<std::string> features;   // the ones both sides speak
    User me;
    std::vector<Party> parties;
    std::vector<ReadState> readStates;                  // one per topic of my parties
    PresenceList presence;                              // members who are not offline
    std::int64_t serverTime = 0;
    std::vector<std::string> blockedUserIds;            // the people I blocked
};

struct PartyList { std::vector<Party> parties; };
struct PartyReply { Party party; };
// The reply to invite.join: the party, and who of its members is online now.
struct JoinedParty { Party party; PresenceList presence; };
struct TopicReply { Topic topic; };
struct TopicOrder { std::string partyId; std::vector<std::string> topicIds; };
struct MessageReply { Message message; };
struct Empty {};
// The people the caller has blocked, after a change.
struct BlockList { std::vector<std::string> userIds; };

struct History {
    std::string topicId;
    std::vector<Message> messages;   // ascending seq
    bool hasMore = false;            // more exist beyond this page in the direction asked (older, for aroundSeq)
    bool hasNewer = false;           // for aroundSeq: newer messages exist after this page
};

// A part of a text, in UTF-16 code units (what Qt, JavaScript, Java and C# index strings by).
struct TextRange {
    int start = 0;
    int length = 0;
    bool operator==(const TextRange &) const = default;
};

struct SearchHit {
    Message message;
    std::string snippet;                 // the body, or kSearchSnippetChars of it around the first match
    std::vector<TextRange> highlights;   // the matched words, in snippet
};

struct SearchResults {
    std::vector<SearchHit> results;      // newest first
    std::optional<std::string> next;     // more: pass as cursor for the next page
};

struct MessageVersions {
    std::string messageId;
    std::string authorId;
    std::vector<MessageVersion> versions;   // earlier texts, oldest first; empty if never edited
};

struct PinnedMessages {
    std::string topicId;
    std::vector<Message> messages;   // the most recently pinned first
};

struct TopicCatchUp {
    std::string topicId;
    std::vector<Message> messages;   // ascending seq: new ones, plus changed older ones when afterRev was given
    bool hasMore = false;            // more new messages than fit; continue with message.history afterSeq
};

struct SyncResult { std::vector<TopicCatchUp> topics; };
struct InviteReply { Invite invite; };
struct InviteList { std::vector<Invite> invites; };
struct InvitePreviewReply { InvitePreview preview; };
struct ReadStateReply { ReadState readState; };
struct ProfileReply { User user; };
struct RenewedAccess { std::int64_t expiresAt = 0; };   // ms since the epoch

// Every reply a request can have; each request names its own as Request::Reply (requests.h).
using Reply = std::variant<Empty, Ready, PartyList, PartyReply, JoinedParty, TopicReply, TopicOrder,
                           MessageReply, History, SearchResults, MessageVersions, PinnedMessages, SyncResult, InviteReply, InviteList,
                           InvitePreviewReply, ReadStateReply, ProfileReply, RenewedAccess, BlockList>;

} // namespace chatterbox::protocol
