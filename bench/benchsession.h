// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// What chatterbox-bench's scenarios share: connections speaking the protocol, sign-in, and
// reading the server's process from /proc.

#include "bench/wsclient.h"

#include <nlohmann/json.hpp>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QDateTime>
#include <QHostAddress>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>
#include <QUrl>

#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace chatterbox::bench {

using nlohmann::json;

inline qint64 nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Runs the event loop until done() or the time is up; sleeps while nothing happens.
inline bool waitFor(const std::function<bool()> &done, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    QTimer wake;
    wake.start(5);
    while (!done()) {
        if (timer.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents);
    }
    return true;
}

// Raises this process's open-file limit as far as the system allows; returns it.
inline rlim_t raiseFileLimit()
{
    rlimit limit{};
    getrlimit(RLIMIT_NOFILE, &limit);
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
    getrlimit(RLIMIT_NOFILE, &limit);
    return limit.rlim_cur;
}

inline qint64 rssKb(qint64 pid)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

// CPU seconds a process has used (user + system), from /proc; -1 when it cannot be read.
inline double cpuSeconds(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray text = stat.readAll();
    // Fields after the command name, which is in parentheses and may hold spaces.
    const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 13)
        return -1;
    const double ticks = static_cast<double>(fields[11].toLongLong() + fields[12].toLongLong());
    return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

inline QString fileLimitOf(qint64 pid)
{
    QFile limits(QStringLiteral("/proc/%1/limits").arg(pid));
    if (!limits.open(QIODevice::ReadOnly))
        return QStringLiteral("?");
    for (const QByteArray &line : limits.readAll().split('\n')) {
        if (line.startsWith("Max open files"))
            return QString::fromLatin1(line.simplified().split(' ').at(3));
    }
    return QStringLiteral("?");
}

struct Endpoint {
    QHostAddress host;
    quint16 port = 0;
};

// One benchmark user on one connection, with request/reply bookkeeping.
struct Peer {
    std::unique_ptr<WsClient> socket;
    Endpoint endpoint;
    QByteArray token;
    std::string userId;
    std::int64_t nextId = 1;
    std::map<std::int64_t, std::function<void(const json &)>> replies;

    void request(const std::string &type, json fields, std::function<void(const json &)> reply = {})
    {
        const std::int64_t id = nextId++;
        fields["type"] = type;
        fields["id"] = id;
        if (reply)
            replies[id] = std::move(reply);
        socket->sendText(QByteArray::fromStdString(fields.dump()));
    }
};

class Bench {
public:
    QUrl server;
    Endpoint ws;
    int sourceAddresses = 16;
    const QString runPrefix = QStringLiteral("bench-%1-").arg(QDateTime::currentSecsSinceEpoch() % 100000000);
    QNetworkAccessManager network;
    QJsonObject results;

    // The WebSocket address a server's discovery document gives.
    std::optional<Endpoint> discover(const QUrl &http)
    {
        QNetworkReply *reply = network.get(QNetworkRequest(http.resolved(QUrl(QStringLiteral("/.well-known/chatterbox")))));
        waitFor([&] { return reply->isFinished(); }, 10000);
        const json info = json::parse(reply->readAll().toStdString(), nullptr, false);
        reply->deleteLater();
        if (!info.contains("websocket") || !info["websocket"].is_string())
            return std::nullopt;
        const QUrl url(QString::fromStdString(info["websocket"].get<std::string>()));
        return Endpoint{QHostAddress(url.host()), static_cast<quint16>(url.port())};
    }

    // Development sign-in for count users, a few dozen at a time.
    std::vector<QByteArray> login(int count, const QString &prefix)
    {
        std::vector<QByteArray> tokens(static_cast<std::size_t>(count));
        int next = 0, done = 0, inFlight = 0;
        std::function<void()> pump = [&] {
            while (inFlight < 32 && next < count) {
                const int i = next++;
                ++inFlight;
                QNetworkRequest request(server.resolved(QUrl(QStringLiteral("/auth/dev"))));
                request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
                QNetworkReply *reply = network.post(request, QByteArray::fromStdString(json{{"name", (prefix + QString::number(i)).toStdString()}}.dump()));
                QObject::connect(reply, &QNetworkReply::finished, reply, [&, reply, i] {
                    const json answer = json::parse(reply->readAll().toStdString(), nullptr, false);
                    if (answer.contains("access_token"))
                        tokens[static_cast<std::size_t>(i)] = QByteArray::fromStdString(answer["access_token"].get<std::string>());
                    reply->deleteLater();
                    --inFlight;
                    ++done;
                    pump();
                });
            }
        };
        pump();
        waitFor([&] { return done == count; }, 120000);
        return tokens;
    }

