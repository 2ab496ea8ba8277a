// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

class QSocketNotifier;

namespace chatterbox::ws {

// Many sockets behind one QSocketNotifier: an epoll set whose own descriptor the thread's Qt
// event loop watches. Qt 6.4's event dispatcher poll()s every registered notifier on every pass
// of the loop, a cost that grows with the number of connections; with the sockets here it pays
// for the one epoll descriptor, and epoll_wait() returns only the sockets that are ready.
//
// It also gathers writes: a socket that queued output asks for a flush, and every socket that
// asked is flushed once, after the events at hand are handled, so that the frames of one pass
// leave in one system call per socket.
//
// One per thread; everything here runs on that thread.
class SocketPoller final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SocketPoller)

public:
    class Watcher {
    public:
        virtual ~Watcher() = default;
        virtual void readable() = 0;   // also on hang-up and error: a read will say which
        virtual void writable() = 0;
        virtual void flush() = 0;
    };

    explicit SocketPoller(QObject *parent = nullptr);
    ~SocketPoller() override;

    bool isValid() const { return m_epoll >= 0; }
    // Watches `fd` for reading until remove(); returns the handle the other calls take.
    std::uint64_t add(int fd, Watcher *watcher);
    void remove(std::uint64_t handle, int fd);
    void setWriteInterest(std::uint64_t handle, int fd, bool wanted);
    // Both at once: a socket whose peer has finished sending stops being read.
    void setInterest(std::uint64_t handle, int fd, bool read, bool write);
    // flush() is called for this watcher once the current pass of the event loop is done.
    void scheduleFlush(std::uint64_t handle);

    std::size_t watched() const { return m_watchers.size(); }

private:
    void dispatch();
    void flushScheduled();

    int m_epoll = -1;
    QSocketNotifier *m_notifier = nullptr;
    std::uint64_t m_nextHandle = 1;
    std::unordered_map<std::uint64_t, Watcher *> m_watchers;
    std::vector<std::uint64_t> m_toFlush;
    std::vector<std::uint64_t> m_flushing;
    bool m_flushPosted = false;
};

} // namespace chatterbox::ws
