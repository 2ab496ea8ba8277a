// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/net/networklane.h"

#include "server/net/connectedclient.h"

#include <QTimer>

namespace chatterbox::server {

namespace {

constexpr std::int64_t kUpgradeTimeoutMs = 10000;

} // namespace

// The sockets, on the lane's thread.
class NetworkLane::Worker final : public QObject {
public:
    explicit Worker(NetworkLane &lane) : m_lane(lane) {}

    void start()
    {
        m_poller = std::make_shared<ws::SocketPoller>();
        m_timer = std::make_unique<QTimer>();
        m_timer->setInterval(1000);
        QObject::connect(m_timer.get(), &QTimer::timeout, this, [this] { sweep(); });
        m_timer->start();
    }

    // On the lane's thread, before it ends: sockets, notifiers and timers go with their thread.
    void shutdown()
    {
        m_sockets.clear();
        m_graveyard.clear();
        m_timer.reset();
        m_poller.reset();
    }

    void run(std::vector<Command> &commands)
    {
        for (Command &command : commands) {
            if (command.kind == Command::Kind::Adopt) {
                adopt(command.fd);
                continue;
            }
            if (command.kind == Command::Kind::Send) {
                for (const std::uint64_t id : command.sockets)
                    send(id, command.frame);
                continue;
            }
            const auto it = m_sockets.find(command.socket);
            if (it == m_sockets.end())
                continue;   // already gone; its Closed event is on its way
            Owned &owned = it->second;
            switch (command.kind) {
            case Command::Kind::Close:
                owned.socket->close(command.code, command.reason);
                break;
            case Command::Kind::Ping:
                owned.socket->ping();
                break;
            case Command::Kind::Abort:
                owned.socket->abort();
                break;
            case Command::Kind::Send:
            case Command::Kind::Adopt:
                break;
            }
        }
    }

private:
    struct Owned {
        std::unique_ptr<ws::WebSocket> socket;
        AccessClaims claims;
        std::int64_t upgradeDeadlineMs = 0;   // 0 once upgraded (closing is cut off by the hub's ConnectedClient)
        bool opened = false;
        bool slow = false;
    };

    void send(std::uint64_t id, const ws::Frame &frame)
    {
        const auto it = m_sockets.find(id);
        if (it == m_sockets.end())
            return;
        Owned &owned = it->second;
        owned.socket->send(frame);
        closeIfNotReading(id, owned);
    }

    void closeIfNotReading(std::uint64_t id, Owned &owned)
    {
        if (owned.slow || !owned.opened
            || !m_lane.m_settings.slowConsumer.isSlow(owned.socket->bytesQueued(), owned.socket->unsentForMs()))
            return;
        owned.slow = true;
        emitEvent({Event::Kind::Slow, id, {}, {}, {}});
        owned.socket->close(m_lane.m_settings.slowConsumerCode, m_lane.m_settings.slowConsumerReason);
    }

    void adopt(int fd)
    {
        auto socket = std::make_unique<ws::WebSocket>(m_poller, fd, m_lane.m_settings.limits);
        if (socket->state() == ws::WebSocket::State::Closed)
            return;
        const std::uint64_t id = m_nextId++;
        ws::WebSocket *raw = socket.get();
        raw->onUpgradeRequest = [this, id](const ws::UpgradeRequest &request) {
            return m_lane.m_admit(request, m_sockets.at(id).claims);
        };
        raw->onOpened = [this, id, raw] {
            Owned &owned = m_sockets.at(id);
            owned.opened = true;
            owned.upgradeDeadlineMs = 0;
            emitEvent({Event::Kind::Opened, id, {}, std::make_unique<AccessClaims>(owned.claims),
                       clientAddressOf(*raw, m_lane.m_settings.trustedProxies)});
        };
        raw->onText = [this, id](const QByteArray &text) { emitEvent({Event::Kind::Text, id, text, {}, {}}); };
        raw->onBinary = [this, id](const QByteArray &data) { emitEvent({Event::Kind::Binary, id, data, {}, {}}); };
        raw->onPong = [this, id] { emitEvent({Event::Kind::Pong, id, {}, {}, {}}); };
        raw->onClosed = [this, id] { gone(id); };
        m_sockets.emplace(id, Owned{std::move(socket), {}, monotonicMs() + kUpgradeTimeoutMs, false, false});
    }

    // Called from inside the socket: it is destroyed once its call returns.
    void gone(std::uint64_t id)
    {
        const auto it = m_sockets.find(id);
        if (it == m_sockets.end())
            return;
        if (it->second.opened)
            emitEvent({Event::Kind::Closed, id, {}, {}, {}});
        if (m_graveyard.empty())
            QMetaObject::invokeMethod(this, [this] { m_graveyard.clear(); }, Qt::QueuedConnection);
        m_graveyard.push_back(std::move(it->second.socket));
        m_sockets.erase(it);
    }

    void sweep()
    {
        const std::int64_t now = monotonicMs();
        std::vector<std::uint64_t> late;
        std::vector<std::uint64_t> behind;
        for (const auto &[id, owned] : m_sockets) {
            if (owned.upgradeDeadlineMs != 0 && now >= owned.upgradeDeadlineMs)
                late.push_back(id);
            else if (owned.socket->unsentForMs() > 0)
                behind.push_back(id);
        }
        for (const std::uint64_t id : behind) {
            const auto it = m_sockets.find(id);
            if (it != m_sockets.end())
                closeIfNotReading(id, it->second);
        }
        for (const std::uint64_t id : late) {
            const auto it = m_sockets.find(id);
            if (it != m_sockets.end())
                it->second.socket->abort();
        }
    }

