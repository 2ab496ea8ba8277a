// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/net/hub.h"

#include "server/handlers/queries.h"
#include "server/logging.h"

#include <pqxx/pqxx>

#include <map>

// What the other instances on the database tell this one: events they committed, presence,
// typing. See docs/scaling.md.
namespace chatterbox::server {

void Hub::committedHere(std::vector<CommittedEvent> events)
{
    if (events.empty())
        return;
    if (m_cluster)
        m_cluster->eventsCommitted(events.back().id);
    m_feed.committedHere(std::move(events));
}

void Hub::committedElsewhere(std::int64_t upTo)
{
    m_feed.committedElsewhere(upTo);
}

void Hub::fetchEvents(std::int64_t afterId)
{
    auto page = std::make_shared<eventlog::Page>();
    m_executor->read(
        [page, afterId](pqxx::transaction_base &tx) {
            *page = eventlog::after(tx, afterId, EventFeed::kFetchLimit);
            return Outcome{};
        },
        [this, page](Outcome outcome) {
            const bool ok = outcome.ok();
            QMetaObject::invokeMethod(this, [this, page, ok] {
                m_feed.fetched(ok ? std::optional<eventlog::Page>(std::move(*page)) : std::nullopt);
            }, Qt::QueuedConnection);
        });
}

void Hub::clusterListening(const std::vector<InstancePresence> &everyoneElsewhere)
{
    // Whatever was committed while nobody listened.
    m_feed.poll();
    // The tables are the whole truth about the other instances now: replace what was known.
    std::vector<PresenceBook::Elsewhere> entries;
    for (const auto &instance : everyoneElsewhere) {
        for (const auto &[userId, status] : instance.people)
            entries.push_back({instance.instanceId, userId, status});
    }
    announceChangedElsewhere(m_presence.replaceElsewhere(entries));
}

void Hub::presenceElsewhere(const InstancePresence &changes)
{
    std::vector<std::string> changed;
    for (const auto &[userId, status] : changes.people) {
        if (m_presence.setElsewhere(userId, changes.instanceId, status))
            changed.push_back(userId);
    }
    announceChangedElsewhere(std::move(changed));
}

void Hub::instanceGone(const std::string &instanceId)
{
    announceChangedElsewhere(m_presence.dropInstance(instanceId));
}

void Hub::ephemeralElsewhere(const PartyEvent &event)
{
    deliverEphemeral(event);
}

void Hub::announceChangedElsewhere(std::vector<std::string> userIds)
{
    if (userIds.empty() || !m_executor)
        return;
    // This instance knows the parties of the people connected to it, not of everyone: ask.
    auto parties = std::make_shared<std::map<std::string, std::vector<std::string>>>();
    m_executor->read(
        [parties, userIds](pqxx::transaction_base &tx) {
            const auto rows = tx.exec_params("SELECT user_id::text, party_id::text FROM members"
                                             " WHERE user_id = ANY($1::uuid[])",
                                             queries::uuidArray(userIds));
            for (const auto &row : rows)
                (*parties)[row[0].as<std::string>()].push_back(row[1].as<std::string>());
            return Outcome{};
        },
        [this, parties](Outcome outcome) {
            if (!outcome.ok())
                return;
            QMetaObject::invokeMethod(this, [this, parties] {
                // The presence now, not when it changed: a later change may have overtaken this.
                for (const auto &[userId, partyIds] : *parties)
                    announcePresence(userId, m_presence.of(userId), partyIds);
            }, Qt::QueuedConnection);
        });
}

} // namespace chatterbox::server
