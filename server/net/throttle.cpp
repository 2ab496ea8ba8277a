// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/net/throttle.h"

#include <algorithm>

namespace chatterbox::server {

Throttle::Bucket &Throttle::refill(const std::string &key, std::int64_t nowMs)
{
    auto [it, inserted] = m_buckets.try_emplace(key, Bucket{m_burst, nowMs});
    Bucket &b = it->second;
    if (!inserted) {
        b.tokens = std::min(m_burst, b.tokens + static_cast<double>(nowMs - b.updatedMs) / m_refillMs);
        b.updatedMs = nowMs;
    }
    return b;
}

bool Throttle::take(const std::string &key, std::int64_t nowMs)
{
    Bucket &b = refill(key, nowMs);
    if (b.tokens < 1.0)
        return false;
    b.tokens -= 1.0;
    return true;
}

void Throttle::refund(const std::string &key)
{
    const auto it = m_buckets.find(key);
    if (it != m_buckets.end())
        it->second.tokens = std::min(m_burst, it->second.tokens + 1.0);
}

bool Throttle::wouldAllow(const std::string &key, std::int64_t nowMs)
{
    return refill(key, nowMs).tokens >= 1.0;
}

bool Throttle::isFull(const std::string &key, std::int64_t nowMs)
{
    const auto it = m_buckets.find(key);
    return it == m_buckets.end() || refill(key, nowMs).tokens >= m_burst;
}

void Throttle::prune(std::int64_t nowMs)
{
    for (auto it = m_buckets.begin(); it != m_buckets.end();) {
        const double tokens = it->second.tokens + static_cast<double>(nowMs - it->second.updatedMs) / m_refillMs;
        it = tokens >= m_burst ? m_buckets.erase(it) : std::next(it);
    }
}

} // namespace chatterbox::server
