// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/db/clusterlink.h"
#include "server/db/executor.h"
#include "server/net/slowconsumer.h"
#include "server/net/connectedclient.h"
#include "server/net/connectionquota.h"
#include "server/net/eventfeed.h"
#include "server/net/presencebook.h"
#include "server/net/invitelookups.h"
#include "server/net/eventfanout.h"
#include "server/net/router.h"
#include "server/net/throttle.h"
#include "shared/requests.h"

#include <QObject>
#include <QTimer>

#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace chatterbox::server {

class Metrics;
class TokenService;

struct HubSettings {
    std::chrono::seconds pingInterval{25};
    std::chrono::seconds idleTimeout{60};
    SlowConsumerRule slowConsumer;
    // The backstop for a lost wake-up from another instance: the change log is read this often.
    std::chrono::milliseconds eventPollInterval{2000};
};

// The network side: every open connection, which parties each one follows, requests sent to
// the database threads and their replies, committed events fanned out to members, and the live
// state that is never stored (presence, typing).
// Lives on the network thread; the executor's callbacks are posted here.
class Hub final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Hub)

public:
    // `quota` is the per-person connection count, taken where upgrades are accepted; the hub
    // gives it back when a connection ends.
    Hub(TokenService &tokens, Metrics &metrics, ConnectionQuota &quota, HubSettings settings, QObject *parent = nullptr);
    ~Hub() override;

    void attach(Executor *executor) { m_executor = executor; }
    // The other instances on the same database; without it this instance is alone.
    void attachCluster(ClusterLink *cluster) { m_cluster = cluster; }
    // Starts delivering events after `lastEventId`, the change log's newest at start.
    void startEvents(std::int64_t lastEventId);
    // The public HTTP base URL, for the invite links handlers make.
    void setBaseUrl(std::string baseUrl) { m_baseUrl = std::move(baseUrl); }
    // An event sink for the executor that posts committed events to this hub's thread.
    Executor::EventSink eventSink();

    // A socket just upgraded, for a person checked (a valid token, and a share of the quota
    // taken for it).
    void adopt(std::unique_ptr<SocketEnd> socket, AccessClaims claims);
    // A clean stop: every connection takes no more requests, gets the replies to those it sent
    // (the writes in flight finish), then closes with `code`.
    void closeAllWhenAnswered(std::uint16_t code, const QString &reason);
    // A sign-in was revoked (sign-out, or a stolen refresh token): its connections end now.
    void closeFamily(const std::string &familyId);
    std::size_t connectionCount() const { return m_connections.size(); }

    // Events committed through this instance (called on the network thread, in commit order).
    void committedHere(std::vector<CommittedEvent> events);

    // From the other instances, through the ClusterLink (called on the network thread).
    void clusterListening(const std::vector<InstancePresence> &everyoneElsewhere);
    void committedElsewhere(std::int64_t upTo);
    void presenceElsewhere(const InstancePresence &changes);
    void instanceGone(const std::string &instanceId);
    void ephemeralElsewhere(const PartyEvent &event);

private:
    // A request on its way to a database thread, and what to do when it comes back.
    struct Pending {
        quint64 connectionId = 0;
        std::int64_t requestId = 0;
        std::int64_t startedMs = 0;
        const char *type = "";   // its protocol name, for the metrics
        bool hello = false;
        std::optional<InviteBudget::Ticket> inviteTicket;   // invite look-ups: given back when done
    };

    void onFrame(ConnectedClient *connection, const QByteArray &frame);
    // An error answer to a request that never reached a database thread, counted by its type.
    void refuse(ConnectedClient *connection, std::int64_t requestId, const protocol::Request &request, protocol::ErrorCode code,
                const std::string &message);
    void onClosed(ConnectedClient *connection);
    void startRequest(ConnectedClient *connection, std::int64_t requestId, const protocol::Request &request);
    Executor::Done reply(Pending pending);
    void finish(const Pending &pending, Outcome &outcome);
    void answer(ConnectedClient *connection, const Pending &pending, Outcome &outcome);
    // Requests pipelined after a hello that did not succeed get not_ready.
    void refuseHeld(ConnectedClient *connection);
    void finishHello(ConnectedClient *connection, const Pending &pending, Outcome &outcome);
    void sendError(ConnectedClient *connection, std::int64_t requestId, protocol::ErrorCode code, const std::string &message);
    void sendResult(ConnectedClient *connection, std::int64_t requestId, const protocol::Reply &result);
    // Requests routed to the hub (RouteKind::Hub): answered from live state, no database.
    void answerFromLiveState(ConnectedClient *connection, std::int64_t requestId, const protocol::Request &request);
    // False when the throttle answered or parked the request itself.
    bool passesThrottle(ThrottleKind throttle, ConnectedClient *connection, std::int64_t requestId, const protocol::Request &request,
                        Pending &pending);

    void fetchEvents(std::int64_t afterId);
    void deliverEphemeral(const PartyEvent &event);

    void setPresence(ConnectedClient *connection, protocol::Presence status);
    void announcePresence(const std::string &userId, protocol::Presence status, const std::vector<std::string> &partyIds);
    // People whose presence other instances changed: their parties are looked up, then told.
    void announceChangedElsewhere(std::vector<std::string> userIds);
    protocol::PresenceList presenceOfMembers(const std::vector<protocol::Party> &parties) const;
    void sendPresenceOf(ConnectedClient *connection, const protocol::Party &party);

    void sweep();
    void returnFreedMemory(std::int64_t nowMs);

    TokenService &m_tokens;
    Metrics &m_metrics;
    ConnectionQuota &m_quota;
    const HubSettings m_settings;
    struct PendingCloseAll {
        std::uint16_t code;
        QString reason;
    };
    std::optional<PendingCloseAll> m_draining;   // set once the server is stopping
    Executor *m_executor = nullptr;
    ClusterLink *m_cluster = nullptr;
    EventFeed m_feed;
    QTimer m_eventPoll;
    std::string m_baseUrl;
    quint64 m_nextId = 1;
    std::unordered_map<quint64, ConnectedClient *> m_connections;
    std::unordered_map<std::string, std::unordered_set<ConnectedClient *>> m_byUser;
    // Every committed event, from here or elsewhere, once and in id order, to its connections.
    EventFanout m_fanout;
    PresenceBook m_presence;
    InviteLookups m_inviteLookups;
    void releaseInviteBudget(const Pending &pending, bool codeWasGood);
    Throttle m_typing;
    Throttle m_reactions;   // per person: limits::kReactionBurst, then kReactionsPerSecond
    Throttle m_searches;    // per person: limits::kSearchBurst, then kSearchesPerSecond
    Throttle m_directOpens; // per person: limits::kDirectOpenBurst, then one per kDirectOpenRefillSeconds
    QTimer m_sweepTimer;
    std::size_t m_connectionsPeak = 0;
    std::int64_t m_lastTrimMs = 0;
};

} // namespace chatterbox::server
