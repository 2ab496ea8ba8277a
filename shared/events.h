// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "shared/types.h"

#include <string>
#include <variant>
#include <vector>

// Server -> client pushes, sent as {"type":"event","event":kName,"data":{...}}.
// Each reaches every connection of every member of the party it is about, and no one else.
namespace chatterbox::protocol {

struct PartyCreated { static constexpr const char *kName = "party.created"; Party party; };
// To the connections of someone who just joined through an invite: the whole party.
struct PartyJoined { static constexpr const char *kName = "party.joined"; Party party; };
struct PartyUpdated {
    static constexpr const char *kName = "party.updated";
    std::string partyId;
    std::string name;
    std::string ownerId;
    MassMentionRule massMentions = MassMentionRule::Admins;
    NotifyLevel notifyDefault = NotifyLevel::All;
};
struct PartyDeleted { static constexpr const char *kName = "party.deleted"; std::string partyId; };
struct MemberJoined { static constexpr const char *kName = "member.joined"; std::string partyId; Member member; };
struct MemberUpdated { static constexpr const char *kName = "member.updated"; std::string partyId; Member member; };
struct MemberLeft {
    static constexpr const char *kName = "member.left";
    std::string partyId;
    std::string userId;
    std::string reason;   // "left" or "kicked"
};
struct TopicCreated { static constexpr const char *kName = "topic.created"; Topic topic; };
struct TopicUpdated { static constexpr const char *kName = "topic.updated"; Topic topic; };
struct TopicDeleted { static constexpr const char *kName = "topic.deleted"; std::string partyId; std::string topicId; };
struct TopicsReordered { static constexpr const char *kName = "topic.reordered"; std::string partyId; std::vector<std::string> topicIds; };
struct MessageCreated { static constexpr const char *kName = "message.created"; Message message; };
struct MessageUpdated { static constexpr const char *kName = "message.updated"; Message message; };
struct MessageDeleted { static constexpr const char *kName = "message.deleted"; Message message; };
// One reaction added or taken away: the message's rev moves to `rev` (a client that holds a
// newer rev of the message already has it).
struct ReactionAdded {
    static constexpr const char *kName = "reaction.added";
    std::string partyId;
    std::string topicId;
    std::string messageId;
    std::int64_t seq = 0;
    std::int64_t rev = 0;
    std::string emoji;
    std::string userId;
};
struct ReactionRemoved {
    static constexpr const char *kName = "reaction.removed";
    std::string partyId;
    std::string topicId;
    std::string messageId;
    std::int64_t seq = 0;
    std::int64_t rev = 0;
    std::string emoji;
    std::string userId;
};
// A message pinned or unpinned (message.pinnedAt says which), and how many the topic now has.
struct PinChanged { static constexpr const char *kName = "pin.changed"; Message message; int pinnedCount = 0; };

// To everyone who shares a party with the person. Not stored: presence is live state.
struct PresenceUpdated { static constexpr const char *kName = "presence.updated"; std::string userId; Presence status = Presence::Offline; };
// To the party's other members. Not stored. Show "X is typing" for about 6 seconds.
struct Typing { static constexpr const char *kName = "typing"; std::string partyId; std::string topicId; std::string userId; };
// To the reader's own connections only.
struct ReadStateUpdated { static constexpr const char *kName = "readstate.updated"; ReadState readState; };
// To everyone who shares a party with the person.
struct ProfileUpdated { static constexpr const char *kName = "profile.updated"; User user; };
// To the person's own connections: whom they block now.
struct BlocksUpdated { static constexpr const char *kName = "blocks.updated"; std::vector<std::string> userIds; };

using Event = std::variant<PartyCreated, PartyJoined, PartyUpdated, PartyDeleted, MemberJoined, MemberUpdated,
                           MemberLeft, TopicCreated, TopicUpdated, TopicDeleted, TopicsReordered,
                           MessageCreated, MessageUpdated, MessageDeleted, ReactionAdded, ReactionRemoved,
                           PinChanged, PresenceUpdated, Typing,
                           ReadStateUpdated, ProfileUpdated, BlocksUpdated>;

const char *eventName(const Event &event);

} // namespace chatterbox::protocol
