// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/net/connectedclient.h"

#include "server/logging.h"
#include "shared/limits.h"

#include <QElapsedTimer>
#include <QTimer>

#include <algorithm>

namespace chatterbox::server {

std::int64_t monotonicMs()
{
    static QElapsedTimer clock = [] { QElapsedTimer t; t.start(); return t; }();
    return clock.elapsed();
}

ConnectedClient::ConnectedClient(quint64 id, std::unique_ptr<SocketEnd> socket, AccessClaims claims, SlowConsumerRule slowConsumerRule,
                       QObject *parent)
    : QObject(parent)
    , m_id(id)
    , m_socket(std::move(socket))
    , m_claims(std::move(claims))
    , m_slowConsumer(slowConsumerRule)
    , m_address(m_socket->peerAddress)
    , m_tokens(limits::kRequestBurst)
    , m_lastRefillMs(monotonicMs())
    , m_lastHeardMs(monotonicMs())
    , m_lastPingMs(monotonicMs())
{
    m_socket->onText = [this](const QByteArray &text) {
        m_lastHeardMs = monotonicMs();
        Q_EMIT frameReceived(this, text);
    };
    // The protocol is text only; binary frames are a protocol error.
    m_socket->onBinary = [this](const QByteArray &) {
        close(limits::kCloseProtocolError, QStringLiteral("binary frames are not part of the protocol"));
    };
    m_socket->onPong = [this] { m_lastHeardMs = monotonicMs(); };
    m_socket->onClosed = [this] { onClosed(); };
    // A network thread closed it for not reading (it watches the queue there).
    m_socket->onSlowConsumer = [this] {
        m_closing = true;
        cutOffLater();
        Q_EMIT slowConsumer();
    };
}

ConnectedClient::~ConnectedClient() = default;

bool ConnectedClient::send(const ws::Frame &frame)
{
    if (!isOpen())
        return false;
    m_socket->send(frame);
    return !closeIfNotReading();
}

bool ConnectedClient::closeIfNotReading()
{
    if (!isOpen() || !m_slowConsumer.isSlow(m_socket->bytesQueued(), m_socket->unsentForMs()))
        return false;
    qCInfo(lcNet, "closing connection %llu: client is not reading (%zu bytes unsent for %lld ms)",
           static_cast<unsigned long long>(m_id), m_socket->bytesQueued(), static_cast<long long>(m_socket->unsentForMs()));
    Q_EMIT slowConsumer();
    // The close frame waits behind the queue; a client that never reads is cut off by close()'s
    // timer instead.
    close(limits::kCloseSlowConsumer, QStringLiteral("client too slow to read its messages"));
    return true;
}

void ConnectedClient::closeWhenAnswered(std::uint16_t code, const QString &reason)
{
    if (!isOpen() || m_closeWhenAnswered)
        return;
    m_closeWhenAnswered = PendingClose{code, reason};
    if (m_requestsInFlight == 0)
        close(code, reason);
}

void ConnectedClient::requestAnswered()
{
    m_requestsInFlight = std::max(0, m_requestsInFlight - 1);
    if (m_requestsInFlight == 0 && m_closeWhenAnswered)
        close(m_closeWhenAnswered->code, m_closeWhenAnswered->reason);
}

void ConnectedClient::close(std::uint16_t code, const QString &reason)
{
    if (!m_open || m_closing)
        return;
    m_closing = true;
    m_serverCloseCode = code;
    m_socket->close(code, reason.toStdString());
    cutOffLater();
}

// A peer that never answers the close handshake is cut off.
void ConnectedClient::cutOffLater()
{
    QTimer::singleShot(5000, this, [this] { m_socket->abort(); });
}

void ConnectedClient::onClosed()
{
    if (!m_open)
        return;
    m_open = false;
    Q_EMIT closed(this);
}

bool ConnectedClient::takeRequestToken(std::int64_t nowMs)
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

void ConnectedClient::ping(std::int64_t nowMs)
{
    m_lastPingMs = nowMs;
    if (m_open)
        m_socket->ping();
}

} // namespace chatterbox::server
