// SPDX-License-Identifier: GPL-3.0-or-later
#include "bench/dbscenarios.h"

#include "bench/stats.h"

#include <QRandomGenerator>
#include <QUuid>

#include <pqxx/pqxx>

#include <cstdio>

namespace chatterbox::bench {

namespace {

std::string newUuid()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString();
}

// Each connection may make 20 requests a second: the readers take turns, paced under that.
constexpr int kReaders = 10;
constexpr int kPaceMs = 6;

struct SeededTopic {
    std::string id;
    std::int64_t lastSeq = 0;
};

// The topics of an earlier run's seeded party, when one with all the messages exists.
std::vector<SeededTopic> findSeeded(pqxx::connection &db, const std::string &partyName, long long messages, std::string *partyId)
{
    pqxx::work tx(db);
    // The one party of that name whose topics hold the messages (an interrupted run can leave
    // another, emptier one behind).
    const auto rows = tx.exec_params("SELECT p.id::text, t.id::text, t.last_seq FROM parties p JOIN topics t ON t.party_id = p.id"
                                     " WHERE p.name = $1 ORDER BY p.id, t.position",
                                     partyName);
    std::map<std::string, std::vector<SeededTopic>> byParty;
    std::map<std::string, long long> totals;
    for (const auto &r : rows) {
        byParty[r[0].as<std::string>()].push_back({r[1].as<std::string>(), r[2].as<std::int64_t>()});
        totals[r[0].as<std::string>()] += r[2].as<long long>();
    }
    for (const auto &[party, total] : totals) {
        if (total >= messages) {
            *partyId = party;
            return byParty[party];
        }
    }
    return {};
}

} // namespace

