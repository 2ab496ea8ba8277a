// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/auth/signin.h"

#include "server/auth/crypto.h"
#include "server/auth/httpfetch.h"
#include "server/db/connectionpool.h"
#include "server/logging.h"
#include "shared/limits.h"
#include "shared/validation.h"

#include <pqxx/pqxx>

#include <regex>

namespace chatterbox::server {

namespace {

constexpr int kAttemptLifetimeSeconds = 600;   // time to get through the provider's pages
constexpr int kCodeLifetimeSeconds = 60;       // the app redeems at once
constexpr const char *kClientId = "chatterbox";  // the one client: the app (a public client, RFC 6749 2.1)

std::string randomToken() { return crypto::base64UrlEncode(crypto::randomBytes(32)); }

bool isBase64Url(const std::string &s)
{
    for (char c : s) {
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
            return false;
    }
    return true;
}

// RFC 7636 4.1: 43 to 128 characters from the unreserved set.
bool isVerifier(const std::string &s)
{
    if (s.size() < 43 || s.size() > 128)
        return false;
    for (char c : s) {
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~'))
            return false;
    }
    return true;
}

bool printableAscii(const std::string &s)
{
    for (char c : s) {
        if (c < 0x21 || c > 0x7e)
            return false;
    }
    return true;
}

std::string appendQuery(const std::string &uri, const std::vector<std::pair<std::string, std::string>> &fields)
{
    return uri + (uri.find('?') == std::string::npos ? '?' : '&') + formEncode(fields);
}

std::string displayNameFor(const ExternalIdentity &identity)
{
    std::string name = protocol::trimmed(identity.displayName);
    if (protocol::checkName(name, limits::kMaxDisplayNameChars, "name"))
        name.clear();
    return name.empty() ? std::string("New member") : name;
}

} // namespace

SignInService::SignInService(ConnectionPool &pool, TokenService &tokens, std::vector<ProviderConfig> providers, bool devEnabled)
    : m_pool(pool), m_tokens(tokens), m_providerList(std::move(providers)), m_devEnabled(devEnabled)
{
    for (const auto &p : m_providerList)
        m_providers.emplace(p.id, std::make_unique<IdentityProvider>(p));
    if (m_devEnabled)
        m_providerList.push_back({ProviderConfig::Type::Dev, "dev", "Development sign-in", {}, {}, {}, {}, {}, {}, {}});
}

bool SignInService::isLoopbackRedirect(const std::string &uri)
{
    // RFC 8252 7.3: the loopback IP literal (not "localhost"), any port, any path; no fragment.
    static const std::regex pattern(R"(^http://(127\.0\.0\.1|\[::1\]):([0-9]{1,5})(/[A-Za-z0-9\-._~!$&'()*+,;=:@%/?]*)?$)");
    std::smatch match;
    if (uri.size() > 512 || !std::regex_match(uri, match, pattern))
        return false;
    const int port = std::stoi(match[2].str());
    return port >= 1 && port <= 65535;
}

std::string SignInService::callbackUrl(const std::string &baseUrl, const std::string &provider) const
{
    return baseUrl + "/oauth/callback/" + provider;
}

OAuthResult<std::string> SignInService::authorize(const AuthorizeRequest &r, const std::string &baseUrl)
{
    // RFC 6749 4.1.2.1: with an unknown client or a bad redirect_uri, say so; never redirect.
    if (r.clientId != kClientId)
        return {std::nullopt, {"invalid_client", "client_id must be " + std::string(kClientId)}};
    if (!isLoopbackRedirect(r.redirectUri))
        return {std::nullopt, {"invalid_request", "redirect_uri must be http://127.0.0.1:<port>/... or http://[::1]:<port>/..."}};
    const auto refuse = [&](const char *code, const std::string &why) -> OAuthResult<std::string> {
        // The redirect_uri is good, so the app hears of the error there (RFC 6749 4.1.2.1).
        return {appendQuery(r.redirectUri, {{"error", code}, {"error_description", why}, {"state", r.state}}), {code, why}};
    };
    if (!r.responseType.empty() && r.responseType != "code")
        return refuse("unsupported_response_type", "response_type must be code");
    if (r.state.empty() || r.state.size() > 512 || !printableAscii(r.state))
        return refuse("invalid_request", "state is required (1-512 printable characters)");
    if (r.codeChallengeMethod != "S256")
        return refuse("invalid_request", "code_challenge_method must be S256");
    if (r.codeChallenge.size() != 43 || !isBase64Url(r.codeChallenge))
        return refuse("invalid_request", "code_challenge must be the base64url SHA-256 of the verifier (43 characters)");
    const bool dev = r.provider == "dev" && m_devEnabled;
    const auto provider = m_providers.find(r.provider);
    if (!dev && provider == m_providers.end())
        return refuse("invalid_request", "unknown provider");

    const std::string attempt = randomToken();
    const std::string nonce = randomToken();
    const std::string verifier = randomToken();
    const std::string callback = callbackUrl(baseUrl, r.provider);
    std::string target;
    if (dev) {
        target = baseUrl + "/auth/dev/pick?attempt=" + attempt;
    } else {
        std::string error;
        const auto url = provider->second->authorizationUrl(callback, attempt, nonce,
                                                            crypto::base64UrlEncode(crypto::sha256(verifier)), &error);
        if (!url) {
            qCWarning(lcAuth, "provider %s unavailable: %s", r.provider.c_str(), error.c_str());
            return refuse("temporarily_unavailable", "the sign-in provider cannot be reached; try again later");
        }
        target = *url;
    }
    auto lease = m_pool.acquire();
    pqxx::work tx(*lease);
    tx.exec_params0("DELETE FROM login_attempts WHERE expires_at < now() - interval '1 hour'");
    tx.exec_params0("INSERT INTO login_attempts (id, provider, app_redirect_uri, app_state, app_code_challenge, nonce,"
                    " code_verifier, callback_url, expires_at)"
                    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now() + make_interval(secs => $9))",
                    attempt, r.provider, r.redirectUri, r.state, r.codeChallenge, nonce, verifier, callback, kAttemptLifetimeSeconds);
    tx.commit();
    return {target, {}};
}

