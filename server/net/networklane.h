// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/auth/tokens.h"
#include "server/net/slowconsumer.h"
#include "server/net/socketend.h"
#include "server/ws/websocket.h"

#include <QObject>
#include <QThread>

#include <cstdint>
#include <functional>
#include <iterator>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

namespace chatterbox::server {

// Batches handed from one thread to another. put() says whether the receiver must be woken
// (nobody woke it since it last emptied the box); take() empties it.
template <typename T>
class Mailbox {
public:
    bool put(std::vector<T> &items)
    {
        std::lock_guard lock(m_mutex);
        if (m_items.empty())
            m_items.swap(items);
        else
            std::move(items.begin(), items.end(), std::back_inserter(m_items));
        items.clear();
        const bool wake = !m_woken;
        m_woken = true;
        return wake;
    }
    std::vector<T> take()
    {
        std::vector<T> items;
        std::lock_guard lock(m_mutex);
        items.swap(m_items);
        m_woken = false;
        return items;
    }

private:
    std::mutex m_mutex;
    std::vector<T> m_items;
    bool m_woken = false;
};

// A network thread and the share of the sockets it owns: it reads their upgrades and frames,
// writes their queued frames, and watches them through its own epoll set. The hub stays on its
// own thread and keeps all protocol state; the two talk through two mailboxes, each emptied once
// per pass of the receiving thread's loop, so that an event fanned out to a thousand
// connections is one hand-over per network thread, not a thousand, and the frame in it is
// shared, never copied. Nothing on the way takes a lock per connection.
//
// This object lives on the hub's thread; its sockets' ends (SocketEnd) are handed to the hub.
class NetworkLane final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NetworkLane)

public:
    // Called on the lane's thread with a complete upgrade request: nothing to accept it (and
    // `claims` filled in), or a refusal.
    using Admit = std::function<std::optional<ws::Refusal>(const ws::UpgradeRequest &, AccessClaims &claims)>;
    // Called on the hub's thread for each upgraded socket.
    using Opened = std::function<void(std::unique_ptr<SocketEnd>, AccessClaims)>;

    struct Settings {
        ws::SocketLimits limits;
        SlowConsumerRule slowConsumer;
        std::uint16_t slowConsumerCode = 4003;
        std::string slowConsumerReason;
        std::set<std::string> trustedProxies;   // whose X-Forwarded-For names the client
    };

    NetworkLane(int index, Settings settings, Admit admit, Opened opened, QObject *parent = nullptr);
    // Stops the thread; its sockets close.
    ~NetworkLane() override;

    // From the listener's thread: an accepted socket, now this lane's.
    void takeSocket(int fd);

private:
    class Worker;
    class RemoteEnd;

    struct Command {
        enum class Kind { Adopt, Send, Close, Ping, Abort } kind;
        std::uint64_t socket = 0;              // all but Send and Adopt
        std::vector<std::uint64_t> sockets;    // Send: one frame, every socket it goes to
        ws::Frame frame;
        std::uint16_t code = 0;
        std::string reason;
        int fd = -1;
    };
    struct Event {
        enum class Kind { Opened, Text, Binary, Pong, Slow, Closed } kind;
        std::uint64_t socket = 0;
        QByteArray payload;
        std::unique_ptr<AccessClaims> claims;   // Opened
        std::string peer;                       // Opened
    };

    // The hub's thread: commands wait here until the pass is done, then go over at once.
    void command(Command command);
    // Consecutive sends of the same frame (a fan-out) become one command.
    void send(std::uint64_t socket, const ws::Frame &frame);
    void shipCommands();
    void takeEvents();
    // The lane's thread.
    void postEvents(std::vector<Event> &events);

    const Settings m_settings;
    const Admit m_admit;
    const Opened m_opened;
    QThread m_thread;
    Worker *m_worker = nullptr;

    Mailbox<Command> m_toWorker;
    Mailbox<Event> m_toHub;

    std::vector<Command> m_commandsOut;  // the hub's thread only
    bool m_shipPosted = false;
    std::unordered_map<std::uint64_t, RemoteEnd *> m_ends;
};

} // namespace chatterbox::server