int runHistory(Bench &bench, const HistoryOptions &options)
{
    if (options.databaseUrl.empty()) {
        std::fprintf(stderr, "chatterbox-bench history: --database-url is needed, to seed the server's database\n");
        return 2;
    }
    std::vector<Peer> readers;
    if (!connectSome(bench, readers, 1, bench.runPrefix + QStringLiteral("history-owner-"))) {
        std::fprintf(stderr, "chatterbox-bench history: cannot sign in and connect\n");
        return 1;
    }
    pqxx::connection db(options.databaseUrl);
    const std::string partyName = "bench history " + std::to_string(options.messages);
    std::string partyId;
    auto topics = findSeeded(db, partyName, options.messages, &partyId);
    QElapsedTimer seeding;
    seeding.start();
    if (topics.empty()) {
        // Party and topics through the protocol, the messages straight into the tables (the
        // same rows message.send writes), a topic per transaction.
        Peer &owner = readers.front();
        const json created = call(owner, "party.create", {{"name", partyName}});
        if (!created.contains("result")) {
            std::fprintf(stderr, "chatterbox-bench history: cannot create the party: %s\n", created.dump().c_str());
            return 1;
        }
        partyId = created["result"]["party"]["id"];
        std::vector<std::string> topicIds = {created["result"]["party"]["topics"][0]["id"]};
        for (int i = 1; i < options.topics; ++i) {
            const json topic = call(owner, "topic.create", {{"partyId", partyId}, {"name", "t" + std::to_string(i)}});
            if (!topic.contains("result"))
                return 1;
            topicIds.push_back(topic["result"]["topic"]["id"]);
        }
        const long long perTopic = options.messages / options.topics;
        for (const auto &topicId : topicIds) {
            std::printf("seeding %lld messages into topic %s...\n", perTopic, topicId.c_str());
            std::fflush(stdout);
            pqxx::work tx(db);
            tx.exec_params0("INSERT INTO messages (topic_id, seq, rev, author_id, client_msg_id, body)"
                            " SELECT $1, g, g, $2, gen_random_uuid(),"
                            "        'history message ' || g || ': the quick brown fox jumps over the lazy dog'"
                            " FROM generate_series(1, $3::bigint) g",
                            topicId, owner.userId, perTopic);
            tx.exec_params0("UPDATE topics SET last_seq = $2, last_rev = $2 WHERE id = $1", topicId, perTopic);
            tx.commit();
            topics.push_back({topicId, perTopic});
        }
        pqxx::work(db).exec0("ANALYZE messages");
        std::printf("seeded %lld messages in %.0f s\n", perTopic * options.topics, static_cast<double>(seeding.elapsed()) / 1000.0);
    }
    // Fresh readers: seeding held up the owner's pongs for minutes, and the server closed it.
    readers.clear();
    if (!connectSome(bench, readers, kReaders, bench.runPrefix + QStringLiteral("history-reader-")))
        return 1;
    {
        pqxx::work tx(db);
        for (const auto &reader : readers)
            tx.exec_params0("INSERT INTO members (party_id, user_id, role) VALUES ($1, $2, 'member') ON CONFLICT DO NOTHING",
                            partyId, reader.userId);
        tx.commit();
    }
    const long long stored = pqxx::work(db).exec1("SELECT count(*) FROM messages")[0].as<long long>();

    const SeededTopic &topic = topics.front();
    const auto measure = [&](std::function<json()> page) {
        std::vector<double> ms;
        for (int i = 0; i < options.samples + 20; ++i) {
            waitFor([] { return false; }, kPaceMs);
            const qint64 start = nowNs();
            const json reply = call(readers[static_cast<std::size_t>(i % kReaders)], "message.history", page());
            if (!reply.contains("result") || reply["result"]["messages"].size() != 50) {
                std::fprintf(stderr, "chatterbox-bench history: unexpected reply %s\n", reply.dump().substr(0, 300).c_str());
                return Percentiles{};
            }
            if (i >= 20) // the first few warm the caches
                ms.push_back(static_cast<double>(nowNs() - start) / 1e6);
        }
        return percentiles(ms);
    };
    const Percentiles newest = measure([&] { return json{{"topicId", topic.id}, {"limit", 50}}; });
    const std::int64_t deep = topic.lastSeq - std::int64_t(options.depthPages) * 50;
    if (deep < 100) {
        std::fprintf(stderr, "chatterbox-bench history: a topic holds %lld messages, too few for %d pages\n",
                     static_cast<long long>(topic.lastSeq), options.depthPages);
        return 1;
    }
    const Percentiles deepPage = measure([&] {
        const auto jitter = static_cast<std::int64_t>(QRandomGenerator::global()->bounded(1000));
        return json{{"topicId", topic.id}, {"beforeSeq", deep - jitter}, {"limit", 50}};
    });
    std::printf("chatterbox-bench history: %lld messages stored, topic of %lld, %d pages of 50 each\n", stored,
                static_cast<long long>(topic.lastSeq), options.samples);
    std::printf("  %-28s %9.2f ms p50 %9.2f ms p99 %9.2f ms max\n", "newest page", newest.p50, newest.p99, newest.max);
    std::printf("  %-28s %9.2f ms p50 %9.2f ms p99 %9.2f ms max\n",
                qPrintable(QStringLiteral("page %1 pages back").arg(options.depthPages)), deepPage.p50, deepPage.p99, deepPage.max);
    bench.results.insert(QStringLiteral("messagesStored"), static_cast<qint64>(stored));
    bench.results.insert(QStringLiteral("newestPageP50Ms"), newest.p50);
    bench.results.insert(QStringLiteral("newestPageP99Ms"), newest.p99);
    bench.results.insert(QStringLiteral("deepPageP50Ms"), deepPage.p50);
    bench.results.insert(QStringLiteral("deepPageP99Ms"), deepPage.p99);
    return 0;
}

