#include "server/http/oauthroutes.h"

#include "server/auth/signin.h"
#include "server/db/connectionpool.h"
#include "server/logging.h"
#include "shared/limits.h"
#include "shared/validation.h"
#include "shared/webpage.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

namespace chatterbox::server {

namespace {

bool isLoopback(const std::string &address)
{
    return address.rfind("127.", 0) == 0 || address == "::1" || address.rfind("::ffff:127.", 0) == 0;
}

void sendJson(httplib::Response &res, int status, const nlohmann::json &body)
{
    res.status = status;
    res.set_header("Cache-Control", "no-store");
    res.set_header("Pragma", "no-cache");
    res.set_content(body.dump(), "application/json");
}

void oauthError(httplib::Response &res, int status, const std::string &error, const std::string &description)
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

void sendPage(httplib::Response &res, int status, const std::string &title, const std::string &text)
{
    res.status = status;
    res.set_header("Cache-Control", "no-store");
    res.set_header("Content-Security-Policy", pagePolicy());
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_content(web::messagePage(title, text), "text/html; charset=utf-8");
}

void sendDevPickPage(httplib::Response &res, const std::string &attempt, const std::string &redirectUri, const std::string &error)
{
    res.set_header("Cache-Control", "no-store");
    res.set_header("Content-Security-Policy", pagePolicy(originOf(redirectUri)));
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_content(devPickPage(attempt, error), "text/html; charset=utf-8");
}

void redirect(httplib::Response &res, const std::string &location)
{
    res.status = 302;
    res.set_header("Location", location);
    res.set_header("Cache-Control", "no-store");
    res.set_header("Referrer-Policy", "no-referrer");
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

void OAuthRoutes::install(httplib::Server &server)
{
    server.Get("/oauth/authorize", [this](const httplib::Request &req, httplib::Response &res) {
        SignInService::AuthorizeRequest request{req.get_param_value("provider"), req.get_param_value("redirect_uri"),
                                                req.get_param_value("state"), req.get_param_value("code_challenge"),
                                                req.get_param_value("code_challenge_method"),
                                                req.get_param_value("response_type"), req.get_param_value("client_id")};
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

    server.Get(R"(/oauth/callback/([a-z0-9-]{1,32}))", [this](const httplib::Request &req, httplib::Response &res) {
        try {
            const auto result = signIn.callback(req.matches[1], req.get_param_value("state"), req.get_param_value("code"),
                                                req.get_param_value("error"), baseUrl(req));
            if (result.value)
                return redirect(res, *result.value);
            sendPage(res, 400, "Sign-in did not finish", result.error.description);
        } catch (const std::exception &e) {
            qCWarning(lcAuth, "callback failed: %s", e.what());
            sendPage(res, 503, "Sign-in is unavailable", "The server cannot reach its database. Try again in a minute.");
        }
    });

    // RFC 6749 section 3.2, for a public native client: no client secret, PKCE instead.
    server.Post("/oauth/token", [this](const httplib::Request &req, httplib::Response &res) {
        const std::string grant = req.get_param_value("grant_type");
        try {
            auto lease = pool.acquire();
            if (grant == "authorization_code") {
                const auto result = signIn.redeem(req.get_param_value("code"), req.get_param_value("code_verifier"),
                                                  req.get_param_value("redirect_uri"));
                if (!result.value)
                    return oauthError(res, 400, result.error.code, result.error.description);
                return sendJson(res, 200, tokenResponse(*result.value));
            }
            if (grant == "refresh_token") {
                const std::string token = req.get_param_value("refresh_token");
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
    server.Post("/oauth/revoke", [this](const httplib::Request &req, httplib::Response &res) {
        const std::string token = req.get_param_value("token");
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
    const auto devOnly = [this](const httplib::Request &req, httplib::Response &res) {
        if (dev && isLoopback(req.remote_addr))
            return true;
        res.status = 404;
        res.set_content("not found\n", "text/plain");
        return false;
    };
    server.Get("/auth/dev/pick", [this, devOnly](const httplib::Request &req, httplib::Response &res) {
        if (!devOnly(req, res))
            return;
        const std::string attempt = req.get_param_value("attempt");
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
    server.Post("/auth/dev/pick", [this, devOnly](const httplib::Request &req, httplib::Response &res) {
        if (!devOnly(req, res))
            return;
        const std::string attempt = req.get_param_value("attempt");
        const std::string name = protocol::trimmed(req.get_param_value("name"));
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
    server.Post("/auth/dev", [this, devOnly](const httplib::Request &req, httplib::Response &res) {
        if (!devOnly(req, res))
            return;
        const auto body = nlohmann::json::parse(req.body, nullptr, false);
        if (!body.is_object() || !body.contains("name") || !body["name"].is_string())
            return oauthError(res, 400, "invalid_request", "send {\"name\": \"...\"}");
        const std::string name = protocol::trimmed(body["name"].get<std::string>());
        if (auto error = protocol::checkName(name, limits::kMaxDisplayNameChars, "name"))
            return oauthError(res, 400, "invalid_request", error->message);
        try {
            const std::string userId = signIn.account("dev", name, name);
            auto lease = pool.acquire();
            auto response = tokenResponse(tokens.signIn(*lease, userId));
            response["user"] = {{"id", userId}, {"displayName", name}};
            sendJson(res, 200, response);
        } catch (const std::exception &e) {
            qCWarning(lcAuth, "development sign-in failed: %s", e.what());
            oauthError(res, 503, "temporarily_unavailable", "the server cannot reach its database");
        }
    });
}

} // namespace chatterbox::server
