// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/db/connectionpool.h"

namespace chatterbox::server {

ConnectionPool::ConnectionPool(std::string url, std::size_t size) : m_url(std::move(url)), m_free(size) {}

ConnectionPool::Lease::Lease(ConnectionPool &pool, std::unique_ptr<pqxx::connection> connection)
    : m_pool(pool), m_connection(std::move(connection))
{
}

ConnectionPool::Lease::~Lease()
{
    m_pool.release(std::move(m_connection));
}

ConnectionPool::Lease ConnectionPool::acquire()
{
    std::unique_ptr<pqxx::connection> connection;
    {
        std::unique_lock lock(m_mutex);
        m_available.wait(lock, [this] { return m_free > 0; });
        --m_free;
        if (!m_idle.empty()) {
            connection = std::move(m_idle.back());
            m_idle.pop_back();
        }
    }
    try {
        if (!connection || !connection->is_open())
            connection = std::make_unique<pqxx::connection>(m_url);
    } catch (...) {
        release(nullptr);
        throw;
    }
    return Lease(*this, std::move(connection));
}

void ConnectionPool::release(std::unique_ptr<pqxx::connection> connection)
{
    {
        std::lock_guard lock(m_mutex);
        if (connection)
            m_idle.push_back(std::move(connection));
        ++m_free;
    }
    m_available.notify_one();
}

} // namespace chatterbox::server
