#pragma once

#include "shared/types.h"

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

namespace chatterbox::server {

// One presence per person, from all of their connections: online if any connection is
// online, idle if all are idle, offline when none is left.
class PresenceBook final {
public:
    // Records one connection's status (Offline: the connection is gone). Returns the person's
    // new presence when it changed.
    std::optional<protocol::Presence> set(const std::string &userId, std::uint64_t connectionId, protocol::Presence status);
    protocol::Presence of(const std::string &userId) const;

private:
    static protocol::Presence combine(const std::unordered_map<std::uint64_t, protocol::Presence> &connections);

    std::unordered_map<std::string, std::unordered_map<std::uint64_t, protocol::Presence>> m_people;
};

} // namespace chatterbox::server
