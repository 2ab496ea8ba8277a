// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/net/wslistener.h"

#include "server/logging.h"
#include "server/metrics.h"
#include "server/net/hub.h"
#include "shared/limits.h"

#include <optional>
#include <string>

#include <unistd.h>

namespace chatterbox::server {

namespace {

constexpr int kUpgradeTimeoutMs = 10000;

// The credentials of "Authorization: Bearer <token>" (RFC 6750 2.1). The scheme is
// case-insensitive (RFC 9110 11.1), so "bearer" and "BEARER" are Bearer too.
std::optional<std::string> bearerToken(const QByteArray &authorization)
{
    constexpr QByteArrayView scheme("Bearer");
    if (authorization.size() <= scheme.size() || authorization.at(scheme.size()) != ' '
        || QByteArrayView(authorization).first(scheme.size()).compare(scheme, Qt::CaseInsensitive) != 0)
        return std::nullopt;
    const QByteArray token = authorization.mid(scheme.size()).trimmed();
    if (token.isEmpty())
        return std::nullopt;
    return token.toStdString();
}

} // namespace

ws::SocketLimits serverSocketLimits(const SlowConsumerRule &slowConsumer)
{
    ws::SocketLimits limits;
    limits.pauseReadingAboveBytes = slowConsumer.pauseReadingAboveBytes();
    limits.maxUpgradeBytes = 8192;
    limits.maxFrameBytes = limits::kMaxFrameBytes;
    limits.maxMessageBytes = limits::kMaxMessageBytes;
    return limits;
}

std::optional<ws::Refusal> admitUpgrade(TokenService &tokens, ConnectionQuota &quota, Metrics &metrics,
                                        const ws::UpgradeRequest &request, AccessClaims &claims)
{
    // Two Authorization headers leave it open which one a proxy checked and which one we do.
    if (request.headerCount("Authorization") > 1) {
        ++metrics.handshakesRejected;
        return ws::Refusal{400, "Bad Request", "send one Authorization header\n", {}};
    }
    std::optional<AccessClaims> verified;
    if (const auto token = bearerToken(request.header("Authorization")))
        verified = tokens.verifyAccessToken(*token);
    if (!verified) {
        ++metrics.handshakesRejected;
        qCDebug(lcAuth, "refused a WebSocket upgrade without a valid token");
        return ws::Refusal{401, "Unauthorized", "a valid access token is required (Authorization: Bearer ...)\n",
                           "WWW-Authenticate: Bearer\r\n"};
    }
    if (!quota.tryTake(verified->userId)) {
        ++metrics.handshakesRejected;
        return ws::Refusal{429, "Too Many Requests", "too many connections for this account\n", {}};
    }
    claims = std::move(*verified);
    return std::nullopt;
}

WebSocketListener::WebSocketListener(TokenService &tokens, Hub &hub, Metrics &metrics, ConnectionQuota &quota,
                                     std::vector<NetworkLane *> lanes, ws::SocketLimits limits, std::set<std::string> trustedProxies,
                                     QObject *parent)
    : QTcpServer(parent)
    , m_tokens(tokens)
    , m_hub(hub)
    , m_metrics(metrics)
    , m_quota(quota)
    , m_lanes(std::move(lanes))
    , m_limits(limits)
    , m_trustedProxies(std::move(trustedProxies))
    , m_poller(std::make_shared<ws::SocketPoller>())
{
    setListenBacklogSize(4096);
    setMaxPendingConnections(4096);
    m_upgradeTimeouts.setInterval(1000);
    connect(&m_upgradeTimeouts, &QTimer::timeout, this, &WebSocketListener::dropSlowUpgrades);
}

WebSocketListener::~WebSocketListener() = default;

void WebSocketListener::incomingConnection(qintptr descriptor)
{
    if (!m_lanes.empty()) {
        m_lanes[m_nextLane++ % m_lanes.size()]->takeSocket(static_cast<int>(descriptor));
        return;
    }
    if (!m_poller->isValid()) {
        ::close(static_cast<int>(descriptor));
        return;
    }
    auto socket = std::make_unique<ws::WebSocket>(m_poller, static_cast<int>(descriptor), m_limits);
    if (socket->state() == ws::WebSocket::State::Closed)
        return;
    ws::WebSocket *raw = socket.get();
    raw->onUpgradeRequest = [this, raw](const ws::UpgradeRequest &request) {
        return admitUpgrade(m_tokens, m_quota, m_metrics, request, m_upgrading.at(raw).claims);
    };
    raw->onOpened = [this, raw] { handOver(raw); };
    raw->onClosed = [this, raw] { release(raw); };
    m_upgrading.emplace(raw, Upgrading{std::move(socket), monotonicMs(), {}});
    if (!m_upgradeTimeouts.isActive())
        m_upgradeTimeouts.start();
}

void WebSocketListener::handOver(ws::WebSocket *socket)
{
    const auto it = m_upgrading.find(socket);
    Upgrading upgrading = std::move(it->second);
    m_upgrading.erase(it);
    auto end = std::make_unique<LocalSocketEnd>(std::move(upgrading.socket));
    end->peerAddress = clientAddressOf(*socket, m_trustedProxies);
    m_hub.adopt(std::move(end), std::move(upgrading.claims));
}

// Called from inside the socket: it is destroyed after it returns, from the event loop.
void WebSocketListener::release(ws::WebSocket *socket)
{
    const auto it = m_upgrading.find(socket);
    if (it == m_upgrading.end())
        return;
    if (m_released.empty()) {
        QMetaObject::invokeMethod(this, [this] { m_released.clear(); }, Qt::QueuedConnection);
    }
    m_released.push_back(std::move(it->second.socket));
    m_upgrading.erase(it);
}

// One timer for every upgrade in progress or refused and not yet gone (a timer each made Qt's
// sorted timer list slow to add to when thousands of connections arrive at once).
void WebSocketListener::dropSlowUpgrades()
{
    const std::int64_t now = monotonicMs();
    std::vector<ws::WebSocket *> late;
    for (const auto &[socket, upgrading] : m_upgrading) {
        if (now - upgrading.sinceMs >= kUpgradeTimeoutMs)
            late.push_back(socket);
    }
    for (ws::WebSocket *socket : late)
        socket->abort();
    if (m_upgrading.empty())
        m_upgradeTimeouts.stop();
}

} // namespace chatterbox::server
