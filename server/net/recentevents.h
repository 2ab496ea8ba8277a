// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/db/eventlog.h"

#include <cstdint>
#include <deque>
#include <memory>

namespace chatterbox::server {

// The events published a moment ago, for connections whose snapshot is being read: what
// committed after a snapshot and already went out to others is replayed to them. Bounded by
// count and by bytes (one event can carry a whole party); a snapshot older than what was
// evicted must be read again.
class RecentEvents final {
public:
    RecentEvents(std::size_t maxEvents, std::size_t maxBytes) : m_maxEvents(maxEvents), m_maxBytes(maxBytes) {}

    using Event = std::shared_ptr<const CommittedEvent>;
    void add(Event event);
    // Nothing before lastEventId will be published (at start).
    void startAfter(std::int64_t lastEventId) { m_evictedUpTo = lastEventId; }
    // False when events after snapshotEventId were already evicted.
    bool covers(std::int64_t snapshotEventId) const { return snapshotEventId >= m_evictedUpTo; }
    const std::deque<Event> &events() const { return m_events; }
    std::size_t bytes() const { return m_bytes; }

    // Roughly what an event costs in memory: its frame, and the decoded event beside it.
    static std::size_t footprint(const CommittedEvent &event) { return 3 * event.frame.size() + 256; }

private:
    std::size_t m_maxEvents;
    std::size_t m_maxBytes;
    std::deque<Event> m_events;
    std::size_t m_bytes = 0;
    std::int64_t m_evictedUpTo = 0;
};

} // namespace chatterbox::server
