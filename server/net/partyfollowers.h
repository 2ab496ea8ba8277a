// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace chatterbox::server {

class ConnectedClient;

// Which connections receive a party's events: each follows the parties of its person, from its
// snapshot on, and a join or a leave changes that as the event goes out. Kept on both sides
// (the connection's own set, and here by party) so that fan-out finds a party's followers at once.
class PartyFollowers final {
public:
    void follow(ConnectedClient *connection, const std::string &partyId);
    void unfollow(ConnectedClient *connection, const std::string &partyId);
    // Unfollows everything the connection follows (it closed).
    void forget(ConnectedClient *connection);
    // The followers of one party; nullptr when none.
    const std::unordered_set<ConnectedClient *> *of(const std::string &partyId) const;
    // The followers of any of the parties, each once.
    std::vector<ConnectedClient *> ofAny(const std::vector<std::string> &partyIds) const;
    std::size_t partyCount() const { return m_byParty.size(); }

private:
    std::unordered_map<std::string, std::unordered_set<ConnectedClient *>> m_byParty;
};

} // namespace chatterbox::server
