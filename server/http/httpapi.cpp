#include "server/http/httpapi.h"

#include "server/auth/httpfetch.h"
#include "server/auth/signin.h"
#include "server/auth/tokens.h"
#include "server/http/oauthroutes.h"
#include "server/db/connectionpool.h"
#include "server/db/executor.h"
#include "server/logging.h"
#include "server/metrics.h"
#include "shared/limits.h"
#include "shared/validation.h"
#include "shared/webpage.h"

#include <httplib.h>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

namespace chatterbox::server {

namespace {

constexpr const char *kJson = "application/json";

void sendJson(httplib::Response &res, int status, const nlohmann::json &body)
{
    res.status = status;
    res.set_header("Cache-Control", "no-store");
    res.set_content(body.dump(), kJson);
}

std::string invitePage(const std::string &appLink, const std::string &code)
{
    const std::string link = web::htmlEscape(appLink);
    return R"(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>Join a party on Chatterbox</title>
<style>)" + std::string(web::kPageStyle) + R"(main{text-align:center}</style></head><body><main>
<h1>You have been invited to a party</h1>
<p>Open the invite in the Chatterbox app to see the party and join it.</p>
<a class="button" href=")" + link + R"(">Open in Chatterbox</a>
<p><code>Invite code: )" + web::htmlEscape(code) + R"(</code></p>
</main></body></html>
)";
}

} // namespace

HttpApi::HttpApi(const ServerConfig &config, ConnectionPool &pool, TokenService &tokens, SignInService &signIn,
                 Metrics &metrics, const ExecutorStats &dbStats)
    : m_config(config), m_pool(pool), m_tokens(tokens), m_signIn(signIn), m_metrics(metrics), m_dbStats(dbStats),
      m_server(std::make_unique<httplib::Server>())
{
    routes();
}

HttpApi::~HttpApi()
{
    stop();
}

int HttpApi::start(const HostPort &address)
{
    m_server->set_payload_max_length(16 * 1024);
    m_server->set_read_timeout(10, 0);
    m_server->set_write_timeout(10, 0);
    const int port = address.port == 0 ? m_server->bind_to_any_port(address.host)
                                       : (m_server->bind_to_port(address.host, address.port) ? address.port : -1);
    if (port <= 0)
        return 0;
    m_thread = std::thread([this] { m_server->listen_after_bind(); });
    return port;
}

void HttpApi::stop()
{
    if (m_server)
        m_server->stop();
    if (m_thread.joinable())
        m_thread.join();
}

bool HttpApi::databaseAnswers()
{
    try {
        auto lease = m_pool.acquire();
        try {
            pqxx::nontransaction tx(*lease);
            tx.exec("SELECT 1");
            m_databaseUp = true;
            return true;
        } catch (...) {
            lease.discard();
            throw;
        }
    } catch (const std::exception &e) {
        qCWarning(lcDb, "health check failed: %s", e.what());
        m_databaseUp = false;
        return false;
    }
}

std::string HttpApi::publicBaseUrl(const httplib::Request &req) const
{
    if (!m_config.publicUrl.empty())
        return m_config.publicUrl;
    std::string host = req.get_header_value("Host");
    if (host.empty() || host.size() > 255)
        host = m_config.httpListen.host + ":" + std::to_string(m_config.httpListen.port);
    return "http://" + host;
}

void HttpApi::routes()
{
    m_server->Get("/.well-known/chatterbox", [this](const httplib::Request &req, httplib::Response &res) {
        std::string websocket;
        if (!m_config.publicUrl.empty()) {
            // Behind a proxy: the proxy maps /ws on the public URL to the WebSocket port.
            const bool tls = m_config.publicUrl.rfind("https://", 0) == 0;
            websocket = (tls ? "wss://" : "ws://") + m_config.publicUrl.substr(tls ? 8 : 7) + "/ws";
        } else {
            std::string host = req.get_header_value("Host");
            if (host.empty() || host.size() > 255)
                host = m_config.httpListen.host;
            // Keep the host the client used, swap in the WebSocket port.
            const auto bracket = host.rfind(']');
            const auto colon = host.rfind(':');
            if (colon != std::string::npos && (bracket == std::string::npos || colon > bracket))
                host = host.substr(0, colon);
            websocket = "ws://" + host + ":" + std::to_string(m_wsPort.load()) + "/";
        }
        nlohmann::json providers = nlohmann::json::array();
        for (const auto &p : m_signIn.providers()) {
            const char *type = p.type == ProviderConfig::Type::GitHub ? "github" : p.type == ProviderConfig::Type::Dev ? "dev" : "oidc";
            providers.push_back({{"id", p.id}, {"name", p.name}, {"type", type}});
        }
        sendJson(res, 200, {{"name", "Chatterbox"}, {"protocol", limits::kProtocolVersion}, {"websocket", websocket},
                            {"authorization_endpoint", "/oauth/authorize"}, {"token_endpoint", "/oauth/token"},
                            {"revocation_endpoint", "/oauth/revoke"}, {"client_id", "chatterbox"},
                            {"providers", providers}});
    });

    m_server->Get("/healthz", [this](const httplib::Request &, httplib::Response &res) {
        if (databaseAnswers()) {
            res.set_content("ok\n", "text/plain");
        } else {
            res.status = 503;
            res.set_content("database unreachable\n", "text/plain");
        }
    });

    m_server->Get("/metrics", [this](const httplib::Request &, httplib::Response &res) {
        res.set_content(m_metrics.render(m_dbStats, m_databaseUp), "text/plain; version=0.0.4");
    });

    // The shareable invite link. It says nothing about the party (that would let anyone who
    // guesses a code learn names); it only hands the code to the app.
    m_server->Get(R"(/invite/([A-Za-z0-9_-]+))", [this](const httplib::Request &req, httplib::Response &res) {
        const std::string code = req.matches[1];
        if (!protocol::isInviteCode(code)) {
            res.status = 404;
            res.set_content("not found\n", "text/plain");
            return;
        }
        const std::string base = publicBaseUrl(req);
        const std::string appLink = "chatterbox://invite?server=" + percentEncode(base) + "&code=" + code;
        res.set_header("Cache-Control", "no-store");
        res.set_header("Referrer-Policy", "no-referrer");
        res.set_header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'");
        res.set_header("X-Content-Type-Options", "nosniff");
        res.set_content(invitePage(appLink, code), "text/html; charset=utf-8");
    });

    // The routes keep references to the OAuthRoutes object, so it lives as long as the server.
    m_oauth = std::make_unique<OAuthRoutes>(OAuthRoutes{m_signIn, m_tokens, m_pool, m_config.dev,
                                                        [this](const httplib::Request &req) { return publicBaseUrl(req); }});
    m_oauth->install(*m_server);
}

} // namespace chatterbox::server
