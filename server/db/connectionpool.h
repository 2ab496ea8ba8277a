// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <pqxx/connection>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace chatterbox::server {

// A few blocking connections for the HTTP side (sign-in, health), which runs on its own threads.
// Never used from the network thread.
class ConnectionPool final {
public:
    ConnectionPool(std::string url, std::size_t size);

    class Lease {
    public:
        Lease(ConnectionPool &pool, std::unique_ptr<pqxx::connection> connection);
        ~Lease();
        Lease(const Lease &) = delete;
        Lease &operator=(const Lease &) = delete;
        pqxx::connection &operator*() { return *m_connection; }
        pqxx::connection *operator->() { return m_connection.get(); }
        // Drops a connection that failed, so the next lease opens a fresh one.
        void discard() { m_connection.reset(); }

    private:
        ConnectionPool &m_pool;
        std::unique_ptr<pqxx::connection> m_connection;
    };

    // Waits for a free slot; opens a connection if the slot has none. Throws if it cannot connect.
    Lease acquire();

private:
    void release(std::unique_ptr<pqxx::connection> connection);

    const std::string m_url;
    std::mutex m_mutex;
    std::condition_variable m_available;
    std::vector<std::unique_ptr<pqxx::connection>> m_idle;
    std::size_t m_free;
};

} // namespace chatterbox::server
