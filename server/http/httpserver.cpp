// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/http/httpserver.h"

#include "server/http/clientaddress.h"

#include "server/logging.h"
#include "server/ws/socketpoller.h"

#include <QDateTime>
#include <QPointer>
#include <QTcpServer>
#include <QThread>
#include <QThreadPool>
#include <QTimer>

#include <cerrno>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <unordered_map>
#include <vector>

namespace chatterbox::server::http {

namespace {

constexpr int kSweepMs = 250;
constexpr std::size_t kReadChunk = 64 * 1024;
constexpr std::size_t kProgressBytes = 64 * 1024;
constexpr qint64 kDrainMs = 2000;   // reading and dropping what a client still sends to a closing connection   // of a body or an answer, to move its deadline

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// An answer the network thread makes itself (the request never reached a route).
Response plain(int status, const std::string &text)
{
    Response response;
    response.status = status;
    response.setContent(text + "\n", "text/plain; charset=utf-8");
    response.setHeader("Cache-Control", "no-store");
    return response;
}

} // namespace

class Server::Loop final : public QObject {
public:
    Loop(std::shared_ptr<const Router> router, ServerLimits limits, std::set<std::string> trustedProxies,
         std::shared_ptr<Stats> stats, QThreadPool &workers, std::function<std::optional<Response>(const Request &)> gate)
        : m_router(std::move(router)), m_limits(limits), m_trusted(std::move(trustedProxies)), m_stats(std::move(stats)), m_workers(workers),
          m_gate(std::move(gate))
    {
    }

    // On the loop's thread.
    quint16 listen(const QHostAddress &address, quint16 port, QString *error)
    {
        m_poller = std::make_shared<ws::SocketPoller>(this);
        m_listener = new Listener(*this);
        m_listener->setMaxPendingConnections(1024);
        if (!m_listener->listen(address, port)) {
            *error = m_listener->errorString();
            return 0;
        }
        m_sweep = new QTimer(this);
        connect(m_sweep, &QTimer::timeout, this, &Loop::sweep);
        m_sweep->start(kSweepMs);
        return m_listener->serverPort();
    }

    void shutdown()
    {
        if (m_listener)
            m_listener->close();
        m_connections.clear();
        m_dead.clear();
    }

    void deliver(quint64 id, const Response &response, bool keepAlive, std::size_t bodyBytes)
    {
        --m_waiting;
        m_bodyBytesHeld -= bodyBytes;
        const auto it = m_connections.find(id);
        if (it != m_connections.end() && it->second->state == State::Handling)
            send(*it->second, response, keepAlive);
    }

private:
    // Draining: the answer is out and the connection is closing, but the client may still be
    // sending (a body refused by its head): what it sends is read and dropped for a moment, since
    // closing with unread bytes resets the connection and can destroy the answer before it is read.
    enum class State { Reading, Handling, Writing, Draining };

    struct Connection final : ws::SocketPoller::Watcher {
        Loop &loop;
        int fd = -1;
        quint64 id = 0;
        std::uint64_t handle = 0;
        std::string peer;
        std::string local;
        unsigned localPort = 0;
        std::string input;
        std::string output;
        std::size_t written = 0;
        State state = State::Reading;
        bool keepAlive = true;
        bool peerDone = false;
        qint64 deadline = 0;
        std::size_t progressMark = 0;   // input read, or output written, when the deadline last moved
        bool continued = false;         // 100 Continue sent for the request being read
        bool headChecked = false;       // its head was looked at before its body (gate, room, 100 Continue)
        std::size_t reserved = 0;       // room taken for its large body while it arrives
        std::string reservedFor;        // the client address that room counts against
        std::shared_ptr<const void> hold;   // what the answer being written keeps (a budget's token)

        Connection(Loop &l, int descriptor, quint64 connectionId, std::string address)
            : loop(l), fd(descriptor), id(connectionId), peer(std::move(address))
        {
        }
        ~Connection() override
        {
            if (handle != 0)
                loop.m_poller->remove(handle, fd);
            ::close(fd);
        }
        void readable() override { loop.readFrom(*this); }
        void writable() override { loop.writeTo(*this); }
        void flush() override {}
    };

    class Listener final : public QTcpServer {
    public:
        explicit Listener(Loop &loop) : QTcpServer(&loop), m_loop(loop) {}

    protected:
        void incomingConnection(qintptr descriptor) override { m_loop.accept(static_cast<int>(descriptor)); }

    private:
        Loop &m_loop;
    };

