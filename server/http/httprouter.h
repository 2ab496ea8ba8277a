// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/http/httpmessage.h"

#include <functional>
#include <optional>
#include <regex>
#include <string>
#include <vector>

namespace chatterbox::server::http {

// Which handler answers a request: by method and path, a path written out or a regular
// expression matched against the whole path (its groups land in Request::matches). A path
// nothing answers is 404; a path that another method answers is 405 with Allow.
class Router final {
public:
    using Handler = std::function<void(const Request &, Response &)>;

    void get(const std::string &pattern, Handler handler) { add("GET", pattern, std::move(handler)); }
    void post(const std::string &pattern, Handler handler) { add("POST", pattern, std::move(handler)); }
    void patch(const std::string &pattern, Handler handler) { add("PATCH", pattern, std::move(handler)); }

    // Runs the matching handler; a handler that throws answers 500.
    Response handle(Request &request) const;
    // Asked before any route: an answer here is the answer (a request refused whatever it asks).
    void setGuard(std::function<std::optional<Response>(const Request &)> guard) { m_guard = std::move(guard); }
    // Told of every request answered: the route as it was added (a literal path or a pattern;
    // "(refused)" for the guard's answers, "(none)" when nothing matched), for metrics and the
    // access log. The route, unlike the path, takes only a few values whatever clients ask.
    using Observer = std::function<void(const Request &, const std::string &route, const Response &, double seconds)>;
    void setObserver(Observer observer) { m_observer = std::move(observer); }

private:
    struct Route {
        std::string name;        // as added
        std::string method;
        std::string path;        // written out, or empty
        std::regex pattern;      // when path is empty
        Handler handler;
    };
    void add(const std::string &method, const std::string &pattern, Handler handler);

    std::vector<Route> m_routes;
    std::function<std::optional<Response>(const Request &)> m_guard;
    Observer m_observer;

    Response route(Request &request, const std::string **name) const;
};

} // namespace chatterbox::server::http
