#pragma once

#include "server/db/executor.h"
#include "shared/requests.h"

namespace chatterbox::server {

enum class RouteKind { Read, Write };

// Where a request runs and which handler runs it. Hello is not routed: the hub answers it.
struct Route {
    RouteKind kind = RouteKind::Read;
    Executor::Work work;
};

Route routeRequest(const protocol::Request &request, const RequestContext &context);

} // namespace chatterbox::server
