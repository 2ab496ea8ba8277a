// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/auth/identityprovider.h"
#include "server/auth/signinpolicy.h"
#include "server/auth/tokens.h"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace chatterbox::server {

class ConnectionPool;

// An OAuth error as RFC 6749 names them ("invalid_request", "invalid_grant", ...), with words
// for people.
struct OAuthError {
    std::string code;
    std::string description;
};

template <typename T>
struct OAuthResult {
    std::optional<T> value;
    OAuthError error;
};

// The server as the app's authorization server (RFC 8252, RFC 7636): it sends the browser to a
// provider, takes the provider's answer, and gives the app a one-time code bound to the app's
// PKCE challenge, which /oauth/token turns into tokens. All state is in the database, so any
// instance can serve any step.
class SignInService final {
public:
    struct AuthorizeRequest {
        std::string provider;
        std::string redirectUri;
        std::string state;
        std::string codeChallenge;
        std::string codeChallengeMethod;
        std::string responseType;
        std::string clientId;
    };

    SignInService(ConnectionPool &pool, TokenService &tokens, std::vector<ProviderConfig> providers, bool devEnabled);

    const std::vector<ProviderConfig> &providers() const { return m_providerList; }

    // Who may sign in (--allow-sign-in); anyone until it is set.
    void setPolicy(SignInPolicy policy) { m_policy = std::move(policy); }
    // Whether the development sign-in may make or find the account of this name.
    bool devAllowed(const std::string &name) const { return m_policy.allows("dev", name, {}); }

    // Whether a redirect_uri is one the app may use: http://127.0.0.1:PORT/... or http://[::1]:PORT/...
    static bool isLoopbackRedirect(const std::string &uri);

    // Checks the app's request and starts an attempt. On success, where to send the browser.
    // An error with an empty redirect means the redirect_uri itself was bad: show it, never redirect.
    OAuthResult<std::string> authorize(const AuthorizeRequest &request, const std::string &baseUrl);

    // The provider sent the browser back. Returns the app's loopback URL with a code or an error.
    // std::nullopt (with error) when the attempt is unknown or used: nothing to redirect to.
    // iss is RFC 9207's parameter: when the provider sends it (or says it always does), it must
    // be the provider's issuer, so an answer from another provider is not taken for its.
    OAuthResult<std::string> callback(const std::string &provider, const std::string &state, const std::string &code,
                                      const std::string &providerError, const std::optional<std::string> &iss,
                                      const std::string &baseUrl);

    // The development provider's page posted a name for this attempt.
    OAuthResult<std::string> completeDev(const std::string &attempt, const std::string &name);
    // Where a development sign-in attempt that is still open sends the browser back to (the app's
    // loopback redirect_uri); nothing when there is no such attempt.
    std::optional<std::string> openDevAttemptRedirect(const std::string &attempt);

    // grant_type=authorization_code.
    OAuthResult<TokenPair> redeem(const std::string &code, const std::string &verifier, const std::string &redirectUri);

    // Creates or finds the account for (provider, subject). Never by e-mail.
    std::string account(const std::string &provider, const std::string &subject, const std::string &displayName);

private:
    OAuthResult<std::string> finish(const std::string &attemptId, const std::string &userId);
    std::string callbackUrl(const std::string &baseUrl, const std::string &provider) const;

    ConnectionPool &m_pool;
    TokenService &m_tokens;
    std::vector<ProviderConfig> m_providerList;
    std::map<std::string, std::unique_ptr<IdentityProvider>> m_providers;
    bool m_devEnabled;
    SignInPolicy m_policy;
};

} // namespace chatterbox::server
