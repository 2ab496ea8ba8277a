// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/auth/providers.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

namespace chatterbox::server {

namespace {

std::string trim(const std::string &s)
{
    const auto begin = s.find_first_not_of(" \t\r\n");
    const auto end = s.find_last_not_of(" \t\r\n");
    return begin == std::string::npos ? std::string() : s.substr(begin, end - begin + 1);
}

bool validId(const std::string &id)
{
    if (id.empty() || id.size() > 32)
        return false;
    for (char c : id) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return false;
    }
    return true;
}

} // namespace

bool isAcceptableProviderUrl(const std::string &url)
{
    if (url.rfind("https://", 0) == 0)
        return url.size() > 8;
    for (const char *local : {"http://127.", "http://localhost:", "http://localhost/", "http://[::1]"}) {
        if (url.rfind(local, 0) == 0)
            return true;
    }
    return url == "http://localhost";
}

std::optional<ProviderConfig> parseProviderSpec(const std::string &spec, std::string *error)
{
    std::map<std::string, std::string> fields;
    std::stringstream stream(spec);
    std::string part;
    while (std::getline(stream, part, ',')) {
        const auto eq = part.find('=');
        if (eq == std::string::npos) {
            *error = "expected key=value, got '" + trim(part) + "'";
            return std::nullopt;
        }
        fields[trim(part.substr(0, eq))] = trim(part.substr(eq + 1));
    }
    static const std::vector<std::string> known = {"type", "id", "name", "issuer", "client-id", "client-secret",
                                                   "client-secret-file", "scopes", "authorize-url", "token-url", "api-url"};
    for (const auto &[key, value] : fields) {
        if (std::find(known.begin(), known.end(), key) == known.end()) {
            *error = "unknown key '" + key + "'";
            return std::nullopt;
        }
    }
    ProviderConfig p;
    const std::string type = fields["type"];
    if (type == "google") {
        p.type = ProviderConfig::Type::Oidc;
        p.id = "google";
        p.name = "Google";
        p.issuer = "https://accounts.google.com";
        p.scopes = "openid profile";
    } else if (type == "github") {
        p.type = ProviderConfig::Type::GitHub;
        p.id = "github";
        p.name = "GitHub";
        p.authorizeUrl = "https://github.com/login/oauth/authorize";
        p.tokenUrl = "https://github.com/login/oauth/access_token";
        p.apiUrl = "https://api.github.com";
        p.scopes = "read:user";
    } else if (type == "oidc") {
        p.type = ProviderConfig::Type::Oidc;
        p.scopes = "openid profile";
    } else {
        *error = "type must be google, github or oidc";
        return std::nullopt;
    }
    const auto take = [&](const char *key, std::string &out) {
        if (fields.count(key) && !fields[key].empty())
            out = fields[key];
    };
    take("id", p.id);
    take("name", p.name);
    take("issuer", p.issuer);
    take("client-id", p.clientId);
    take("client-secret", p.clientSecret);
    take("scopes", p.scopes);
    take("authorize-url", p.authorizeUrl);
    take("token-url", p.tokenUrl);
    take("api-url", p.apiUrl);
    while (!p.issuer.empty() && p.issuer.back() == '/')
        p.issuer.pop_back();
    if (fields.count("client-secret-file")) {
        std::ifstream file(fields["client-secret-file"]);
        std::stringstream secret;
        secret << file.rdbuf();
        if (!file) {
            *error = "cannot read client-secret-file " + fields["client-secret-file"];
            return std::nullopt;
        }
        p.clientSecret = trim(secret.str());
    }
    if (p.name.empty())
        p.name = p.id;
    if (!validId(p.id)) {
        *error = "id must be 1-32 lower-case letters, digits or '-' (needed for type=oidc)";
        return std::nullopt;
    }
    if (p.id == "dev") {
        *error = "the id 'dev' belongs to the development sign-in";
        return std::nullopt;
    }
    if (p.clientId.empty() || p.clientSecret.empty()) {
        *error = "client-id and client-secret (or client-secret-file) are required";
        return std::nullopt;
    }
    for (const std::string *url : {&p.issuer, &p.authorizeUrl, &p.tokenUrl, &p.apiUrl}) {
        if (!url->empty() && !isAcceptableProviderUrl(*url)) {
            *error = "'" + *url + "' must be https:// (http only on this machine)";
            return std::nullopt;
        }
    }
    if (p.type == ProviderConfig::Type::Oidc && p.issuer.empty()) {
        *error = "issuer is required for type=oidc";
        return std::nullopt;
    }
    return p;
}

} // namespace chatterbox::server
