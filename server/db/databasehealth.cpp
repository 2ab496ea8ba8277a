// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/db/databasehealth.h"

#include "server/logging.h"

#include <algorithm>
#include <chrono>

namespace chatterbox::server {

namespace {

constexpr std::int64_t kFirstBackoffMs = 250;
constexpr std::int64_t kLongestBackoffMs = 5000;

} // namespace

std::int64_t steadyNowMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

bool DatabaseHealth::mayConnect(std::int64_t nowMs) const
{
    std::lock_guard lock(m_mutex);
    return m_up || nowMs >= m_nextAttemptMs;
}

void DatabaseHealth::reached(std::int64_t nowMs)
{
    if (m_up)
        return;
    std::lock_guard lock(m_mutex);
    if (m_up)
        return;
    m_up = true;
    m_backoffMs = 0;
    qCInfo(lcDb, "the database is reachable again after %.1f s; %lld request(s) were refused meanwhile",
           static_cast<double>(nowMs - m_downSinceMs) / 1000.0, static_cast<long long>(m_refusedThisOutage.exchange(0)));
}

void DatabaseHealth::lost(const std::string &why, std::int64_t nowMs)
{
    std::lock_guard lock(m_mutex);
    if (!m_up && nowMs < m_nextAttemptMs)
        return;   // another thread found the same; its wait stands
    if (m_up) {
        m_up = false;
        ++m_outages;
        m_downSinceMs = nowMs;
        m_refusedThisOutage = 0;
        qCWarning(lcDb, "the database is unreachable, refusing requests until it is back: %s", why.c_str());
    }
    m_backoffMs = m_backoffMs == 0 ? kFirstBackoffMs : std::min(kLongestBackoffMs, m_backoffMs * 2);
    m_nextAttemptMs = nowMs + m_backoffMs;
}

} // namespace chatterbox::server
