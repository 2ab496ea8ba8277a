// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/net/eventfeed.h"

namespace chatterbox::server {

EventFeed::EventFeed(Publish publish, Fetch fetch) : m_publish(std::move(publish)), m_fetch(std::move(fetch))
{
}

void EventFeed::start(std::int64_t lastId)
{
    m_publishedUpTo = lastId;
    m_knownUpTo = lastId;
}

void EventFeed::committedHere(std::vector<CommittedEvent> events)
{
    if (events.empty())
        return;
    m_knownUpTo = std::max(m_knownUpTo, events.back().id);
    if (m_waiting.empty() && events.front().id == m_publishedUpTo + 1) {
        // The common case, and the only one with a single instance: straight out.
        m_publishedUpTo = events.back().id;
        m_publish(std::move(events));
        return;
    }
    for (auto &event : events) {
        if (event.id > m_publishedUpTo)
            m_waiting.emplace(event.id, std::move(event));
    }
    drain();
    if (m_knownUpTo > m_publishedUpTo)
        fetch();
}

void EventFeed::committedElsewhere(std::int64_t upTo)
{
    if (upTo <= m_knownUpTo && upTo <= m_publishedUpTo)
        return;
    m_knownUpTo = std::max(m_knownUpTo, upTo);
    fetch();
}

void EventFeed::poll()
{
    fetch();
}

void EventFeed::fetch()
{
    if (m_fetching)
        return;
    m_fetching = true;
    m_fetch(m_publishedUpTo);
}

void EventFeed::fetched(std::optional<eventlog::Page> page)
{
    m_fetching = false;
    if (!page)
        return;
    std::int64_t newest = 0;
    for (auto &event : page->events) {
        newest = std::max(newest, event.id);
        if (event.id > m_publishedUpTo)
            m_waiting.try_emplace(event.id, std::move(event));   // a local copy, if any, is the same
    }
    // Ids the log holds but this version cannot read are passed over, not waited for.
    for (const std::int64_t id : page->unreadable) {
        newest = std::max(newest, id);
        if (id > m_publishedUpTo)
            m_unreadable.insert(id);
    }
    m_knownUpTo = std::max(m_knownUpTo, newest);
    drain();
    if (m_knownUpTo > m_publishedUpTo || page->rows() >= static_cast<std::size_t>(kFetchLimit))
        fetch();
}

void EventFeed::drain()
{
    std::vector<CommittedEvent> ready;
    while (!m_waiting.empty() && m_waiting.begin()->first <= m_publishedUpTo)
        m_waiting.erase(m_waiting.begin());
    while (true) {
        const std::int64_t next = m_publishedUpTo + 1;
        if (m_unreadable.erase(next)) {
            m_publishedUpTo = next;
            continue;
        }
        const auto it = m_waiting.find(next);
        if (it == m_waiting.end())
            break;
        m_publishedUpTo = next;
        ready.push_back(std::move(it->second));
        m_waiting.erase(it);
    }
    if (!ready.empty())
        m_publish(std::move(ready));
}

} // namespace chatterbox::server