    void accept(int fd)
    {
        sockaddr_storage address{};
        socklen_t length = sizeof address;
        ::getpeername(fd, reinterpret_cast<sockaddr *>(&address), &length);
        std::string peer = QHostAddress(reinterpret_cast<const sockaddr *>(&address)).toString().toStdString();
        if (peer.rfind("::ffff:", 0) == 0)
            peer = peer.substr(7);   // an IPv4 client on a dual-stack socket
        ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
        const int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        // A cap per address, so that one client cannot take every connection; proxies are
        // trusted to hold their own clients to one.
        const bool trusted = m_trusted.count(peer) > 0;
        if (static_cast<int>(m_connections.size()) >= m_limits.maxConnections
            || (!trusted && m_perAddress[peer] >= m_limits.maxConnectionsPerAddress)) {
            ++m_stats->refusedPerAddress;
            const std::string refusal = plain(429, "too many connections from this address").serialize(false);
            (void)::send(fd, refusal.data(), refusal.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
            ::close(fd);
            return;
        }
        auto connection = std::make_unique<Connection>(*this, fd, ++m_nextId, peer);
        sockaddr_storage own{};
        socklen_t ownLength = sizeof own;
        if (::getsockname(fd, reinterpret_cast<sockaddr *>(&own), &ownLength) == 0) {
            const QHostAddress local(reinterpret_cast<const sockaddr *>(&own));
            connection->local = local.toString().toStdString();
            if (connection->local.rfind("::ffff:", 0) == 0)
                connection->local = connection->local.substr(7);
            connection->localPort = own.ss_family == AF_INET6 ? ntohs(reinterpret_cast<const sockaddr_in6 *>(&own)->sin6_port)
                                                              : ntohs(reinterpret_cast<const sockaddr_in *>(&own)->sin_port);
        }
        connection->handle = m_poller->add(fd, connection.get());
        if (connection->handle == 0)
            return;
        connection->deadline = nowMs() + m_limits.requestDeadlineMs;
        ++m_perAddress[peer];
        m_connections.emplace(connection->id, std::move(connection));
    }

    void readFrom(Connection &c)
    {
        thread_local std::string chunk(kReadChunk, '\0');
        for (int round = 0; round < 4; ++round) {
            const ssize_t n = ::recv(c.fd, chunk.data(), chunk.size(), 0);
            if (c.state == State::Draining) {
                if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK))
                    return finish(c);
                if (n < 0 && errno != EINTR)
                    return;
                continue;
            }
            if (n == 0) {
                // The client has said all it will. An answer on its way is still written.
                c.peerDone = true;
                if (c.state == State::Reading)
                    return finish(c);
                m_poller->setInterest(c.handle, c.fd, false, c.state == State::Writing);
                return;
            }
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                if (errno != EAGAIN && errno != EWOULDBLOCK)
                    finish(c);
                break;
            }
            if (c.input.empty() && c.state == State::Reading && c.output.empty())
                c.deadline = nowMs() + m_limits.requestDeadlineMs;   // a kept-alive connection's next request starts
            c.input.append(chunk.data(), static_cast<std::size_t>(n));
            // A large body (a piece of an upload) may take longer than the deadline, as long as
            // it keeps coming: each kProgressBytes more buys another deadline.
            if (c.input.size() >= c.progressMark + kProgressBytes) {
                c.progressMark = c.input.size();
                c.deadline = nowMs() + m_limits.requestDeadlineMs;
            }
            // More than one request can hold means a client that is not speaking HTTP.
            if (c.input.size() > m_limits.parse.maxHeadBytes + m_limits.parse.largestBody() + 1024 && c.state != State::Reading)
                return finish(c);
        }
        if (c.state == State::Reading)
            process(c);
    }

    void process(Connection &c)
    {
        Parse parse = parseRequest(c.input, m_limits.parse);
        if (parse.status == Parse::Status::Incomplete) {
            if (parse.headComplete && !c.headChecked)
                checkHead(c, parse);
            return;
        }
        if (parse.status != Parse::Status::Complete) {
            c.input.clear();
            return send(c, plain(statusFor(parse.status), parse.problem), false);
        }
        c.input.erase(0, parse.consumed);
        c.progressMark = c.input.size();
        c.continued = false;
        c.headChecked = false;
        release(c);
        Request request = std::move(parse.request);
        request.remoteAddress = c.peer;
        request.localAddress = c.local;
        request.localPort = c.localPort;
        request.clientAddress = clientAddressOf(request, m_trusted);
        const std::string connection = request.header("connection");
        const bool keepAlive = request.minorVersion >= 1 ? connection.find("close") == std::string::npos
                                                         : connection.find("keep-alive") != std::string::npos;
        ++m_stats->requests;
        // Bodies waiting for a worker or being handled are held in memory: up to a ceiling.
        const std::size_t bodyBytes = request.body.size();
        if (m_waiting >= m_limits.maxWaiting || (bodyBytes > 0 && m_bodyBytesHeld + bodyBytes > m_limits.maxBodyBytesHeld)) {
            ++m_stats->busy;
            Response busy = plain(503, "the server is busy; try again in a moment");
            busy.setHeader("Retry-After", "1");
            return send(c, busy, false);
        }
        c.state = State::Handling;
        ++m_waiting;
        m_bodyBytesHeld += bodyBytes;
        QPointer<Loop> self(this);
        const quint64 id = c.id;
        m_workers.start([self, router = m_router, request = std::move(request), id, keepAlive, bodyBytes]() mutable {
            Response response = router->handle(request);
            request.body = std::string();
            if (self)
                QMetaObject::invokeMethod(self, [self, id, response = std::move(response), keepAlive, bodyBytes] {
                    if (self)
                        self->deliver(id, response, keepAlive, bodyBytes);
                }, Qt::QueuedConnection);
        });
    }

    // A request's head is in and its body on its way. A large body is let in only when the gate
    // lets it (a token, a Host) and there is room for it, counted while it arrives; only then is
    // the client told to go on (100 Continue), if it asked.
    void checkHead(Connection &c, Parse &parse)
    {
        c.headChecked = true;
        if (parse.bodyLength > m_limits.parse.maxBodyBytes) {
            Request &head = parse.request;
            head.remoteAddress = c.peer;
            head.localAddress = c.local;
            head.localPort = c.localPort;
            head.clientAddress = clientAddressOf(head, m_trusted);
            std::optional<Response> refusal = m_gate ? m_gate(head) : std::nullopt;
            if (!refusal && !reserve(c, head.clientAddress, parse.bodyLength)) {
                ++m_stats->busy;
                refusal = plain(503, "the server is busy; try again in a moment");
                refusal->setHeader("Retry-After", "1");
            }
            if (refusal) {
                c.input.clear();
                return send(c, *refusal, false);   // and what is still coming is drained
            }
        }
        if (parse.expectsContinue && !c.continued) {
            c.continued = true;
            static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
            // Tiny and first on the connection's way out: if it does not fit now, the client
            // sends its body after its own wait instead.
            (void)::send(c.fd, kContinue.data(), kContinue.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
        }
    }

    bool reserve(Connection &c, const std::string &address, std::size_t bytes)
    {
        std::size_t &mine = m_largeBodiesByAddress[address];
        if (m_bodyBytesArriving + m_bodyBytesHeld + bytes > m_limits.maxBodyBytesHeld || mine + bytes > m_limits.maxLargeBodyBytesPerAddress) {
            if (mine == 0)
                m_largeBodiesByAddress.erase(address);
            return false;
        }
        mine += bytes;
        m_bodyBytesArriving += bytes;
        c.reserved = bytes;
        c.reservedFor = address;
        return true;
    }

    void release(Connection &c)
    {
        if (c.reserved == 0)
            return;
        m_bodyBytesArriving -= c.reserved;
        const auto it = m_largeBodiesByAddress.find(c.reservedFor);
        if (it != m_largeBodiesByAddress.end() && (it->second -= c.reserved) == 0)
            m_largeBodiesByAddress.erase(it);
        c.reserved = 0;
    }

    void send(Connection &c, const Response &response, bool keepAlive)
    {
        c.hold = response.hold;
        c.keepAlive = keepAlive && !c.peerDone;
        c.output = response.serialize(c.keepAlive);
        c.written = 0;
        c.progressMark = 0;
        c.state = State::Writing;
        c.deadline = nowMs() + m_limits.writeDeadlineMs;
        writeTo(c);
    }

    void writeTo(Connection &c)
    {
        while (c.written < c.output.size()) {
            const ssize_t n = ::send(c.fd, c.output.data() + c.written, c.output.size() - c.written, MSG_NOSIGNAL);
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                if (errno == EAGAIN || errno == EWOULDBLOCK) {
                    m_poller->setInterest(c.handle, c.fd, !c.peerDone, true);
                    return;
                }
                return finish(c);
            }
            c.written += static_cast<std::size_t>(n);
            // A large answer (a file) is taken for as long as the client keeps taking it.
            if (c.written >= c.progressMark + kProgressBytes) {
                c.progressMark = c.written;
                c.deadline = nowMs() + m_limits.writeDeadlineMs;
            }
        }
        if (!c.keepAlive) {
            // Let the answer leave before the connection goes (RFC 9112 §9.6).
            ::shutdown(c.fd, SHUT_WR);
            if (c.peerDone)
                return finish(c);
            c.state = State::Draining;
            c.input.clear();
            c.deadline = nowMs() + kDrainMs;
            m_poller->setInterest(c.handle, c.fd, true, false);
            return;
        }
        c.output.clear();
        c.hold.reset();
        c.written = 0;
        c.progressMark = c.input.size();
        c.state = State::Reading;
        c.deadline = nowMs() + m_limits.idleMs;
        m_poller->setInterest(c.handle, c.fd, true, false);
        if (!c.input.empty()) {
            c.deadline = nowMs() + m_limits.requestDeadlineMs;
            process(c);   // one that came right behind the last
        }
    }

    void finish(Connection &c)
    {
        const auto it = m_connections.find(c.id);
        if (it == m_connections.end())
            return;
        if (--m_perAddress[c.peer] <= 0)
            m_perAddress.erase(c.peer);
        release(c);
        c.hold.reset();
        m_poller->remove(c.handle, c.fd);
        c.handle = 0;
        // Destroyed later: this may run inside the connection's own callback.
        m_dead.push_back(std::move(it->second));
        m_connections.erase(it);
        if (m_dead.size() == 1)
            QMetaObject::invokeMethod(this, [this] { m_dead.clear(); }, Qt::QueuedConnection);
    }

    void sweep()
    {
        const qint64 now = nowMs();
        std::vector<Connection *> late;
        for (auto &[id, c] : m_connections) {
            if (c->state != State::Handling && now >= c->deadline)
                late.push_back(c.get());
        }
        for (Connection *c : late) {
            // Quiet between requests: just closed. Halfway through one, or not taking its
            // answer: told (if it can still hear) and closed.
            if (c->state == State::Reading && !c->input.empty()) {
                ++m_stats->timedOut;
                send(*c, plain(408, "the request took too long to arrive"), false);
            } else {
                if (c->state == State::Writing)
                    ++m_stats->timedOut;
                finish(*c);
            }
        }
    }

    std::shared_ptr<const Router> m_router;
    const ServerLimits m_limits;
    const std::set<std::string> m_trusted;
    std::shared_ptr<Stats> m_stats;
    QThreadPool &m_workers;
    std::shared_ptr<ws::SocketPoller> m_poller;
    Listener *m_listener = nullptr;
    QTimer *m_sweep = nullptr;
    std::unordered_map<quint64, std::unique_ptr<Connection>> m_connections;
    std::unordered_map<std::string, int> m_perAddress;
    std::vector<std::unique_ptr<Connection>> m_dead;
    quint64 m_nextId = 0;
    int m_waiting = 0;
    std::size_t m_bodyBytesHeld = 0;        // whole bodies waiting for a worker or being handled
    std::size_t m_bodyBytesArriving = 0;    // large bodies still arriving (room taken at their head)
    std::unordered_map<std::string, std::size_t> m_largeBodiesByAddress;
    const std::function<std::optional<Response>(const Request &)> m_gate;
};

