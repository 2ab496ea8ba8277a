#pragma once

#include <functional>
#include <string>

namespace httplib { class Server; struct Request; }

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
    std::function<std::string(const httplib::Request &)> baseUrl;

    void install(httplib::Server &server);
};

} // namespace chatterbox::server
