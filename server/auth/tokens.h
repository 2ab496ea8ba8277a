#pragma once

#include <pqxx/connection>

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace chatterbox::server {

struct AccessClaims {
    std::string userId;
    std::string familyId;   // the sign-in this token belongs to
    std::int64_t expiresAt = 0; // seconds since the epoch
};

struct TokenPair {
    std::string accessToken;
    std::string refreshToken;
    int expiresIn = 0;       // seconds until the access token expires
};

enum class RefreshError { Invalid, Reused };

// Issues and checks the tokens the server hands out.
//
// Access tokens are JWTs (RFC 7519) signed with HMAC-SHA256 under a key id (kid). Verification
// pins the algorithm: a token whose header says anything but HS256, or names an unknown kid, is
// refused before its signature is looked at. Keys live in the database so tokens survive restarts.
//
// Refresh tokens are 256 random bits, stored only as SHA-256 hashes. Each use spends the token
// and issues the next one of the same family; presenting a spent token revokes the whole family.
class TokenService final {
public:
    TokenService(std::string issuer, std::chrono::seconds accessLifetime, std::chrono::seconds refreshLifetime);

    // Loads the signing keys, creating the first one on a fresh database.
    void loadKeys(pqxx::connection &connection);

    std::string issueAccessToken(const std::string &userId, const std::string &familyId) const;
    std::optional<AccessClaims> verifyAccessToken(const std::string &token) const;

    // Starts a new family for a fresh sign-in.
    TokenPair signIn(pqxx::connection &connection, const std::string &userId);
    // Spends a refresh token; on success, the next pair of the same family.
    std::optional<TokenPair> refresh(pqxx::connection &connection, const std::string &refreshToken, RefreshError *why = nullptr);

    std::chrono::seconds accessLifetime() const { return m_accessLifetime; }

private:
    TokenPair issuePair(pqxx::connection &connection, const std::string &userId, const std::string &familyId);
    std::string newRefreshToken(pqxx::connection &connection, const std::string &userId, const std::string &familyId);

    const std::string m_issuer;
    const std::chrono::seconds m_accessLifetime;
    const std::chrono::seconds m_refreshLifetime;
    mutable std::mutex m_mutex;
    std::map<std::string, std::string> m_keys; // kid -> secret
    std::string m_currentKid;
};

} // namespace chatterbox::server
