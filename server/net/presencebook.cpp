#include "server/net/presencebook.h"

namespace chatterbox::server {

using protocol::Presence;

Presence PresenceBook::combine(const std::unordered_map<std::uint64_t, Presence> &connections)
{
    Presence best = Presence::Offline;
    for (const auto &[id, status] : connections) {
        if (status == Presence::Online)
            return Presence::Online;
        if (status == Presence::Idle)
            best = Presence::Idle;
    }
    return best;
}

std::optional<Presence> PresenceBook::set(const std::string &userId, std::uint64_t connectionId, Presence status)
{
    const Presence before = of(userId);
    if (status == Presence::Offline) {
        const auto it = m_people.find(userId);
        if (it != m_people.end()) {
            it->second.erase(connectionId);
            if (it->second.empty())
                m_people.erase(it);
        }
    } else {
        m_people[userId][connectionId] = status;
    }
    const Presence after = of(userId);
    if (after == before)
        return std::nullopt;
    return after;
}

Presence PresenceBook::of(const std::string &userId) const
{
    const auto it = m_people.find(userId);
    return it == m_people.end() ? Presence::Offline : combine(it->second);
}

} // namespace chatterbox::server
