#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

namespace chatterbox::server {

struct ExecutorStats;

// Counters read by GET /metrics (Prometheus text format). Written from any thread.
class Metrics final {
public:
    static constexpr std::array<double, 11> kLatencyBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                               0.1, 0.25, 0.5, 1.0, 2.5};

    std::atomic<std::int64_t> connectionsOpen{0};
    std::atomic<std::int64_t> connectionsAccepted{0};
    std::atomic<std::int64_t> handshakesRejected{0};
    std::atomic<std::int64_t> messagesStored{0};
    std::atomic<std::int64_t> eventsDelivered{0};
    std::atomic<std::int64_t> requests{0};
    std::atomic<std::int64_t> requestErrors{0};
    std::atomic<std::int64_t> slowConsumersClosed{0};
    std::atomic<std::int64_t> inviteLookupsFailed{0};
    std::atomic<std::int64_t> inviteLookupsThrottled{0};

    void observeRequest(double seconds);
    std::string render(const ExecutorStats &db, bool databaseUp) const;

private:
    std::array<std::atomic<std::int64_t>, kLatencyBuckets.size() + 1> m_buckets{};
    std::atomic<std::int64_t> m_latencyMicros{0};
    std::atomic<std::int64_t> m_latencyCount{0};
};

} // namespace chatterbox::server
