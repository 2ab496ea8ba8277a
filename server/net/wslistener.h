// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/auth/tokens.h"
#include "server/net/connectionquota.h"
#include "server/net/networklane.h"
#include "server/ws/websocket.h"

#include <QTcpServer>
#include <QTimer>

#include <cstdint>
#include <memory>
#include <set>
#include <unordered_map>
#include <vector>

namespace chatterbox::server {

class Hub;
class Metrics;
class TokenService;

// Whether an upgrade may go ahead: a valid bearer token, and room in the person's share of
// connections (taken here, given back by the hub). Any thread.
std::optional<ws::Refusal> admitUpgrade(TokenService &tokens, ConnectionQuota &quota, Metrics &metrics,
                                        const ws::UpgradeRequest &request, AccessClaims &claims);

// The limits of a client's socket; its reading pauses where the slow-consumer rule says.
ws::SocketLimits serverSocketLimits(const SlowConsumerRule &slowConsumer);

// Accepts WebSocket clients on its own QTcpServer (a large listen backlog). With network threads,
// each accepted socket goes to the next NetworkLane in turn, which reads its upgrade; without,
// it becomes a ws::WebSocket on this thread, watched by one SocketPoller. Either way the upgrade
// request is read once: a request without a valid bearer token, or from a person already at the
// connection limit, gets a plain HTTP error and never a 101; a good one is answered and the
// socket handed to the hub.
class WebSocketListener final : public QTcpServer {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WebSocketListener)

public:
    WebSocketListener(TokenService &tokens, Hub &hub, Metrics &metrics, ConnectionQuota &quota,
                      std::vector<NetworkLane *> lanes, ws::SocketLimits limits, std::set<std::string> trustedProxies = {},
                      QObject *parent = nullptr);
    ~WebSocketListener() override;

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    struct Upgrading {
        std::unique_ptr<ws::WebSocket> socket;
        std::int64_t sinceMs = 0;
        AccessClaims claims;
    };

    void handOver(ws::WebSocket *socket);
    void release(ws::WebSocket *socket);
    void dropSlowUpgrades();

    TokenService &m_tokens;
    Hub &m_hub;
    Metrics &m_metrics;
    ConnectionQuota &m_quota;
    const std::vector<NetworkLane *> m_lanes;
    std::size_t m_nextLane = 0;
    const ws::SocketLimits m_limits;
    const std::set<std::string> m_trustedProxies;
    std::shared_ptr<ws::SocketPoller> m_poller;
    std::unordered_map<ws::WebSocket *, Upgrading> m_upgrading;   // not yet handed over, or refused
    std::vector<std::unique_ptr<ws::WebSocket>> m_released;      // destroyed once their callbacks return
    QTimer m_upgradeTimeouts;
};

} // namespace chatterbox::server
