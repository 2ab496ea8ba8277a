// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/http/bytebudget.h"

#include <cstddef>
#include <memory>
#include <optional>
#include <string>

namespace chatterbox::server::http {
class Router;
struct ParseLimits;
struct Request;
struct Response;
} // namespace chatterbox::server::http

namespace chatterbox::server {

class ConnectionPool;
class TokenService;
namespace files {
class FileStore;
}

// Files over HTTP, for the signed-in person (Authorization: Bearer, as the WebSocket):
// POST /files to declare an upload, PATCH /files/<id> for each piece, GET /files/<id>/upload to
// resume, GET /files/<id> and /files/<id>/thumbnail to read (docs/protocol.md, "Files").
struct FileRoutes {
    files::FileStore &files;
    TokenService &tokens;
    ConnectionPool &pool;
    // What downloads being written may hold at once: 256 MiB in all, 64 MiB per client address
    // (two or three files of the largest size); past it, 503 with Retry-After.
    std::shared_ptr<http::ByteBudget> downloads = std::make_shared<http::ByteBudget>(256u << 20, 64u << 20);

    void install(http::Router &router);
    // What these routes' requests may carry beyond the server's usual body limit.
    static void allowBodies(http::ParseLimits &limits);
    // Asked when a large body's head is in: a request without a valid token is answered 401
    // before its body is taken.
    std::optional<http::Response> refuseEarly(const http::Request &head) const;
    // The signed-in person a request is from: the user id, or nothing.
    std::optional<std::string> callerOf(const http::Request &req) const;
};

} // namespace chatterbox::server
