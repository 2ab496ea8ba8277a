#pragma once

#include "server/config.h"

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

namespace httplib { class Server; struct Request; }

namespace chatterbox::server {

class ConnectionPool;
class Metrics;
class SignInService;
struct OAuthRoutes;
class TokenService;
struct ExecutorStats;

// The HTTP side: discovery, health, metrics and sign-in. Runs on cpp-httplib's own threads;
// it may block on the database, the WebSocket side never does.
class HttpApi final {
public:
    HttpApi(const ServerConfig &config, ConnectionPool &pool, TokenService &tokens, SignInService &signIn,
            Metrics &metrics, const ExecutorStats &dbStats);
    ~HttpApi();
    HttpApi(const HttpApi &) = delete;
    HttpApi &operator=(const HttpApi &) = delete;

    // Binds and starts serving. Returns the bound port, or 0 when binding failed.
    int start(const HostPort &address);
    void stop();

    // Where clients open the WebSocket; set once the WebSocket side is listening.
    void setWebSocketPort(int port) { m_wsPort = port; }

private:
    void routes();
    bool databaseAnswers();
    std::string publicBaseUrl(const httplib::Request &req) const;

    const ServerConfig &m_config;
    ConnectionPool &m_pool;
    TokenService &m_tokens;
    SignInService &m_signIn;
    Metrics &m_metrics;
    const ExecutorStats &m_dbStats;
    std::unique_ptr<httplib::Server> m_server;
    std::unique_ptr<OAuthRoutes> m_oauth;
    std::thread m_thread;
    std::atomic<int> m_wsPort{0};
    std::atomic<bool> m_databaseUp{false};
};

} // namespace chatterbox::server
