// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/net/connectionquota.h"

namespace chatterbox::server {

bool ConnectionQuota::tryTake(const std::string &userId)
{
    std::lock_guard lock(m_mutex);
    int &open = m_open[userId];
    if (open >= m_perPerson)
        return false;
    ++open;
    return true;
}

void ConnectionQuota::giveBack(const std::string &userId)
{
    std::lock_guard lock(m_mutex);
    const auto it = m_open.find(userId);
    if (it != m_open.end() && --it->second <= 0)
        m_open.erase(it);
}

} // namespace chatterbox::server
