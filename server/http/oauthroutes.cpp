// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/http/oauthroutes.h"

#include "server/auth/signin.h"
#include "server/db/connectionpool.h"
#include "server/logging.h"
#include "shared/limits.h"
#include "shared/validation.h"
#include "shared/webpage.h"

#include "server/http/httprouter.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

namespace chatterbox::server {

namespace {

bool isLoopback(const std::string &address)
{
    return address.rfind("127.", 0) == 0 || address == "::1" || address.rfind("::ffff:127.", 0) == 0;
}

// A Host header naming this machine: 127.x.y.z, [::1] or localhost, with any port.
bool isLoopbackHost(std::string host)
{
    std::transform(host.begin(), host.end(), host.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (host.rfind("[::1]", 0) == 0)
        return host.size() == 5 || host[5] == ':';
    host = host.substr(0, host.find(':'));
    return host == "localhost" || isLoopback(host);
}

void sendJson(http::Response &res, int status, const nlohmann::json &body)
{
    res.status = status;
    res.setHeader("Cache-Control", "no-store");
    res.setHeader("Pragma", "no-cache");
    res.setContent(body.dump(), "application/json");
}

void oauthError(http::Response &res, int status, const std::string &error, const std::string &description)
{
    sendJson(res, status, {{"error", error}, {"error_description", description}});
}

nlohmann::json tokenResponse(const TokenPair &pair)
{
    return {{"access_token", pair.accessToken}, {"token_type", "Bearer"}, {"expires_in", pair.expiresIn},
            {"refresh_token", pair.refreshToken}};
}

std::string devPickPage(const std::string &attempt, const std::string &error);

// The pages' policy: nothing loads but their own inline style. form-action also governs where a
// submitted form may be redirected (browsers enforce it on every hop), so a page whose form ends
// at the app's loopback address names that origin as well.
std::string pagePolicy(const std::string &formTarget = {})
{
    return "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
           + (formTarget.empty() ? std::string() : " " + formTarget);
}

// "http://127.0.0.1:5000" of "http://127.0.0.1:5000/chatterbox/x?y": a loopback redirect's origin.
std::string originOf(const std::string &uri)
{
    const auto hostStart = uri.find("://");
    if (hostStart == std::string::npos)
        return {};
    const auto pathStart = uri.find_first_of("/?#", hostStart + 3);
    return uri.substr(0, pathStart);
}

void sendPage(http::Response &res, int status, const std::string &title, const std::string &text)
{
    res.status = status;
    res.setHeader("Cache-Control", "no-store");
    res.setHeader("Content-Security-Policy", pagePolicy());
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setContent(web::messagePage(title, text), "text/html; charset=utf-8");
}

void sendDevPickPage(http::Response &res, const std::string &attempt, const std::string &redirectUri, const std::string &error)
{
    res.setHeader("Cache-Control", "no-store");
    res.setHeader("Content-Security-Policy", pagePolicy(originOf(redirectUri)));
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setContent(devPickPage(attempt, error), "text/html; charset=utf-8");
}

void redirect(http::Response &res, const std::string &location)
{
    res.status = 302;
    res.setHeader("Location", location);
    res.setHeader("Cache-Control", "no-store");
    res.setHeader("Referrer-Policy", "no-referrer");
}

std::string devPickPage(const std::string &attempt, const std::string &error)
{
    return std::string("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                       "<title>Development sign-in</title><style>") + std::string(web::kPageStyle) + "</style></head><body><main>"
           "<h1>Development sign-in</h1><p>Pick a name. The same name signs in to the same account. "
           "This page exists only on a development server.</p>"
           + (error.empty() ? std::string() : "<p><strong>" + web::htmlEscape(error) + "</strong></p>") +
           "<form method=\"post\" action=\"/auth/dev/pick\"><input type=\"hidden\" name=\"attempt\" value=\""
           + web::htmlEscape(attempt) + "\"><input name=\"name\" autofocus required maxlength=\"64\" placeholder=\"Your name\" "
           "aria-label=\"Your name\"><button type=\"submit\">Sign in</button></form></main></body></html>\n";
}

} // namespace

void OAuthRoutes::install(http::Router &router)
{
    router.get("/oauth/authorize", [this](const http::Request &req, http::Response &res) {
        SignInService::AuthorizeRequest request{req.param("provider"), req.param("redirect_uri"),
                                                req.param("state"), req.param("code_challenge"),
                                                req.param("code_challenge_method"),
                                                req.param("response_type"), req.param("client_id")};
        try {
            const auto result = signIn.authorize(request, baseUrl(req));
            if (result.value)
                return redirect(res, *result.value);
            sendPage(res, 400, "Sign-in could not start", result.error.description + ". Update the app and try again.");
        } catch (const std::exception &e) {
            qCWarning(lcAuth, "authorize failed: %s", e.what());
            sendPage(res, 503, "Sign-in is unavailable", "The server cannot reach its database. Try again in a minute.");
        }
    });

    router.get(R"(/oauth/callback/([a-z0-9-]{1,32}))", [this](const http::Request &req, http::Response &res) {
        try {
            const auto result = signIn.callback(req.matches[1], req.param("state"), req.param("code"),
                                                req.param("error"), req.hasParam("iss") ? std::optional(req.param("iss")) : std::nullopt, baseUrl(req));
            if (result.value)
                return redirect(res, *result.value);
            sendPage(res, 400, "Sign-in did not finish", result.error.description);
        } catch (const std::exception &e) {
            qCWarning(lcAuth, "callback failed: %s", e.what());
            sendPage(res, 503, "Sign-in is unavailable", "The server cannot reach its database. Try again in a minute.");
        }
    });

    // RFC 6749 section 3.2, for a public native client: no client secret, PKCE instead.
    router.post("/oauth/token", [this](const http::Request &req, http::Response &res) {
        const std::string grant = req.param("grant_type");
        // The app is a public client (RFC 6749 2.1, 3.2.1): it names itself on every grant.
        if (req.param("client_id") != "chatterbox")
            return oauthError(res, 401, "invalid_client", "client_id must be chatterbox");
        try {
            auto lease = pool.acquire();
            if (grant == "authorization_code") {
                const auto result = signIn.redeem(req.param("code"), req.param("code_verifier"),
                                                  req.param("redirect_uri"));
                if (!result.value)
                    return oauthError(res, 400, result.error.code, result.error.description);
                return sendJson(res, 200, tokenResponse(*result.value));
            }
            if (grant == "refresh_token") {
                const std::string token = req.param("refresh_token");
                if (token.empty())
                    return oauthError(res, 400, "invalid_request", "refresh_token is missing");
                if (token.size() > 256) // not one of ours: an access token sent here, say
                    return oauthError(res, 400, "invalid_grant", "that is not a refresh token");
                RefreshError why = RefreshError::Invalid;
                const auto pair = tokens.refresh(*lease, token, &why);
                if (!pair)
                    return oauthError(res, 400, "invalid_grant",
                                      why == RefreshError::Reused ? "refresh token already used; sign in again"
                                                                  : "refresh token is invalid or expired");
                return sendJson(res, 200, tokenResponse(*pair));
            }
            oauthError(res, 400, "unsupported_grant_type", "grant_type must be authorization_code or refresh_token");
        } catch (const std::exception &e) {
            qCWarning(lcAuth, "token request failed: %s", e.what());
            oauthError(res, 503, "temporarily_unavailable", "the server cannot reach its database");
        }
    });

    // RFC 7009: sign out. Revokes the whole sign-in of the refresh token; always 200.
    router.post("/oauth/revoke", [this](const http::Request &req, http::Response &res) {
        const std::string token = req.param("token");
        try {
            if (!token.empty() && token.size() <= 256) {
                auto lease = pool.acquire();
                tokens.revokeByRefreshToken(*lease, token);
            }
            res.status = 200;
        } catch (const std::exception &e) {
            qCWarning(lcAuth, "revocation failed: %s", e.what());
            oauthError(res, 503, "temporarily_unavailable", "the server cannot reach its database");
        }
    });

    // The development provider: a page to pick a name, on this machine only, when enabled.
    // On this machine only: a loopback client, asking a loopback name (a page elsewhere that
    // rebinds its own name to 127.0.0.1 still sends its own Host).
    const auto devOnly = [this](const http::Request &req, http::Response &res) {
        if (dev && isLoopback(req.clientAddress) && isLoopbackHost(req.header("host")))
            return true;
        res.status = 404;
        res.setContent("not found\n", "text/plain");
        return false;
    };
    router.get("/auth/dev/pick", [this, devOnly](const http::Request &req, http::Response &res) {
        if (!devOnly(req, res))
            return;
        const std::string attempt = req.param("attempt");
        try {
            const auto redirectUri = signIn.openDevAttemptRedirect(attempt);
            if (!redirectUri)
                return sendPage(res, 400, "Sign-in did not finish",
                                "This sign-in has expired or was already used. Go back to the app and sign in again.");
            sendDevPickPage(res, attempt, *redirectUri, {});
        } catch (const std::exception &e) {
            qCWarning(lcAuth, "development sign-in page failed: %s", e.what());
            sendPage(res, 503, "Sign-in is unavailable", "The server cannot reach its database. Try again in a minute.");
        }
    });
    router.post("/auth/dev/pick", [this, devOnly](const http::Request &req, http::Response &res) {
        if (!devOnly(req, res))
            return;
        const std::string attempt = req.param("attempt");
        const std::string name = protocol::trimmed(req.param("name"));
        try {
            if (auto error = protocol::checkName(name, limits::kMaxDisplayNameChars, "name")) {
                const auto redirectUri = signIn.openDevAttemptRedirect(attempt);
                if (!redirectUri)
                    return sendPage(res, 400, "Sign-in did not finish",
                                    "This sign-in has expired or was already used. Go back to the app and sign in again.");
                return sendDevPickPage(res, attempt, *redirectUri, "That name does not work: " + error->message);
            }
            const auto result = signIn.completeDev(attempt, name);
            if (result.value)
                return redirect(res, *result.value);
            sendPage(res, 400, "Sign-in did not finish", result.error.description);
        } catch (const std::exception &e) {
            qCWarning(lcAuth, "development sign-in failed: %s", e.what());
            sendPage(res, 503, "Sign-in is unavailable", "The server cannot reach its database. Try again in a minute.");
        }
    });
    // The same account without a browser, for scripts, tests and the benchmark.
    router.post("/auth/dev", [this, devOnly](const http::Request &req, http::Response &res) {
        if (!devOnly(req, res))
            return;
        // JSON only: a form a web page can send without asking (text/plain, urlencoded) is not.
        if (req.mediaType() != "application/json")
            return oauthError(res, 415, "invalid_request", "send application/json");
        const auto body = nlohmann::json::parse(req.body, nullptr, false);
        if (!body.is_object() || !body.contains("name") || !body["name"].is_string())
            return oauthError(res, 400, "invalid_request", "send {\"name\": \"...\"}");
        const std::string name = protocol::trimmed(body["name"].get<std::string>());
        if (auto error = protocol::checkName(name, limits::kMaxDisplayNameChars, "name"))
            return oauthError(res, 400, "invalid_request", error->message);
        if (!signIn.devAllowed(name))
            return oauthError(res, 403, "access_denied", "this server does not let this account sign in; ask its operator");
        try {
            const std::string userId = signIn.account("dev", name, name);
            auto lease = pool.acquire();
            auto response = tokenResponse(tokens.signIn(*lease, userId));
            response["user"] = {{"id", userId}, {"displayName", name}};
            sendJson(res, 200, response);
        } catch (const SignInRefused &refused) {
            oauthError(res, 403, "access_denied", refused.what());
        } catch (const std::exception &e) {
            qCWarning(lcAuth, "development sign-in failed: %s", e.what());
            oauthError(res, 503, "temporarily_unavailable", "the server cannot reach its database");
        }
    });
}

} // namespace chatterbox::server
