// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/db/eventlog.h"
#include "server/net/partyfollowers.h"
#include "server/net/recentevents.h"
#include "server/ws/wsframe.h"

#include <functional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace chatterbox::protocol {
struct Party;
}

namespace chatterbox::server {

class ConnectedClient;
class Metrics;

// Committed events to the connections that should have them, and no others: the followers of
// the party (every message takes that path, one shared frame for all), one person's connections,
// or the people an event lets in (they follow the party before it goes out) or takes out (they
// get this last event, then no more). Keeps who follows what, and what went out a moment ago
// for connections whose snapshot is still being read. Presence is the hub's: it hears of joins
// through the two callbacks.
class EventFanout final {
public:
    using ConnectionsByUser = std::unordered_map<std::string, std::unordered_set<ConnectedClient *>>;
    EventFanout(Metrics &metrics, const ConnectionsByUser &byUser);

    PartyFollowers &followers() { return m_followers; }
    const PartyFollowers &followers() const { return m_followers; }
    RecentEvents &recent() { return m_recent; }

    // Every committed event, once and in id order.
    void publish(std::vector<CommittedEvent> events);
    // What committed after the connection's snapshot and already went out to others.
    void replay(ConnectedClient *connection, std::int64_t snapshotEventId);

    // The connection was let into a party (party.joined went out to it).
    std::function<void(ConnectedClient *connection, const protocol::Party &party)> joinedParty;
    // Someone joined a party (member.joined went out to its members).
    std::function<void(const std::string &userId, const std::string &partyId)> memberJoined;

private:
    // One event to one connection: the same rules whether it is live or replayed.
    void deliver(ConnectedClient *connection, const CommittedEvent &event, const ws::Frame &frame);
    bool follows(const ConnectedClient *connection, const CommittedEvent &event) const;
    // The common case, a change inside one party that changes nobody's membership.
    static bool isPlain(const CommittedEvent &event);

    Metrics &m_metrics;
    const ConnectionsByUser &m_byUser;
    PartyFollowers m_followers;
    // A few seconds' worth is plenty; bounded by bytes too, since one event can carry a party.
    RecentEvents m_recent{16384, 32 * 1024 * 1024};
    std::vector<ConnectedClient *> m_targets;   // reused by publish(), so a delivery allocates nothing
};

} // namespace chatterbox::server