    // Events wait until this pass is done, then go to the hub together.
    void emitEvent(Event event)
    {
        m_events.push_back(std::move(event));
        if (!m_eventsPosted) {
            m_eventsPosted = true;
            QMetaObject::invokeMethod(this, [this] {
                m_eventsPosted = false;
                m_lane.postEvents(m_events);   // empties it
            }, Qt::QueuedConnection);
        }
    }

    NetworkLane &m_lane;
    std::shared_ptr<ws::SocketPoller> m_poller;
    std::unique_ptr<QTimer> m_timer;
    std::unordered_map<std::uint64_t, Owned> m_sockets;
    std::vector<std::unique_ptr<ws::WebSocket>> m_graveyard;
    std::vector<Event> m_events;
    bool m_eventsPosted = false;
    std::uint64_t m_nextId = 1;
};

// A socket of the lane, as the hub sees it.
class NetworkLane::RemoteEnd final : public SocketEnd {
public:
    RemoteEnd(NetworkLane &lane, std::uint64_t id) : m_lane(lane), m_id(id) {}
    ~RemoteEnd() override
    {
        if (m_live) {
            m_lane.m_ends.erase(m_id);
            abort();
        }
    }

    void send(const ws::Frame &frame) override { m_lane.send(m_id, frame); }
    void ping() override { m_lane.command({Command::Kind::Ping, m_id, {}, {}, 0, {}, -1}); }
    void close(std::uint16_t code, std::string_view reason) override
    {
        m_lane.command({Command::Kind::Close, m_id, {}, {}, code, std::string(reason), -1});
    }
    void abort() override { m_lane.command({Command::Kind::Abort, m_id, {}, {}, 0, {}, -1}); }
    std::size_t bytesQueued() const override { return 0; }
    std::int64_t unsentForMs() const override { return 0; }

    bool m_live = true;   // false once the lane said it closed

private:
    NetworkLane &m_lane;
    const std::uint64_t m_id;
};

NetworkLane::NetworkLane(int index, Settings settings, Admit admit, Opened opened, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_admit(std::move(admit))
    , m_opened(std::move(opened))
{
    m_worker = new Worker(*this);
    m_worker->moveToThread(&m_thread);
    m_thread.setObjectName(QStringLiteral("network %1").arg(index));
    m_thread.start();
    QMetaObject::invokeMethod(m_worker, [worker = m_worker] { worker->start(); }, Qt::QueuedConnection);
}

NetworkLane::~NetworkLane()
{
    QMetaObject::invokeMethod(m_worker, [worker = m_worker] { worker->shutdown(); }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
    delete m_worker;
    for (auto &[id, end] : m_ends)
        end->m_live = false;
}

void NetworkLane::takeSocket(int fd) { command({Command::Kind::Adopt, 0, {}, {}, 0, {}, fd}); }

void NetworkLane::send(std::uint64_t socket, const ws::Frame &frame)
{
    if (!m_commandsOut.empty()) {
        Command &last = m_commandsOut.back();
        if (last.kind == Command::Kind::Send && last.frame.bytes.constData() == frame.bytes.constData()) {
            last.sockets.push_back(socket);
            return;
        }
    }
    command({Command::Kind::Send, 0, {socket}, frame, 0, {}, -1});
}

void NetworkLane::command(Command command)
{
    m_commandsOut.push_back(std::move(command));
    if (!m_shipPosted) {
        m_shipPosted = true;
        QMetaObject::invokeMethod(this, [this] { shipCommands(); }, Qt::QueuedConnection);
    }
}

void NetworkLane::shipCommands()
{
    m_shipPosted = false;
    if (m_toWorker.put(m_commandsOut)) {
        QMetaObject::invokeMethod(m_worker, [this] {
            std::vector<Command> commands = m_toWorker.take();
            m_worker->run(commands);
        }, Qt::QueuedConnection);
    }
}

void NetworkLane::postEvents(std::vector<Event> &events)
{
    if (m_toHub.put(events))
        QMetaObject::invokeMethod(this, [this] { takeEvents(); }, Qt::QueuedConnection);
}

void NetworkLane::takeEvents()
{
    std::vector<Event> events = m_toHub.take();
    for (Event &event : events) {
        if (event.kind == Event::Kind::Opened) {
            auto end = std::make_unique<RemoteEnd>(*this, event.socket);
            end->peerAddress = std::move(event.peer);
            m_ends.emplace(event.socket, end.get());
            m_opened(std::move(end), std::move(*event.claims));
            continue;
        }
        const auto it = m_ends.find(event.socket);
        if (it == m_ends.end())
            continue;
        RemoteEnd *end = it->second;
        switch (event.kind) {
        case Event::Kind::Text:
            if (end->onText)
                end->onText(event.payload);
            break;
        case Event::Kind::Binary:
            if (end->onBinary)
                end->onBinary(event.payload);
            break;
        case Event::Kind::Pong:
            if (end->onPong)
                end->onPong();
            break;
        case Event::Kind::Slow:
            if (end->onSlowConsumer)
                end->onSlowConsumer();
            break;
        case Event::Kind::Closed:
            end->m_live = false;
            m_ends.erase(it);
            if (end->onClosed)
                end->onClosed();
            break;
        case Event::Kind::Opened:
            break;
        }
    }
}

} // namespace chatterbox::server
