// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/http/httpapi.h"

#include "server/auth/httpfetch.h"
#include "server/auth/signin.h"
#include "server/auth/tokens.h"
#include "server/http/fileroutes.h"
#include "server/http/oauthroutes.h"
#include "server/db/connectionpool.h"
#include "server/db/executor.h"
#include "server/logging.h"
#include "server/metrics.h"
#include "shared/limits.h"
#include "shared/validation.h"
#include "shared/webpage.h"

#include "server/http/httpserver.h"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include <algorithm>
#include <cctype>
#include <set>

namespace chatterbox::server {

namespace {

constexpr const char *kJson = "application/json";

void sendJson(http::Response &res, int status, const nlohmann::json &body)
{
    res.status = status;
    res.setHeader("Cache-Control", "no-store");
    res.setContent(body.dump(), kJson);
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

// A message's permalink page. Like the invite page it reads nothing: it says nothing of the
// message (whoever has the link may not be a member) and only hands the link to the app, which
// asks the server as the signed-in person.
std::string messagePage(const std::string &appLink)
{
    return R"(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>A message on Chatterbox</title>
<style>)" + std::string(web::kPageStyle) + R"(main{text-align:center}</style></head><body><main>
<h1>A message on Chatterbox</h1>
<p>Open it in the Chatterbox app. You can see it if you are a member of its party.</p>
<a class="button" href=")" + web::htmlEscape(appLink) + R"(">Open in Chatterbox</a>
</main></body></html>
)";
}

} // namespace

HttpApi::HttpApi(const ServerConfig &config, ConnectionPool &pool, TokenService &tokens, SignInService &signIn,
                 files::FileStore &files, Metrics &metrics, const ExecutorStats &dbStats)
    : m_config(config), m_pool(pool), m_tokens(tokens), m_signIn(signIn), m_files(files), m_metrics(metrics), m_dbStats(dbStats)
{
}

HttpApi::~HttpApi()
{
    stop();
}

int HttpApi::start(const HostPort &address)
{
    http::ServerLimits limits;
    FileRoutes::allowBodies(limits.parse);
    m_server = std::make_unique<http::Server>(routes(), limits);
    // A large body (a piece of a file) is refused by its head before it is taken: the wrong
    // Host, or no valid token.
    m_server->setLargeBodyGate([this](const http::Request &head) -> std::optional<http::Response> {
        if (auto refusal = refusedHost(head))
            return refusal;
        return m_fileRoutes->refuseEarly(head);
    });
    m_server->setTrustedProxies(std::set<std::string>(m_config.trustedProxies.begin(), m_config.trustedProxies.end()));
    const quint16 port = m_server->listen(QHostAddress(QString::fromStdString(address.host)), address.port);
    if (port == 0)
        qCWarning(lcHttp, "cannot listen on %s:%u: %s", address.host.c_str(), address.port, qPrintable(m_server->error()));
    return port;
}

void HttpApi::stop()
{
    if (m_metricsServer)
        m_metricsServer->stop();
    if (m_server)
        m_server->stop();
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
        // Once per outage: a monitor asking every few seconds must not fill the log.
        if (m_databaseUp.exchange(false))
            qCWarning(lcDb, "health check failed: %s", e.what());
        return false;
    }
}

