// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/handlers/outcome.h"
#include "shared/types.h"

#include <nlohmann/json.hpp>

#include <pqxx/connection>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace chatterbox::server {

// What one instance says about the people connected to it.
struct InstancePresence {
    std::string instanceId;
    std::vector<std::pair<std::string, protocol::Presence>> people;   // (user id, presence there)
};

// This instance's place among the instances sharing one database.
//
// The database is the outbox: events are rows of the change log (eventlog.h), presence is rows
// of instance_presence. LISTEN/NOTIFY on one channel is only the wake-up, and carries ids:
//   {"i":<instance>, "e":<newest event id>, "p":[[user, status], ...], "t":[<typing>...], "r":[<family>...]}
//   {"i":<instance>, "g":[<instance that stopped beating>...]}
// Two threads, each with its own connection: the listener (LISTEN, and nothing else, so
// notifications are read as soon as they come) and the announcer (heartbeats, presence rows,
// and the NOTIFYs, coalesced: whatever piled up while the last round ran goes out in the next,
// in a transaction of its own, never in the writer's).
class ClusterLink final {
public:
    // Called on the link's threads; the receiver posts them onward.
    struct Handlers {
        // (Re)connected and listening: anything may have been missed before, so catch up.
        std::function<void(std::vector<InstancePresence> everyoneElsewhere)> listening;
        std::function<void(std::int64_t upTo)> eventsCommitted;
        std::function<void(InstancePresence changes)> presence;
        std::function<void(std::string instanceId)> instanceGone;
        std::function<void(PartyEvent event)> ephemeral;
        std::function<void(std::string familyId)> revoked;
    };

    ClusterLink(std::string databaseUrl, std::chrono::seconds instanceTimeout, Handlers handlers);
    ~ClusterLink();
    ClusterLink(const ClusterLink &) = delete;
    ClusterLink &operator=(const ClusterLink &) = delete;

    const std::string &instanceId() const { return m_instanceId; }
    // Registers this instance (throws when the database cannot be used) and starts the threads.
    void start();
    // Removes this instance: its people's presence ends everywhere at once.
    void stop();

    // Thread-safe; they return at once and the announcer sends them on its next round.
    void eventsCommitted(std::int64_t upTo);
    void presenceChanged(const std::string &userId, protocol::Presence here);
    void ephemeral(const PartyEvent &event);
    void revoked(const std::string &familyId);

    // Reads one notification; public for the tests of hostile payloads. Never throws.
    void handleNotification(const std::string &payload);

private:
    void listenLoop();
    void announceLoop();
    void announceRound(pqxx::connection &connection, bool heartbeat);
    void registerInstance(pqxx::transaction_base &tx);

    const std::string m_url;
    const std::chrono::seconds m_timeout;
    const Handlers m_handlers;
    const std::string m_instanceId;

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::int64_t m_eventsUpTo = 0;        // newest committed here
    std::int64_t m_eventsAnnounced = 0;   // newest told to the others
    std::map<std::string, protocol::Presence> m_here;   // everyone connected here
    std::set<std::string> m_presenceDirty;              // whose row must be written
    bool m_rewriteAllPresence = false;                  // after being taken for dead
    std::vector<nlohmann::json> m_ephemeral;            // waiting
    std::vector<std::string> m_revoked;

    std::atomic<bool> m_stopping{false};
    std::thread m_listener;
    std::thread m_announcer;
};

} // namespace chatterbox::server
