#include "server/http/httpapi.h"

#include "server/auth/tokens.h"
#include "server/db/connectionpool.h"
#include "server/db/executor.h"
#include "server/logging.h"
#include "server/metrics.h"
#include "shared/limits.h"
#include "shared/validation.h"

#include <httplib.h>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

namespace chatterbox::server {

namespace {

constexpr const char *kJson = "application/json";

bool isLoopback(const std::string &address)
{
    return address.rfind("127.", 0) == 0 || address == "::1" || address.rfind("::ffff:127.", 0) == 0;
}

void sendJson(httplib::Response &res, int status, const nlohmann::json &body)
{
    res.status = status;
    res.set_header("Cache-Control", "no-store");
    res.set_content(body.dump(), kJson);
}

void oauthError(httplib::Response &res, int status, const char *error, const std::string &description)
{
    sendJson(res, status, {{"error", error}, {"error_description", description}});
}

nlohmann::json tokenResponse(const TokenPair &pair)
{
    return {{"access_token", pair.accessToken}, {"token_type", "Bearer"}, {"expires_in", pair.expiresIn},
            {"refresh_token", pair.refreshToken}};
}

// The account for a development name: keyed by (provider "dev", the name), like any provider.
std::pair<std::string, std::string> devAccount(pqxx::connection &connection, const std::string &name)
{
    pqxx::work tx(connection);
    auto existing = tx.exec_params("SELECT u.id, u.display_name FROM identities i JOIN users u ON u.id = i.user_id"
                                   " WHERE i.provider = 'dev' AND i.subject = $1",
                                   name);
    if (existing.empty()) {
        const auto userId = tx.exec_params1("INSERT INTO users (display_name) VALUES ($1) RETURNING id", name)[0].as<std::string>();
        tx.exec_params0("INSERT INTO identities (provider, subject, user_id) VALUES ('dev', $1, $2)"
                        " ON CONFLICT DO NOTHING", name, userId);
        existing = tx.exec_params("SELECT u.id, u.display_name FROM identities i JOIN users u ON u.id = i.user_id"
                                  " WHERE i.provider = 'dev' AND i.subject = $1",
                                  name);
    }
    tx.commit();
    return {existing[0][0].as<std::string>(), existing[0][1].as<std::string>()};
}

} // namespace

HttpApi::HttpApi(const ServerConfig &config, ConnectionPool &pool, TokenService &tokens, Metrics &metrics,
                 const ExecutorStats &dbStats)
    : m_config(config), m_pool(pool), m_tokens(tokens), m_metrics(metrics), m_dbStats(dbStats),
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
        if (m_config.dev)
            providers.push_back({{"id", "dev"}, {"name", "Development sign-in"}, {"url", "/auth/dev"}});
        sendJson(res, 200, {{"name", "Chatterbox"}, {"protocol", limits::kProtocolVersion}, {"websocket", websocket},
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

    // Development sign-in: only when enabled, and only for clients on this machine.
    m_server->Post("/auth/dev", [this](const httplib::Request &req, httplib::Response &res) {
        if (!m_config.dev || !isLoopback(req.remote_addr)) {
            res.status = 404;
            res.set_content("not found\n", "text/plain");
            return;
        }
        const auto body = nlohmann::json::parse(req.body, nullptr, false);
        if (!body.is_object() || !body.contains("name") || !body["name"].is_string())
            return oauthError(res, 400, "invalid_request", "send {\"name\": \"...\"}");
        const std::string name = protocol::trimmed(body["name"].get<std::string>());
        if (auto error = protocol::checkName(name, limits::kMaxDisplayNameChars, "name"))
            return oauthError(res, 400, "invalid_request", error->message);
        try {
            auto lease = m_pool.acquire();
            const auto [userId, displayName] = devAccount(*lease, name);
            auto response = tokenResponse(m_tokens.signIn(*lease, userId));
            response["user"] = {{"id", userId}, {"displayName", displayName}};
            qCInfo(lcAuth, "development sign-in for user %s", userId.c_str());
            sendJson(res, 200, response);
        } catch (const std::exception &e) {
            qCWarning(lcAuth, "development sign-in failed: %s", e.what());
            oauthError(res, 503, "temporarily_unavailable", "the server cannot reach its database");
        }
    });

    // OAuth 2.0 token endpoint (RFC 6749 section 6): exchanges a refresh token for a new pair.
    m_server->Post("/oauth/token", [this](const httplib::Request &req, httplib::Response &res) {
        const std::string grant = req.get_param_value("grant_type");
        if (grant != "refresh_token")
            return oauthError(res, 400, "unsupported_grant_type", "grant_type must be refresh_token");
        const std::string token = req.get_param_value("refresh_token");
        if (token.empty() || token.size() > 256)
            return oauthError(res, 400, "invalid_request", "refresh_token is missing");
        try {
            auto lease = m_pool.acquire();
            RefreshError why = RefreshError::Invalid;
            const auto pair = m_tokens.refresh(*lease, token, &why);
            if (!pair)
                return oauthError(res, 400, "invalid_grant",
                                  why == RefreshError::Reused ? "refresh token already used; sign in again"
                                                              : "refresh token is invalid or expired");
            sendJson(res, 200, tokenResponse(*pair));
        } catch (const std::exception &e) {
            qCWarning(lcAuth, "token refresh failed: %s", e.what());
            oauthError(res, 503, "temporarily_unavailable", "the server cannot reach its database");
        }
    });
}

} // namespace chatterbox::server
