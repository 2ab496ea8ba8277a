#pragma once

#include "server/db/executor.h"
#include "server/net/connection.h"
#include "shared/requests.h"

#include <QObject>
#include <QTimer>

#include <chrono>
#include <deque>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>

class QWebSocket;

namespace chatterbox::server {

class Metrics;
class TokenService;

struct HubSettings {
    std::chrono::seconds pingInterval{25};
    std::chrono::seconds idleTimeout{60};
    int maxConnectionsPerUser = 20;
    std::size_t maxSendQueueBytes = 4 * 1024 * 1024;
};

// The network side: every open connection, which parties each one follows, requests sent to
// the database threads and their replies, and committed events fanned out to members.
// Lives on the network thread; the executor's callbacks are posted here.
class Hub final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Hub)

public:
    Hub(TokenService &tokens, Metrics &metrics, HubSettings settings, QObject *parent = nullptr);
    ~Hub() override;

    void attach(Executor *executor) { m_executor = executor; }
    // An event sink for the executor that posts committed events to this hub's thread.
    Executor::EventSink eventSink();

    // A freshly upgraded socket whose token the listener already checked.
    void adopt(QWebSocket *socket);
    bool admits(const std::string &userId) const;
    void closeAll(std::uint16_t code, const QString &reason);
    std::size_t connectionCount() const { return m_connections.size(); }

    // Called on the network thread, in commit order.
    void publish(const std::vector<CommittedEvent> &events);

private:
    void onFrame(Connection *connection, const QByteArray &frame);
    void onClosed(Connection *connection);
    void startRequest(Connection *connection, std::int64_t requestId, const protocol::Request &request);
    void finishRequest(quint64 connectionId, std::int64_t requestId, const Outcome &outcome, std::int64_t startedMs);
    void finishHello(quint64 connectionId, std::int64_t requestId, const Outcome &outcome, std::int64_t startedMs);
    void sendError(Connection *connection, std::int64_t requestId, protocol::ErrorCode code, const std::string &message);
    void deliver(Connection *connection, const CommittedEvent &event, const QString &frame);
    void follow(Connection *connection, const std::string &partyId);
    void unfollow(Connection *connection, const std::string &partyId);
    void sweep();
    // Posts a callback from a database thread to this hub.
    Executor::Done reply(quint64 connectionId, std::int64_t requestId, bool hello);

    TokenService &m_tokens;
    Metrics &m_metrics;
    const HubSettings m_settings;
    Executor *m_executor = nullptr;
    quint64 m_nextId = 1;
    std::unordered_map<quint64, Connection *> m_connections;
    std::unordered_map<std::string, std::unordered_set<Connection *>> m_byUser;
    std::unordered_map<std::string, std::unordered_set<Connection *>> m_followers; // party -> connections
    // Recent events, so a connection whose snapshot was taken a moment ago gets what followed it.
    std::deque<std::shared_ptr<const CommittedEvent>> m_recent;
    std::int64_t m_evictedUpTo = 0;
    QTimer m_sweepTimer;
};

} // namespace chatterbox::server
