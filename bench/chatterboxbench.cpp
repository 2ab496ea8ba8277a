// SPDX-License-Identifier: GPL-3.0-or-later
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
//   search      message.search on a database it seeds with --messages (10 million) of chat-like
//               text over 200 parties: a word as typed and a phrase with from:, by a member of 20
// With --publish-server the senders connect to a second instance on the same database, so every
// delivery crosses from one instance to the other (docs/scaling.md).
// With --reference it runs the fanout against chatterbox-bench-reference (a bare broadcast
// loop on the same WebSocket library) to show the stack's own limit on this machine; with
// --compare-reference it runs both, one after the other, and compares them. Fanout takes a
// list of rates and measures each in turn.
// Prints a table; --json FILE also writes the numbers.

#include "bench/benchsession.h"
#include "bench/dbscenarios.h"
#include "bench/filesscenario.h"
#include "bench/searchscenario.h"
#include "bench/fanout.h"
#include "bench/stats.h"

#include <nlohmann/json.hpp>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
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

namespace {

QJsonArray stepsJson(const FanoutRun &run)
{
    QJsonArray steps;
    for (const FanoutStep &step : run.steps) {
        QJsonObject o{{QStringLiteral("rate"), step.rate},
                      {QStringLiteral("seconds"), step.seconds},
                      {QStringLiteral("deliveriesPerSecond"), step.deliveriesPerSecond},
                      {QStringLiteral("reactionsPerSecond"), step.reactionsPerSecond},
                      {QStringLiteral("frameBytes"), step.frameBytes},
                      {QStringLiteral("latencyP50Ms"), step.latency.p50},
                      {QStringLiteral("latencyP99Ms"), step.latency.p99},
                      {QStringLiteral("latencyMaxMs"), step.latency.max},
                      {QStringLiteral("keptUp"), step.keptUp}};
        if (step.ack.count) {
            o.insert(QStringLiteral("ackP50Ms"), step.ack.p50);
            o.insert(QStringLiteral("ackP99Ms"), step.ack.p99);
        }
        if (step.serverCpuPercent >= 0) {
            o.insert(QStringLiteral("serverCpuPercent"), step.serverCpuPercent);
            o.insert(QStringLiteral("serverCpuUsPerDelivery"), step.serverCpuUsPerDelivery);
        }
        steps.append(o);
    }
    return steps;
}

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
    const auto scenarioOpt = option("scenario", "fanout, handshakes, idle, history, sends, search or files.", "name", "fanout");
    const auto databaseOpt = option("database-url", "history, search: the server's database, to seed.", "url", "");
    const auto messagesOpt = option("messages", "history, search: messages to store.", "n", "10000000");
    const auto topicsOpt = option("topics", "sends: topics to spread the sends over.", "n", "100");
    const auto serverOpt = option("server", "The server's HTTP address.", "url", "http://127.0.0.1:8080");
    const auto membersOpt = option("members", "fanout: members in the topic (one connection each).", "n", "1000");
    const auto sendersOpt = option("senders", "fanout: how many of them publish.", "n", "10");
    const auto rateOpt = option("rate", "fanout, sends: messages published per second, all senders together; fanout takes a "
                                "list (1000,1500,2000) and measures each in turn until one is not kept up with.", "n", "300");
    const auto secondsOpt = option("seconds", "fanout, sends: how long to measure.", "s", "10");
    const auto connectionsOpt = option("connections", "handshakes, idle: how many connections.", "n", "10000");
    const auto parallelOpt = option("parallel", "handshakes: upgrades in flight at once.", "n", "256");
    const auto sourcesOpt = option("source-addresses", "Spread connections over this many 127.0.0.x addresses.", "n", "16");
    const auto pidOpt = option("server-pid", "The server's process id, to read its memory (idle) and CPU time (fanout).", "pid", "0");
    const auto jsonOpt = option("json", "Also write the results here.", "file", "");
    const auto publishOpt = option("publish-server", "fanout: the senders use this other instance (HTTP address); "
                                   "latency is measured on --server's members only.", "url", "");
    const auto frameBytesOpt = option("frame-bytes", "fanout --reference: pad each broadcast to this many bytes (a fanout run against "
                                      "the server prints the size of its event frames), so both carry the same bytes.", "n", "0");
    const auto compareOpt = option("compare-reference", "fanout: then run the same rates against chatterbox-bench-reference at this "
                                   "address (ws://host:port), its frames as long as the server's, and compare the most each delivered.", "url", "");
    const auto reactionsOpt = option("reactions", "fanout: reactions mixed in, per message published (0.1: one for every ten).", "share", "0");
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
        FanoutOptions options;
        options.members = parser.value(membersOpt).toInt();
        options.senders = parser.value(sendersOpt).toInt();
        options.seconds = parser.value(secondsOpt).toInt();
        options.rates.clear();
        for (const QString &rate : parser.value(rateOpt).split(QLatin1Char(','), Qt::SkipEmptyParts))
            options.rates.push_back(rate.toDouble());
        options.publishTo = publishTo;
        options.serverPid = parser.value(pidOpt).toLongLong();
        options.frameBytes = static_cast<std::size_t>(std::max(0, parser.value(frameBytesOpt).toInt()));
        options.reactionsPerMessage = std::max(0.0, parser.value(reactionsOpt).toDouble());
        if (reference)
            options.reference = bench.ws;
        const auto run = runFanout(bench, options);
        if (!run)
            return 1;
        const FanoutStep *most = run->most();
        bench.results.insert(QStringLiteral("steps"), stepsJson(*run));
        if (run->steps.size() > 1)
            std::printf("most: %.0f deliveries/s (at %.0f messages/s)\n", most->deliveriesPerSecond, most->rate);

        if (!parser.value(compareOpt).isEmpty()) {
            // The same rates through the bare loop, each broadcast as long as the server's events were.
            const QUrl loop(parser.value(compareOpt));
            options.reference = Endpoint{QHostAddress(loop.host()), static_cast<quint16>(loop.port())};
            options.publishTo.reset();
            options.serverPid = 0;
            if (!parser.isSet(frameBytesOpt))
                options.frameBytes = static_cast<std::size_t>(most->frameBytes);
            const auto loopRun = runFanout(bench, options);
            if (!loopRun)
                return 1;
            const FanoutStep *loopMost = loopRun->most();
            const double share = most->deliveriesPerSecond / std::max(1.0, loopMost->deliveriesPerSecond);
            std::printf("the server's most, %.0f deliveries/s, is %.0f %% of the bare loop's, %.0f/s (frames of %zu bytes)\n",
                        most->deliveriesPerSecond, 100.0 * share, loopMost->deliveriesPerSecond, options.frameBytes);
            if (loopRun->steps.back().keptUp)
                std::printf("(the loop kept up with every rate given: its most is higher; give higher rates to find it)\n");
            bench.results.insert(QStringLiteral("referenceSteps"), stepsJson(*loopRun));
            bench.results.insert(QStringLiteral("shareOfReference"), share);
        }
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
    } else if (scenario == QLatin1String("search")) {
        SearchOptions options;
        options.databaseUrl = parser.value(databaseOpt).toStdString();
        options.messages = parser.value(messagesOpt).toLongLong();
        if (const int status = runSearch(bench, options))
            return status;
    } else if (scenario == QLatin1String("files")) {
        if (const int status = runFiles(bench, FilesOptions{}))
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