OAuthResult<std::string> SignInService::callback(const std::string &provider, const std::string &state, const std::string &code,
                                                 const std::string &providerError, const std::optional<std::string> &iss,
                                                 const std::string &)
{
    const auto found = m_providers.find(provider);
    if (found == m_providers.end() || state.empty() || state.size() > 64)
        return {std::nullopt, {"invalid_request", "This sign-in link is not valid. Go back to the app and sign in again."}};
    std::string redirect, appState, nonce, verifier, callback;
    {
        auto lease = m_pool.acquire();
        pqxx::work tx(*lease);
        // Taking the attempt is one conditional UPDATE: a replayed callback finds it used.
        const auto row = tx.exec_params("UPDATE login_attempts SET completed_at = now()"
                                        " WHERE id = $1 AND provider = $2 AND completed_at IS NULL AND expires_at > now()"
                                        " RETURNING app_redirect_uri, app_state, nonce, code_verifier, callback_url",
                                        state, provider);
        tx.commit();
        if (row.empty())
            return {std::nullopt, {"invalid_request", "This sign-in has expired or was already used. Go back to the app and sign in again."}};
        redirect = row[0][0].as<std::string>();
        appState = row[0][1].as<std::string>();
        nonce = row[0][2].as<std::string>();
        verifier = row[0][3].as<std::string>();
        callback = row[0][4].as<std::string>();
    }
    const auto toApp = [&](const char *error, const std::string &why) -> OAuthResult<std::string> {
        return {appendQuery(redirect, {{"error", error}, {"error_description", why}, {"state", appState}}), {error, why}};
    };
    std::string issuerError;
    if (!found->second->acceptsIssuerParameter(iss, &issuerError)) {
        qCWarning(lcAuth, "sign-in with %s refused: %s", provider.c_str(), issuerError.c_str());
        return toApp("access_denied", "the answer did not come from the sign-in provider");
    }
    if (!providerError.empty())
        return toApp("access_denied", "the sign-in was cancelled at the provider");
    if (code.empty() || code.size() > 2048)
        return toApp("invalid_request", "the provider sent no code");
    std::string error;
    const auto identity = found->second->complete(code, callback, verifier, nonce, &error);
    if (!identity) {
        qCWarning(lcAuth, "sign-in with %s failed: %s", provider.c_str(), error.c_str());
        return toApp("access_denied", "the sign-in provider's answer could not be verified");
    }
    if (!m_policy.allows(provider, identity->subject, identity->verifiedEmail)) {
        qCInfo(lcAuth, "sign-in with %s refused by --allow-sign-in (subject %s)", provider.c_str(), identity->subject.c_str());
        return toApp("access_denied", "this server does not let this account sign in; ask its operator");
    }
    const std::string userId = account(provider, identity->subject, displayNameFor(*identity));
    return finish(state, userId);
}

OAuthResult<std::string> SignInService::completeDev(const std::string &attempt, const std::string &name)
{
    if (!m_devEnabled)
        return {std::nullopt, {"invalid_request", "development sign-in is off"}};
    {
        auto lease = m_pool.acquire();
        pqxx::work tx(*lease);
        const auto row = tx.exec_params("UPDATE login_attempts SET completed_at = now()"
                                        " WHERE id = $1 AND provider = 'dev' AND completed_at IS NULL AND expires_at > now()"
                                        " RETURNING id",
                                        attempt);
        tx.commit();
        if (row.empty())
            return {std::nullopt, {"invalid_request", "This sign-in has expired or was already used. Go back to the app and sign in again."}};
    }
    if (!devAllowed(name))
        return {std::nullopt, {"access_denied", "this server does not let this account sign in; ask its operator"}};
    return finish(attempt, account("dev", name, name));
}

