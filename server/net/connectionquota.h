// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <mutex>
#include <string>
#include <unordered_map>

namespace chatterbox::server {

// How many connections each person has open, for the per-person limit. Taken where an upgrade
// is accepted (on whichever thread reads it), given back by the hub when the connection ends.
// Thread-safe: one short lock per connection opened or closed, none per message.
class ConnectionQuota {
public:
    explicit ConnectionQuota(int perPerson) : m_perPerson(perPerson) {}

    bool tryTake(const std::string &userId);
    void giveBack(const std::string &userId);

private:
    const int m_perPerson;
    std::mutex m_mutex;
    std::unordered_map<std::string, int> m_open;
};

} // namespace chatterbox::server
