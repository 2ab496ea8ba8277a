// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace chatterbox::server {

// An identity provider people sign in with. The server holds every client secret; the app
// never sees one.
struct ProviderConfig {
    enum class Type { Oidc, GitHub, Dev };
    Type type = Type::Oidc;
    std::string id;            // in URLs and as the account key's first half: "google", "github", "acme"
    std::string name;          // on the sign-in button
    std::string issuer;        // OIDC: the issuer URL (discovery at <issuer>/.well-known/openid-configuration)
    std::string clientId;
    std::string clientSecret;
    std::string scopes;        // space-separated
    // GitHub: where its OAuth endpoints and API are (github.com by default; GitHub Enterprise elsewhere).
    std::string authorizeUrl;
    std::string tokenUrl;
    std::string apiUrl;
};

// Reads one --provider value, e.g.
//   type=google,client-id=123.apps.googleusercontent.com,client-secret-file=/run/secrets/google
//   type=github,client-id=Iv1.abc,client-secret=...
//   type=oidc,id=acme,name=Acme SSO,issuer=https://login.acme.example,client-id=...,client-secret=...
// Returns the provider, or sets *error to what is wrong.
std::optional<ProviderConfig> parseProviderSpec(const std::string &spec, std::string *error);

// http is allowed only for providers on this machine (tests, development); anything else
// must be https.
bool isAcceptableProviderUrl(const std::string &url);

} // namespace chatterbox::server
