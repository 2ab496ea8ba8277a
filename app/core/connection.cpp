// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/core/connection.h"

#include "shared/features.h"
#include "shared/frames.h"
#include "shared/limits.h"

#include <QNetworkInformation>

namespace chatterbox::app {

using nlohmann::json;

namespace {
constexpr int kWakeGapMs = 15000;   // a tick this late means the machine was asleep
} // namespace

std::chrono::milliseconds Backoff::next()
{
    const int exponent = std::min(m_attempt, 5);
    ++m_attempt;
    const double ceiling = std::min(30000.0, 1000.0 * (1 << exponent));
    std::uniform_real_distribution<double> jitter(0.5, 1.0);
    return std::chrono::milliseconds(static_cast<long long>(ceiling * jitter(m_random)));
}

Connection::Connection(Transport &transport, TokenSource &session, Store &store, Outbox &outbox, QObject *parent)
    : QObject(parent), m_transport(transport), m_session(session), m_store(store), m_outbox(outbox)
{
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, &Connection::connectNow);
    connect(&m_transport, &Transport::opened, this, &Connection::onOpened);
    connect(&m_transport, &Transport::textReceived, this, &Connection::onText);
    connect(&m_transport, &Transport::closed, this, &Connection::onClosed);
    connect(&m_outbox, &Outbox::ready, this, [this](const QString &id) {
        if (m_ready)
            sendEntry(id);
    });
    connect(&m_transport, &Transport::pongReceived, this, [this] { m_lastHeard.restart(); });
    connect(&m_wakeCheck, &QTimer::timeout, this, &Connection::checkForWake);
    connect(&m_wakeCheck, &QTimer::timeout, this, &Connection::checkLiveness);
    m_wakeCheck.start(m_liveness.tickMs);
    m_lastTick = QDateTime::currentDateTimeUtc();
    // Back on the network: try at once rather than at the end of the backoff.
    if (QNetworkInformation::loadDefaultBackend()) {
        connect(QNetworkInformation::instance(), &QNetworkInformation::reachabilityChanged, this,
                [this](QNetworkInformation::Reachability r) {
                    if (r == QNetworkInformation::Reachability::Online && m_running && m_state == State::Offline)
                        reconnectNow();
                });
    }
}

void Connection::setState(State state, const QString &reason)
{
    if (m_state == state && m_reason == reason)
        return;
    m_state = state;
    m_reason = reason;
    Q_EMIT stateChanged(state, reason);
}

void Connection::start()
{
    m_running = true;
    m_backoff.reset();
    connectNow();
}

void Connection::noteOffline(const QString &reason)
{
    if (!m_running)
        setState(State::Offline, reason);
}

void Connection::stop()
{
    m_running = false;
    m_retry.stop();
    m_transport.close();
    setState(State::Offline, tr("Signed out"));
}

void Connection::reconnectNow()
{
    if (!m_running || m_state == State::Connecting)
        return;
    m_retry.stop();
    m_backoff.reset();
    connectNow();
}

void Connection::checkForWake()
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const bool slept = m_lastTick.msecsTo(now) > kWakeGapMs;
    m_lastTick = now;
    if (slept && m_running) {
        // After a sleep the socket may look open and be dead: start over.
        m_transport.close();
        reconnectNow();
    }
}

void Connection::renewAccess()
{
    if (!m_ready)
        return;   // the next connection opens with the new token anyway
    // A refusal is not fatal: the connection then ends with 4001 and is opened again.
    call(protocol::RenewAccess{m_session.currentAccessToken().toStdString()});
}

void Connection::setLiveness(Liveness liveness)
{
    m_liveness = liveness;
    m_wakeCheck.start(liveness.tickMs);
}

void Connection::checkLiveness()
{
    if (m_transportOpen) {
        if (m_lastHeard.elapsed() >= m_liveness.silentMs)
            return declareDead(tr("The server stopped answering."));
        m_transport.ping();
    } else if (m_opening && m_openingSince.elapsed() >= m_liveness.connectMs) {
        declareDead(tr("The server could not be reached."));
    }
}

