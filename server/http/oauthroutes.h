// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>
#include <string>

namespace chatterbox::server::http {
class Router;
struct Request;
} // namespace chatterbox::server::http

namespace chatterbox::server {

class ConnectionPool;
class SignInService;
class TokenService;

// The sign-in endpoints: /oauth/authorize, /oauth/callback/<provider>, /oauth/token,
// /oauth/revoke, and the development provider's pages (/auth/dev/pick, POST /auth/dev).
struct OAuthRoutes {
    SignInService &signIn;
    TokenService &tokens;
    ConnectionPool &pool;
    bool dev;
    std::function<std::string(const http::Request &)> baseUrl;

    void install(http::Router &router);
};

} // namespace chatterbox::server
