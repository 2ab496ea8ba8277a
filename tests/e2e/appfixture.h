// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A whole app core wired as main() wires it, signed in through the development provider's
// browser flow, for end-to-end tests against the real server.

#include "e2efixture.h"
#include "support/testidp.h"

#include "app/core/connection.h"
#include "app/core/localstore.h"
#include "app/core/models/timelinemodel.h"
#include "app/core/outbox.h"
#include "app/core/session.h"
#include "app/core/store.h"
#include "app/core/websockettransport.h"
#include "shared/frames.h"

#include <QNetworkAccessManager>
#include <QTimer>
#include <QUrlQuery>

#include <set>

namespace chatterbox::test {

using namespace chatterbox::app;

// Plays the person at the browser: follows the server to the development provider's page,
// types a name, and lands on the app's loopback address.
class DevBrowser final : public UrlOpener {
public:
    explicit DevBrowser(QString name) : m_name(std::move(name)) {}
    void openUrl(const QUrl &url, Done done) override
    {
        done(true, {});
        QTimer::singleShot(0, [this, url] {
            const auto start = httpStep(m_network, "GET", url);
            if (start.status != 302)
                qWarning("authorize answered %d: %s", start.status, start.body.left(300).constData());
            QUrl pick = url.resolved(start.location);
            const QString attempt = QUrlQuery(pick).queryItemValue(QStringLiteral("attempt"));
            pick.setQuery(QString());
            const auto posted = httpStep(m_network, "POST", pick,
                                         "attempt=" + attempt.toLatin1() + "&name=" + QUrl::toPercentEncoding(m_name));
            httpStep(m_network, "GET", posted.location);
        });
    }

private:
    QString m_name;
    QNetworkAccessManager m_network;
};

// The session as the connection sees it, with the WebSocket address optionally replaced, so
// that a test can put something (a proxy) between the app and the server.
class RoutedSession final : public TokenSource {
public:
    explicit RoutedSession(Session &session) : m_session(session) {}
    QUrl webSocketAddress;   // empty: the server's own

    bool isSignedIn() const override { return m_session.isSignedIn(); }
    QByteArray currentAccessToken() const override { return m_session.currentAccessToken(); }
    QUrl webSocketUrl() const override { return webSocketAddress.isEmpty() ? m_session.webSocketUrl() : webSocketAddress; }
    void refreshAccess(std::function<void(bool ok)> done) override { m_session.refreshAccess(std::move(done)); }

private:
    Session &m_session;
};

// One request written as the wire's JSON, sent through the app's typed call (so the reply is
// decoded as the request's Reply type) and handed back as JSON for the test to read; a
// refusal comes back as {"error": message}. Waits up to 10 s.
inline json callThrough(Connection &connection, const std::string &type, json fields)
{
    fields["type"] = type;
    fields["id"] = 1;
    const auto decoded = protocol::decodeClientFrame(fields.dump());
    if (const auto *bad = std::get_if<protocol::FrameError>(&decoded))
        return json{{"error", bad->error.message}};
    // Shared: the answer may come after a timeout here, and must not land on a dead stack.
    auto answer = std::make_shared<std::optional<json>>();
    std::visit([&](auto request) {
        using Reply = typename decltype(request)::Reply;
        connection.call(std::move(request), [answer](const protocol::Result<Reply> &r) {
            *answer = r ? json(r.value()) : json{{"error", r.error().message}};
        });
    }, std::get<protocol::ClientFrame>(decoded).request);
    (void)QTest::qWaitFor([&] { return answer->has_value(); }, 10000);
    return answer->value_or(json{{"error", "no answer"}});
}

// Every seq from 1 to expected, each once, in order, with no client id twice: what a timeline
// shows when nothing was lost or doubled (App::delivered()).
inline bool contiguous(const std::vector<std::pair<qint64, QString>> &rows, int expected)
{
    if (static_cast<int>(rows.size()) != expected)
        return false;
    std::set<QString> ids;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (rows[i].first != static_cast<qint64>(i + 1) || !ids.insert(rows[i].second).second)
            return false;
    }
    return true;
}

// One app: everything app/core holds, wired as main() will wire it.
struct App {
    App(const QString &name, SecretStore &secrets, const QString &outboxPath)
        : browser(name), session(network, secrets, browser), route(session), outbox(outboxPath),
          connection(transport, route, store, outbox),
          timeline(store, outbox, [this](const QString &t, auto) { connection.openTopic(t); },
                   [this](const QString &t, auto done) { connection.loadOlder(t, done); })
    {
        // Not open unless a test opens it: then topics come back from it as in the app.
        connection.setLocalStore(&local);
    }

    bool signIn(const QUrl &server)
    {
        session.setServer(server);
        if (!QTest::qWaitFor([&] { return !session.server().tokenUrl.isEmpty(); }, 10000))
            return false;
        session.signIn(QStringLiteral("dev"));
        const bool ok = QTest::qWaitFor([&] { return session.state() == Session::State::SignedIn; }, 15000);
        if (!ok)
            qWarning("sign-in stopped in state %d: %s", static_cast<int>(session.state()), qPrintable(session.lastError()));
        return ok;
    }

    bool connect()
    {
        connection.start();
        return QTest::qWaitFor([&] { return connection.state() == Connection::State::Online; }, 15000);
    }

    json call(const std::string &type, json fields) { return callThrough(connection, type, std::move(fields)); }

    bool online(int timeoutMs = 20000)
    {
        return QTest::qWaitFor([&] { return connection.state() == Connection::State::Online; }, timeoutMs);
    }

    // Seqs and client ids of the topic's delivered messages, in the order the timeline shows them.
    std::vector<std::pair<qint64, QString>> delivered() const
    {
        std::vector<std::pair<qint64, QString>> out;
        for (int row = 0; row < timeline.rowCount(); ++row) {
            const QModelIndex i = timeline.index(row);
            if (timeline.data(i, TimelineModel::DeliveryStateRole).value<TimelineModel::DeliveryState>() == TimelineModel::DeliveryState::Delivered)
                out.emplace_back(timeline.data(i, TimelineModel::SeqRole).toLongLong(), timeline.data(i, TimelineModel::ClientMsgIdRole).toString());
        }
        return out;
    }

    DevBrowser browser;
    QNetworkAccessManager network;
    Session session;
    RoutedSession route;
    Store store;
    LocalStore local{store};
    Outbox outbox;
    WebSocketTransport transport;
    Connection connection;
    TimelineModel timeline;
};

} // namespace chatterbox::test
