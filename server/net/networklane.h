#pragma once

#include "server/auth/tokens.h"
#include "server/net/socketend.h"
#include "server/ws/websocket.h"

#include <QObject>
#include <QThread>

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

namespace chatterbox::server {

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
        std::size_t maxSendQueueBytes = 4 * 1024 * 1024;
        std::uint16_t slowConsumerCode = 4003;
        std::string slowConsumerReason;
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
    void postEvents(std::vector<Event> events);

    const Settings m_settings;
    const Admit m_admit;
    const Opened m_opened;
    QThread m_thread;
    Worker *m_worker = nullptr;

    std::mutex m_mutex;                  // guards the two mailboxes and their flags
    std::vector<Command> m_commandsIn;
    bool m_workerWoken = false;
    std::vector<Event> m_eventsIn;
    bool m_hubWoken = false;

    std::vector<Command> m_commandsOut;  // the hub's thread only
    bool m_shipPosted = false;
    std::unordered_map<std::uint64_t, RemoteEnd *> m_ends;
};

} // namespace chatterbox::server
