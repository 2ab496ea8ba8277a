// chatterbox-bench: what a server operator runs before going live. Speaks the real protocol to a
// running chatterbox-server (with the development sign-in) over many loopback connections, and
// measures:
//   fanout      M senders publish at a set rate into one topic with N members: deliveries per
//               second, publish-to-delivery latency, ack latency
//   handshakes  authenticated WebSocket upgrades per second
//   idle        server memory per idle authenticated connection, and after they all leave
// With --publish-server the senders connect to a second instance on the same database, so every
// delivery crosses from one instance to the other (docs/scaling.md).
// With --reference it runs the fanout against chatterbox-bench-reference (a bare broadcast
// loop on the same WebSocket library) to show the stack's own limit on this machine.
// Prints a table; --json FILE also writes the numbers.

#include "bench/stats.h"
#include "bench/wsclient.h"

#include <nlohmann/json.hpp>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>
#include <QUuid>

#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>

using namespace chatterbox::bench;
using nlohmann::json;

namespace {

qint64 nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Runs the event loop until done() or the time is up; sleeps while nothing happens.
bool waitFor(const std::function<bool()> &done, int timeoutMs)
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
rlim_t raiseFileLimit()
{
    rlimit limit{};
    getrlimit(RLIMIT_NOFILE, &limit);
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
    getrlimit(RLIMIT_NOFILE, &limit);
    return limit.rlim_cur;
}

qint64 rssKb(qint64 pid)
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
double cpuSeconds(qint64 pid)
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

QString fileLimitOf(qint64 pid)
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

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Measures a running chatterbox-server (started with --dev) over the real protocol."));
    parser.addHelpOption();
    auto option = [&](const char *name, const char *help, const char *value, const char *fallback) {
        QCommandLineOption o(QString::fromLatin1(name), QString::fromLatin1(help), QString::fromLatin1(value), QString::fromLatin1(fallback));
        parser.addOption(o);
        return o;
    };
    const auto scenarioOpt = option("scenario", "fanout, handshakes or idle.", "name", "fanout");
    const auto serverOpt = option("server", "The server's HTTP address.", "url", "http://127.0.0.1:8080");
    const auto membersOpt = option("members", "fanout: members in the topic (one connection each).", "n", "1000");
    const auto sendersOpt = option("senders", "fanout: how many of them publish.", "n", "10");
    const auto rateOpt = option("rate", "fanout: messages published per second, all senders together.", "n", "300");
    const auto secondsOpt = option("seconds", "fanout: how long to measure.", "s", "10");
    const auto connectionsOpt = option("connections", "handshakes, idle: how many connections.", "n", "10000");
    const auto parallelOpt = option("parallel", "handshakes: upgrades in flight at once.", "n", "256");
    const auto sourcesOpt = option("source-addresses", "Spread connections over this many 127.0.0.x addresses.", "n", "16");
    const auto pidOpt = option("server-pid", "The server's process id, to read its memory (idle) and CPU time (fanout).", "pid", "0");
    const auto jsonOpt = option("json", "Also write the results here.", "file", "");
    const auto publishOpt = option("publish-server", "fanout: the senders use this other instance (HTTP address); "
                                   "latency is measured on --server's members only.", "url", "");
    const QCommandLineOption referenceOpt(QStringLiteral("reference"), QStringLiteral("fanout against chatterbox-bench-reference at --server (ws://host:port)."));
    parser.addOption(referenceOpt);
    parser.process(app);

    const rlim_t fileLimit = raiseFileLimit();
    Bench bench;
    bench.server = QUrl(parser.value(serverOpt));
    bench.sourceAddresses = parser.value(sourcesOpt).toInt();
    const QString scenario = parser.value(scenarioOpt);
    bench.results.insert(QStringLiteral("scenario"), scenario);
    bench.results.insert(QStringLiteral("benchFileLimit"), static_cast<qint64>(fileLimit));
    const bool reference = parser.isSet(referenceOpt);
    if (reference) {
        bench.ws = {QHostAddress(bench.server.host()), static_cast<quint16>(bench.server.port())};
    } else if (const auto ws = bench.discover(bench.server)) {
        bench.ws = *ws;
    } else {
        std::fprintf(stderr, "chatterbox-bench: no Chatterbox server at %s\n", qPrintable(bench.server.toString()));
        return 1;
    }
    std::optional<Endpoint> publishTo;
    if (!parser.value(publishOpt).isEmpty()) {
        publishTo = bench.discover(QUrl(parser.value(publishOpt)));
        if (!publishTo) {
            std::fprintf(stderr, "chatterbox-bench: no Chatterbox server at %s\n", qPrintable(parser.value(publishOpt)));
            return 1;
        }
    }

