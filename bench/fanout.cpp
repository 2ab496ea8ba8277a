// SPDX-License-Identifier: GPL-3.0-or-later
#include "bench/fanout.h"

#include <QElapsedTimer>
#include <QTimer>
#include <QUuid>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>

namespace chatterbox::bench {

namespace {

// Joins every member to one new party and returns its first topic's id ("" on failure).
std::string joinOneTopic(std::vector<Peer> &peers)
{
    // Shared with the callbacks, which may outlive a wait that timed out.
    struct Joining {
        std::string topicId;
        int left = 0;
        bool joined = false;
    };
    auto state = std::make_shared<Joining>();
    state->left = static_cast<int>(peers.size()) - 1;
    peers[0].request("party.create", {{"name", "bench " + std::to_string(nowNs())}}, [&peers, state](const json &created) {
        const std::string partyId = created["result"]["party"]["id"];
        state->topicId = created["result"]["party"]["topics"][0]["id"];
        peers[0].request("invite.create", {{"partyId", partyId}}, [&peers, state](const json &invite) {
            const std::string code = invite["result"]["invite"]["code"];
            state->joined = state->left == 0;
            for (std::size_t i = 1; i < peers.size(); ++i)
                peers[i].request("invite.join", {{"code", code}}, [state](const json &reply) {
                    if (reply.value("type", "") == "error")
                        std::fprintf(stderr, "chatterbox-bench: a member could not join: %s\n", reply.value("message", "").c_str());
                    state->joined = --state->left == 0;
                });
        });
    });
    if (!waitFor([&] { return state->joined; }, 60000)) {
        int closed = 0;
        for (auto &peer : peers)
            closed += !peer.socket->isOpen();
        std::fprintf(stderr, "chatterbox-bench: members did not all join (%d still waiting, %d connections closed)\n",
                     state->left, closed);
        return {};
    }
    return state->topicId;
}

// The send time rides in the body ("b <ns>"); it is read where the message arrives. Against
// the server only events count (keys come sorted: {"data":...}); the reply to a send carries
// the body too. Returns -1 for anything else.
qint64 sentAt(const QByteArray &text, bool reference)
{
    qsizetype at = -1;
    if (reference && text.startsWith("b "))
        at = 2;
    else if (!reference && text.startsWith("{\"data\"") && (at = text.indexOf("\"body\":\"b ")) >= 0)
        at += 10;
    if (at < 0)
        return -1;
    qint64 sent = 0;
    for (qsizetype i = at; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i)
        sent = sent * 10 + (text[i] - '0');
    return sent;
}

void print(const FanoutOptions &options, const FanoutStep &step)
{
    std::printf("chatterbox-bench fanout%s: %d members, %d senders%s, %.0f messages/s for %.1f s\n",
                options.reference ? " (reference loop)" : "", options.members, options.senders,
                options.publishTo ? " on the other instance" : "", step.rate, step.seconds);
    std::printf("  %-28s %12.0f /s (frames of %.0f bytes)\n", "deliveries", step.deliveriesPerSecond, step.frameBytes);
    if (options.reactionsPerMessage > 0)
        std::printf("  %-28s %12.0f /s\n", "reactions acknowledged", step.reactionsPerSecond);
    std::printf("  %-28s %9.2f ms p50 %9.2f ms p99 %9.2f ms max\n", "publish -> delivery", step.latency.p50, step.latency.p99,
                step.latency.max);
    if (!options.reference)
        std::printf("  %-28s %9.2f ms p50 %9.2f ms p99 %9.2f ms max\n", "ack", step.ack.p50, step.ack.p99, step.ack.max);
    // The server's whole process: network threads, database threads, all.
    if (step.serverCpuPercent >= 0)
        std::printf("  %-28s %12.0f %% of a core, %.2f us per delivery\n", "server CPU", step.serverCpuPercent,
                    step.serverCpuUsPerDelivery);
    if (!step.keptUp)
        std::printf("  (did not keep up: stopping here)\n");
    std::fflush(stdout);
}

} // namespace

const FanoutStep *FanoutRun::most() const
{
    const auto it = std::max_element(steps.begin(), steps.end(), [](const FanoutStep &a, const FanoutStep &b) {
        return a.deliveriesPerSecond < b.deliveriesPerSecond;
    });
    return it == steps.end() ? nullptr : &*it;
}

std::optional<FanoutRun> runFanout(Bench &bench, const FanoutOptions &options)
{
    const bool reference = options.reference.has_value();
    const int members = options.members;
    const int senders = std::min(members, options.senders);
    std::vector<Peer> peers(static_cast<std::size_t>(members));
    if (reference) {
        for (auto &peer : peers)
            peer.endpoint = *options.reference;
    } else {
        // New people each run: the same ones would carry every earlier run's parties along.
        const auto tokens = bench.login(members, bench.runPrefix + QStringLiteral("member-"));
        for (int i = 0; i < members; ++i)
            peers[static_cast<std::size_t>(i)].token = tokens[static_cast<std::size_t>(i)];
    }
    if (options.publishTo) {
        for (int i = 0; i < senders; ++i)
            peers[static_cast<std::size_t>(i)].endpoint = *options.publishTo;
    }
    int failures = 0;
    bench.connectAll(peers, 256, &failures);
    if (failures) {
        std::fprintf(stderr, "chatterbox-bench: %d connections failed\n", failures);
        return std::nullopt;
    }
    std::string topicId;
    if (!reference) {
        if (!bench.helloAll(peers)) {
            std::fprintf(stderr, "chatterbox-bench: not every connection got its hello answered\n");
            return std::nullopt;
        }
        topicId = joinOneTopic(peers);
        if (topicId.empty())
            return std::nullopt;
    }

    // Receivers: every member, or with senders on another instance only the members here.
    std::vector<double> latency, ack;
    latency.reserve(4'000'000);
    qint64 deliveries = 0, deliveredBytes = 0, lastArrivalNs = 0;
    int acksOutstanding = 0;
    bool measuring = false;
    const std::size_t firstReceiver = options.publishTo ? static_cast<std::size_t>(senders) : 0;
    for (std::size_t p = firstReceiver; p < peers.size(); ++p) {
        QObject::connect(peers[p].socket.get(), &WsClient::textReceived, [&](const QByteArray &text) {
            const qint64 sent = sentAt(text, reference);
            if (sent < 0)
                return;
            lastArrivalNs = nowNs();
            if (!measuring)
                return;
            ++deliveries;
            deliveredBytes += text.size();
            latency.push_back(static_cast<double>(lastArrivalNs - sent) / 1e6);
        });
    }

    double rate = 0;
    double budget = 0;
    double reactionBudget = 0;
    qint64 reactionsAcked = 0;
    std::vector<std::string> newestOf(static_cast<std::size_t>(senders));   // each sender's newest message
    std::vector<bool> reacted(static_cast<std::size_t>(senders), false);
    qint64 lastTickNs = nowNs();
    std::int64_t published = 0;
    QTimer tick;
    tick.setInterval(1);
    QObject::connect(&tick, &QTimer::timeout, [&] {
        const qint64 now = nowNs();
        budget += rate * static_cast<double>(now - lastTickNs) / 1e9;
        lastTickNs = now;
        while (budget >= 1) {
            budget -= 1;
            Peer &sender = peers[static_cast<std::size_t>(published % senders)];
            std::string body = "b " + std::to_string(nowNs());
            ++published;
            if (reference) {
                if (body.size() + 1 < options.frameBytes)
                    body += ' ' + std::string(options.frameBytes - body.size() - 1, 'x');
                sender.socket->sendText(QByteArray::fromStdString(body));
                continue;
            }
            const qint64 start = nowNs();
            const auto who = static_cast<std::size_t>((published - 1) % senders);
            ++acksOutstanding;
            sender.request("message.send",
                           {{"topicId", topicId}, {"clientMsgId", QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString()}, {"body", body}},
                           [&, start, who](const json &reply) {
                               --acksOutstanding;
                               if (measuring)
                                   ack.push_back(static_cast<double>(nowNs() - start) / 1e6);
                               if (reply.contains("result"))
                                   newestOf[who] = reply["result"]["message"].value("id", std::string());
                           });
            reactionBudget += options.reactionsPerMessage;
            if (reactionBudget >= 1 && !newestOf[who].empty()) {
                reactionBudget -= 1;
                const bool remove = reacted[who];
                reacted[who] = !remove;
                ++acksOutstanding;
                sender.request(remove ? "reaction.remove" : "reaction.add", {{"messageId", newestOf[who]}, {"emoji", "\xf0\x9f\x91\x8d"}},
                               [&](const json &reply) {
                                   --acksOutstanding;
                                   if (measuring && reply.contains("result"))
                                       ++reactionsAcked;
                               });
            }
        }
    });

    FanoutRun run;
    const auto receivers = static_cast<double>(peers.size() - firstReceiver);
    for (const double stepRate : options.rates) {
        rate = stepRate;
        budget = 0;
        lastTickNs = nowNs();
        latency.clear();
        ack.clear();
        deliveries = deliveredBytes = reactionsAcked = 0;
        tick.start();
        waitFor([] { return false; }, 1000); // warm up
        const double cpuBefore = options.serverPid ? cpuSeconds(options.serverPid) : -1;
        QElapsedTimer clock;
        measuring = true;
        clock.start();
        waitFor([] { return false; }, options.seconds * 1000);
        measuring = false;
        const double elapsed = static_cast<double>(clock.nsecsElapsed()) / 1e9;
        const double serverCpu = options.serverPid ? cpuSeconds(options.serverPid) - cpuBefore : -1;
        tick.stop();

        FanoutStep step;
        step.rate = stepRate;
        step.seconds = elapsed;
        step.deliveriesPerSecond = static_cast<double>(deliveries) / elapsed;
        step.reactionsPerSecond = static_cast<double>(reactionsAcked) / elapsed;
        step.frameBytes = static_cast<double>(deliveredBytes) / std::max<double>(1, static_cast<double>(deliveries));
        step.latency = percentiles(latency);
        step.ack = percentiles(ack);
        if (serverCpu >= 0) {
            step.serverCpuPercent = 100.0 * serverCpu / elapsed;
            step.serverCpuUsPerDelivery = 1e6 * serverCpu / std::max<double>(1, static_cast<double>(deliveries));
        }
        step.keptUp = step.deliveriesPerSecond >= 0.9 * stepRate * receivers;
        print(options, step);
        run.steps.push_back(step);
        // What is still on its way arrives before the next rate is measured (at most a minute).
        waitFor([&] { return acksOutstanding == 0 && nowNs() - lastArrivalNs > 500'000'000; }, 60000);
        if (!step.keptUp)
            break;
    }
    return run;
}

} // namespace chatterbox::bench
