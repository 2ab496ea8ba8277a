// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>

namespace chatterbox::server {

// Whether the database answers, as the database threads find it. While it is away the threads
// do not try to connect for every request (each waits for a shared backoff, 250 ms doubling to
// 5 s) and requests are refused with `unavailable` at once; the log says once that it went away
// and once that it is back, with how long it was gone and how many requests were refused.
// Any thread.
class DatabaseHealth {
public:
    // Whether a thread without a connection should try to open one now.
    bool mayConnect(std::int64_t nowMs) const;
    // A connection opened, or a transaction went through.
    void reached(std::int64_t nowMs);
    // A connection could not be opened.
    void lost(const std::string &why, std::int64_t nowMs);
    // A request answered `unavailable`.
    void refused() { ++m_refused; ++m_refusedThisOutage; }

    bool isUp() const { return m_up; }
    std::int64_t outages() const { return m_outages; }
    std::int64_t refusedTotal() const { return m_refused; }

private:
    mutable std::mutex m_mutex;
    std::atomic<bool> m_up{true};
    std::atomic<std::int64_t> m_outages{0};
    std::atomic<std::int64_t> m_refused{0};
    std::atomic<std::int64_t> m_refusedThisOutage{0};
    std::int64_t m_downSinceMs = 0;
    std::int64_t m_nextAttemptMs = 0;
    std::int64_t m_backoffMs = 0;
};

// The steady clock, in milliseconds.
std::int64_t steadyNowMs();

} // namespace chatterbox::server
