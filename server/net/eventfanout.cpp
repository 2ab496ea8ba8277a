// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/net/eventfanout.h"

#include "server/metrics.h"
#include "server/net/connectedclient.h"

namespace chatterbox::server {

namespace {

// The users an event lets into its party (they start following it before it is delivered).
std::vector<std::string> usersJoining(const CommittedEvent &event)
{
    if (const auto *created = std::get_if<protocol::PartyCreated>(&event.event)) {
        std::vector<std::string> users;
        for (const auto &m : created->party.members)
            users.push_back(m.userId);
        return users;
    }
    if (std::holds_alternative<protocol::PartyJoined>(event.event))
        return {event.recipientUserId};
    if (const auto *joined = std::get_if<protocol::MemberJoined>(&event.event))
        return {joined->member.userId};
    return {};
}

// The user an event takes out of its party (it still gets this last event about it).
const std::string *userLeaving(const protocol::Event &event)
{
    if (const auto *left = std::get_if<protocol::MemberLeft>(&event))
        return &left->userId;
    return nullptr;
}

} // namespace

EventFanout::EventFanout(Metrics &metrics, const ConnectionsByUser &byUser) : m_metrics(metrics), m_byUser(byUser) {}

bool EventFanout::follows(const ConnectedClient *connection, const CommittedEvent &event) const
{
    if (connection->parties.count(event.partyId))
        return true;
    for (const auto &partyId : event.moreParties) {
        if (connection->parties.count(partyId))
            return true;
    }
    return false;
}

// One event to one connection: the same rules whether it is live or replayed after a snapshot.
void EventFanout::deliver(ConnectedClient *connection, const CommittedEvent &event, const ws::Frame &frame)
{
    if (event.id <= connection->snapshotEventId)
        return;
    if (!event.recipientUserId.empty() && event.recipientUserId != connection->userId())
        return;
    for (const auto &userId : usersJoining(event)) {
        if (userId == connection->userId())
            m_followers.follow(connection, event.partyId);
    }
    if (!follows(connection, event))
        return;
    if (connection->send(frame))
        ++m_metrics.eventsDelivered;
    if (const auto *joined = std::get_if<protocol::PartyJoined>(&event.event); joined && joinedParty)
        joinedParty(connection, joined->party);
    const std::string *leaving = userLeaving(event.event);
    if ((leaving && *leaving == connection->userId()) || std::holds_alternative<protocol::PartyDeleted>(event.event))
        m_followers.unfollow(connection, event.partyId);
}

bool EventFanout::isPlain(const CommittedEvent &event)
{
    return event.recipientUserId.empty() && event.moreParties.empty() && usersJoining(event).empty()
           && !userLeaving(event.event) && !std::holds_alternative<protocol::PartyDeleted>(event.event);
}

void EventFanout::publish(std::vector<CommittedEvent> events)
{
    for (auto &committed : events) {
        auto event = std::make_shared<const CommittedEvent>(std::move(committed));
        m_recent.add(event);
        if (std::holds_alternative<protocol::MessageCreated>(event->event))
            ++m_metrics.messagesStored;
        const ws::Frame frame = ws::textFrame(event->frame);

        if (isPlain(*event)) {
            // Nobody's membership changes, so the followers of the party are exactly who gets it.
            // This is the path every message takes. (Copied first: a send can close a slow
            // consumer, which unfollows it.)
            const auto *followers = m_followers.of(event->partyId);
            if (!followers)
                continue;
            m_targets.assign(followers->begin(), followers->end());
            std::int64_t delivered = 0;
            for (ConnectedClient *connection : m_targets) {
                if (event->id > connection->snapshotEventId && connection->state() == ConnectedClient::State::Ready
                    && connection->send(frame))
                    ++delivered;
            }
            m_metrics.eventsDelivered += delivered;
            continue;
        }

        // Everyone following the parties, and the ready connections of anyone this event lets in.
        std::vector<std::string> parties = event->moreParties;
        parties.push_back(event->partyId);
        std::vector<ConnectedClient *> targets = m_followers.ofAny(parties);
        for (const auto &userId : usersJoining(*event)) {
            if (const auto it = m_byUser.find(userId); it != m_byUser.end()) {
                for (ConnectedClient *c : it->second) {
                    if (c->state() == ConnectedClient::State::Ready && !c->parties.count(event->partyId))
                        targets.push_back(c);
                }
            }
        }
        for (ConnectedClient *connection : targets) {
            if (connection->isOpen() && connection->state() == ConnectedClient::State::Ready)
                deliver(connection, *event, frame);
        }
        // The party's members learn whether the newcomer is here.
        if (const auto *joined = std::get_if<protocol::MemberJoined>(&event->event); joined && memberJoined)
            memberJoined(joined->member.userId, event->partyId);
    }
}

void EventFanout::replay(ConnectedClient *connection, std::int64_t snapshotEventId)
{
    for (const auto &event : m_recent.events()) {
        if (event->id > snapshotEventId && connection->isOpen())
            deliver(connection, *event, ws::textFrame(event->frame));
    }
}

} // namespace chatterbox::server