namespace {

// "127.0.0.1:8080", "[::1]:8080": an address and port as they go into a URL and a Host header.
std::string authorityOf(const std::string &address, unsigned port)
{
    const bool v6 = address.find(':') != std::string::npos;
    return (v6 ? "[" + address + "]" : address) + ":" + std::to_string(port);
}

bool isLoopbackAddress(const std::string &address)
{
    return address.rfind("127.", 0) == 0 || address == "::1";
}

std::string lowered(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

} // namespace

std::string HttpApi::publicBaseUrl(const http::Request &req) const
{
    if (!m_config.publicUrl.empty())
        return m_config.publicUrl;
    return "http://" + authorityOf(req.localAddress, req.localPort);
}

std::optional<http::Response> HttpApi::refusedHost(const http::Request &req) const
{
    // Behind a proxy the URLs come from --public-url, whatever Host says.
    if (!m_config.publicUrl.empty())
        return std::nullopt;
    const std::string host = lowered(req.header("host"));
    const std::string own = authorityOf(req.localAddress, req.localPort);
    if (host == own || (isLoopbackAddress(req.localAddress) && host == "localhost:" + std::to_string(req.localPort)))
        return std::nullopt;
    http::Response refusal;
    refusal.status = 421;
    refusal.setContent("This server answers for " + own + " only (Host was \"" + host.substr(0, 100)
                           + "\"). An operator behind a proxy sets --public-url.\n",
                       "text/plain; charset=utf-8");
    return refusal;
}

void HttpApi::addHealthRoutes(http::Router &router, bool withMetrics)
{
    router.get("/healthz", [this](const http::Request &, http::Response &res) {
        if (databaseAnswers()) {
            res.setContent("ok\n", "text/plain");
        } else {
            res.status = 503;
            res.setContent("database unreachable\n", "text/plain");
        }
    });
    if (withMetrics) {
        router.get("/metrics", [this](const http::Request &, http::Response &res) {
            res.setContent(m_metrics.render(m_dbStats, m_databaseUp), "text/plain; version=0.0.4");
        });
    }
}

int HttpApi::startMetrics(const HostPort &address)
{
    http::Router router;
    addHealthRoutes(router, true);
    m_metricsServer = std::make_unique<http::Server>(std::move(router), http::ServerLimits{});
    const quint16 port = m_metricsServer->listen(QHostAddress(QString::fromStdString(address.host)), address.port);
    if (port == 0)
        qCWarning(lcHttp, "cannot listen for metrics on %s:%u: %s", address.host.c_str(), address.port, qPrintable(m_metricsServer->error()));
    return port;
}

http::Router HttpApi::routes()
{
    http::Router router;
    router.setGuard([this](const http::Request &req) { return refusedHost(req); });
    // Metrics by route and status, and the access log: who asked (the client's address, as
    // the trusted proxies say), what (the path without its query, which may hold codes and
    // tokens) and how it went.
    router.setObserver([this](const http::Request &req, const std::string &route, const http::Response &res, double seconds) {
        m_metrics.countHttp(req.method, route, res.status);
        qCInfo(lcAccess, "%s %s %s %d %zu %.1fms", req.clientAddress.c_str(), printableForLog(req.method).c_str(), printableForLog(req.path).c_str(),
               res.status, res.headOnly ? std::size_t(0) : res.body.size(), seconds * 1000.0);
    });
    router.get("/.well-known/chatterbox", [this](const http::Request &req, http::Response &res) {
        std::string websocket;
        if (!m_config.publicUrl.empty()) {
            // Behind a proxy: the proxy maps /ws on the public URL to the WebSocket port.
            const bool tls = m_config.publicUrl.rfind("https://", 0) == 0;
            websocket = (tls ? "wss://" : "ws://") + m_config.publicUrl.substr(tls ? 8 : 7) + "/ws";
        } else {
            // The address the request came to, with the WebSocket port.
            websocket = "ws://" + authorityOf(req.localAddress, static_cast<unsigned>(m_wsPort.load())) + "/";
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

    addHealthRoutes(router, !m_config.metricsListen);

    // The shareable invite link. It says nothing about the party (that would let anyone who
    // guesses a code learn names); it only hands the code to the app.
    router.get(R"(/invite/([A-Za-z0-9_-]+))", [this](const http::Request &req, http::Response &res) {
        const std::string code = req.matches[1];
        if (!protocol::isInviteCode(code)) {
            res.status = 404;
            res.setContent("not found\n", "text/plain");
            return;
        }
        const std::string base = publicBaseUrl(req);
        const std::string appLink = "chatterbox://invite?server=" + percentEncode(base) + "&code=" + code;
        res.setHeader("Cache-Control", "no-store");
        res.setHeader("Referrer-Policy", "no-referrer");
        res.setHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'");
        res.setHeader("X-Content-Type-Options", "nosniff");
        res.setContent(invitePage(appLink, code), "text/html; charset=utf-8");
    });

    router.get(R"(/message/([0-9a-f-]{36})/([0-9a-f-]{36})/([0-9]{1,18}))", [this](const http::Request &req, http::Response &res) {
        const std::string party = req.matches[1];
        const std::string topic = req.matches[2];
        const std::string seq = req.matches[3];
        if (!protocol::isUuid(party) || !protocol::isUuid(topic) || seq.front() == '0') {
            res.status = 404;
            res.setContent("not found\n", "text/plain");
            return;
        }
        const std::string appLink = "chatterbox://message?server=" + percentEncode(publicBaseUrl(req)) + "&party=" + party
                                    + "&topic=" + topic + "&seq=" + seq;
        res.setHeader("Cache-Control", "no-store");
        res.setHeader("Referrer-Policy", "no-referrer");
        res.setHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'");
        res.setHeader("X-Content-Type-Options", "nosniff");
        res.setContent(messagePage(appLink), "text/html; charset=utf-8");
    });

    // The routes keep references to the OAuthRoutes object, so it lives as long as the server.
    m_oauth = std::make_unique<OAuthRoutes>(OAuthRoutes{m_signIn, m_tokens, m_pool, m_config.dev,
                                                        [this](const http::Request &req) { return publicBaseUrl(req); }});
    m_oauth->install(router);
    m_fileRoutes = std::make_unique<FileRoutes>(FileRoutes{m_files, m_tokens, m_pool});
    m_fileRoutes->install(router);
    return router;
}

} // namespace chatterbox::server
