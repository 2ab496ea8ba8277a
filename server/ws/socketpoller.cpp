// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/ws/socketpoller.h"

#include <QSocketNotifier>

#include <array>
#include <cerrno>
#include <sys/epoll.h>
#include <unistd.h>

namespace chatterbox::ws {

namespace {

// Enough to drain a busy set in a few calls; a pass that fills it leaves the rest for the next
// pass (the epoll descriptor stays readable), so timers and other sockets are not starved.
constexpr int kEventsPerPass = 256;

} // namespace

SocketPoller::SocketPoller(QObject *parent)
    : QObject(parent)
    , m_epoll(::epoll_create1(EPOLL_CLOEXEC))
{
    if (m_epoll < 0)
        return;
    m_notifier = new QSocketNotifier(m_epoll, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &SocketPoller::dispatch);
}

SocketPoller::~SocketPoller()
{
    delete m_notifier;
    if (m_epoll >= 0)
        ::close(m_epoll);
}

std::uint64_t SocketPoller::add(int fd, Watcher *watcher)
{
    const std::uint64_t handle = m_nextHandle++;
    epoll_event event{};
    event.events = EPOLLIN | EPOLLRDHUP;
    event.data.u64 = handle;
    if (::epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &event) != 0)
        return 0;
    m_watchers.emplace(handle, watcher);
    return handle;
}

void SocketPoller::remove(std::uint64_t handle, int fd)
{
    if (m_watchers.erase(handle) > 0)
        ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr);
}

void SocketPoller::setInterest(std::uint64_t handle, int fd, bool read, bool write)
{
    epoll_event event{};
    event.events = (read ? EPOLLIN | EPOLLRDHUP : 0u) | (write ? EPOLLOUT : 0u);
    event.data.u64 = handle;
    ::epoll_ctl(m_epoll, EPOLL_CTL_MOD, fd, &event);
}

void SocketPoller::setWriteInterest(std::uint64_t handle, int fd, bool wanted)
{
    epoll_event event{};
    event.events = EPOLLIN | EPOLLRDHUP | (wanted ? EPOLLOUT : 0u);
    event.data.u64 = handle;
    ::epoll_ctl(m_epoll, EPOLL_CTL_MOD, fd, &event);
}

void SocketPoller::scheduleFlush(std::uint64_t handle)
{
    m_toFlush.push_back(handle);
    if (!m_flushPosted) {
        m_flushPosted = true;
        // A posted call runs when the loop is done with what it is handling now.
        QMetaObject::invokeMethod(this, &SocketPoller::flushScheduled, Qt::QueuedConnection);
    }
}

void SocketPoller::dispatch()
{
    std::array<epoll_event, kEventsPerPass> events;
    const int ready = ::epoll_wait(m_epoll, events.data(), kEventsPerPass, 0);
    for (int i = 0; i < ready; ++i) {
        const std::uint64_t handle = events[static_cast<std::size_t>(i)].data.u64;
        const std::uint32_t what = events[static_cast<std::size_t>(i)].events;
        // Looked up each time: handling one socket may have removed another.
        auto it = m_watchers.find(handle);
        if (it != m_watchers.end() && (what & EPOLLOUT))
            it->second->writable();
        it = m_watchers.find(handle);
        if (it != m_watchers.end() && (what & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)))
            it->second->readable();
    }
}

void SocketPoller::flushScheduled()
{
    m_flushPosted = false;
    // Flushing may queue more (a socket that closes answers last), which waits for the next call.
    m_flushing.swap(m_toFlush);
    for (const std::uint64_t handle : m_flushing) {
        const auto it = m_watchers.find(handle);
        if (it != m_watchers.end())
            it->second->flush();
    }
    m_flushing.clear();
}

} // namespace chatterbox::ws
