// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/db/eventlog.h"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <vector>

namespace chatterbox::server {

// Puts the events committed here and by the other instances into one stream, in id order
// (which is commit order, cluster-wide), each exactly once.
//
// Events committed here come with their frames, and go out at once when nothing is missing
// before them. Otherwise, and whenever another instance says it committed something, the gap is
// read from the change log; the local events wait for it. A lost wake-up is caught by poll().
class EventFeed final {
public:
    using Publish = std::function<void(std::vector<CommittedEvent>)>;
    // Asks for the change log after an id; the answer comes back through fetched().
    using Fetch = std::function<void(std::int64_t afterId)>;

    static constexpr int kFetchLimit = 1000;

    EventFeed(Publish publish, Fetch fetch);

    // Everything up to `lastId` is already out (at start: the log's newest id).
    void start(std::int64_t lastId);
    void committedHere(std::vector<CommittedEvent> events);
    void committedElsewhere(std::int64_t upTo);
    // The backstop: read the log even without a wake-up.
    void poll();
    // A fetch's answer; nothing when it failed (the next wake-up or poll tries again).
    void fetched(std::optional<eventlog::Page> page);

    std::int64_t publishedUpTo() const { return m_publishedUpTo; }
    bool fetching() const { return m_fetching; }

private:
    void fetch();
    void drain();

    Publish m_publish;
    Fetch m_fetch;
    std::int64_t m_publishedUpTo = 0;
    std::int64_t m_knownUpTo = 0;      // the newest id anyone said exists
    bool m_fetching = false;
    std::map<std::int64_t, CommittedEvent> m_waiting;   // here and fetched, not yet in order
    std::set<std::int64_t> m_unreadable;
};

} // namespace chatterbox::server