    QHostAddress sourceFor(int i) const
    {
        return QHostAddress(QStringLiteral("127.0.0.%1").arg(1 + i % std::max(1, sourceAddresses)));
    }

    // Opens a connection per token, at most `parallel` upgrading at once; returns the seconds it took.
    double connectAll(std::vector<Peer> &peers, int parallel, int *failures)
    {
        int next = 0, opened = 0, failed = 0, inFlight = 0;
        QElapsedTimer timer;
        timer.start();
        std::function<void()> pump = [&] {
            while (inFlight < parallel && next < static_cast<int>(peers.size())) {
                Peer &peer = peers[static_cast<std::size_t>(next)];
                peer.socket = std::make_unique<WsClient>();
                QObject::connect(peer.socket.get(), &WsClient::opened, [&] { --inFlight; ++opened; pump(); });
                QObject::connect(peer.socket.get(), &WsClient::failed, [&](const QString &) { --inFlight; ++failed; pump(); });
                QObject::connect(peer.socket.get(), &WsClient::textReceived, [&peer](const QByteArray &text) {
                    // Replies carry an id (keys come sorted: results {"id":..., errors {"code":...); events do not.
                    if (!text.startsWith("{\"id\"") && !text.startsWith("{\"code\""))
                        return;
                    const json frame = json::parse(text.toStdString(), nullptr, false);
                    const auto it = peer.replies.find(frame.value("id", std::int64_t(0)));
                    if (it == peer.replies.end())
                        return;
                    auto callback = std::move(it->second);
                    peer.replies.erase(it);
                    callback(frame);
                });
                const Endpoint &to = peer.endpoint.port ? peer.endpoint : ws;
                peer.socket->open(sourceFor(next), to.host, to.port, peer.token);
                ++next;
                ++inFlight;
            }
        };
        pump();
        waitFor([&] { return opened + failed == static_cast<int>(peers.size()); }, 600000);
        if (failures)
            *failures = failed;
        return static_cast<double>(timer.nsecsElapsed()) / 1e9;
    }

    bool helloAll(std::vector<Peer> &peers)
    {
        int ready = 0;
        for (auto &peer : peers) {
            if (!peer.socket->isOpen())
                continue;
            peer.request("hello", {{"protocol", 1}}, [&](const json &frame) {
                if (frame.contains("result"))
                    peer.userId = frame["result"]["me"]["id"];
                ++ready;
            });
        }
        return waitFor([&] { return ready == static_cast<int>(peers.size()); }, 120000);
    }
};


// Signed-in, ready connections, one person each, into `peers` (which must not move after:
// the connections' callbacks hold on to where their Peer lives).
inline bool connectSome(Bench &bench, std::vector<Peer> &peers, int count, const QString &name)
{
    const auto tokens = bench.login(count, name);
    peers.resize(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) {
        if (tokens[static_cast<std::size_t>(i)].isEmpty())
            return false;
        peers[static_cast<std::size_t>(i)].token = tokens[static_cast<std::size_t>(i)];
    }
    int failures = 0;
    bench.connectAll(peers, count, &failures);
    return !failures && bench.helloAll(peers);
}

// Sends a request and waits for its reply (an empty object when none came in time).
inline json call(Peer &peer, const std::string &type, json fields, int timeoutMs = 30000)
{
    json reply;
    bool done = false;
    peer.request(type, std::move(fields), [&](const json &frame) {
        reply = frame;
        done = true;
    });
    waitFor([&] { return done; }, timeoutMs);
    return reply;
}

} // namespace chatterbox::bench
