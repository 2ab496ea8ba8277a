// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/http/httprouter.h"

#include "server/logging.h"

#include <chrono>

namespace chatterbox::server::http {

void Router::add(const std::string &method, const std::string &pattern, Handler handler)
{
    const bool literal = pattern.find_first_of("()[]*+?\\|^$") == std::string::npos;
    m_routes.push_back({pattern, method, literal ? pattern : std::string(), literal ? std::regex() : std::regex(pattern), std::move(handler)});
}

Response Router::handle(Request &request) const
{
    const auto started = std::chrono::steady_clock::now();
    const std::string *name = nullptr;
    Response response = route(request, &name);
    if (m_observer) {
        static const std::string none = "(none)";
        m_observer(request, name ? *name : none, response, std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    }
    return response;
}

Response Router::route(Request &request, const std::string **name) const
{
    if (m_guard) {
        if (auto refusal = m_guard(request)) {
            static const std::string refused = "(refused)";
            *name = &refused;
            return *refusal;
        }
    }
    std::string allowed;
    for (const auto &route : m_routes) {
        std::smatch match;
        const bool hit = route.path.empty() ? std::regex_match(request.path, match, route.pattern) : request.path == route.path;
        if (!hit)
            continue;
        if (route.method != request.method && !(route.method == "GET" && request.method == "HEAD")) {
            allowed += (allowed.empty() ? "" : ", ") + route.method;
            continue;
        }
        *name = &route.name;
        request.matches.clear();
        if (route.path.empty()) {
            for (const auto &group : match)
                request.matches.push_back(group.str());
        } else {
            request.matches.push_back(request.path);
        }
        Response response;
        try {
            route.handler(request, response);
        } catch (const std::exception &e) {
            qCWarning(lcHttp, "%s %s failed: %s", request.method.c_str(), request.path.c_str(), e.what());
            response = Response{};
            response.status = 500;
            response.setContent("internal error\n", "text/plain");
        }
        response.headOnly = request.method == "HEAD";
        return response;
    }
    Response response;
    response.status = allowed.empty() ? 404 : 405;
    if (!allowed.empty())
        response.setHeader("Allow", allowed);
    response.setContent(allowed.empty() ? "not found\n" : "method not allowed\n", "text/plain");
    return response;
}

} // namespace chatterbox::server::http