void Connection::declareDead(const QString &why)
{
    m_transport.close();
    // The transport may have said so itself (a real socket reports its abort).
    if (m_transportOpen || m_opening)
        onClosed(1006, why);
}

void Connection::connectNow()
{
    if (!m_running)
        return;
    if (!m_session.isSignedIn()) {
        setState(State::Offline, tr("Not signed in"));
        return;
    }
    setState(State::Connecting, tr("Connecting…"));
    m_opening = true;
    m_openingSince.restart();
    m_openedWithToken = m_session.currentAccessToken();
    m_transport.open(m_session.webSocketUrl(), m_openedWithToken);
}

void Connection::onOpened()
{
    m_opening = false;
    m_transportOpen = true;
    m_lastHeard.restart();
    call(protocol::Hello{limits::kProtocolVersion, protocol::allFeatures()}, [this](const protocol::Result<protocol::Ready> &answer) {
                if (!answer) {
                    m_transport.close();
                    if (answer.error().code == protocol::ErrorCode::BadFrame)
                        return scheduleReconnect(tr("The server sent something this app does not understand. Update the app."));
                    return scheduleReconnect(tr("The server refused the connection: %1").arg(QString::fromStdString(answer.error().message)));
                }
                const protocol::Ready &ready = answer.value();
                const auto positions = m_store.syncPositions();
                m_store.applyReady(ready);
                m_ready = true;
                m_backoff.reset();
                setState(State::Online);
                sync(positions);
                for (const auto &topicId : std::exchange(m_wantedTopics, {}))
                    openTopic(topicId);
                sendOutbox();
                // Refreshed while this connection was opening: hand it the new token too.
                if (m_session.currentAccessToken() != m_openedWithToken)
                    renewAccess();
                Q_EMIT this->ready();
            });
}

protocol::SyncPosition continuedFrom(const protocol::SyncPosition &asked, const std::vector<protocol::Message> &got)
{
    protocol::SyncPosition next = asked;
    for (const auto &message : got) {
        next.afterSeq = std::max(next.afterSeq, message.seq);
        if (next.afterRev)
            next.afterRev = std::max(*next.afterRev, message.rev);
    }
    return next;
}

void Connection::sync(const std::vector<protocol::SyncPosition> &positions)
{
    std::vector<protocol::SyncPosition> stillThere;
    for (const auto &p : positions) {
        if (m_store.topic(p.topicId))
            stillThere.push_back(p);
    }
    if (stillThere.empty())
        return;
    call(protocol::SyncTopics{stillThere}, [this, stillThere](const protocol::Result<protocol::SyncResult> &answer) {
        if (!answer) {
            // Cut off: the next connection syncs again from the same positions. Refused: say so.
            if (!m_ready)
                return;
            qCWarning(lcApp, "catching up failed: %s", answer.error().message.c_str());
            for (const auto &p : stillThere)
                Q_EMIT topicLoadFailed(QString::fromStdString(p.topicId), tr("Could not catch up with new messages: %1").arg(QString::fromStdString(answer.error().message)));
            return;
        }
        const protocol::SyncResult &caughtUp = answer.value();
        std::vector<protocol::SyncPosition> more;
        for (const auto &t : caughtUp.topics) {
            // A window that ends before the present needs its own changes, not every newer
            // message: once the reply has gone past its end, it has them.
            const auto *window = m_store.messages(t.topicId);
            const bool pastWindow = window && window->hasNewer && !window->messages.empty()
                                    && std::any_of(t.messages.begin(), t.messages.end(), [&](const auto &m) {
                                           return m.seq > window->messages.back().seq;
                                       });
            m_store.applyCatchUp(t);
            if (t.hasMore && !pastWindow) {
                // A long absence, or a reply full: go on from the newest seq and rev now held.
                const auto asked = std::find_if(stillThere.begin(), stillThere.end(),
                                                [&](const auto &p) { return p.topicId == t.topicId; });
                if (asked != stillThere.end())
                    more.push_back(continuedFrom(*asked, t.messages));
            }
        }
        if (!more.empty())
            sync(more);
    });
}

