// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "bench/benchsession.h"

#include <string>

// chatterbox-bench's scenarios about storage: reading history out of a big database, and
// many small writes spread over many topics.
namespace chatterbox::bench {

struct HistoryOptions {
    std::string databaseUrl;        // the server's database, to seed it directly
    long long messages = 10'000'000;
    int topics = 10;                // the messages are spread over this many topics
    int samples = 500;              // pages read per measurement
    int depthPages = 10'000;        // how deep the deep page is
};
// Seeds the database once (reused by later runs), then measures message.history: the newest
// page, and a page depthPages pages back.
int runHistory(Bench &bench, const HistoryOptions &options);

struct SendsOptions {
    int topics = 100;               // each in its own party, so a send is delivered to few
    int sendersPerTopic = 2;
    double rate = 2000;             // sends per second, all senders together
    int seconds = 10;
};
// message.send at a steady rate: sends per second acknowledged, and ack latency.
int runSends(Bench &bench, const SendsOptions &options);

} // namespace chatterbox::bench
