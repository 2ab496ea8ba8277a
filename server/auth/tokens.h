// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <pqxx/connection>

#include <chrono>
#include <functional>
#include <set>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
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
    std::string familyId;    // the sign-in these belong to
};

enum class RefreshError { Invalid, Reused };

// A person the operator suspended (or deleted) gets no new sign-in (chatterbox-server admin).
struct SignInRefused : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Issues and checks the tokens the server hands out.
//
// Access tokens are JWTs (RFC 7519) signed with HMAC-SHA256 under a key id (kid). Verification
// pins the algorithm: a token whose header says anything but HS256, or names an unknown kid, is
// refused before its signature is looked at. Keys live in the database so tokens survive restarts.
//
// Refresh tokens are 256 random bits, stored only as SHA-256 hashes. Each use spends the token
// and issues the next one of the same family; presenting a spent token revokes the whole family.
// A revoked family's access tokens are refused from then on, and its live connections closed.
//
// Keys rotate without logging anyone out: a new key is published (loaded by every instance)
// for a while before it starts signing, and old keys keep verifying until every token they
// signed has expired.
class TokenService final {
public:
    TokenService(std::string issuer, std::chrono::seconds accessLifetime, std::chrono::seconds refreshLifetime,
                 std::chrono::seconds keyRotation = std::chrono::hours(24 * 30));

    // Loads the signing keys, creating the first one on a fresh database, adding a new one when
    // the signing key is older than the rotation period, and dropping keys nothing can still use.
    // Also loads recently revoked sign-ins. Run at start and then every few minutes.
    void refreshKeys(pqxx::connection_base &connection);
    void loadKeys(pqxx::connection_base &connection) { refreshKeys(connection); }
    std::string currentKeyId() const;

    // Ends a sign-in: its refresh tokens stop working, its access tokens are refused, and the
    // revocation listener is told so that live connections close.
    void revokeFamily(pqxx::connection_base &connection, const std::string &familyId);
    // Revokes the family of a refresh token (spent or not). RFC 7009: unknown tokens are fine.
    void revokeByRefreshToken(pqxx::connection_base &connection, const std::string &refreshToken);
    // Another instance revoked a sign-in: refused here too, without telling the listener again.
    void noteRevokedElsewhere(const std::string &familyId);
    void setRevocationListener(std::function<void(const std::string &familyId)> listener);
    bool isRevoked(const std::string &familyId) const;

    std::string issueAccessToken(const std::string &userId, const std::string &familyId) const;
    std::optional<AccessClaims> verifyAccessToken(const std::string &token) const;

    // Starts a new family for a fresh sign-in; SignInRefused for a suspended person.
    TokenPair signIn(pqxx::connection_base &connection, const std::string &userId);
    // The same inside a transaction of the caller's, so the sign-in commits with what made it.
    TokenPair signIn(pqxx::transaction_base &tx, const std::string &userId);
    // Spends a refresh token; on success, the next pair of the same family.
    std::optional<TokenPair> refresh(pqxx::connection_base &connection, const std::string &refreshToken, RefreshError *why = nullptr);

    std::chrono::seconds accessLifetime() const { return m_accessLifetime; }

private:
    std::string newRefreshToken(pqxx::transaction_base &tx, const std::string &userId, const std::string &familyId);

    const std::string m_issuer;
    const std::chrono::seconds m_accessLifetime;
    const std::chrono::seconds m_refreshLifetime;
    mutable std::mutex m_mutex;
    void markRevoked(const std::string &familyId);

    const std::chrono::seconds m_keyRotation;
    std::map<std::string, std::string> m_keys; // kid -> secret
    std::string m_currentKid;
    std::set<std::string> m_revoked;
    std::function<void(const std::string &)> m_revocationListener;
};

} // namespace chatterbox::server