    if (scenario == QLatin1String("fanout")) {
        const int members = parser.value(membersOpt).toInt();
        const int senders = std::min(members, parser.value(sendersOpt).toInt());
        const double rate = parser.value(rateOpt).toDouble();
        const int seconds = parser.value(secondsOpt).toInt();
        std::vector<Peer> peers(static_cast<std::size_t>(members));
        if (!reference) {
            // New people each run: the same ones would carry every earlier run's parties along.
            const auto tokens = bench.login(members, bench.runPrefix + QStringLiteral("member-"));
            for (int i = 0; i < members; ++i)
                peers[static_cast<std::size_t>(i)].token = tokens[static_cast<std::size_t>(i)];
        }
        if (publishTo) {
            for (int i = 0; i < senders; ++i)
                peers[static_cast<std::size_t>(i)].endpoint = *publishTo;
        }
        int failures = 0;
        bench.connectAll(peers, 256, &failures);
        if (failures) {
            std::fprintf(stderr, "chatterbox-bench: %d connections failed\n", failures);
            return 1;
        }
        std::string topicId;
        if (!reference) {
            if (!bench.helloAll(peers)) {
                std::fprintf(stderr, "chatterbox-bench: not every connection got its hello answered\n");
                return 1;
            }
            bool joined = false;
            std::shared_ptr<int> pendingJoins;
            peers[0].request("party.create", {{"name", "bench " + std::to_string(nowNs())}}, [&](const json &created) {
                const std::string partyId = created["result"]["party"]["id"];
                topicId = created["result"]["party"]["topics"][0]["id"];
                peers[0].request("invite.create", {{"partyId", partyId}}, [&](const json &invite) {
                    const std::string code = invite["result"]["invite"]["code"];
                    auto left = std::make_shared<int>(members - 1);
                    pendingJoins = left;
                    if (*left == 0)
                        joined = true;
                    for (int i = 1; i < members; ++i)
                        peers[static_cast<std::size_t>(i)].request("invite.join", {{"code", code}}, [&, left](const json &reply) {
                            if (reply.value("type", "") == "error")
                                std::fprintf(stderr, "chatterbox-bench: a member could not join: %s\n", reply.value("message", "").c_str());
                            joined = --*left == 0;
                        });
                });
            });
            if (!waitFor([&] { return joined; }, 60000)) {
                int closedCount = 0;
                for (auto &peer : peers)
                    closedCount += !peer.socket->isOpen();
                std::fprintf(stderr, "chatterbox-bench: members did not all join (%d still waiting, %d connections closed)\n",
                             pendingJoins ? *pendingJoins : -1, closedCount);
                return 1;
            }
        }
        // Receivers: the send time rides in the body; latency is measured where it arrives.
        std::vector<double> latency, ack;
        latency.reserve(4'000'000);
        qint64 deliveries = 0;
        bool measuring = false;
        for (std::size_t p = publishTo ? static_cast<std::size_t>(senders) : 0; p < peers.size(); ++p) {
            QObject::connect(peers[p].socket.get(), &WsClient::textReceived, [&](const QByteArray &text) {
                // Events only (keys come sorted: {"data":...}); the reply to a send carries the body too.
                qsizetype at = -1;
                if (reference && text.startsWith("b "))
                    at = 2;
                else if (!reference && text.startsWith("{\"data\"") && (at = text.indexOf("\"body\":\"b ")) >= 0)
                    at += 10;
                if (at < 0)
                    return;
                qint64 sent = 0;
                for (qsizetype i = at; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i)
                    sent = sent * 10 + (text[i] - '0');
                if (measuring) {
                    ++deliveries;
                    latency.push_back(static_cast<double>(nowNs() - sent) / 1e6);
                }
            });
        }
        std::map<std::int64_t, qint64> ackStart;
        QTimer tick;
        tick.setInterval(1);
        QElapsedTimer clock;
        double budget = 0;
        qint64 lastNs = nowNs();
        std::int64_t published = 0;
        QObject::connect(&tick, &QTimer::timeout, [&] {
            const qint64 now = nowNs();
            budget += rate * static_cast<double>(now - lastNs) / 1e9;
            lastNs = now;
            while (budget >= 1) {
                budget -= 1;
                Peer &sender = peers[static_cast<std::size_t>(published % senders)];
                const std::string body = "b " + std::to_string(nowNs());
                ++published;
                if (reference) {
                    sender.socket->sendText(QByteArray::fromStdString(body));
                    continue;
                }
                const qint64 start = nowNs();
                sender.request("message.send", {{"topicId", topicId}, {"clientMsgId", QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString()}, {"body", body}},
                               [&, start](const json &) {
                                   if (measuring)
                                       ack.push_back(static_cast<double>(nowNs() - start) / 1e6);
                               });
            }
        });
        tick.start();
        waitFor([] { return false; }, 1000); // warm up
        const qint64 serverPid = parser.value(pidOpt).toLongLong();
        const double cpuBefore = serverPid ? cpuSeconds(serverPid) : -1;
        measuring = true;
        clock.start();
        waitFor([] { return false; }, seconds * 1000);
        measuring = false;
        const double elapsed = static_cast<double>(clock.nsecsElapsed()) / 1e9;
        const double serverCpu = serverPid ? cpuSeconds(serverPid) - cpuBefore : -1;
        tick.stop();
        waitFor([] { return false; }, 1000);
        const auto lat = percentiles(latency);
        const auto acks = percentiles(ack);
        const double perSecond = static_cast<double>(deliveries) / elapsed;
        std::printf("chatterbox-bench fanout%s: %d members, %d senders%s, %.0f messages/s for %.1f s\n", reference ? " (reference loop)" : "",
                    members, senders, publishTo ? " on the other instance" : "", rate, elapsed);
        std::printf("  %-28s %12.0f /s\n", "deliveries", perSecond);
        std::printf("  %-28s %9.2f ms p50 %9.2f ms p99 %9.2f ms max\n", "publish -> delivery", lat.p50, lat.p99, lat.max);
        if (!reference)
            std::printf("  %-28s %9.2f ms p50 %9.2f ms p99 %9.2f ms max\n", "ack", acks.p50, acks.p99, acks.max);
        if (serverCpu >= 0) {
            // The server's whole process: network thread, database threads, all.
            std::printf("  %-28s %12.0f %% of a core, %.2f us per delivery\n", "server CPU", 100.0 * serverCpu / elapsed,
                        1e6 * serverCpu / std::max<double>(1, static_cast<double>(deliveries)));
            bench.results.insert(QStringLiteral("serverCpuPercent"), 100.0 * serverCpu / elapsed);
            bench.results.insert(QStringLiteral("serverCpuUsPerDelivery"), 1e6 * serverCpu / std::max<double>(1, static_cast<double>(deliveries)));
        }
        bench.results.insert(QStringLiteral("deliveriesPerSecond"), perSecond);
        bench.results.insert(QStringLiteral("latencyP50Ms"), lat.p50);
        bench.results.insert(QStringLiteral("latencyP99Ms"), lat.p99);
        bench.results.insert(QStringLiteral("latencyMaxMs"), lat.max);
        bench.results.insert(QStringLiteral("ackP50Ms"), acks.p50);
        bench.results.insert(QStringLiteral("ackP99Ms"), acks.p99);
    } else if (scenario == QLatin1String("handshakes") || scenario == QLatin1String("idle")) {
        const int connections = parser.value(connectionsOpt).toInt();
        const qint64 pid = parser.value(pidOpt).toLongLong();
        // The server allows a few connections per person: enough people to share them.
        const int perUser = 20;
        const int users = (connections + perUser - 1) / perUser;
        const auto tokens = bench.login(users, bench.runPrefix + QStringLiteral("idle-"));
        std::vector<Peer> peers(static_cast<std::size_t>(connections));
        for (int i = 0; i < connections; ++i)
            peers[static_cast<std::size_t>(i)].token = tokens[static_cast<std::size_t>(i / perUser)];
        const qint64 before = pid ? rssKb(pid) : -1;
        int failures = 0;
        const double took = bench.connectAll(peers, parser.value(parallelOpt).toInt(), &failures);
        const int opened = connections - failures;
        std::printf("chatterbox-bench %s: %d connections (%d failed) from %d source addresses; file limit: bench %llu, server %s\n",
                    qPrintable(scenario), connections, failures, bench.sourceAddresses, static_cast<unsigned long long>(fileLimit),
                    pid ? qPrintable(fileLimitOf(pid)) : "?");
        std::printf("  %-28s %12.0f /s\n", "authenticated handshakes", opened / took);
        bench.results.insert(QStringLiteral("connections"), opened);
        bench.results.insert(QStringLiteral("failed"), failures);
        bench.results.insert(QStringLiteral("handshakesPerSecond"), opened / took);
        if (scenario == QLatin1String("idle")) {
            bench.helloAll(peers);
            waitFor([] { return false; }, 2000);
            const qint64 during = pid ? rssKb(pid) : -1;
            for (auto &peer : peers)
                peer.socket->close();
            waitFor([] { return false; }, 5000);
            const qint64 after = pid ? rssKb(pid) : -1;
            if (pid) {
                const double perConnection = static_cast<double>(during - before) * 1024.0 / std::max(1, opened);
                std::printf("  %-28s %12.0f bytes (RSS %lld KB before, %lld KB connected, %lld KB after all left)\n",
                            "server memory per connection", perConnection, static_cast<long long>(before),
                            static_cast<long long>(during), static_cast<long long>(after));
                bench.results.insert(QStringLiteral("rssBytesPerConnection"), perConnection);
                bench.results.insert(QStringLiteral("rssKbBefore"), before);
                bench.results.insert(QStringLiteral("rssKbConnected"), during);
                bench.results.insert(QStringLiteral("rssKbAfter"), after);
                bench.results.insert(QStringLiteral("serverFileLimit"), fileLimitOf(pid));
            }
        }
    } else {
        std::fprintf(stderr, "chatterbox-bench: unknown scenario %s\n", qPrintable(scenario));
        return 2;
    }

    if (parser.isSet(jsonOpt) && !parser.value(jsonOpt).isEmpty()) {
        QFile file(parser.value(jsonOpt));
        if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(bench.results).toJson()) < 0) {
            std::fprintf(stderr, "chatterbox-bench: cannot write %s\n", qPrintable(parser.value(jsonOpt)));
            return 1;
        }
    }
    return 0;
}
