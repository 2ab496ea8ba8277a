// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace chatterbox::server::http {

// Memory that answers may hold at once, in all and per client address: taken before an answer
// is built, given back when the token is dropped (after the answer was written, or its
// connection closed). Thread-safe.
class ByteBudget final : public std::enable_shared_from_this<ByteBudget> {
public:
    ByteBudget(std::size_t total, std::size_t perAddress) : m_total(total), m_perAddress(perAddress) {}

    // A token holding `bytes` for `address`, or null when that would pass either limit.
    std::shared_ptr<const void> take(const std::string &address, std::size_t bytes)
    {
        std::lock_guard lock(m_mutex);
        std::size_t &mine = m_byAddress[address];
        if (m_used + bytes > m_total || mine + bytes > m_perAddress) {
            if (mine == 0)
                m_byAddress.erase(address);
            return nullptr;
        }
        m_used += bytes;
        mine += bytes;
        std::weak_ptr<ByteBudget> self = weak_from_this();
        // Not null (a null one would read as "no room"); it points at nothing anyone uses.
        return std::shared_ptr<const void>(static_cast<const void *>(this), [self, address, bytes](const void *) {
            if (const auto budget = self.lock())
                budget->give(address, bytes);
        });
    }

    std::size_t used() const
    {
        std::lock_guard lock(m_mutex);
        return m_used;
    }

private:
    void give(const std::string &address, std::size_t bytes)
    {
        std::lock_guard lock(m_mutex);
        m_used -= bytes;
        const auto it = m_byAddress.find(address);
        if (it != m_byAddress.end() && (it->second -= bytes) == 0)
            m_byAddress.erase(it);
    }

    const std::size_t m_total;
    const std::size_t m_perAddress;
    mutable std::mutex m_mutex;
    std::size_t m_used = 0;
    std::map<std::string, std::size_t> m_byAddress;
};

} // namespace chatterbox::server::http
