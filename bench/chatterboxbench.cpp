// chatterbox-bench: what a server operator runs before going live. Speaks the real protocol to a
// running chatterbox-server (with the development sign-in) over many loopback connections, and
// measures:
//   fanout      M senders publish at a set rate into one topic with N members: deliveries per
//               second, publish-to-delivery latency, ack latency
//   handshakes  authenticated WebSocket upgrades per second
//   idle        server memory per idle authenticated connection, and after they all leave
//   history     message.history on a database it seeds with --messages (10 million): the
//               newest page and a page 10,000 pages back
//   sends       message.send at --rate over --topics topics (a party each): ack latency
// With --publish-server the senders connect to a second instance on the same database, so every
// delivery crosses from one instance to the other (docs/scaling.md).
// With --reference it runs the fanout against chatterbox-bench-reference (a bare broadcast
// loop on the same WebSocket library) to show the stack's own limit on this machine.
// Prints a table; --json FILE also writes the numbers.

#include "bench/benchsession.h"
#include "bench/dbscenarios.h"
#include "bench/stats.h"

#include <nlohmann/json.hpp>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>
#include <QUuid>

#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>

using namespace chatterbox::bench;
using nlohmann::json;


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
    const auto scenarioOpt = option("scenario", "fanout, handshakes, idle, history or sends.", "name", "fanout");
    const auto databaseOpt = option("database-url", "history: the server's database, to seed.", "url", "");
    const auto messagesOpt = option("messages", "history: messages to store.", "n", "10000000");
    const auto topicsOpt = option("topics", "sends: topics to spread the sends over.", "n", "100");
    const auto serverOpt = option("server", "The server's HTTP address.", "url", "http://127.0.0.1:8080");
    const auto membersOpt = option("members", "fanout: members in the topic (one connection each).", "n", "1000");
    const auto sendersOpt = option("senders", "fanout: how many of them publish.", "n", "10");
    const auto rateOpt = option("rate", "fanout, sends: messages published per second, all senders together.", "n", "300");
    const auto secondsOpt = option("seconds", "fanout, sends: how long to measure.", "s", "10");
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
    } else if (scenario == QLatin1String("history")) {
        HistoryOptions options;
        options.databaseUrl = parser.value(databaseOpt).toStdString();
        options.messages = parser.value(messagesOpt).toLongLong();
        if (const int status = runHistory(bench, options))
            return status;
    } else if (scenario == QLatin1String("sends")) {
        SendsOptions options;
        options.topics = std::max(1, parser.value(topicsOpt).toInt());
        options.rate = parser.value(rateOpt).toDouble();
        options.seconds = parser.value(secondsOpt).toInt();
        // Each connection may send 20 requests a second; stay well under it.
        options.sendersPerTopic = std::max(2, static_cast<int>(options.rate / options.topics / 8) + 1);
        if (const int status = runSends(bench, options))
            return status;
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
