// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/net/partyfollowers.h"

#include "server/net/connectedclient.h"

#include <set>

namespace chatterbox::server {

void PartyFollowers::follow(ConnectedClient *connection, const std::string &partyId)
{
    connection->parties.insert(partyId);
    m_byParty[partyId].insert(connection);
}

void PartyFollowers::unfollow(ConnectedClient *connection, const std::string &partyId)
{
    connection->parties.erase(partyId);
    auto it = m_byParty.find(partyId);
    if (it != m_byParty.end()) {
        it->second.erase(connection);
        if (it->second.empty())
            m_byParty.erase(it);
    }
}

void PartyFollowers::forget(ConnectedClient *connection)
{
    const auto parties = connection->parties;
    for (const auto &partyId : parties)
        unfollow(connection, partyId);
}

const std::unordered_set<ConnectedClient *> *PartyFollowers::of(const std::string &partyId) const
{
    const auto it = m_byParty.find(partyId);
    return it == m_byParty.end() ? nullptr : &it->second;
}

std::vector<ConnectedClient *> PartyFollowers::ofAny(const std::vector<std::string> &partyIds) const
{
    std::set<ConnectedClient *> targets;
    for (const auto &partyId : partyIds) {
        if (const auto *followers = of(partyId))
            targets.insert(followers->begin(), followers->end());
    }
    return {targets.begin(), targets.end()};
}

} // namespace chatterbox::server
