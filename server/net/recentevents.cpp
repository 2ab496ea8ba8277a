// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/net/recentevents.h"

namespace chatterbox::server {

void RecentEvents::add(Event event)
{
    m_bytes += footprint(*event);
    m_events.push_back(std::move(event));
    // The newest stays, however large.
    while (m_events.size() > 1 && (m_events.size() > m_maxEvents || m_bytes > m_maxBytes)) {
        m_evictedUpTo = m_events.front()->id;
        m_bytes -= footprint(*m_events.front());
        m_events.pop_front();
    }
}

} // namespace chatterbox::server
