// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/net/hub.h"

#include "server/auth/tokens.h"
#include "server/handlers/handlers.h"
#include "server/logging.h"
#include "server/metrics.h"
#include "server/net/router.h"
#include "shared/frames.h"
#include "shared/limits.h"

#include <QDateTime>

#ifdef __GLIBC__
#include <malloc.h>
#endif

// Connections and requests. Events and presence are in hubevents.cpp.
namespace chatterbox::server {

namespace {

// Requests a client may pipeline after hello before its reply (the rate limit's burst).
constexpr std::size_t kMaxHeldUntilReady = 60;

} // namespace

Hub::Hub(TokenService &tokens, Metrics &metrics, ConnectionQuota &quota, HubSettings settings, QObject *parent)
    : QObject(parent)
    , m_tokens(tokens)
    , m_metrics(metrics)
    , m_quota(quota)
    , m_settings(std::move(settings))
    , m_feed([this](std::vector<CommittedEvent> events) { m_fanout.publish(std::move(events)); },
             [this](std::int64_t afterId) { fetchEvents(afterId); })
    , m_fanout(metrics, m_byUser)
    , m_typing(1.0, limits::kTypingIntervalSeconds)
    , m_reactions(limits::kReactionBurst, 1.0 / limits::kReactionsPerSecond)
    , m_searches(limits::kSearchBurst, 1.0 / limits::kSearchesPerSecond)
    , m_directOpens(limits::kDirectOpenBurst, limits::kDirectOpenRefillSeconds)
{
    // Presence is the hub's: someone let into a party hears who of its members is here, and its
    // members hear whether the newcomer is.
    m_fanout.joinedParty = [this](ConnectedClient *connection, const protocol::Party &party) { sendPresenceOf(connection, party); };
    m_fanout.memberJoined = [this](const std::string &userId, const std::string &partyId) {
        const auto status = m_presence.of(userId);
        if (status != protocol::Presence::Offline)
            announcePresence(userId, status, {partyId});
    };
    // Check often enough that a silent peer is noticed within a few seconds of the timeout.
    const auto period = std::max<std::int64_t>(1000, std::min(m_settings.pingInterval.count(), std::int64_t(5)) * 1000 / 2);
    m_sweepTimer.setInterval(static_cast<int>(period));
    connect(&m_sweepTimer, &QTimer::timeout, this, &Hub::sweep);
    m_sweepTimer.start();
    m_eventPoll.setInterval(static_cast<int>(m_settings.eventPollInterval.count()));
    connect(&m_eventPoll, &QTimer::timeout, this, [this] { m_feed.poll(); });
}

Hub::~Hub() = default;

Executor::EventSink Hub::eventSink()
{
    return [this](std::vector<CommittedEvent> events) {
        auto shared = std::make_shared<std::vector<CommittedEvent>>(std::move(events));
        QMetaObject::invokeMethod(this, [this, shared] { committedHere(std::move(*shared)); }, Qt::QueuedConnection);
    };
}

void Hub::startEvents(std::int64_t lastEventId)
{
    m_feed.start(lastEventId);
    m_fanout.recent().startAfter(lastEventId);
    m_eventPoll.start();
}

void Hub::adopt(std::unique_ptr<SocketEnd> socket, AccessClaims claims)
{
    auto *connection = new ConnectedClient(m_nextId++, std::move(socket), std::move(claims), m_settings.slowConsumer, this);
    m_connections.emplace(connection->id(), connection);
    m_byUser[connection->userId()].insert(connection);
    ++m_metrics.connectionsOpen;
    ++m_metrics.connectionsAccepted;
    connect(connection, &ConnectedClient::frameReceived, this, &Hub::onFrame);
    connect(connection, &ConnectedClient::closed, this, &Hub::onClosed);
    connect(connection, &ConnectedClient::slowConsumer, this, [this] { ++m_metrics.slowConsumersClosed; });
    qCDebug(lcNet, "connection %llu opened for user %s", static_cast<unsigned long long>(connection->id()),
            connection->userId().c_str());
    // An upgrade that finished while the server is stopping gets the same goodbye at once.
    if (m_draining)
        connection->closeWhenAnswered(m_draining->code, m_draining->reason);
}

void Hub::onClosed(ConnectedClient *connection)
{
    m_metrics.countClose(connection->serverCloseCode() ? *connection->serverCloseCode() : -1);
    const std::vector<std::string> parties(connection->parties.begin(), connection->parties.end());
    if (connection->state() == ConnectedClient::State::Ready) {
        const auto change = m_presence.set(connection->userId(), connection->id(), protocol::Presence::Offline);
        if (change.here && m_cluster)
            m_cluster->presenceChanged(connection->userId(), *change.here);
        if (change.overall)
            announcePresence(connection->userId(), *change.overall, parties);
    }
    m_fanout.followers().forget(connection);
    auto userIt = m_byUser.find(connection->userId());
    if (userIt != m_byUser.end()) {
        userIt->second.erase(connection);
        if (userIt->second.empty())
            m_byUser.erase(userIt);
    }
    m_connections.erase(connection->id());
    m_quota.giveBack(connection->userId());
    --m_metrics.connectionsOpen;
    connection->deleteLater();
}

void Hub::closeAllWhenAnswered(std::uint16_t code, const QString &reason)
{
    m_draining = PendingCloseAll{code, reason};
    const auto connections = m_connections;
    for (const auto &[id, connection] : connections)
        connection->closeWhenAnswered(code, reason);
}

void Hub::closeFamily(const std::string &familyId)
{
    const auto connections = m_connections;
    for (const auto &[id, connection] : connections) {
        if (connection->familyId() == familyId)
            connection->close(limits::kCloseUnauthorized, QStringLiteral("signed out"));
    }
}

namespace {

const char *typeOf(const protocol::Request &request)
{
    return std::visit([](const auto &r) -> const char * {
        using T = std::decay_t<decltype(r)>;
        if constexpr (requires { T::kType; })
            return T::kType;
        else
            return "(other)";
    }, request);
}

} // namespace

void Hub::refuse(ConnectedClient *connection, std::int64_t requestId, const protocol::Request &request, protocol::ErrorCode code,
                 const std::string &message)
{
    m_metrics.countRequest(typeOf(request), protocol::errorCodeName(code));
    sendError(connection, requestId, code, message);
}

void Hub::sendError(ConnectedClient *connection, std::int64_t requestId, protocol::ErrorCode code, const std::string &message)
{
    ++m_metrics.requestErrors;
    connection->send(ws::textFrame(protocol::encodeError(requestId, {code, message})));
}

void Hub::sendResult(ConnectedClient *connection, std::int64_t requestId, const protocol::Reply &result)
{
    connection->send(ws::textFrame(protocol::encodeResult(requestId, result)));
}

void Hub::onFrame(ConnectedClient *connection, const QByteArray &frame)
{
    if (!connection->takesRequests())
        return;   // closing once what it already asked is answered
    auto decoded = protocol::decodeClientFrame(std::string_view(frame.constData(), static_cast<std::size_t>(frame.size())));
    if (auto *bad = std::get_if<protocol::FrameError>(&decoded)) {
        m_metrics.countRequest("(unreadable)", protocol::errorCodeName(bad->error.code));
        sendError(connection, bad->id, bad->error.code, bad->error.message);
        return;
    }
    auto &request = std::get<protocol::ClientFrame>(decoded);
    if (!connection->takeRequestToken(monotonicMs())) {
        if (connection->rateLimitStrikes() >= limits::kMaxRateLimitStrikes) {
            // What it was already promised (an accepted send) still gets its answer.
            connection->closeWhenAnswered(limits::kCloseRateLimited, QStringLiteral("too many requests"));
            return;
        }
        refuse(connection, request.id, request.request, protocol::ErrorCode::RateLimited, "too many requests; slow down");
        return;
    }
    startRequest(connection, request.id, request.request);
}

void Hub::releaseInviteBudget(const Pending &pending, bool codeWasGood)
{
    // Look-ups that waited for this one's budget try again, in the order they came, once this
    // reply is out of the way.
    auto parked = m_inviteLookups.finish(*pending.inviteTicket, codeWasGood);
    if (parked.empty())
        return;
    QMetaObject::invokeMethod(this, [this, parked = std::move(parked)] {
        for (const auto &p : parked) {
            const auto it = m_connections.find(p.connectionId);
            if (it == m_connections.end())
                continue;
            ConnectedClient *connection = it->second;
            startRequest(connection, p.requestId, p.request);
            connection->requestAnswered();   // the park is over; the request counts on its own now
        }
    }, Qt::QueuedConnection);
}

void Hub::startRequest(ConnectedClient *connection, std::int64_t requestId, const protocol::Request &request)
{
    const auto *hello = std::get_if<protocol::Hello>(&request);
    if (connection->state() == ConnectedClient::State::AwaitingHello && !hello) {
        refuse(connection, requestId, request, protocol::ErrorCode::NotReady, "send hello first");
        return;
    }
    if (hello && connection->state() != ConnectedClient::State::AwaitingHello) {
        refuse(connection, requestId, request, protocol::ErrorCode::InvalidRequest, "hello was already sent on this connection");
        return;
    }
    if (connection->state() == ConnectedClient::State::Loading) {
        // Pipelined after hello: served once the ready snapshot is out, in order, so that it is
        // answered the same whether or not the snapshot was read quickly.
        if (connection->heldUntilReady.size() < kMaxHeldUntilReady) {
            connection->heldUntilReady.push_back({requestId, request});
            connection->requestStarted();
        } else {
            refuse(connection, requestId, request, protocol::ErrorCode::NotReady, "wait for the reply to hello");
        }
        return;
    }
    const RequestContext context{connection->userId(), m_baseUrl};
    Route route = routeRequest(request, context);
    if (route.kind == RouteKind::Hub)
        return answerFromLiveState(connection, requestId, request);
    Pending pending;
    pending.connectionId = connection->id();
    pending.requestId = requestId;
    pending.startedMs = monotonicMs();
    pending.type = typeOf(request);
    if (hello) {
        if (hello->protocol != limits::kProtocolVersion) {
            refuse(connection, requestId, request, protocol::ErrorCode::ProtocolMismatch,
                   "this server speaks protocol " + std::to_string(limits::kProtocolVersion));
            return;
        }
        connection->setState(ConnectedClient::State::Loading);
        pending.hello = true;
    }
    if (!passesThrottle(route.throttle, connection, requestId, request, pending))
        return;
    auto done = reply(std::move(pending));
    if (route.combinable)
        m_executor->write(connection->userId(), std::move(*route.combinable), std::move(done));
    else if (route.kind == RouteKind::Write)
        m_executor->write(connection->userId(), std::move(route.work), std::move(done));
    else
        m_executor->read(std::move(route.work), std::move(done));
}

void Hub::answerFromLiveState(ConnectedClient *connection, std::int64_t requestId, const protocol::Request &request)
{
    if (const auto *renew = std::get_if<protocol::RenewAccess>(&request)) {
        // Checked as the upgrade checks a token, and it must be the same person's same sign-in:
        // a connection cannot be handed over to someone else, or to another sign-in.
        const auto claims = m_tokens.verifyAccessToken(renew->accessToken);
        if (!claims || claims->userId != connection->userId() || claims->familyId != connection->familyId()) {
            refuse(connection, requestId, request, protocol::ErrorCode::InvalidRequest,
                "that access token is not a valid one of this connection's sign-in");
            return;
        }
        connection->renewAccess(claims->expiresAt);
        m_metrics.countRequest(typeOf(request), "ok");
        sendResult(connection, requestId, protocol::RenewedAccess{connection->expiresAt() * 1000});
    } else if (const auto *presence = std::get_if<protocol::SetPresence>(&request)) {
        setPresence(connection, presence->status);
        m_metrics.countRequest(typeOf(request), "ok");
        sendResult(connection, requestId, protocol::Empty{});
    } else {
        refuse(connection, requestId, request, protocol::ErrorCode::Internal, "no live-state answer for this request");
    }
}

bool Hub::passesThrottle(ThrottleKind throttle, ConnectedClient *connection, std::int64_t requestId, const protocol::Request &request,
                         Pending &pending)
{
    switch (throttle) {
    case ThrottleKind::None:
        return true;
    case ThrottleKind::Typing: {
        // Within the interval, the earlier typing event still stands: nothing to send.
        const auto &typing = std::get<protocol::StartTyping>(request);
        if (m_typing.take(connection->userId() + '/' + typing.topicId, monotonicMs()))
            return true;
        sendResult(connection, requestId, protocol::Empty{});
        return false;
    }
    case ThrottleKind::Reaction:
        if (m_reactions.take(connection->userId(), monotonicMs()))
            return true;
        refuse(connection, requestId, request, protocol::ErrorCode::RateLimited, "too many reactions at once; wait a moment");
        return false;
    case ThrottleKind::Search:
        if (m_searches.take(connection->userId(), monotonicMs()))
            return true;
        refuse(connection, requestId, request, protocol::ErrorCode::RateLimited, "too many searches at once; wait a moment");
        return false;
    case ThrottleKind::DirectOpen:
        if (m_directOpens.take(connection->userId(), monotonicMs()))
            return true;
        refuse(connection, requestId, request, protocol::ErrorCode::RateLimited, "too many conversations started at once; wait a moment");
        return false;
    case ThrottleKind::InviteLookup: {
        const auto start = m_inviteLookups.start(connection->userId(), connection->address(), monotonicMs(),
                                                 {connection->id(), requestId, request});
        if (start.verdict == InviteLookups::Verdict::Go) {
            pending.inviteTicket = start.ticket;
            return true;
        }
        if (start.verdict == InviteLookups::Verdict::Parked) {
            connection->requestStarted();   // answered when it has run
            return false;
        }
        ++m_metrics.inviteLookupsThrottled;
        refuse(connection, requestId, request, protocol::ErrorCode::RateLimited,
               "too many invite codes that did not work; wait a minute before trying another");
        return false;
    }
    }
    return true;
}

Executor::Done Hub::reply(Pending pending)
{
    if (const auto it = m_connections.find(pending.connectionId); it != m_connections.end())
        it->second->requestStarted();
    return [this, pending = std::move(pending)](Outcome outcome) {
        auto shared = std::make_shared<Outcome>(std::move(outcome));
        QMetaObject::invokeMethod(this, [this, pending, shared] { finish(pending, *shared); }, Qt::QueuedConnection);
    };
}

void Hub::finish(const Pending &pending, Outcome &outcome)
{
    ++m_metrics.requests;
    m_metrics.observeRequest(static_cast<double>(monotonicMs() - pending.startedMs) / 1000.0);
    m_metrics.countRequest(pending.type, outcome.ok() ? std::string_view("ok") : protocol::errorCodeName(outcome.error->code));
    if (pending.inviteTicket) {
        if (!outcome.ok() && outcome.error->code == protocol::ErrorCode::NotFound)
            ++m_metrics.inviteLookupsFailed;
        releaseInviteBudget(pending, outcome.ok());
    }
    for (const auto &event : outcome.ephemeral) {
        deliverEphemeral(event);
        if (m_cluster)
            m_cluster->ephemeral(event);
    }
    const auto it = m_connections.find(pending.connectionId);
    if (it == m_connections.end())
        return; // the client went away; its change (if any) is committed and was published
    ConnectedClient *connection = it->second;
    answer(connection, pending, outcome);
    connection->requestAnswered();
}

void Hub::answer(ConnectedClient *connection, const Pending &pending, Outcome &outcome)
{
    if (pending.hello)
        return finishHello(connection, pending, outcome);
    if (!outcome.ok())
        return sendError(connection, pending.requestId, outcome.error->code, outcome.error->message);
    if (auto *joined = std::get_if<protocol::JoinedParty>(&outcome.result))
        joined->presence = presenceOfMembers({joined->party});
    // A search read its parties when it started; one the person left (or was removed from)
    // since, as this connection has already been told, shows nothing.
    if (auto *found = std::get_if<protocol::SearchResults>(&outcome.result))
        std::erase_if(found->results, [&](const protocol::SearchHit &hit) { return !connection->parties.contains(hit.message.partyId); });
    sendResult(connection, pending.requestId, outcome.result);
}

void Hub::finishHello(ConnectedClient *connection, const Pending &pending, Outcome &outcome)
{
    if (!outcome.ok() || !outcome.snapshot) {
        connection->setState(ConnectedClient::State::AwaitingHello);
        if (outcome.error)
            sendError(connection, pending.requestId, outcome.error->code, outcome.error->message);
        refuseHeld(connection);
        return;
    }
    const Snapshot &snapshot = *outcome.snapshot;
    if (!m_fanout.recent().covers(snapshot.eventId)) {
        // So much happened while the snapshot was read that the events after it are gone
        // from memory: the client must ask again.
        connection->setState(ConnectedClient::State::AwaitingHello);
        sendError(connection, pending.requestId, protocol::ErrorCode::Unavailable, "the server is busy; send hello again");
        refuseHeld(connection);
        return;
    }
    connection->snapshotEventId = snapshot.eventId;
    for (const auto &partyId : snapshot.partyIds)
        m_fanout.followers().follow(connection, partyId);
    connection->setState(ConnectedClient::State::Ready);
    // The reply comes first: events start after it (protocol.md), the person's own coming online
    // included. The snapshot already shows them online.
    auto &ready = std::get<protocol::Ready>(outcome.result);
    ready.presence = presenceOfMembers(ready.parties);
    if (!ready.parties.empty()) {
        // Online, as this connection makes them, unless another of their connections asked not
        // to be disturbed: that stays (PresenceBook ranks it first).
        const bool dnd = m_presence.of(connection->userId()) == protocol::Presence::DoNotDisturb;
        std::erase_if(ready.presence, [&](const auto &p) { return p.first == connection->userId(); });
        ready.presence.emplace_back(connection->userId(), dnd ? protocol::Presence::DoNotDisturb : protocol::Presence::Online);
    }
    sendResult(connection, pending.requestId, outcome.result);
    setPresence(connection, protocol::Presence::Online);
    // Whatever committed after the snapshot and already went out to others.
    m_fanout.replay(connection, snapshot.eventId);
    for (auto &held : std::exchange(connection->heldUntilReady, {})) {
        startRequest(connection, held.first, held.second);
        connection->requestAnswered();   // held no more; it counts on its own now
    }
}

void Hub::refuseHeld(ConnectedClient *connection)
{
    for (auto &held : std::exchange(connection->heldUntilReady, {})) {
        sendError(connection, held.first, protocol::ErrorCode::NotReady, "hello failed; send hello again");
        connection->requestAnswered();
    }
}

void Hub::sweep()
{
    const std::int64_t now = monotonicMs();
    const std::int64_t idleMs = std::chrono::duration_cast<std::chrono::milliseconds>(m_settings.idleTimeout).count();
    const std::int64_t pingMs = std::chrono::duration_cast<std::chrono::milliseconds>(m_settings.pingInterval).count();
    // An access token that expires on an open connection ends it with a code the app knows: it
    // refreshes its token and reconnects. Checked here rather than with a timer per connection:
    // Qt keeps timers in a sorted list, and thousands of them made every new one slow to add.
    const std::int64_t nowSeconds = QDateTime::currentSecsSinceEpoch();
    std::vector<ConnectedClient *> silent;
    std::vector<ConnectedClient *> expired;
    std::vector<ConnectedClient *> behind;
    for (const auto &[id, connection] : m_connections) {
        if (!connection->isOpen())
            continue;   // already closing: judged, and logged, once
        if (connection->socketUnsentForMs() > 0)
            behind.push_back(connection);
        if (connection->expiresAt() <= nowSeconds)
            expired.push_back(connection);
        else if (now - connection->lastHeardMs() >= idleMs)
            silent.push_back(connection);
        else if (now - connection->lastPingMs() >= pingMs)
            connection->ping(now);
    }
    for (ConnectedClient *connection : behind)
        connection->closeIfNotReading();
    for (ConnectedClient *connection : expired)
        connection->close(limits::kCloseUnauthorized, QStringLiteral("access token expired"));
    for (ConnectedClient *connection : silent) {
        qCInfo(lcNet, "closing connection %llu: silent for %lld s", static_cast<unsigned long long>(connection->id()),
               static_cast<long long>(idleMs / 1000));
        connection->close(limits::kCloseIdleTimeout, QStringLiteral("no pong within the idle timeout"));
    }
    m_inviteLookups.prune(now);
    m_typing.prune(now);
    m_reactions.prune(now);
    m_searches.prune(now);
    returnFreedMemory(now);
}

// The C library keeps freed memory for reuse; after many connections leave it would keep it
// for good. Hand it back to the system when a quarter of the connections left, and every 30 s.
void Hub::returnFreedMemory(std::int64_t nowMs)
{
#ifdef __GLIBC__
    const std::size_t open = m_connections.size();
    m_connectionsPeak = std::max(m_connectionsPeak, open);
    if (open * 4 > m_connectionsPeak * 3 && nowMs - m_lastTrimMs < 30000)
        return;
    malloc_trim(0);
    m_lastTrimMs = nowMs;
    m_connectionsPeak = open;
#else
    Q_UNUSED(nowMs);
#endif
}

} // namespace chatterbox::server
