#include "server/net/hub.h"

#include "server/auth/tokens.h"
#include "server/logging.h"
#include "server/metrics.h"
#include "server/handlers/handlers.h"
#include "server/net/router.h"
#include "shared/frames.h"
#include "shared/limits.h"

#include <QWebSocket>

namespace chatterbox::server {

namespace {

constexpr std::size_t kRecentEvents = 16384;
const std::vector<std::string> kServerFeatures = {"message.sync", "message.edit", "topic.reorder"};

std::vector<std::string> commonFeatures(const std::vector<std::string> &asked)
{
    std::vector<std::string> out;
    for (const auto &f : asked) {
        if (std::find(kServerFeatures.begin(), kServerFeatures.end(), f) != kServerFeatures.end())
            out.push_back(f);
    }
    return out;
}

// The users an event lets into its party (they start following it before it is delivered).
std::vector<std::string> usersJoining(const protocol::Event &event)
{
    if (const auto *created = std::get_if<protocol::PartyCreated>(&event)) {
        std::vector<std::string> users;
        for (const auto &m : created->party.members)
            users.push_back(m.userId);
        return users;
    }
    if (const auto *joined = std::get_if<protocol::MemberJoined>(&event))
        return {joined->member.userId};
    return {};
}

// The user an event takes out of its party (it still gets this last event about it).
const std::string *userLeaving(const protocol::Event &event)
{
    if (const auto *left = std::get_if<protocol::MemberLeft>(&event))
        return &left->userId;
    return nullptr;
}

} // namespace

Hub::Hub(TokenService &tokens, Metrics &metrics, HubSettings settings, QObject *parent)
    : QObject(parent), m_tokens(tokens), m_metrics(metrics), m_settings(settings)
{
    // Check often enough that a silent peer is noticed within a few seconds of the timeout.
    const auto period = std::max<std::int64_t>(1000, std::min(m_settings.pingInterval.count(), std::int64_t(5)) * 1000 / 2);
    m_sweepTimer.setInterval(static_cast<int>(period));
    connect(&m_sweepTimer, &QTimer::timeout, this, &Hub::sweep);
    m_sweepTimer.start();
}

Hub::~Hub() = default;

Executor::EventSink Hub::eventSink()
{
    return [this](std::vector<CommittedEvent> events) {
        auto shared = std::make_shared<std::vector<CommittedEvent>>(std::move(events));
        QMetaObject::invokeMethod(this, [this, shared] { publish(*shared); }, Qt::QueuedConnection);
    };
}

bool Hub::admits(const std::string &userId) const
{
    const auto it = m_byUser.find(userId);
    return it == m_byUser.end() || static_cast<int>(it->second.size()) < m_settings.maxConnectionsPerUser;
}

void Hub::adopt(QWebSocket *socket)
{
    // The listener checked the token a moment ago; check again here, where the socket and
    // its identity are joined, rather than carrying state between the two.
    const QByteArray header = socket->request().rawHeader("Authorization");
    std::optional<AccessClaims> claims;
    if (header.startsWith("Bearer "))
        claims = m_tokens.verifyAccessToken(header.mid(7).trimmed().toStdString());
    if (!claims || !admits(claims->userId)) {
        socket->close(static_cast<QWebSocketProtocol::CloseCode>(limits::kCloseUnauthorized), QStringLiteral("unauthorized"));
        socket->deleteLater();
        return;
    }
    auto *connection = new Connection(m_nextId++, socket, *claims, m_settings.maxSendQueueBytes, this);
    m_connections.emplace(connection->id(), connection);
    m_byUser[connection->userId()].insert(connection);
    ++m_metrics.connectionsOpen;
    ++m_metrics.connectionsAccepted;
    connect(connection, &Connection::frameReceived, this, &Hub::onFrame);
    connect(connection, &Connection::closed, this, &Hub::onClosed);
    connect(connection, &Connection::slowConsumer, this, [this] { ++m_metrics.slowConsumersClosed; });
    qCDebug(lcNet, "connection %llu opened for user %s", static_cast<unsigned long long>(connection->id()),
            connection->userId().c_str());
}

void Hub::onClosed(Connection *connection)
{
    for (const auto &partyId : connection->parties) {
        auto it = m_followers.find(partyId);
        if (it != m_followers.end()) {
            it->second.erase(connection);
            if (it->second.empty())
                m_followers.erase(it);
        }
    }
    connection->parties.clear();
    auto userIt = m_byUser.find(connection->userId());
    if (userIt != m_byUser.end()) {
        userIt->second.erase(connection);
        if (userIt->second.empty())
            m_byUser.erase(userIt);
    }
    m_connections.erase(connection->id());
    --m_metrics.connectionsOpen;
    connection->deleteLater();
}

void Hub::closeAll(std::uint16_t code, const QString &reason)
{
    const auto connections = m_connections;
    for (const auto &[id, connection] : connections)
        connection->close(code, reason);
}

void Hub::sendError(Connection *connection, std::int64_t requestId, protocol::ErrorCode code, const std::string &message)
{
    ++m_metrics.requestErrors;
    connection->send(QString::fromStdString(protocol::encodeError(requestId, {code, message})));
}

void Hub::onFrame(Connection *connection, const QByteArray &frame)
{
    const std::int64_t started = monotonicMs();
    auto decoded = protocol::decodeClientFrame(std::string_view(frame.constData(), static_cast<std::size_t>(frame.size())));
    if (auto *bad = std::get_if<protocol::FrameError>(&decoded)) {
        sendError(connection, bad->id, bad->error.code, bad->error.message);
        return;
    }
    auto &request = std::get<protocol::ClientFrame>(decoded);
    if (!connection->takeRequestToken(started)) {
        if (connection->rateLimitStrikes() >= limits::kMaxRateLimitStrikes) {
            connection->close(limits::kCloseRateLimited, QStringLiteral("too many requests"));
            return;
        }
        sendError(connection, request.id, protocol::ErrorCode::RateLimited, "too many requests; slow down");
        return;
    }
    startRequest(connection, request.id, request.request);
}

void Hub::startRequest(Connection *connection, std::int64_t requestId, const protocol::Request &request)
{
    const auto *hello = std::get_if<protocol::Hello>(&request);
    if (connection->state() == Connection::State::AwaitingHello && !hello) {
        sendError(connection, requestId, protocol::ErrorCode::NotReady, "send hello first");
        return;
    }
    if (hello && connection->state() != Connection::State::AwaitingHello) {
        sendError(connection, requestId, protocol::ErrorCode::InvalidRequest, "hello was already sent on this connection");
        return;
    }
    if (connection->state() == Connection::State::Loading) {
        sendError(connection, requestId, protocol::ErrorCode::NotReady, "wait for the reply to hello");
        return;
    }
    const RequestContext context{connection->userId()};
    if (hello) {
        if (hello->protocol != limits::kProtocolVersion) {
            sendError(connection, requestId, protocol::ErrorCode::ProtocolMismatch,
                      "this server speaks protocol " + std::to_string(limits::kProtocolVersion));
            return;
        }
        connection->setState(Connection::State::Loading);
        m_executor->read([context, features = commonFeatures(hello->features)](pqxx::transaction_base &tx) {
            return handlers::ready(tx, context, features);
        }, reply(connection->id(), requestId, true));
        return;
    }
    Route route = routeRequest(request, context);
    auto done = reply(connection->id(), requestId, false);
    if (route.kind == RouteKind::Write)
        m_executor->write(std::move(route.work), std::move(done));
    else
        m_executor->read(std::move(route.work), std::move(done));
}

Executor::Done Hub::reply(quint64 connectionId, std::int64_t requestId, bool hello)
{
    const std::int64_t started = monotonicMs();
    return [this, connectionId, requestId, hello, started](Outcome outcome) {
        auto shared = std::make_shared<Outcome>(std::move(outcome));
        QMetaObject::invokeMethod(this, [this, connectionId, requestId, hello, started, shared] {
            if (hello)
                finishHello(connectionId, requestId, *shared, started);
            else
                finishRequest(connectionId, requestId, *shared, started);
        }, Qt::QueuedConnection);
    };
}

void Hub::finishRequest(quint64 connectionId, std::int64_t requestId, const Outcome &outcome, std::int64_t startedMs)
{
    ++m_metrics.requests;
    m_metrics.observeRequest(static_cast<double>(monotonicMs() - startedMs) / 1000.0);
    const auto it = m_connections.find(connectionId);
    if (it == m_connections.end())
        return; // the client went away; its change (if any) is committed and was published
    if (!outcome.ok()) {
        sendError(it->second, requestId, outcome.error->code, outcome.error->message);
        return;
    }
    it->second->send(QString::fromStdString(protocol::encodeResult(requestId, outcome.result)));
}

void Hub::finishHello(quint64 connectionId, std::int64_t requestId, const Outcome &outcome, std::int64_t startedMs)
{
    const auto it = m_connections.find(connectionId);
    if (it == m_connections.end())
        return;
    Connection *connection = it->second;
    if (!outcome.ok() || !outcome.snapshot) {
        connection->setState(Connection::State::AwaitingHello);
        finishRequest(connectionId, requestId, outcome, startedMs);
        return;
    }
    const Snapshot &snapshot = *outcome.snapshot;
    if (snapshot.eventId < m_evictedUpTo) {
        // So much happened while the snapshot was read that the events after it are gone
        // from memory: the client must ask again.
        connection->setState(Connection::State::AwaitingHello);
        sendError(connection, requestId, protocol::ErrorCode::Unavailable, "the server is busy; send hello again");
        return;
    }
    connection->snapshotEventId = snapshot.eventId;
    for (const auto &partyId : snapshot.partyIds)
        follow(connection, partyId);
    connection->setState(Connection::State::Ready);
    finishRequest(connectionId, requestId, outcome, startedMs);
    // Whatever committed after the snapshot and already went out to others.
    for (const auto &event : m_recent) {
        if (event->id > snapshot.eventId && connection->isOpen())
            deliver(connection, *event, QString::fromStdString(event->frame));
    }
}

void Hub::follow(Connection *connection, const std::string &partyId)
{
    connection->parties.insert(partyId);
    m_followers[partyId].insert(connection);
}

void Hub::unfollow(Connection *connection, const std::string &partyId)
{
    connection->parties.erase(partyId);
    auto it = m_followers.find(partyId);
    if (it != m_followers.end()) {
        it->second.erase(connection);
        if (it->second.empty())
            m_followers.erase(it);
    }
}

// One event to one connection: the same rules whether it is live or replayed after a snapshot.
void Hub::deliver(Connection *connection, const CommittedEvent &event, const QString &frame)
{
    if (event.id <= connection->snapshotEventId)
        return;
    for (const auto &userId : usersJoining(event.event)) {
        if (userId == connection->userId())
            follow(connection, event.partyId);
    }
    if (!connection->parties.count(event.partyId))
        return;
    if (connection->send(frame))
        ++m_metrics.eventsDelivered;
    const std::string *leaving = userLeaving(event.event);
    if ((leaving && *leaving == connection->userId()) || std::holds_alternative<protocol::PartyDeleted>(event.event))
        unfollow(connection, event.partyId);
}

void Hub::publish(const std::vector<CommittedEvent> &events)
{
    for (const auto &committed : events) {
        auto event = std::make_shared<const CommittedEvent>(committed);
        m_recent.push_back(event);
        while (m_recent.size() > kRecentEvents) {
            m_evictedUpTo = m_recent.front()->id;
            m_recent.pop_front();
        }
        if (std::holds_alternative<protocol::MessageCreated>(event->event))
            ++m_metrics.messagesStored;

        // Everyone following the party, and the ready connections of anyone this event lets in.
        std::vector<Connection *> targets;
        if (const auto it = m_followers.find(event->partyId); it != m_followers.end())
            targets.assign(it->second.begin(), it->second.end());
        for (const auto &userId : usersJoining(event->event)) {
            if (const auto it = m_byUser.find(userId); it != m_byUser.end()) {
                for (Connection *c : it->second) {
                    if (c->state() == Connection::State::Ready && !c->parties.count(event->partyId))
                        targets.push_back(c);
                }
            }
        }
        if (targets.empty())
            continue;
        const QString frame = QString::fromStdString(event->frame);
        for (Connection *connection : targets) {
            if (connection->isOpen() && connection->state() == Connection::State::Ready)
                deliver(connection, *event, frame);
        }
    }
}

void Hub::sweep()
{
    const std::int64_t now = monotonicMs();
    const std::int64_t idleMs = std::chrono::duration_cast<std::chrono::milliseconds>(m_settings.idleTimeout).count();
    const std::int64_t pingMs = std::chrono::duration_cast<std::chrono::milliseconds>(m_settings.pingInterval).count();
    std::vector<Connection *> silent;
    for (const auto &[id, connection] : m_connections) {
        if (now - connection->lastHeardMs() >= idleMs)
            silent.push_back(connection);
        else if (now - connection->lastPingMs() >= pingMs)
            connection->ping(now);
    }
    for (Connection *connection : silent) {
        qCInfo(lcNet, "closing connection %llu: silent for %lld s", static_cast<unsigned long long>(connection->id()),
               static_cast<long long>(idleMs / 1000));
        connection->close(limits::kCloseIdleTimeout, QStringLiteral("no pong within the idle timeout"));
    }
}

} // namespace chatterbox::server
