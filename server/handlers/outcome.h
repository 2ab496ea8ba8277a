// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "shared/errors.h"
#include "shared/events.h"
#include "shared/frames.h"
#include "shared/replies.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace chatterbox::server {

// Who is asking. Handlers trust nothing else about the caller.
struct RequestContext {
    std::string userId;
    std::string baseUrl = {};   // the server's public base URL, for links it hands out
};

// A change event and who receives it: the connections of the members of partyId (and of
// moreParties, once each), narrowed to one person when recipientUserId is set, and without
// exceptUserId's connections when that is set.
struct PartyEvent {
    std::string partyId;
    protocol::Event event;
    std::string recipientUserId = {};
    std::vector<std::string> moreParties = {};
    std::string exceptUserId = {};
};

// What a new connection's snapshot covers: the change log up to eventId, for these parties.
struct Snapshot {
    std::int64_t eventId = 0;
    std::vector<std::string> partyIds;
};

struct Refusal;
template <typename Reply>
struct Answer;

// What a handler decided: a result (the request's Reply type) or an error for the caller, and
// the events the change causes. The executor writes the events in the same transaction as the
// change; the hub encodes the result once, when it sends it.
struct Outcome {
    std::optional<protocol::Error> error;
    protocol::Reply result;
    std::vector<PartyEvent> events;      // stored with the change, delivered after commit
    std::vector<PartyEvent> ephemeral;   // delivered once, never stored (typing)
    std::optional<Snapshot> snapshot;

    bool ok() const { return !error.has_value(); }

    static Refusal fail(protocol::ErrorCode code, std::string message);
    template <typename T>
    static Answer<T> reply(T value);

    // The result as the wire carries it, for tests that check the wire form.
    nlohmann::json resultJson() const { return protocol::replyData(result); }
};

// An error for the caller, which any handler may return whatever its reply type.
struct Refusal {
    protocol::Error error;
    operator Outcome() const
    {
        Outcome o;
        o.error = error;
        return o;
    }
};

// What a handler of a request whose reply is Reply returns: that reply (with its events) or a
// refusal, nothing else. The router binds handlers by it, so a handler that answers with another
// reply type than its request declares does not compile.
template <typename Reply>
struct Answer : Outcome {
    Answer(Reply value) { result = std::move(value); }
    Answer(Refusal refusal) : Outcome(refusal) {}
};
template <typename Request>
using AnswerTo = Answer<typename Request::Reply>;

inline Refusal Outcome::fail(protocol::ErrorCode code, std::string message)
{
    return Refusal{protocol::Error{code, std::move(message)}};
}

template <typename T>
Answer<T> Outcome::reply(T value)
{
    return Answer<T>(std::move(value));
}

} // namespace chatterbox::server
