// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/auth/tokens.h"
#include "server/net/slowconsumer.h"
#include "server/net/socketend.h"
#include "shared/requests.h"
#include "shared/types.h"

#include <QByteArray>
#include <QObject>
#include <QString>

#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <vector>
#include <string>
#include <unordered_set>

namespace chatterbox::server {

// One client's WebSocket: its identity, where it is in the protocol, its rate budget, and the
// parties whose events it receives. The hub decides what to do with its frames.
class ConnectedClient final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectedClient)

public:
    enum class State { AwaitingHello, Loading, Ready };

    ConnectedClient(quint64 id, std::unique_ptr<SocketEnd> socket, AccessClaims claims, SlowConsumerRule slowConsumerRule,
               QObject *parent = nullptr);
    ~ConnectedClient() override;

    quint64 id() const { return m_id; }
    const std::string &userId() const { return m_claims.userId; }
    const std::string &familyId() const { return m_claims.familyId; }
    const std::string &address() const { return m_address; }
    State state() const { return m_state; }
    void setState(State state) { m_state = state; }

    // Queues a frame (shared, not copied: encode once, send to many). Returns false when the
    // connection is closing (it may close now, when the client is too slow to read).
    bool send(const ws::Frame &frame);
    // Closes with 4003 when the client leaves what it was sent unread too long (SlowConsumerRule);
    // the hub asks on every sweep, as well as on every send. True when it closed.
    bool closeIfNotReading();
    std::int64_t socketUnsentForMs() const { return m_socket->unsentForMs(); }
    void close(std::uint16_t code, const QString &reason);
    // The code the server closed it with; nothing when the client (or the network) ended it.
    std::optional<std::uint16_t> serverCloseCode() const { return m_serverCloseCode; }
    bool isOpen() const { return m_open && !m_closing; }
    // Takes no more requests, sends the replies to those already taken, then closes: what a
    // client was told it may rely on (an accepted send) is never left unanswered.
    void closeWhenAnswered(std::uint16_t code, const QString &reason);
    bool takesRequests() const { return isOpen() && !m_closeWhenAnswered; }
    // Requests taken and not yet answered (on the database threads, or waiting for budget).
    void requestStarted() { ++m_requestsInFlight; }
    void requestAnswered();
    int requestsInFlight() const { return m_requestsInFlight; }

    // Token bucket: true when the request may proceed.
    bool takeRequestToken(std::int64_t nowMs);
    int rateLimitStrikes() const { return m_strikes; }

    std::int64_t lastHeardMs() const { return m_lastHeardMs; }
    std::int64_t lastPingMs() const { return m_lastPingMs; }
    void ping(std::int64_t nowMs);
    // Seconds since the epoch when the access token it was opened with expires.
    std::int64_t expiresAt() const { return m_expiresAt; }
    // session.renew: the sign-in's newer token, checked by the hub, expires later.
    void renewAccess(std::int64_t expiresAt) { m_expiresAt = std::max(m_expiresAt, expiresAt); }

    // Events with ids up to this are already in the snapshot the client was given.
    std::int64_t snapshotEventId = 0;
    std::unordered_set<std::string> parties;
    // Requests that came after hello, before its reply went out: served right after it.
    std::vector<std::pair<std::int64_t, protocol::Request>> heldUntilReady;
    // What the app last reported (online until it says idle).
    protocol::Presence presence = protocol::Presence::Online;

Q_SIGNALS:
    void frameReceived(chatterbox::server::ConnectedClient *connection, const QByteArray &frame);
    void closed(chatterbox::server::ConnectedClient *connection);
    void slowConsumer();

private:
    void onClosed();
    void cutOffLater();

    const quint64 m_id;
    std::unique_ptr<SocketEnd> m_socket;
    const AccessClaims m_claims;
    const SlowConsumerRule m_slowConsumer;
    const std::string m_address;
    State m_state = State::AwaitingHello;
    bool m_open = true;
    bool m_closing = false;
    double m_tokens;
    std::int64_t m_lastRefillMs;
    int m_strikes = 0;
    int m_requestsInFlight = 0;
    std::int64_t m_expiresAt = m_claims.expiresAt;
    struct PendingClose {
        std::uint16_t code;
        QString reason;
    };
    std::optional<PendingClose> m_closeWhenAnswered;
    std::optional<std::uint16_t> m_serverCloseCode;
    std::int64_t m_lastHeardMs;
    std::int64_t m_lastPingMs;
};

std::int64_t monotonicMs();

} // namespace chatterbox::server