void Connection::sendOutbox()
{
    m_inFlight.clear();
    for (const auto &e : m_outbox.pending())
        sendEntry(e.clientMsgId);
}

void Connection::sendEntry(const QString &clientMsgId)
{
    if (m_inFlight.contains(clientMsgId))
        return;
    for (const auto &e : m_outbox.entries()) {
        // Its files go first (FileSender): the outbox says ready again when they are up.
        if (e.clientMsgId != clientMsgId || e.failed || !e.uploaded())
            continue;
        m_inFlight.insert(clientMsgId);
        std::optional<std::string> replyTo;
        if (!e.replyTo.isEmpty())
            replyTo = e.replyTo.toStdString();
        std::vector<std::string> files;
        for (const auto &a : e.attachments)
            files.push_back(a.fileId.toStdString());
        call(protocol::SendMessage{e.topicId.toStdString(), clientMsgId.toStdString(), e.body.toStdString(), replyTo, files},
                [this, clientMsgId](const protocol::Result<protocol::MessageReply> &answer) {
                    m_inFlight.remove(clientMsgId);
                    // Stored, even if this app cannot read the reply: sending again would only
                    // be answered the same.
                    if (answer || answer.error().code == protocol::ErrorCode::BadFrame)
                        return m_outbox.confirm(clientMsgId);
                    const protocol::Error *error = &answer.error();
                    switch (error->code) {
                    case protocol::ErrorCode::InvalidRequest:
                    case protocol::ErrorCode::NotFound:
                    case protocol::ErrorCode::Forbidden:
                        // Sending again will not change the answer.
                        m_outbox.fail(clientMsgId, QString::fromStdString(error->message));
                        break;
                    default:
                        // Rate limits and outages pass: it goes again on the next connection.
                        QTimer::singleShot(1000, this, [this, clientMsgId] {
                            if (m_ready)
                                sendEntry(clientMsgId);
                        });
                    }
                });
        return;
    }
}

void Connection::sendRequest(const protocol::Request &request, RawReply reply)
{
    // Nothing is queued behind a connection that is not there: the caller hears at once.
    if (!m_ready && !std::holds_alternative<protocol::Hello>(request)) {
        if (reply) {
            const protocol::Error offline{protocol::ErrorCode::Unavailable, "not connected to the server"};
            reply(nullptr, &offline);
        }
        return;
    }
    const std::int64_t id = m_nextId++;
    if (reply)
        m_pending.insert(id, std::move(reply));
    m_transport.sendText(QString::fromStdString(protocol::encodeRequest(id, request)));
}

void Connection::openTopic(const QString &topicId)
{
    const auto *loaded = m_store.messages(topicId.toStdString());
    if (loaded && loaded->loaded)
        return;
    if (m_local && m_local->restoreTopic(topicId.toStdString())) {
        // Shown from what was kept; what came since, and changed since, comes with a sync (or
        // with the one every loaded topic gets when the connection is ready).
        if (m_ready)
            syncTopic(topicId.toStdString());
        Q_EMIT topicLoaded(topicId);
        return;
    }
    if (!m_ready) {
        m_wantedTopics.insert(topicId); // loaded as soon as the connection is ready
        return;
    }
    call(protocol::FetchHistory{topicId.toStdString(), std::nullopt, std::nullopt, limits::kDefaultHistoryPage},
            [this, topicId](const protocol::Result<protocol::History> &answer) {
                if (!answer && !m_ready) {
                    m_wantedTopics.insert(topicId);   // cut off: loaded when the connection is back
                    return;
                }
                if (!answer) {
                    qCWarning(lcApp, "loading a topic failed: %s", answer.error().message.c_str());
                    return Q_EMIT topicLoadFailed(topicId, tr("Could not load the messages: %1").arg(QString::fromStdString(answer.error().message)));
                }
                const protocol::History &page = answer.value();
                m_store.applyHistory(page, true);
                // The page was read a moment ago; messages posted since may have arrived as
                // events before it and been skipped (the topic was not loaded yet).
                const auto *topic = m_store.topic(page.topicId);
                const auto *loaded = m_store.messages(page.topicId);
                const std::int64_t newest = loaded && !loaded->messages.empty() ? loaded->messages.back().seq : 0;
                if (topic && topic->lastSeq > newest)
                    sync({{page.topicId, newest, loaded ? std::optional(loaded->lastRev) : std::nullopt}});
                Q_EMIT topicLoaded(topicId);
            });
}