std::optional<std::string> SignInService::openDevAttemptRedirect(const std::string &attempt)
{
    if (!m_devEnabled || attempt.empty() || attempt.size() > 64)
        return std::nullopt;
    auto lease = m_pool.acquire();
    pqxx::work tx(*lease);
    const auto row = tx.exec_params("SELECT app_redirect_uri FROM login_attempts"
                                    " WHERE id = $1 AND provider = 'dev' AND completed_at IS NULL AND expires_at > now()",
                                    attempt);
    tx.commit();
    if (row.empty())
        return std::nullopt;
    return row[0][0].as<std::string>();
}

OAuthResult<std::string> SignInService::finish(const std::string &attemptId, const std::string &userId)
{
    const std::string code = randomToken();
    auto lease = m_pool.acquire();
    pqxx::work tx(*lease);
    const auto row = tx.exec_params1("SELECT app_redirect_uri, app_state, app_code_challenge FROM login_attempts WHERE id = $1", attemptId);
    tx.exec_params0("INSERT INTO authorization_codes (code_hash, user_id, code_challenge, redirect_uri, expires_at)"
                    " VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))",
                    pqxx::binarystring(crypto::sha256(code)), userId, row[2].as<std::string>(), row[0].as<std::string>(),
                    kCodeLifetimeSeconds);
    tx.exec_params0("DELETE FROM authorization_codes WHERE expires_at < now() - interval '1 day'");
    tx.commit();
    qCInfo(lcAuth, "sign-in completed for user %s", userId.c_str());
    return {appendQuery(row[0].as<std::string>(), {{"code", code}, {"state", row[1].as<std::string>()}}), {}};
}

OAuthResult<TokenPair> SignInService::redeem(const std::string &code, const std::string &verifier, const std::string &redirectUri)
{
    if (code.empty() || code.size() > 256 || redirectUri.empty())
        return {std::nullopt, {"invalid_request", "code and redirect_uri are required"}};
    if (!isVerifier(verifier))
        return {std::nullopt, {"invalid_request", "code_verifier must be 43-128 characters (RFC 7636)"}};
    auto lease = m_pool.acquire();
    const auto hash = pqxx::binarystring(crypto::sha256(code));
    // One transaction: the code is spent and the sign-in it makes is stored together, so that a
    // redemption racing this one waits on the code's row and then finds the sign-in to end.
    pqxx::work tx(*lease);
    const auto row = tx.exec_params("UPDATE authorization_codes SET redeemed_at = now()"
                                    " WHERE code_hash = $1 AND redeemed_at IS NULL AND expires_at > now()"
                                    " RETURNING user_id, code_challenge, redirect_uri",
                                    hash);
    if (row.empty()) {
        // A replayed code: whoever redeemed it first may be an attacker; end that sign-in.
        const auto replayed = tx.exec_params("SELECT family_id FROM authorization_codes WHERE code_hash = $1"
                                             " AND redeemed_at IS NOT NULL AND family_id IS NOT NULL",
                                             hash);
        tx.commit();
        if (!replayed.empty()) {
            qCWarning(lcAuth, "an authorization code was presented twice; its sign-in is revoked");
            m_tokens.revokeFamily(*lease, replayed[0][0].as<std::string>());
        }
        return {std::nullopt, {"invalid_grant", "the code is invalid, expired or already used"}};
    }
    const std::string userId = row[0][0].as<std::string>();
    // Spent whatever happens next: a code tried with the wrong verifier is gone for good.
    if (!crypto::constantTimeEquals(crypto::base64UrlEncode(crypto::sha256(verifier)), row[0][1].as<std::string>())) {
        tx.commit();
        return {std::nullopt, {"invalid_grant", "code_verifier does not match the code_challenge"}};
    }
    if (redirectUri != row[0][2].as<std::string>()) {
        tx.commit();
        return {std::nullopt, {"invalid_grant", "redirect_uri does not match the one the code was issued for"}};
    }
    TokenPair pair;
    try {
        pair = m_tokens.signIn(tx, userId);
    } catch (const SignInRefused &refused) {
        tx.commit();   // the code is spent all the same
        return {std::nullopt, {"invalid_grant", refused.what()}};
    }
    tx.exec_params0("UPDATE authorization_codes SET family_id = $2 WHERE code_hash = $1", hash, pair.familyId);
    tx.commit();
    return {pair, {}};
}

std::string SignInService::account(const std::string &provider, const std::string &subject, const std::string &displayName)
{
    auto lease = m_pool.acquire();
    pqxx::work tx(*lease);
    const auto select = [&] {
        return tx.exec_params("SELECT user_id FROM identities WHERE provider = $1 AND subject = $2", provider, subject);
    };
    auto existing = select();
    if (existing.empty()) {
        const auto userId = tx.exec_params1("INSERT INTO users (display_name) VALUES ($1) RETURNING id", displayName)[0].as<std::string>();
        const auto inserted = tx.exec_params("INSERT INTO identities (provider, subject, user_id) VALUES ($1, $2, $3)"
                                             " ON CONFLICT DO NOTHING RETURNING user_id",
                                             provider, subject, userId);
        if (inserted.empty()) // someone else's sign-in created it a moment ago
            tx.exec_params0("DELETE FROM users WHERE id = $1", userId);
        existing = select();
    }
    tx.commit();
    return existing[0][0].as<std::string>();
}

} // namespace chatterbox::server
