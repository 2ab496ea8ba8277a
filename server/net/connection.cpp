#include "server/net/connection.h"

#include "server/logging.h"
#include "shared/limits.h"

#include <QElapsedTimer>
#include <QTimer>
#include <QWebSocket>

#include <algorithm>

namespace chatterbox::server {

std::int64_t monotonicMs()
{
    static QElapsedTimer clock = [] { QElapsedTimer t; t.start(); return t; }();
    return clock.elapsed();
}

Connection::Connection(quint64 id, QWebSocket *socket, AccessClaims claims, std::size_t maxSendQueueBytes, QObject *parent)
    : QObject(parent)
    , m_id(id)
    , m_socket(socket)
    , m_claims(std::move(claims))
    , m_maxSendQueueBytes(maxSendQueueBytes)
    , m_address(socket->peerAddress().toString().toStdString())
    , m_tokens(limits::kRequestBurst)
    , m_lastRefillMs(monotonicMs())
    , m_lastHeardMs(monotonicMs())
    , m_lastPingMs(monotonicMs())
{
    m_socket->setParent(this);
    m_socket->setMaxAllowedIncomingFrameSize(limits::kMaxFrameBytes);
    m_socket->setMaxAllowedIncomingMessageSize(limits::kMaxMessageBytes);

    connect(m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
        m_lastHeardMs = monotonicMs();
        Q_EMIT frameReceived(this, text.toUtf8());
    });
    // The protocol is text only; binary frames are a protocol error.
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray &) {
        close(limits::kCloseProtocolError, QStringLiteral("binary frames are not part of the protocol"));
    });
    connect(m_socket, &QWebSocket::pong, this, [this](quint64, const QByteArray &) { m_lastHeardMs = monotonicMs(); });
    connect(m_socket, &QWebSocket::disconnected, this, &Connection::onClosed);
}

Connection::~Connection() = default;

bool Connection::send(const QString &frame)
{
    if (!isOpen())
        return false;
    m_socket->sendTextMessage(frame);
    if (static_cast<std::size_t>(m_socket->bytesToWrite()) > m_maxSendQueueBytes) {
        qCInfo(lcNet, "closing connection %llu: client is not reading (%lld bytes queued)",
               static_cast<unsigned long long>(m_id), static_cast<long long>(m_socket->bytesToWrite()));
        Q_EMIT slowConsumer();
        // The close frame waits behind the queue; a client that never reads is cut off
        // by close()'s timer instead.
        close(limits::kCloseSlowConsumer, QStringLiteral("client too slow to read its messages"));
        return false;
    }
    return true;
}

void Connection::close(std::uint16_t code, const QString &reason)
{
    if (!m_open || m_closing)
        return;
    m_closing = true;
    m_socket->close(static_cast<QWebSocketProtocol::CloseCode>(code), reason);
    // A peer that never answers the close handshake is cut off.
    QTimer::singleShot(5000, m_socket, [socket = m_socket] { socket->abort(); });
}

void Connection::onClosed()
{
    if (!m_open)
        return;
    m_open = false;
    Q_EMIT closed(this);
}

bool Connection::takeRequestToken(std::int64_t nowMs)
{
    const double elapsed = static_cast<double>(nowMs - m_lastRefillMs) / 1000.0;
    m_lastRefillMs = nowMs;
    m_tokens = std::min(limits::kRequestBurst, m_tokens + elapsed * limits::kRequestsPerSecond);
    if (m_tokens < 1.0) {
        ++m_strikes;
        return false;
    }
    m_tokens -= 1.0;
    m_strikes = 0;
    return true;
}

void Connection::ping(std::int64_t nowMs)
{
    m_lastPingMs = nowMs;
    if (m_open)
        m_socket->ping();
}

} // namespace chatterbox::server
