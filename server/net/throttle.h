// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>

namespace chatterbox::server {

// Token buckets by key (a user id, an address): `burst` at once, then one per `refillSeconds`.
// Used for things that must stay rare per person or per address whatever the connection:
// failed invite look-ups, typing events.
class Throttle final {
public:
    Throttle(double burst, double refillSeconds) : m_burst(burst), m_refillMs(refillSeconds * 1000.0) {}

    // Takes a token if there is one.
    bool take(const std::string &key, std::int64_t nowMs);
    // Gives back a token taken for something that turned out fine.
    void refund(const std::string &key);
    bool wouldAllow(const std::string &key, std::int64_t nowMs);
    // Whether the key has every token (nothing taken lately).
    bool isFull(const std::string &key, std::int64_t nowMs);
    // Forgets keys whose buckets are full again, so the map does not grow without end.
    void prune(std::int64_t nowMs);

private:
    struct Bucket {
        double tokens = 0;
        std::int64_t updatedMs = 0;
    };
    Bucket &refill(const std::string &key, std::int64_t nowMs);

    const double m_burst;
    const double m_refillMs;
    std::unordered_map<std::string, Bucket> m_buckets;
};

} // namespace chatterbox::server
