// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <cstdint>

namespace chatterbox::server {

// When a client is too slow to read what it is sent (code 4003). Judged by how long the oldest
// unsent frame has waited, not by the size of any one frame: a client that reads a large reply
// promptly is healthy, one that leaves even a small frame unread for half a minute is not. The
// byte ceiling only bounds the memory one connection may hold; replies are paged far below it
// and a client's requests stop being read long before it (ws::SocketLimits).
struct SlowConsumerRule {
    std::size_t maxUnsentBytes = 64 * 1024 * 1024;
    std::int64_t maxUnsentMs = 30 * 1000;

    bool isSlow(std::size_t unsentBytes, std::int64_t unsentForMs) const
    {
        return unsentBytes > maxUnsentBytes || unsentForMs >= maxUnsentMs;
    }
    // Where a connection's reading pauses (ws::SocketLimits::pauseReadingAboveBytes).
    std::size_t pauseReadingAboveBytes() const { return maxUnsentBytes / 16; }
};

} // namespace chatterbox::server
