// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/http/httpparser.h"
#include "server/http/httprouter.h"

#include <QHostAddress>
#include <QObject>

#include <atomic>
#include <functional>
#include <memory>
#include <set>
#include <string>

class QThread;
class QThreadPool;

namespace chatterbox::server::http {

struct ServerLimits {
    ParseLimits parse;
    int requestDeadlineMs = 5000;         // from a connection's first byte (or accept) to a whole request
    int idleMs = 5000;                    // a kept-alive connection with nothing sent
    int writeDeadlineMs = 10000;          // for the answer to be taken
    int maxConnectionsPerAddress = 32;    // open at once from one client address
    int maxConnections = 4096;
    int workers = 16;                     // routes run here, never on the network thread
    int maxWaiting = 512;                 // whole requests waiting for a worker; more get 503
    std::size_t maxBodyBytesHeld = 128 * 1024 * 1024;   // request bodies arriving, waiting or being handled; more get 503
    std::size_t maxLargeBodyBytesPerAddress = 16 * 1024 * 1024;   // bodies over parse.maxBodyBytes arriving at once from one client
};

// The HTTP side of the server, on the same kind of network layer as the WebSocket side: one
// thread reads every connection through one epoll set, under deadlines, and a request reaches a
// route only when it has arrived whole, so a client that sends slowly holds a few bytes of memory
// and no thread. Routes run on a pool of workers (they may wait on the database or an identity
// provider). Connections from one address are capped, except from configured trusted proxies,
// whose clients are told apart by X-Forwarded-For instead.
class Server final {
public:
    Server(Router router, ServerLimits limits);
    ~Server();
    Server(const Server &) = delete;
    Server &operator=(const Server &) = delete;

    // Addresses (exact, "127.0.0.1", "::1") whose X-Forwarded-For is believed, and which are not
    // held to the per-address cap. Before listen().
    void setTrustedProxies(std::set<std::string> proxies);
    // Asked of a request whose body is larger than the usual limit, as soon as its head is in and
    // before its body is taken: an answer here is the answer (a missing token, a wrong Host), and
    // the body is never held. Before listen().
    void setLargeBodyGate(std::function<std::optional<Response>(const Request &head)> gate) { m_gate = std::move(gate); }
    // Binds (no SO_REUSEPORT: a port another process holds is refused) and starts serving on a
    // thread of its own. The bound port, or 0 with error() saying why.
    quint16 listen(const QHostAddress &address, quint16 port);
    QString error() const { return m_error; }
    void stop();

    // What a request's client address is: the peer, or for a trusted proxy the last address
    // it names in X-Forwarded-For.
    static std::string clientAddressOf(const Request &request, const std::set<std::string> &trustedProxies);

    struct Stats {
        std::atomic<long long> requests{0};
        std::atomic<long long> refusedPerAddress{0};
        std::atomic<long long> timedOut{0};
        std::atomic<long long> busy{0};
    };
    const Stats &stats() const { return *m_stats; }

private:
    class Loop;
    std::shared_ptr<const Router> m_router;
    ServerLimits m_limits;
    std::set<std::string> m_trustedProxies;
    std::function<std::optional<Response>(const Request &)> m_gate;
    std::shared_ptr<Stats> m_stats;
    std::unique_ptr<QThread> m_thread;
    std::unique_ptr<QThreadPool> m_workers;
    Loop *m_loop = nullptr;   // lives on m_thread
    QString m_error;
};

} // namespace chatterbox::server::http
