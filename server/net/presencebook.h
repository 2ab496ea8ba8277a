// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "shared/types.h"

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace chatterbox::server {

// One presence per person, from all of their connections on this instance and what the other
// instances say about them: online if anything is online, idle if all is idle, offline when
// nothing is left.
class PresenceBook final {
public:
    struct Change {
        std::optional<protocol::Presence> here;     // this instance's own view changed (tell the others)
        std::optional<protocol::Presence> overall;  // the person's presence changed (tell their parties)
    };

    // Records one local connection's status (Offline: the connection is gone).
    Change set(const std::string &userId, std::uint64_t connectionId, protocol::Presence status);
    // What another instance says about someone (Offline: they left it). Returns the person's new
    // presence when it changed.
    std::optional<protocol::Presence> setElsewhere(const std::string &userId, const std::string &instanceId,
                                                   protocol::Presence status);
    // An instance is gone: everyone it had counts as offline there. Returns the people whose
    // presence changed.
    std::vector<std::string> dropInstance(const std::string &instanceId);
    // Everything the other instances say, replacing what was known (after listening again).
    // Returns the people whose presence changed.
    struct Elsewhere {
        std::string instanceId;
        std::string userId;
        protocol::Presence status;
    };
    std::vector<std::string> replaceElsewhere(const std::vector<Elsewhere> &entries);

    protocol::Presence of(const std::string &userId) const;
    protocol::Presence here(const std::string &userId) const;

private:
    struct Person {
        std::unordered_map<std::uint64_t, protocol::Presence> connections;
        std::unordered_map<std::string, protocol::Presence> instances;
        bool empty() const { return connections.empty() && instances.empty(); }
    };

    void forgetIfEmpty(const std::string &userId);

    std::unordered_map<std::string, Person> m_people;
};

} // namespace chatterbox::server