void Connection::retryTopic(const QString &topicId)
{
    const auto *loaded = m_store.messages(topicId.toStdString());
    if (!loaded || !loaded->loaded)
        return openTopic(topicId);
    syncTopic(topicId.toStdString());
}

void Connection::syncTopic(const std::string &topicId)
{
    for (const auto &p : m_store.syncPositions()) {
        if (p.topicId == topicId)
            sync({p});
    }
}

void Connection::loadOlder(const QString &topicId, std::function<void(bool)> done)
{
    const auto *loaded = m_store.messages(topicId.toStdString());
    if (!loaded || !loaded->loaded || loaded->messages.empty()) {
        openTopic(topicId);
        if (done)
            done(false);
        return;
    }
    if (!m_local)
        return loadOlderFromServer(topicId, std::move(done));
    // Older pages the local store kept come from it, a moment later as the server's would.
    QTimer::singleShot(0, this, [this, topicId, done = std::move(done)]() mutable {
        if (m_local->restoreOlder(topicId.toStdString())) {
            if (done)
                done(true);
            return;
        }
        loadOlderFromServer(topicId, std::move(done));
    });
}

void Connection::loadOlderFromServer(const QString &topicId, std::function<void(bool)> done)
{
    const auto *loaded = m_store.messages(topicId.toStdString());
    if (!loaded || !loaded->loaded || loaded->messages.empty()) {
        if (done)
            done(false);
        return;
    }
    call(protocol::FetchHistory{topicId.toStdString(), loaded->messages.front().seq, std::nullopt, limits::kDefaultHistoryPage},
            [this, topicId, done](const protocol::Result<protocol::History> &answer) {
                if (answer)
                    m_store.applyHistory(answer.value(), true);
                else if (m_ready)
                    Q_EMIT topicLoadFailed(topicId, tr("Could not load older messages: %1").arg(QString::fromStdString(answer.error().message)));
                if (done)
                    done(answer.ok());
            });
}

void Connection::loadNewer(const QString &topicId, std::function<void(bool)> done)
{
    const auto *loaded = m_store.messages(topicId.toStdString());
    if (!loaded || !loaded->loaded || loaded->messages.empty() || !loaded->hasNewer) {
        if (done)
            done(false);
        return;
    }
    call(protocol::FetchHistory{topicId.toStdString(), std::nullopt, loaded->messages.back().seq, limits::kDefaultHistoryPage},
            [this, topicId, done](const protocol::Result<protocol::History> &answer) {
                if (answer)
                    m_store.applyNewer(answer.value());
                else if (m_ready)
                    Q_EMIT topicLoadFailed(topicId, tr("Could not load newer messages: %1").arg(QString::fromStdString(answer.error().message)));
                if (done)
                    done(answer.ok());
            });
}

