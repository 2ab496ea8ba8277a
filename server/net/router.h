#pragma once

#include "server/db/executor.h"
#include "shared/requests.h"

#include <optional>

namespace chatterbox::server {

enum class RouteKind { Read, Write };

// Where a request runs and which handler runs it. Hello is not routed: the hub answers it.
struct Route {
    RouteKind kind = RouteKind::Read;
    Executor::Work work;
    // Instead of work, for a write that can run as one statement with its neighbours.
    std::optional<Executor::Combinable> combinable = {};
};

Route routeRequest(const protocol::Request &request, const RequestContext &context);

} // namespace chatterbox::server
