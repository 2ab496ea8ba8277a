// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "bench/benchsession.h"

#include <string>

// chatterbox-bench's search scenario: message.search over a database of many parties, seeded
// with text that reads like chat (a Zipf vocabulary, links, accents, some CJK), not one line.
namespace chatterbox::bench {

struct SearchOptions {
    std::string databaseUrl;        // the server's database, to seed it directly
    long long messages = 10'000'000;
    int parties = 200;              // each with kTopicsPerParty topics
    int memberOf = 20;              // parties the searcher is in
    int samples = 500;              // searches per measurement
};
// Seeds the database once (reused by later runs), then measures a one-word query as typed (its
// word a prefix) and a quoted phrase with from:, over the searcher's parties.
int runSearch(Bench &bench, const SearchOptions &options);

} // namespace chatterbox::bench
