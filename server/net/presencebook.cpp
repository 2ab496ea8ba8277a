// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/net/presencebook.h"

namespace chatterbox::server {

using protocol::Presence;

namespace {

// Do not disturb from any connection wins (the person asked for it), then online, then idle.
int rank(Presence status)
{
    switch (status) {
    case Presence::DoNotDisturb: return 3;
    case Presence::Online: return 2;
    case Presence::Idle: return 1;
    case Presence::Offline: return 0;
    }
    return 0;
}

template <typename Map>
Presence combine(const Map &statuses, Presence best = Presence::Offline)
{
    for (const auto &[key, status] : statuses) {
        if (rank(status) > rank(best))
            best = status;
    }
    return best;
}

template <typename Map, typename Key>
void record(Map &statuses, const Key &key, Presence status)
{
    if (status == Presence::Offline)
        statuses.erase(key);
    else
        statuses[key] = status;
}

} // namespace

void PresenceBook::forgetIfEmpty(const std::string &userId)
{
    const auto it = m_people.find(userId);
    if (it != m_people.end() && it->second.empty())
        m_people.erase(it);
}

PresenceBook::Change PresenceBook::set(const std::string &userId, std::uint64_t connectionId, Presence status)
{
    const Presence before = of(userId);
    const Presence beforeHere = here(userId);
    record(m_people[userId].connections, connectionId, status);
    forgetIfEmpty(userId);
    Change change;
    if (const Presence after = here(userId); after != beforeHere)
        change.here = after;
    if (const Presence after = of(userId); after != before)
        change.overall = after;
    return change;
}

std::optional<Presence> PresenceBook::setElsewhere(const std::string &userId, const std::string &instanceId, Presence status)
{
    const Presence before = of(userId);
    record(m_people[userId].instances, instanceId, status);
    forgetIfEmpty(userId);
    const Presence after = of(userId);
    if (after == before)
        return std::nullopt;
    return after;
}

std::vector<std::string> PresenceBook::dropInstance(const std::string &instanceId)
{
    std::vector<std::string> changed;
    for (auto it = m_people.begin(); it != m_people.end();) {
        Person &person = it->second;
        const Presence before = combine(person.instances, combine(person.connections));
        person.instances.erase(instanceId);
        if (combine(person.instances, combine(person.connections)) != before)
            changed.push_back(it->first);
        it = person.empty() ? m_people.erase(it) : std::next(it);
    }
    return changed;
}

std::vector<std::string> PresenceBook::replaceElsewhere(const std::vector<Elsewhere> &entries)
{
    std::unordered_map<std::string, Presence> before;
    for (const auto &[userId, person] : m_people) {
        if (!person.instances.empty())
            before[userId] = of(userId);
    }
    for (auto it = m_people.begin(); it != m_people.end();) {
        it->second.instances.clear();
        it = it->second.empty() ? m_people.erase(it) : std::next(it);
    }
    for (const auto &e : entries) {
        if (!before.count(e.userId))
            before[e.userId] = of(e.userId);
        record(m_people[e.userId].instances, e.instanceId, e.status);
        forgetIfEmpty(e.userId);
    }
    std::vector<std::string> changed;
    for (const auto &[userId, status] : before) {
        if (of(userId) != status)
            changed.push_back(userId);
    }
    return changed;
}

Presence PresenceBook::of(const std::string &userId) const
{
    const auto it = m_people.find(userId);
    if (it == m_people.end())
        return Presence::Offline;
    return combine(it->second.instances, combine(it->second.connections));
}

Presence PresenceBook::here(const std::string &userId) const
{
    const auto it = m_people.find(userId);
    return it == m_people.end() ? Presence::Offline : combine(it->second.connections);
}

} // namespace chatterbox::server
