// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>

namespace chatterbox::server::http {
class Router;
struct ParseLimits;
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

    void install(http::Router &router);
    // What these routes' requests may carry beyond the server's usual body limit.
    static void allowBodies(http::ParseLimits &limits);
};

} // namespace chatterbox::server
