// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "bench/benchsession.h"
#include "bench/stats.h"

#include <cstddef>
#include <optional>
#include <vector>

// chatterbox-bench's fan-out scenario: senders publish into one topic whose members each have
// a connection; against the server, or against the bare broadcast loop for comparison.
namespace chatterbox::bench {

struct FanoutOptions {
    int members = 1000;                 // one connection each
    int senders = 10;                   // the first `senders` members publish, in turn
    int seconds = 10;                   // measured at each rate
    std::vector<double> rates = {300};  // messages per second, all senders together, in turn
    std::optional<Endpoint> publishTo;  // the senders' instance, when not the members'
    qint64 serverPid = 0;               // to read the server's CPU time, when known
    // The bare loop (chatterbox-bench-reference) at this address instead of the server, each
    // broadcast padded to `frameBytes` (0: as short as it gets).
    std::optional<Endpoint> reference;
    std::size_t frameBytes = 0;
    // Reactions mixed into the load: this many per message published (0.1: one reaction for
    // every ten messages), each a sender adding or taking back 👍 on its newest message.
    double reactionsPerMessage = 0;
};

// What one rate gave.
struct FanoutStep {
    double rate = 0;
    double seconds = 0;
    double deliveriesPerSecond = 0;     // of messages (reaction events are not counted)
    double reactionsPerSecond = 0;      // reactions acknowledged
    double frameBytes = 0;              // the mean size of the frames delivered
    Percentiles latency;                // publish -> delivery, ms
    Percentiles ack;                    // send -> reply, ms (the server only)
    double serverCpuPercent = -1;
    double serverCpuUsPerDelivery = -1;
    bool keptUp = false;                // delivered at least 90 % of what was published
};

struct FanoutRun {
    std::vector<FanoutStep> steps;      // in the order measured; the sweep stops after the first not kept up
    const FanoutStep *most() const;     // the step with the most deliveries per second
};

// Sets up the topic and its members (new people each run), then measures each rate in turn,
// letting what is in flight arrive before the next. Prints each step; nothing on failure but
// the reason, on stderr.
std::optional<FanoutRun> runFanout(Bench &bench, const FanoutOptions &options);

} // namespace chatterbox::bench