void Connection::loadAround(const QString &topicId, std::int64_t seq, std::function<void(bool)> done)
{
    const auto *loaded = m_store.messages(topicId.toStdString());
    if (loaded && loaded->loaded && !loaded->messages.empty() && seq >= loaded->messages.front().seq
        && seq <= loaded->messages.back().seq) {
        if (done)
            done(true);   // there already
        return;
    }
    protocol::FetchHistory around{topicId.toStdString(), std::nullopt, std::nullopt, limits::kDefaultHistoryPage, seq};
    call(std::move(around), [this, topicId, done](const protocol::Result<protocol::History> &answer) {
        if (answer)
            m_store.applyAround(answer.value());
        else if (m_ready)
            Q_EMIT topicLoadFailed(topicId, tr("Could not load the messages: %1").arg(QString::fromStdString(answer.error().message)));
        if (done)
            done(answer.ok());
    });
}

void Connection::loadLatest(const QString &topicId, std::function<void(bool)> done)
{
    const auto *loaded = m_store.messages(topicId.toStdString());
    if (!loaded || !loaded->loaded || !loaded->hasNewer) {
        openTopic(topicId);
        if (done)
            done(true);
        return;
    }
    call(protocol::FetchHistory{topicId.toStdString(), std::nullopt, std::nullopt, limits::kDefaultHistoryPage},
            [this, topicId, done](const protocol::Result<protocol::History> &answer) {
                if (answer) {
                    protocol::History page = answer.value();
                    page.hasNewer = false;
                    m_store.applyAround(page);
                } else if (m_ready) {
                    Q_EMIT topicLoadFailed(topicId, tr("Could not load the messages: %1").arg(QString::fromStdString(answer.error().message)));
                }
                if (done)
                    done(answer.ok());
            });
}

void Connection::onText(const QString &text)
{
    m_lastHeard.restart();
    const auto frame = protocol::decodeServerFrame(text.toStdString());
    if (!frame.ok())
        return; // unknown events from a newer server are skipped
    if (const auto *reply = std::get_if<protocol::ReplyFrame>(&frame.value())) {
        const RawReply callback = m_pending.take(reply->id);
        if (callback)
            callback(&reply->result, nullptr);
        return;
    }
    if (const auto *error = std::get_if<protocol::ErrorFrame>(&frame.value())) {
        const RawReply callback = m_pending.take(error->id);
        if (callback)
            callback(nullptr, &error->error);
        return;
    }
    if (!m_ready)
        return;
    const auto &event = std::get<protocol::EventFrame>(frame.value()).event;
    const auto gaps = m_store.applyEvent(event);
    std::vector<protocol::SyncPosition> resync;
    for (const auto &topicId : gaps) {
        for (const auto &p : m_store.syncPositions()) {
            if (p.topicId == topicId)
                resync.push_back(p);
        }
    }
    sync(resync);
}

void Connection::onClosed(int code, const QString &reason)
{
    m_ready = false;
    m_transportOpen = false;
    m_opening = false;
    m_inFlight.clear();
    // Requests on the dead connection will never be answered: tell their callers.
    const auto pending = std::exchange(m_pending, {});
    const protocol::Error gone{protocol::ErrorCode::Unavailable, "the connection closed"};
    for (const auto &callback : pending)
        callback(nullptr, &gone);
    if (!m_running)
        return;
    if (code == limits::kCloseUnauthorized) {
        // The access token expired or the sign-in ended: a refresh says which.
        setState(State::Connecting, tr("Signing in again…"));
        m_session.refreshAccess([this](bool ok) {
            if (ok)
                connectNow();
            else
                setState(State::Offline, tr("Your session has ended. Sign in again."));
        });
        return;
    }
    QString why = code == 1001 ? tr("The server is restarting.")
                  : code == limits::kCloseSlowConsumer ? tr("The connection was too slow.")
                  : reason.isEmpty() ? tr("The connection was lost.") : reason;
    scheduleReconnect(why);
}

void Connection::scheduleReconnect(const QString &why)
{
    if (!m_running)
        return;
    const auto delay = m_backoff.next();
    setState(State::Offline, tr("%1 Reconnecting in %2 s.").arg(why).arg((delay.count() + 999) / 1000));
    m_retry.start(static_cast<int>(delay.count()));
}

} // namespace chatterbox::app
