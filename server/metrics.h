// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <ostream>
#include <string>
#include <string_view>
#include <tuple>

namespace chatterbox::server {

struct ExecutorStats;

// A latency histogram in seconds, written from any thread without a lock.
class Histogram final {
public:
    static constexpr std::array<double, 11> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5};

    void observe(double seconds);
    // Prometheus text: HELP, TYPE, the cumulative buckets, the sum and the count.
    void render(std::ostream &out, const char *name, const char *help) const;

private:
    std::array<std::atomic<std::int64_t>, kBuckets.size() + 1> m_buckets{};
    std::atomic<std::int64_t> m_micros{0};
    std::atomic<std::int64_t> m_count{0};
};

// Counters read by GET /metrics (Prometheus text format). Written from any thread.
class Metrics final {
public:
    Metrics();

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

    void observeRequest(double seconds) { m_requestSeconds.observe(seconds); }
    // A request answered: its type ("message.send") and result ("ok" or the error's code).
    // Both come from fixed sets of static strings (kType, errorCodeName), kept as views, so the
    // series stay few whatever clients send and counting allocates nothing on the hub's thread.
    void countRequest(std::string_view type, std::string_view result);
    // A WebSocket the server closed with this code, or (-1) one the client or the network
    // ended, counted as "client"; codes outside the protocol's ranges count as "other".
    void countClose(int code);
    // An HTTP request answered: its route as the router names it (a pattern, never the path
    // asked for) and the status.
    void countHttp(std::string_view method, std::string_view route, int status);

    std::string render(const ExecutorStats &db, bool databaseUp) const;

private:
    Histogram m_requestSeconds;
    mutable std::mutex m_mutex;   // the labelled counters
    std::map<std::pair<std::string_view, std::string_view>, std::int64_t> m_requestsByType;
    std::map<std::string, std::int64_t> m_closes;
    std::map<std::tuple<std::string, std::string, int>, std::int64_t> m_http;
    double m_startTime = 0;   // seconds since the epoch
};

} // namespace chatterbox::server
