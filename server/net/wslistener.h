#pragma once

#include "server/auth/tokens.h"
#include "server/ws/websocket.h"

#include <QTcpServer>
#include <QTimer>

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

namespace chatterbox::server {

class Hub;
class Metrics;
class TokenService;

// Accepts WebSocket clients: on its own QTcpServer (a large listen backlog), each accepted
// socket becomes a ws::WebSocket watched by one SocketPoller. The upgrade request is read once:
// a request without a valid bearer token, or from a user already at the connection limit, gets
// a plain HTTP error and never a 101; a good one is answered and handed to the hub.
class WebSocketListener final : public QTcpServer {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WebSocketListener)

public:
    WebSocketListener(TokenService &tokens, Hub &hub, Metrics &metrics, QObject *parent = nullptr);
    ~WebSocketListener() override;

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    struct Upgrading {
        std::unique_ptr<ws::WebSocket> socket;
        std::int64_t sinceMs = 0;
        AccessClaims claims;
    };

    std::optional<ws::Refusal> admit(ws::WebSocket *socket, const ws::UpgradeRequest &request);
    void handOver(ws::WebSocket *socket);
    void release(ws::WebSocket *socket);
    void dropSlowUpgrades();

    TokenService &m_tokens;
    Hub &m_hub;
    Metrics &m_metrics;
    std::shared_ptr<ws::SocketPoller> m_poller;
    std::unordered_map<ws::WebSocket *, Upgrading> m_upgrading;   // not yet handed over, or refused
    std::vector<std::unique_ptr<ws::WebSocket>> m_released;      // destroyed once their callbacks return
    QTimer m_upgradeTimeouts;
};

} // namespace chatterbox::server
