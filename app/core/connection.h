// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/core/localstore.h"
#include "app/core/logging.h"
#include "app/core/outbox.h"
#include "app/core/store.h"
#include "app/core/transport.h"
#include "shared/codec.h"
#include "shared/errors.h"
#include "shared/requests.h"
#include "shared/result.h"

#include <nlohmann/json.hpp>

#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QTimer>

#include <functional>
#include <random>

namespace chatterbox::app {

// Where the answer to a request goes: the reply its request declares (Request::Reply), or the
// error that stopped it: the server's, "unavailable" when there was no connection or it closed
// first, or "bad_frame" when the reply could not be read. Called exactly once.
template <typename Reply>
using Callback = std::function<void(const protocol::Result<Reply> &answer)>;

// Where a topic's message.sync goes on from when its reply said hasMore (replies are paged by
// size as well as by count): the newest seq and rev that reply brought.
protocol::SyncPosition continuedFrom(const protocol::SyncPosition &asked, const std::vector<protocol::Message> &got);

// Exponential backoff with full jitter: 1 s, 2 s, 4 s ... capped at 30 s, each wait a random
// point between half and all of that, so that clients cut off together do not come back together.
class Backoff final {
public:
    std::chrono::milliseconds next();
    void reset() { m_attempt = 0; }
    int attempt() const { return m_attempt; }

private:
    int m_attempt = 0;
    std::mt19937 m_random{std::random_device{}()};
};

// The live link to the server: opens the WebSocket with the session's token, says hello, applies
// the snapshot and every event to the store, catches up with message.sync after a reconnect,
// sends the outbox, and comes back by itself (backoff with jitter, and at once when the network
// returns or the machine wakes up).
class Connection final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Connection)

public:
    enum class State { Offline, Connecting, Online };
    Q_ENUM(State)

    Connection(Transport &transport, TokenSource &session, Store &store, Outbox &outbox, QObject *parent = nullptr);

    State state() const { return m_state; }
    // Started (signed in) and not stopped: it connects, or comes back, by itself.
    bool isRunning() const { return m_running; }
    // Why the app is offline, for people ("Reconnecting in 8 s: the server closed the connection").
    QString reason() const { return m_reason; }

    // Where topics come back from before the server is asked (may be null: none).
    void setLocalStore(LocalStore *local) { m_local = local; }

    void start();
    void stop();
    // Before the first connection is started (the window shows what the local store kept):
    // why it is not up yet, for the banner.
    void noteOffline(const QString &reason);
    // Reconnects now instead of waiting for the backoff.
    void reconnectNow();

    // How often it pings an open connection (and checks for a machine that slept), how long a
    // connection may be silent (no frame, no pong) before it counts as dead, and how long an
    // open may take. A dead connection is not always closed by the network: a partition drops
    // traffic both ways and tells no one.
    struct Liveness {
        int tickMs = 5000;
        int silentMs = 20000;
        int connectMs = 15000;
    };
    void setLiveness(Liveness liveness);

    // Sends one request and hands its typed reply, or the error, to done. Offline, it is not
    // queued: done hears "unavailable" at once (the outbox is what waits for a connection).
    template <typename Request>
    void call(Request request, Callback<typename Request::Reply> done = {})
    {
        sendRequest(protocol::Request(std::move(request)), [done = std::move(done)](const nlohmann::json *result, const protocol::Error *error) {
            if (!done)
                return;
            if (error)
                return done(*error);
            typename Request::Reply reply;
            try {
                from_json(*result, reply);
            } catch (const std::exception &e) {
                qCWarning(lcApp, "could not read the reply to %s: %s", Request::kType, e.what());
                return done(protocol::Error{protocol::ErrorCode::BadFrame, "the server's reply could not be read; the app may need an update"});
            }
            done(std::move(reply));
        });
    }
    // Pages older history into the store; done(true) when a page arrived.
    void loadOlder(const QString &topicId, std::function<void(bool)> done = {});
    // Pages newer history into a window that ends before the present (Store hasNewer).
    void loadNewer(const QString &topicId, std::function<void(bool)> done = {});
    // Makes sure the message at seq is loaded: when it is outside the window, the window
    // becomes the page around it. done(true) once it is in.
    void loadAround(const QString &topicId, std::int64_t seq, std::function<void(bool)> done = {});
    // Back to the newest page, for a window that ends before the present.
    void loadLatest(const QString &topicId, std::function<void(bool)> done = {});
    // Loads the newest page of a topic the first time it is opened.
    void openTopic(const QString &topicId);
    // After topicLoadFailed: loads the topic if it is not loaded, or catches it up if it is.
    void retryTopic(const QString &topicId);
    // Hands the open connection the session's new access token (session.renew), so that it is
    // not closed when the token it opened with expires.
    void renewAccess();

Q_SIGNALS:
    void stateChanged(chatterbox::app::Connection::State state, const QString &reason);
    void ready();
    // A topic's messages could not be loaded or caught up (openTopic, loadOlder, message.sync):
    // what happened, in words. Opening the topic again tries again.
    void topicLoadFailed(const QString &topicId, const QString &problem);
    void topicLoaded(const QString &topicId);

private:
    using RawReply = std::function<void(const nlohmann::json *result, const protocol::Error *error)>;
    void sendRequest(const protocol::Request &request, RawReply reply);
    void connectNow();
    void onOpened();
    void onText(const QString &text);
    void onClosed(int code, const QString &reason);
    void setState(State state, const QString &reason = {});
    void scheduleReconnect(const QString &why);
    void sendOutbox();
    void sendEntry(const QString &clientMsgId);
    void sync(const std::vector<protocol::SyncPosition> &positions);
    void syncTopic(const std::string &topicId);
    void loadOlderFromServer(const QString &topicId, std::function<void(bool)> done);
    void checkForWake();
    void checkLiveness();
    // The connection is dead without having said so: end it and go on as if it had closed.
    void declareDead(const QString &why);

    Transport &m_transport;
    TokenSource &m_session;
    Store &m_store;
    Outbox &m_outbox;
    LocalStore *m_local = nullptr;
    State m_state = State::Offline;
    QString m_reason;
    bool m_running = false;
    bool m_ready = false;
    std::int64_t m_nextId = 1;
    QHash<std::int64_t, RawReply> m_pending;
    QSet<QString> m_inFlight;   // outbox entries sent on this connection
    QSet<QString> m_wantedTopics; // opened while offline
    Backoff m_backoff;
    QTimer m_retry;
    QTimer m_wakeCheck;
    QDateTime m_lastTick;
    Liveness m_liveness;
    bool m_transportOpen = false;
    bool m_opening = false;
    QElapsedTimer m_lastHeard;
    QElapsedTimer m_openingSince;
    QByteArray m_openedWithToken;
};

} // namespace chatterbox::app
