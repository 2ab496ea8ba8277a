// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/auth/identityprovider.h"

#include "server/auth/crypto.h"
#include "server/auth/httpfetch.h"
#include "server/auth/jwk.h"
#include "server/logging.h"

namespace chatterbox::server {

namespace {

constexpr std::int64_t kClockSkewSeconds = 60;
constexpr auto kJwksMinRefetch = std::chrono::seconds(30);

std::int64_t nowSeconds()
{
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::optional<nlohmann::json> parseObject(const std::string &text)
{
    auto j = nlohmann::json::parse(text, nullptr, false);
    if (!j.is_object())
        return std::nullopt;
    return j;
}

std::string stringOr(const nlohmann::json &j, const char *key, const std::string &fallback = {})
{
    const auto it = j.find(key);
    return it != j.end() && it->is_string() && !it->get<std::string>().empty() ? it->get<std::string>() : fallback;
}

std::string withQuery(const std::string &url, const std::vector<std::pair<std::string, std::string>> &fields)
{
    return url + (url.find('?') == std::string::npos ? '?' : '&') + formEncode(fields);
}

std::string basicAuth(const std::string &id, const std::string &secret)
{
    // RFC 6749 2.3.1: the id and secret are form-encoded before base64.
    std::string pair = percentEncode(id) + ':' + percentEncode(secret);
    static constexpr char table[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    for (std::size_t i = 0; i < pair.size(); i += 3) {
        unsigned v = static_cast<unsigned char>(pair[i]) << 16;
        if (i + 1 < pair.size()) v |= static_cast<unsigned char>(pair[i + 1]) << 8;
        if (i + 2 < pair.size()) v |= static_cast<unsigned char>(pair[i + 2]);
        out += table[(v >> 18) & 63];
        out += table[(v >> 12) & 63];
        out += i + 1 < pair.size() ? table[(v >> 6) & 63] : '=';
        out += i + 2 < pair.size() ? table[v & 63] : '=';
    }
    return "Basic " + out;
}

// What people are called, from the claims a provider gives: a name, else a user name, else the
// part of an e-mail address before the @ (not the address: other members would see it).
std::string displayNameFrom(const nlohmann::json &claims)
{
    std::string name = stringOr(claims, "name", stringOr(claims, "preferred_username",
                                                          stringOr(claims, "given_name", stringOr(claims, "nickname"))));
    if (name.empty()) {
        const std::string email = stringOr(claims, "email");
        name = email.substr(0, email.find('@'));
    }
    return name;
}

} // namespace

IdentityProvider::IdentityProvider(ProviderConfig config) : m_config(std::move(config)) {}

std::optional<nlohmann::json> IdentityProvider::discovery(std::string *error)
{
    std::lock_guard lock(m_mutex);
    if (m_discovery)
        return m_discovery;
    const auto result = httpGet(m_config.issuer + "/.well-known/openid-configuration");
    auto doc = result.status == 200 ? parseObject(result.body) : std::nullopt;
    if (!doc) {
        *error = "could not read the provider's discovery document: " + (result.error.empty() ? "HTTP " + std::to_string(result.status) : result.error);
        return std::nullopt;
    }
    // The document must speak for the issuer it was fetched from (OpenID Connect Discovery 4.3).
    if (stringOr(*doc, "issuer") != m_config.issuer) {
        *error = "the provider's discovery document names another issuer";
        return std::nullopt;
    }
    for (const char *endpoint : {"authorization_endpoint", "token_endpoint", "jwks_uri"}) {
        if (!isAcceptableProviderUrl(stringOr(*doc, endpoint))) {
            *error = std::string("the provider's ") + endpoint + " is missing or not https";
            return std::nullopt;
        }
    }
    m_discovery = std::move(doc);
    return m_discovery;
}

std::optional<nlohmann::json> IdentityProvider::signingKey(const std::string &kid, std::string *error)
{
    const auto find = [&]() -> std::optional<nlohmann::json> {
        if (!m_jwks.is_object() || !m_jwks.contains("keys") || !m_jwks["keys"].is_array())
            return std::nullopt;
        const auto &keys = m_jwks["keys"];
        for (const auto &key : keys) {
            if (key.is_object() && (kid.empty() ? keys.size() == 1 : stringOr(key, "kid") == kid))
                return key;
        }
        return std::nullopt;
    };
    const auto doc = discovery(error);
    if (!doc)
        return std::nullopt;
    std::lock_guard lock(m_mutex);
    if (auto key = find())
        return key;
    // An unknown kid may be a key the provider just rotated in: fetch the set again, but not
    // on every request with a made-up kid.
    if (std::chrono::steady_clock::now() - m_jwksFetched < kJwksMinRefetch && !m_jwks.is_null()) {
        *error = "the ID token is signed with a key the provider does not publish";
        return std::nullopt;
    }
    const auto result = httpGet(stringOr(*doc, "jwks_uri"));
    const auto jwks = result.status == 200 ? parseObject(result.body) : std::nullopt;
    if (!jwks) {
        *error = "could not read the provider's signing keys";
        return std::nullopt;
    }
    m_jwks = *jwks;
    m_jwksFetched = std::chrono::steady_clock::now();
    if (auto key = find())
        return key;
    *error = "the ID token is signed with a key the provider does not publish";
    return std::nullopt;
}

std::optional<std::string> IdentityProvider::authorizationUrl(const std::string &callbackUrl, const std::string &state,
                                                              const std::string &nonce, const std::string &codeChallenge,
                                                              std::string *error)
{
    std::vector<std::pair<std::string, std::string>> query = {
        {"response_type", "code"}, {"client_id", m_config.clientId}, {"redirect_uri", callbackUrl},
        {"scope", m_config.scopes}, {"state", state}, {"code_challenge", codeChallenge},
        {"code_challenge_method", "S256"}};
    if (m_config.type == ProviderConfig::Type::GitHub)
        return withQuery(m_config.authorizeUrl, query);
    const auto doc = discovery(error);
    if (!doc)
        return std::nullopt;
    query.emplace_back("nonce", nonce);
    return withQuery(stringOr(*doc, "authorization_endpoint"), query);
}

bool IdentityProvider::acceptsIssuerParameter(const std::optional<std::string> &iss, std::string *error)
{
    if (m_config.type == ProviderConfig::Type::GitHub)
        return true;   // no discovery, no issuer to compare with
    const auto doc = discovery(error);
    if (!doc)
        return false;
    const auto promised = doc->find("authorization_response_iss_parameter_supported");
    const bool required = promised != doc->end() && promised->is_boolean() && promised->get<bool>();
    if (!iss) {
        if (required)
            *error = "the provider promises an iss parameter and sent none";
        return !required;
    }
    if (*iss != m_config.issuer) {
        *error = "the answer names another issuer (" + iss->substr(0, 100) + ")";
        return false;
    }
    return true;
}

std::optional<ExternalIdentity> IdentityProvider::complete(const std::string &code, const std::string &callbackUrl,
                                                           const std::string &codeVerifier, const std::string &nonce,
                                                           std::string *error)
{
    if (m_config.type == ProviderConfig::Type::GitHub)
        return completeGitHub(code, callbackUrl, codeVerifier, error);
    return completeOidc(code, callbackUrl, codeVerifier, nonce, error);
}

std::optional<ExternalIdentity> IdentityProvider::completeOidc(const std::string &code, const std::string &callbackUrl,
                                                               const std::string &codeVerifier, const std::string &nonce,
                                                               std::string *error)
{
    const auto doc = discovery(error);
    if (!doc)
        return std::nullopt;
    const auto result = httpPostForm(stringOr(*doc, "token_endpoint"),
                                     formEncode({{"grant_type", "authorization_code"}, {"code", code},
                                                 {"redirect_uri", callbackUrl}, {"code_verifier", codeVerifier}}),
                                     {{"Authorization", basicAuth(m_config.clientId, m_config.clientSecret)},
                                      {"Accept", "application/json"}});
    const auto tokens = parseObject(result.body);
    if (result.status != 200 || !tokens) {
        *error = "the provider refused the sign-in code (" + (tokens ? stringOr(*tokens, "error", "HTTP " + std::to_string(result.status))
                                                                     : result.error.empty() ? "HTTP " + std::to_string(result.status) : result.error) + ")";
        return std::nullopt;
    }
    const std::string idToken = stringOr(*tokens, "id_token");
    if (idToken.empty()) {
        *error = "the provider sent no ID token";
        return std::nullopt;
    }
    const auto claims = verifyIdToken(idToken, nonce, error);
    if (!claims)
        return std::nullopt;
    ExternalIdentity identity;
    identity.subject = (*claims)["sub"].get<std::string>();
    identity.displayName = displayNameFrom(*claims);
    // Some providers send email_verified as a string.
    const auto verified = claims->find("email_verified");
    if (verified != claims->end() && ((verified->is_boolean() && verified->get<bool>()) || (verified->is_string() && verified->get<std::string>() == "true")))
        identity.verifiedEmail = stringOr(*claims, "email");
    if (identity.displayName.empty())
        identity.displayName = nameFromUserInfo(*doc, stringOr(*tokens, "access_token"), identity.subject);
    return identity;
}

std::string IdentityProvider::nameFromUserInfo(const nlohmann::json &discovery, const std::string &accessToken,
                                               const std::string &subject)
{
    // In the code flow a provider may keep the profile claims for userinfo (OpenID Connect Core
    // 5.4), as panva's oidc-provider does by default.
    const std::string endpoint = stringOr(discovery, "userinfo_endpoint");
    if (endpoint.empty() || accessToken.empty() || !isAcceptableProviderUrl(endpoint))
        return {};
    const auto result = httpGet(endpoint, {{"Authorization", "Bearer " + accessToken}, {"Accept", "application/json"}});
    const auto info = result.status == 200 ? parseObject(result.body) : std::nullopt;
    if (!info) {
        qCWarning(lcAuth, "provider %s: userinfo could not be read (%s)", m_config.id.c_str(),
                  result.error.empty() ? ("HTTP " + std::to_string(result.status)).c_str() : result.error.c_str());
        return {};
    }
    // Core 5.3.2: a userinfo answer about someone else is not used.
    if (stringOr(*info, "sub") != subject) {
        qCWarning(lcAuth, "provider %s: userinfo is about another subject; ignored", m_config.id.c_str());
        return {};
    }
    return displayNameFrom(*info);
}

std::optional<nlohmann::json> IdentityProvider::verifyIdToken(const std::string &idToken, const std::string &nonce, std::string *error)
{
    const auto fail = [&](const std::string &why) -> std::optional<nlohmann::json> {
        *error = "the ID token was refused: " + why;
        qCWarning(lcAuth, "provider %s: %s", m_config.id.c_str(), error->c_str());
        return std::nullopt;
    };
    const auto first = idToken.find('.');
    const auto second = first == std::string::npos ? std::string::npos : idToken.find('.', first + 1);
    if (second == std::string::npos || idToken.find('.', second + 1) != std::string::npos || idToken.size() > 16384)
        return fail("not a compact JWS");
    const auto headerText = crypto::base64UrlDecode(idToken.substr(0, first));
    const auto claimsText = crypto::base64UrlDecode(idToken.substr(first + 1, second - first - 1));
    const auto signature = crypto::base64UrlDecode(idToken.substr(second + 1));
    const auto header = headerText ? parseObject(*headerText) : std::nullopt;
    const auto claims = claimsText ? parseObject(*claimsText) : std::nullopt;
    if (!header || !claims || !signature)
        return fail("malformed");
    // Only asymmetric algorithms: "none" and HS256 (an attacker's HMAC keyed with our copy of the
    // public key) never get as far as a key.
    const std::string alg = stringOr(*header, "alg");
    if (alg != "RS256" && alg != "ES256")
        return fail("algorithm '" + alg + "' is not accepted");
    std::string keyError;
    const auto key = signingKey(stringOr(*header, "kid"), &keyError);
    if (!key)
        return fail(keyError);
    if (!jwk::verify(alg, *key, idToken.substr(0, second), *signature))
        return fail("bad signature");
    if (stringOr(*claims, "iss") != m_config.issuer)
        return fail("wrong issuer");
    const auto &aud = (*claims)["aud"];
    const bool audienceOk = (aud.is_string() && aud.get<std::string>() == m_config.clientId)
                            || (aud.is_array() && std::find(aud.begin(), aud.end(), m_config.clientId) != aud.end()
                                && (aud.size() == 1 || stringOr(*claims, "azp") == m_config.clientId));
    if (!audienceOk)
        return fail("wrong audience");
    const auto &exp = (*claims)["exp"];
    if (!exp.is_number() || exp.get<double>() < static_cast<double>(nowSeconds() - kClockSkewSeconds))
        return fail("expired");
    if (claims->contains("iat") && (*claims)["iat"].is_number()
        && (*claims)["iat"].get<double>() > static_cast<double>(nowSeconds() + kClockSkewSeconds))
        return fail("issued in the future");
    if (!crypto::constantTimeEquals(stringOr(*claims, "nonce"), nonce) || nonce.empty())
        return fail("wrong nonce");
    if (stringOr(*claims, "sub").empty() || (*claims)["sub"].get<std::string>().size() > 255)
        return fail("no subject");
    return claims;
}

std::optional<ExternalIdentity> IdentityProvider::completeGitHub(const std::string &code, const std::string &callbackUrl,
                                                                 const std::string &codeVerifier, std::string *error)
{
    const auto result = httpPostForm(m_config.tokenUrl,
                                     formEncode({{"client_id", m_config.clientId}, {"client_secret", m_config.clientSecret},
                                                 {"code", code}, {"redirect_uri", callbackUrl}, {"code_verifier", codeVerifier}}),
                                     {{"Accept", "application/json"}});
    const auto tokens = parseObject(result.body);
    const std::string accessToken = tokens ? stringOr(*tokens, "access_token") : std::string();
    if (result.status != 200 || accessToken.empty()) {
        *error = "GitHub refused the sign-in code (" + (tokens ? stringOr(*tokens, "error", "no token") : "HTTP " + std::to_string(result.status)) + ")";
        return std::nullopt;
    }
    const auto userResult = httpGet(m_config.apiUrl + "/user", {{"Authorization", "Bearer " + accessToken},
                                                                {"Accept", "application/vnd.github+json"},
                                                                {"X-GitHub-Api-Version", "2022-11-28"}});
    const auto user = parseObject(userResult.body);
    // Keyed on the numeric id: a login can be renamed and then taken by someone else.
    if (userResult.status != 200 || !user || !(*user)["id"].is_number_integer()) {
        *error = "could not read the GitHub account";
        return std::nullopt;
    }
    ExternalIdentity identity;
    identity.subject = std::to_string((*user)["id"].get<std::int64_t>());
    identity.displayName = stringOr(*user, "name", stringOr(*user, "login"));
    return identity;
}

} // namespace chatterbox::server
