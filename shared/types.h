#pragma once

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

struct User {
    std::string id;
    std::string displayName;
};

struct Member {
    std::string userId;
    std::string displayName;
    Role role = Role::Member;
    std::int64_t joinedAt = 0;
};

struct Topic {
    std::string id;
    std::string partyId;
    std::string name;
    int position = 0;
    std::int64_t lastSeq = 0;   // seq of the newest message; 0 when empty
    std::int64_t lastRev = 0;   // newest change (post, edit or delete) in the topic
};

struct Party {
    std::string id;
    std::string name;
    std::string ownerId;
    std::int64_t createdAt = 0;
    std::vector<Topic> topics;    // ordered by position
    std::vector<Member> members;
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
};

} // namespace chatterbox::protocol
