// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/db/executor.h"
#include "shared/requests.h"

#include <optional>

namespace chatterbox::server {

// Where a request is answered.
enum class RouteKind {
    Hub,     // by the hub, from live state, with no database (presence.set, session.renew)
    Read,    // on a reader thread, in a read-only snapshot
    Write,   // on the writer, in one transaction with the events it causes
};

// What the hub checks before it starts a request, beyond every connection's rate limit.
enum class ThrottleKind {
    None,
    Typing,         // one typing event per person and topic per interval; the rest answered at once
    InviteLookup,   // a budget of failed invite codes per person and address (InviteBudget)
    Reaction,       // reactions added or removed per person: a burst, then a steady rate
    Search,         // searches per person: a burst, then a steady rate (each may read much)
    DirectOpen,     // direct.open per person: a burst, then a steady rate (each may start a conversation)
};

// One row per request type: where it runs, what throttles it, and which handler runs it.
struct Route {
    RouteKind kind = RouteKind::Read;
    ThrottleKind throttle = ThrottleKind::None;
    Executor::Work work = {};
    // Instead of work, for a write that can run as one statement with its neighbours.
    std::optional<Executor::Combinable> combinable = {};
};

// Every request type has a row (std::visit over the request variant: a new request that has
// none does not compile).
Route routeRequest(const protocol::Request &request, const RequestContext &context);

} // namespace chatterbox::server
