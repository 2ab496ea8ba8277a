// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/config.h"

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace chatterbox::server::http {
class Router;
class Server;
struct Request;
struct Response;
} // namespace chatterbox::server::http

namespace chatterbox::server {

class ConnectionPool;
class Metrics;
class SignInService;
struct OAuthRoutes;
struct FileRoutes;
namespace files {
class FileStore;
}
class TokenService;
struct ExecutorStats;

// The HTTP side: discovery, health, metrics, sign-in and files, served by http::Server (its own network
// thread, routes on worker threads that may block on the database; the WebSocket side never does).
//
// Without --public-url every URL the server makes (redirects, the invite page's link, discovery's
// WebSocket address) is built from the address the request arrived at, never from its Host
// header, and a request whose Host is not that address is refused: a page elsewhere cannot steer
// the URLs, or reach a development server through DNS rebinding.
class HttpApi final {
public:
    HttpApi(const ServerConfig &config, ConnectionPool &pool, TokenService &tokens, SignInService &signIn,
            files::FileStore &files, Metrics &metrics, const ExecutorStats &dbStats);
    ~HttpApi();
    HttpApi(const HttpApi &) = delete;
    HttpApi &operator=(const HttpApi &) = delete;

    // Binds and starts serving. Returns the bound port, or 0 when binding failed.
    int start(const HostPort &address);
    // /metrics and /healthz alone on an address of their own (--metrics-listen), for a
    // monitor on a private network; /metrics then leaves the public side. The bound port, or 0.
    int startMetrics(const HostPort &address);
    void stop();

    // Where clients open the WebSocket; set once the WebSocket side is listening.
    void setWebSocketPort(int port) { m_wsPort = port; }

private:
    http::Router routes();
    void addHealthRoutes(http::Router &router, bool withMetrics);
    bool databaseAnswers();
    std::string publicBaseUrl(const http::Request &req) const;
    std::optional<http::Response> refusedHost(const http::Request &req) const;

    const ServerConfig &m_config;
    ConnectionPool &m_pool;
    TokenService &m_tokens;
    SignInService &m_signIn;
    files::FileStore &m_files;
    Metrics &m_metrics;
    const ExecutorStats &m_dbStats;
    std::unique_ptr<http::Server> m_server;
    std::unique_ptr<http::Server> m_metricsServer;
    std::unique_ptr<OAuthRoutes> m_oauth;
    std::unique_ptr<FileRoutes> m_fileRoutes;
    std::atomic<int> m_wsPort{0};
    std::atomic<bool> m_databaseUp{true};   // the server checked it on start
};

} // namespace chatterbox::server
