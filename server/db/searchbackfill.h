// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <pqxx/connection>

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <thread>

namespace chatterbox::server {

// Gives the messages stored before search existed their search vectors (migration 0008), in
// the background: newest first, so that recent history is searchable first, in batches small
// enough that no lock is held for long, with a pause between them so that live traffic keeps
// the database. Several instances share the work (SKIP LOCKED). Ends when nothing is left; a
// database that goes away is tried again later.
class SearchBackfill {
public:
    explicit SearchBackfill(std::string databaseUrl);
    ~SearchBackfill();

    void start();
    void stop();

    // One batch: how many messages got their vectors. For tests, and the thread's loop.
    static std::size_t runBatch(pqxx::connection &connection, int limit);

private:
    void run();
    bool pause(int ms);   // false when stopping

    std::string m_url;
    std::thread m_thread;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
};

} // namespace chatterbox::server
