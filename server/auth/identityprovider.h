// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/auth/providers.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <mutex>
#include <optional>
#include <string>

namespace chatterbox::server {

// Who a provider says signed in. Accounts are keyed by (provider id, subject), never by e-mail.
struct ExternalIdentity {
    std::string subject;
    std::string displayName;
    // The e-mail address the provider vouches for (email_verified), for --allow-sign-in's
    // domain rules only; never stored or shown. Empty when it vouches for none.
    std::string verifiedEmail;
};

// One configured provider: builds the URL that sends the browser there, and turns the code it
// sends back into an identity (code exchange with the client secret and PKCE, then the ID token
// for OpenID Connect, or the user API for GitHub). Blocking; used on the HTTP side's threads.
class IdentityProvider final {
public:
    explicit IdentityProvider(ProviderConfig config);

    const ProviderConfig &config() const { return m_config; }

    std::optional<std::string> authorizationUrl(const std::string &callbackUrl, const std::string &state,
                                                const std::string &nonce, const std::string &codeChallenge,
                                                std::string *error);
    std::optional<ExternalIdentity> complete(const std::string &code, const std::string &callbackUrl,
                                             const std::string &codeVerifier, const std::string &nonce, std::string *error);

    // RFC 9207: the iss parameter of the provider's answer, when sent, must be its issuer; a
    // provider whose discovery says it always sends one must have sent it. (GitHub has no
    // discovery and is not checked.)
    bool acceptsIssuerParameter(const std::optional<std::string> &iss, std::string *error);

    // Checks an OpenID Connect ID token: signature against the provider's published keys (RS256
    // or ES256 only), issuer, audience, expiry and nonce. Returns its claims.
    std::optional<nlohmann::json> verifyIdToken(const std::string &idToken, const std::string &nonce, std::string *error);

private:
    std::optional<nlohmann::json> discovery(std::string *error);
    std::optional<nlohmann::json> signingKey(const std::string &kid, std::string *error);
    std::optional<ExternalIdentity> completeOidc(const std::string &code, const std::string &callbackUrl,
                                                 const std::string &codeVerifier, const std::string &nonce, std::string *error);
    std::string nameFromUserInfo(const nlohmann::json &discovery, const std::string &accessToken, const std::string &subject);
    std::optional<ExternalIdentity> completeGitHub(const std::string &code, const std::string &callbackUrl,
                                                   const std::string &codeVerifier, std::string *error);

    const ProviderConfig m_config;
    std::mutex m_mutex;
    std::optional<nlohmann::json> m_discovery;
    nlohmann::json m_jwks;
    std::chrono::steady_clock::time_point m_jwksFetched{};
};

} // namespace chatterbox::server
