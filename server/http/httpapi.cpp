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

// RFC 3986 percent-encoding of everything but the unreserved characters.
std::string percentEncode(const std::string &text)
{
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

// Text for HTML: the five characters that could end an attribute or start a tag.
std::string htmlEscape(const std::string &text)
{
    std::string out;
    for (char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
        }
    }
    return out;
}

std::string invitePage(const std::string &appLink, const std::string &code)
{
    const std::string link = htmlEscape(appLink);
    return R"(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>Join a party on Chatterbox</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;background:#f4f5f7;color:#1d1f23}
@media (prefers-color-scheme:dark){body{background:#1d1f23;color:#e8e9eb}main{background:#2a2d33!important}}
main{background:#fff;border-radius:12px;padding:32px 40px;max-width:420px;text-align:center;box-shadow:0 2px 12px rgba(0,0,0,.08)}
h1{font-size:22px;margin:0 0 8px}p{margin:8px 0 24px;opacity:.8}
a.button{display:inline-block;background:#5865f2;color:#fff;text-decoration:none;padding:12px 24px;border-radius:8px;font-weight:600}
code{font-size:13px;opacity:.7}
</style></head><body><main>
<h1>You have been invited to a party</h1>
<p>Open the invite in the Chatterbox app to see the party and join it.</p>
<a class="button" href=")" + link + R"(">Open in Chatterbox</a>
<p><code>Invite code: )" + htmlEscape(code) + R"(</code></p>
</main></body></html>
)";
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
        res.set_header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
        res.set_header("X-Content-Type-Options", "nosniff");
        res.set_content(invitePage(appLink, code), "text/html; charset=utf-8");
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
