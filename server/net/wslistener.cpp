#include "server/net/wslistener.h"

#include "server/auth/tokens.h"
#include "server/logging.h"
#include "server/metrics.h"
#include "server/net/hub.h"

#include <QTcpSocket>
#include <QTimer>
#include <QWebSocket>

namespace chatterbox::server {

namespace {

constexpr qint64 kMaxUpgradeRequestBytes = 8192;
constexpr int kUpgradeTimeoutMs = 10000;
constexpr const char *kInspected = "chatterboxInspected";

// The value of one header, or empty. Header names are case-insensitive (RFC 9110).
QByteArray headerValue(const QByteArray &head, const QByteArray &name)
{
    const QList<QByteArray> lines = head.split('\n');
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0)
            return line.mid(colon + 1).trimmed();
    }
    return {};
}

} // namespace

WebSocketListener::WebSocketListener(TokenService &tokens, Hub &hub, Metrics &metrics, QObject *parent)
    : QTcpServer(parent)
    , m_tokens(tokens)
    , m_hub(hub)
    , m_metrics(metrics)
    , m_upgrader(QStringLiteral("chatterbox"), QWebSocketServer::NonSecureMode)
{
    setListenBacklogSize(4096);
    setMaxPendingConnections(4096);
    m_upgrader.setMaxPendingConnections(4096);
    m_upgradeTimeouts.setInterval(1000);
    connect(&m_upgradeTimeouts, &QTimer::timeout, this, &WebSocketListener::dropSlowUpgrades);
    connect(&m_upgrader, &QWebSocketServer::newConnection, this, [this] {
        while (QWebSocket *socket = m_upgrader.nextPendingConnection())
            m_hub.adopt(socket);
    });
}

void WebSocketListener::incomingConnection(qintptr descriptor)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    // Small frames must leave at once, not wait for Nagle.
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    connect(socket, &QTcpSocket::readyRead, this, [this, socket] { inspect(socket); });
    connect(socket, &QTcpSocket::disconnected, socket, [socket] {
        if (!socket->property(kInspected).toBool())
            socket->deleteLater();
    });
    m_upgrading.emplace(socket, monotonicMs());
    connect(socket, &QObject::destroyed, this, [this, socket] { m_upgrading.erase(socket); });
    if (!m_upgradeTimeouts.isActive())
        m_upgradeTimeouts.start();
}

// One timer for every upgrade in progress (a timer each made Qt's sorted timer list slow to
// add to when thousands of connections arrive at once).
void WebSocketListener::dropSlowUpgrades()
{
    const std::int64_t now = monotonicMs();
    std::vector<QTcpSocket *> late;
    // Sockets leave the map when they are inspected or destroyed: every one here is live.
    for (const auto &[socket, since] : m_upgrading) {
        if (now - since >= kUpgradeTimeoutMs)
            late.push_back(socket);
    }
    for (QTcpSocket *socket : late)
        socket->abort();
    if (m_upgrading.empty())
        m_upgradeTimeouts.stop();
}

void WebSocketListener::refuse(QTcpSocket *socket, int status, const char *reason, const QByteArray &body)
{
    ++m_metrics.handshakesRejected;
    socket->setProperty(kInspected, true);
    m_upgrading.erase(socket);
    QByteArray response = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason + "\r\n";
    if (status == 401)
        response += "WWW-Authenticate: Bearer\r\n";
    response += "Content-Type: text/plain; charset=utf-8\r\nContent-Length: " + QByteArray::number(body.size())
                + "\r\nConnection: close\r\n\r\n" + body;
    socket->write(response);
    socket->disconnectFromHost();
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    QTimer::singleShot(2000, socket, [socket] { socket->abort(); });
}

void WebSocketListener::inspect(QTcpSocket *socket)
{
    if (socket->property(kInspected).toBool())
        return;
    // Peek, so that QWebSocketServer later reads the same bytes from the start.
    const QByteArray head = socket->peek(kMaxUpgradeRequestBytes + 4);
    const qsizetype end = head.indexOf("\r\n\r\n");
    if (end < 0) {
        if (head.size() > kMaxUpgradeRequestBytes)
            refuse(socket, 431, "Request Header Fields Too Large", "upgrade request too large\n");
        return;
    }
    const QByteArray authorization = headerValue(head.left(end), "Authorization");
    std::optional<AccessClaims> claims;
    if (authorization.startsWith("Bearer "))
        claims = m_tokens.verifyAccessToken(authorization.mid(7).trimmed().toStdString());
    if (!claims) {
        qCDebug(lcAuth, "refused a WebSocket upgrade without a valid token");
        refuse(socket, 401, "Unauthorized", "a valid access token is required (Authorization: Bearer ...)\n");
        return;
    }
    if (!m_hub.admits(claims->userId)) {
        refuse(socket, 429, "Too Many Requests", "too many connections for this account\n");
        return;
    }
    socket->setProperty(kInspected, true);
    m_upgrading.erase(socket);
    disconnect(socket, nullptr, this, nullptr);
    m_upgrader.handleConnection(socket);
}

} // namespace chatterbox::server
