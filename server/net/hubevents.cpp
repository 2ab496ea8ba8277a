// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/net/hub.h"

#include "server/metrics.h"
#include "shared/frames.h"

#include <set>

// Fan-out of committed events, ephemeral events, and presence.
namespace chatterbox::server {

void Hub::deliverEphemeral(const PartyEvent &event)
{
    const ws::Frame frame = ws::textFrame(protocol::encodeEvent(event.event));
    for (ConnectedClient *connection : m_fanout.followers().ofAny({event.partyId})) {
        if (connection->userId() == event.exceptUserId || connection->state() != ConnectedClient::State::Ready)
            continue;
        if (connection->send(frame))
            ++m_metrics.eventsDelivered;
    }
}

void Hub::setPresence(ConnectedClient *connection, protocol::Presence status)
{
    connection->presence = status;
    if (connection->state() != ConnectedClient::State::Ready)
        return;
    const auto change = m_presence.set(connection->userId(), connection->id(), status);
    if (change.here && m_cluster)
        m_cluster->presenceChanged(connection->userId(), *change.here);
    if (change.overall) {
        const std::vector<std::string> parties(connection->parties.begin(), connection->parties.end());
        announcePresence(connection->userId(), *change.overall, parties);
    }
}

void Hub::announcePresence(const std::string &userId, protocol::Presence status, const std::vector<std::string> &partyIds)
{
    const ws::Frame frame = ws::textFrame(protocol::encodeEvent(protocol::PresenceUpdated{userId, status}));
    for (ConnectedClient *connection : m_fanout.followers().ofAny(partyIds)) {
        if (connection->state() == ConnectedClient::State::Ready && connection->send(frame))
            ++m_metrics.eventsDelivered;
    }
}

protocol::PresenceList Hub::presenceOfMembers(const std::vector<protocol::Party> &parties) const
{
    protocol::PresenceList presence;
    std::set<std::string> seen;   // someone in two parties is listed once
    for (const auto &party : parties) {
        for (const auto &member : party.members) {
            const auto status = m_presence.of(member.userId);
            if (status != protocol::Presence::Offline && seen.insert(member.userId).second)
                presence.emplace_back(member.userId, status);
        }
    }
    return presence;
}

void Hub::sendPresenceOf(ConnectedClient *connection, const protocol::Party &party)
{
    for (const auto &member : party.members) {
        const auto status = m_presence.of(member.userId);
        if (status != protocol::Presence::Offline)
            connection->send(ws::textFrame(protocol::encodeEvent(protocol::PresenceUpdated{member.userId, status})));
    }
}

} // namespace chatterbox::server
