#pragma once

#include "shared/errors.h"
#include "shared/events.h"

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

// What a handler decided: a result or an error for the caller, and the events the change
// causes. The executor writes the events in the same transaction as the change.
struct Outcome {
    std::optional<protocol::Error> error;
    nlohmann::json result;
    std::vector<PartyEvent> events;      // stored with the change, delivered after commit
    std::vector<PartyEvent> ephemeral;   // delivered once, never stored (typing)
    std::optional<Snapshot> snapshot;

    bool ok() const { return !error.has_value(); }

    static Outcome fail(protocol::ErrorCode code, std::string message)
    {
        Outcome o;
        o.error = protocol::Error{code, std::move(message)};
        return o;
    }
    template <typename T>
    static Outcome reply(const T &value)
    {
        Outcome o;
        o.result = value;
        return o;
    }
};

} // namespace chatterbox::server