Server::Server(Router router, ServerLimits limits)
    : m_router(std::make_shared<const Router>(std::move(router))), m_limits(limits), m_stats(std::make_shared<Stats>())
{
}

Server::~Server()
{
    stop();
}

void Server::setTrustedProxies(std::set<std::string> proxies)
{
    m_trustedProxies = std::move(proxies);
}

quint16 Server::listen(const QHostAddress &address, quint16 port)
{
    m_workers = std::make_unique<QThreadPool>();
    m_workers->setMaxThreadCount(m_limits.workers);
    m_thread = std::make_unique<QThread>();
    m_thread->setObjectName(QStringLiteral("http"));
    m_loop = new Loop(m_router, m_limits, m_trustedProxies, m_stats, *m_workers, m_gate);
    m_loop->moveToThread(m_thread.get());
    QObject::connect(m_thread.get(), &QThread::finished, m_loop, &QObject::deleteLater);
    m_thread->start();
    quint16 bound = 0;
    QString error;
    QMetaObject::invokeMethod(m_loop, [&] { bound = m_loop->listen(address, port, &error); }, Qt::BlockingQueuedConnection);
    if (bound == 0) {
        m_error = error;
        stop();
    }
    return bound;
}

void Server::stop()
{
    if (!m_thread)
        return;
    // No new requests, and the ones being answered finish before their connections go.
    QMetaObject::invokeMethod(m_loop, [this] { m_loop->shutdown(); }, Qt::BlockingQueuedConnection);
    m_workers->waitForDone();
    m_thread->quit();
    m_thread->wait();
    m_thread.reset();
    m_workers.reset();
    m_loop = nullptr;
}

std::string Server::clientAddressOf(const Request &request, const std::set<std::string> &trustedProxies)
{
    return clientAddressFor(request.remoteAddress, request.header("x-forwarded-for"), trustedProxies);
}

} // namespace chatterbox::server::http
