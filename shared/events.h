#pragma once

#include "shared/types.h"

#include <string>
#include <variant>
#include <vector>

// Server -> client pushes, sent as {"type":"event","event":kName,"data":{...}}.
// Each reaches every connection of every member of the party it is about, and no one else.
namespace chatterbox::protocol {

struct PartyCreated { static constexpr const char *kName = "party.created"; Party party; };
struct PartyUpdated { static constexpr const char *kName = "party.updated"; std::string partyId; std::string name; std::string ownerId; };
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

using Event = std::variant<PartyCreated, PartyUpdated, PartyDeleted, MemberJoined, MemberUpdated,
                           MemberLeft, TopicCreated, TopicUpdated, TopicDeleted, TopicsReordered,
                           MessageCreated, MessageUpdated, MessageDeleted>;

const char *eventName(const Event &event);

} // namespace chatterbox::protocol