int runSends(Bench &bench, const SendsOptions &options)
{
    const int n = options.topics * options.sendersPerTopic;
    const auto tokens = bench.login(n, bench.runPrefix + QStringLiteral("sender-"));
    std::vector<Peer> peers(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i)
        peers[static_cast<std::size_t>(i)].token = tokens[static_cast<std::size_t>(i)];
    int failures = 0;
    bench.connectAll(peers, 256, &failures);
    if (failures || !bench.helloAll(peers)) {
        std::fprintf(stderr, "chatterbox-bench sends: %d connections failed\n", failures);
        return 1;
    }
    // A party per topic; its senders are its members.
    std::vector<std::string> topicOf(static_cast<std::size_t>(n));
    for (int t = 0; t < options.topics; ++t) {
        Peer &owner = peers[static_cast<std::size_t>(t * options.sendersPerTopic)];
        const json created = call(owner, "party.create", {{"name", "bench sends " + std::to_string(t)}});
        if (!created.contains("result"))
            return 1;
        const std::string partyId = created["result"]["party"]["id"];
        const std::string topicId = created["result"]["party"]["topics"][0]["id"];
        const json invite = call(owner, "invite.create", {{"partyId", partyId}});
        for (int k = 0; k < options.sendersPerTopic; ++k) {
            const int i = t * options.sendersPerTopic + k;
            topicOf[static_cast<std::size_t>(i)] = topicId;
            if (k > 0 && !call(peers[static_cast<std::size_t>(i)], "invite.join", {{"code", invite["result"]["invite"]["code"]}}).contains("result"))
                return 1;
        }
    }
    std::vector<double> ack;
    ack.reserve(static_cast<std::size_t>(options.rate * options.seconds * 2));
    std::int64_t acked = 0, refused = 0, published = 0;
    bool measuring = false;
    double budget = 0;
    qint64 lastNs = nowNs();
    QTimer tick;
    tick.setInterval(1);
    QObject::connect(&tick, &QTimer::timeout, [&] {
        const qint64 now = nowNs();
        budget += options.rate * static_cast<double>(now - lastNs) / 1e9;
        lastNs = now;
        while (budget >= 1) {
            budget -= 1;
            const auto i = static_cast<std::size_t>(published++ % n);
            const qint64 start = nowNs();
            peers[i].request("message.send", {{"topicId", topicOf[i]}, {"clientMsgId", newUuid()}, {"body", "send " + std::to_string(start)}},
                             [&, start](const json &reply) {
                                 if (!measuring)
                                     return;
                                 if (!reply.contains("result")) {
                                     ++refused;
                                     return;
                                 }
                                 ++acked;
                                 ack.push_back(static_cast<double>(nowNs() - start) / 1e6);
                             });
        }
    });
    tick.start();
    waitFor([] { return false; }, 1000);
    measuring = true;
    QElapsedTimer clock;
    clock.start();
    waitFor([] { return false; }, options.seconds * 1000);
    measuring = false;
    const double elapsed = static_cast<double>(clock.nsecsElapsed()) / 1e9;
    tick.stop();
    waitFor([] { return false; }, 1000);
    const auto p = percentiles(ack);
    std::printf("chatterbox-bench sends: %d topics (a party each), %d senders, %.0f sends/s offered for %.1f s\n",
                options.topics, n, options.rate, elapsed);
    std::printf("  %-28s %12.0f /s (%lld refused)\n", "sends acknowledged", static_cast<double>(acked) / elapsed,
                static_cast<long long>(refused));
    std::printf("  %-28s %9.2f ms p50 %9.2f ms p99 %9.2f ms max\n", "ack", p.p50, p.p99, p.max);
    bench.results.insert(QStringLiteral("sendsPerSecond"), static_cast<double>(acked) / elapsed);
    bench.results.insert(QStringLiteral("refused"), static_cast<qint64>(refused));
    bench.results.insert(QStringLiteral("ackP50Ms"), p.p50);
    bench.results.insert(QStringLiteral("ackP99Ms"), p.p99);
    bench.results.insert(QStringLiteral("ackMaxMs"), p.max);
    return 0;
}

} // namespace chatterbox::bench
