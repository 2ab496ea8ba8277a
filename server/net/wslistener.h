#pragma once

#include <QTcpServer>
#include <QTimer>
#include <QWebSocketServer>

#include <cstdint>
#include <unordered_map>

class QTcpSocket;

namespace chatterbox::server {

class Hub;
class Metrics;
class TokenService;

// Accepts WebSocket clients. It accepts on its own QTcpServer (a large listen backlog, TCP_NODELAY
// on every socket) and reads the upgrade request itself, so that a request without a valid
// bearer token, or from a user already at the connection limit, gets a plain HTTP error and never
// a 101. Good requests go on to QWebSocketServer::handleConnection for the handshake.
class WebSocketListener final : public QTcpServer {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WebSocketListener)

public:
    WebSocketListener(TokenService &tokens, Hub &hub, Metrics &metrics, QObject *parent = nullptr);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    void inspect(QTcpSocket *socket);
    void dropSlowUpgrades();
    void refuse(QTcpSocket *socket, int status, const char *reason, const QByteArray &body);

    TokenService &m_tokens;
    Hub &m_hub;
    Metrics &m_metrics;
    QWebSocketServer m_upgrader;
    std::unordered_map<QTcpSocket *, std::int64_t> m_upgrading;   // not yet inspected: when they came
    QTimer m_upgradeTimeouts;
};

} // namespace chatterbox::server
