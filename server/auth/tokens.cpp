// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/auth/tokens.h"

#include "server/auth/crypto.h"
#include "server/logging.h"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <pqxx/transaction>

namespace chatterbox::server {

namespace {

constexpr const char *kAudience = "chatterbox";
constexpr const char *kAlgorithm = "HS256";

std::int64_t nowSeconds()
{
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string hex(std::string_view bytes)
{
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (unsigned char c : bytes) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

} // namespace

namespace {
// A new key is published this long before it signs anything, so that every instance has loaded
// it by then (they reload every few minutes).
constexpr std::int64_t kPublishSeconds = 15 * 60;
} // namespace

TokenService::TokenService(std::string issuer, std::chrono::seconds accessLifetime, std::chrono::seconds refreshLifetime,
                           std::chrono::seconds keyRotation)
    : m_issuer(std::move(issuer)), m_accessLifetime(accessLifetime), m_refreshLifetime(refreshLifetime), m_keyRotation(keyRotation)
{
}

void TokenService::refreshKeys(pqxx::connection_base &connection)
{
    pqxx::work tx(connection);
    // One instance at a time decides about new keys.
    tx.exec("SELECT pg_advisory_xact_lock(7236571)");
    const auto newest = tx.exec("SELECT extract(epoch FROM now() - max(created_at))::bigint FROM signing_keys");
    if (newest[0][0].is_null() || newest[0][0].as<std::int64_t>() >= m_keyRotation.count()) {
        const std::string kid = hex(crypto::randomBytes(8));
        tx.exec_params0("INSERT INTO signing_keys (kid, secret) VALUES ($1, $2)", kid, pqxx::binarystring(crypto::randomBytes(32)));
        qCInfo(lcAuth, "created signing key %s", kid.c_str());
    }
    // A key stops signing when its successor starts (rotation + publish time after it began);
    // its tokens live one access lifetime more.
    tx.exec_params0("DELETE FROM signing_keys WHERE created_at < now() - make_interval(secs => $1)"
                    " AND kid <> (SELECT kid FROM signing_keys ORDER BY created_at DESC LIMIT 1)",
                    static_cast<double>(2 * m_keyRotation.count() + kPublishSeconds + m_accessLifetime.count()));
    const auto rows = tx.exec("SELECT kid, secret, extract(epoch FROM now() - created_at)::bigint AS age"
                              " FROM signing_keys ORDER BY created_at DESC");
    const auto revoked = tx.exec_params("SELECT DISTINCT family_id FROM refresh_tokens"
                                        " WHERE revoked_at > now() - make_interval(secs => $1)",
                                        static_cast<double>(m_accessLifetime.count() + 60));
    tx.commit();

    std::lock_guard lock(m_mutex);
    m_keys.clear();
    m_currentKid.clear();
    for (const auto &r : rows) {
        const std::string kid = r[0].as<std::string>();
        m_keys[kid] = pqxx::binarystring(r[1]).str();
        // The newest key that everyone has had time to load; the oldest if none has (first start).
        if (m_currentKid.empty() && r[2].as<std::int64_t>() >= kPublishSeconds)
            m_currentKid = kid;
    }
    if (m_currentKid.empty())
        m_currentKid = rows[rows.size() - 1][0].as<std::string>();
    for (const auto &r : revoked)
        m_revoked.insert(r[0].as<std::string>());
}

std::string TokenService::currentKeyId() const
{
    std::lock_guard lock(m_mutex);
    return m_currentKid;
}

void TokenService::markRevoked(const std::string &familyId)
{
    std::function<void(const std::string &)> listener;
    {
        std::lock_guard lock(m_mutex);
        m_revoked.insert(familyId);
        listener = m_revocationListener;
    }
    if (listener)
        listener(familyId);
}

bool TokenService::isRevoked(const std::string &familyId) const
{
    std::lock_guard lock(m_mutex);
    return m_revoked.count(familyId) > 0;
}

void TokenService::noteRevokedElsewhere(const std::string &familyId)
{
    std::lock_guard lock(m_mutex);
    m_revoked.insert(familyId);
}

void TokenService::setRevocationListener(std::function<void(const std::string &)> listener)
{
    std::lock_guard lock(m_mutex);
    m_revocationListener = std::move(listener);
}

void TokenService::revokeFamily(pqxx::connection_base &connection, const std::string &familyId)
{
    pqxx::work tx(connection);
    tx.exec_params0("UPDATE refresh_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE family_id = $1", familyId);
    tx.commit();
    markRevoked(familyId);
}

void TokenService::revokeByRefreshToken(pqxx::connection_base &connection, const std::string &refreshToken)
{
    std::string familyId;
    {
        pqxx::work tx(connection);
        const auto row = tx.exec_params("SELECT family_id FROM refresh_tokens WHERE token_hash = $1",
                                        pqxx::binarystring(crypto::sha256(refreshToken)));
        tx.commit();
        if (row.empty())
            return;
        familyId = row[0][0].as<std::string>();
    }
    revokeFamily(connection, familyId);
}

std::string TokenService::issueAccessToken(const std::string &userId, const std::string &familyId) const
{
    std::string kid, secret;
    {
        std::lock_guard lock(m_mutex);
        kid = m_currentKid;
        secret = m_keys.at(kid);
    }
    const std::int64_t now = nowSeconds();
    const nlohmann::json header{{"alg", kAlgorithm}, {"typ", "JWT"}, {"kid", kid}};
    const nlohmann::json claims{{"iss", m_issuer}, {"aud", kAudience}, {"sub", userId}, {"typ", "access"},
                                {"fam", familyId}, {"iat", now}, {"exp", now + m_accessLifetime.count()},
                                {"jti", hex(crypto::randomBytes(8))}};
    const std::string signingInput = crypto::base64UrlEncode(header.dump()) + '.' + crypto::base64UrlEncode(claims.dump());
    return signingInput + '.' + crypto::base64UrlEncode(crypto::hmacSha256(secret, signingInput));
}

std::optional<AccessClaims> TokenService::verifyAccessToken(const std::string &token) const
{
    if (token.size() > 4096)
        return std::nullopt;
    const auto firstDot = token.find('.');
    const auto secondDot = firstDot == std::string::npos ? std::string::npos : token.find('.', firstDot + 1);
    if (secondDot == std::string::npos || token.find('.', secondDot + 1) != std::string::npos)
        return std::nullopt;
    const auto headerText = crypto::base64UrlDecode(std::string_view(token).substr(0, firstDot));
    const auto claimsText = crypto::base64UrlDecode(std::string_view(token).substr(firstDot + 1, secondDot - firstDot - 1));
    const auto signature = crypto::base64UrlDecode(std::string_view(token).substr(secondDot + 1));
    if (!headerText || !claimsText || !signature)
        return std::nullopt;
    const auto header = nlohmann::json::parse(*headerText, nullptr, false);
    const auto claims = nlohmann::json::parse(*claimsText, nullptr, false);
    if (!header.is_object() || !claims.is_object())
        return std::nullopt;
    // The algorithm is pinned: the header does not get to choose it.
    if (header.value("alg", std::string()) != kAlgorithm)
        return std::nullopt;
    std::string secret;
    {
        std::lock_guard lock(m_mutex);
        const auto it = m_keys.find(header.value("kid", std::string()));
        if (it == m_keys.end())
            return std::nullopt;
        secret = it->second;
    }
    const std::string expected = crypto::hmacSha256(secret, token.substr(0, secondDot));
    if (!crypto::constantTimeEquals(expected, *signature))
        return std::nullopt;
    try {
        if (claims.at("iss").get<std::string>() != m_issuer || claims.at("aud").get<std::string>() != kAudience
            || claims.at("typ").get<std::string>() != "access")
            return std::nullopt;
        AccessClaims out;
        out.userId = claims.at("sub").get<std::string>();
        out.familyId = claims.at("fam").get<std::string>();
        out.expiresAt = claims.at("exp").get<std::int64_t>();
        if (out.expiresAt <= nowSeconds() || isRevoked(out.familyId))
            return std::nullopt;
        return out;
    } catch (const nlohmann::json::exception &) {
        return std::nullopt;
    }
}

std::string TokenService::newRefreshToken(pqxx::transaction_base &tx, const std::string &userId, const std::string &familyId)
{
    const std::string token = crypto::base64UrlEncode(crypto::randomBytes(32));
    tx.exec_params0("INSERT INTO refresh_tokens (token_hash, family_id, user_id, expires_at)"
                    " VALUES ($1, $2, $3, now() + make_interval(secs => $4))",
                    pqxx::binarystring(crypto::sha256(token)), familyId, userId, static_cast<double>(m_refreshLifetime.count()));
    return token;
}

TokenPair TokenService::signIn(pqxx::transaction_base &tx, const std::string &userId)
{
    // FOR SHARE: a suspension committing now waits for this sign-in and then ends it, or this
    // waits for the suspension and sees it.
    const auto who = tx.exec_params("SELECT suspended_at IS NOT NULL FROM users WHERE id = $1 FOR SHARE", userId);
    if (!who.empty() && who[0][0].as<bool>())
        throw SignInRefused("this account is suspended by the server's operator");
    TokenPair pair;
    pair.familyId = tx.exec1("SELECT gen_random_uuid()")[0].as<std::string>();
    pair.refreshToken = newRefreshToken(tx, userId, pair.familyId);
    pair.accessToken = issueAccessToken(userId, pair.familyId);
    pair.expiresIn = static_cast<int>(m_accessLifetime.count());
    return pair;
}

TokenPair TokenService::signIn(pqxx::connection_base &connection, const std::string &userId)
{
    pqxx::work tx(connection);
    TokenPair pair = signIn(tx, userId);
    tx.commit();
    return pair;
}

std::optional<TokenPair> TokenService::refresh(pqxx::connection_base &connection, const std::string &refreshToken, RefreshError *why)
{
    const auto hash = pqxx::binarystring(crypto::sha256(refreshToken));
    TokenPair pair;
    std::string userId, familyId;
    {
        // Spending the old token and storing its successor commit together: a concurrent use of
        // the same token waits on the old row, then finds it spent and revokes the family with
        // the successor in it. A family with any revoked token has ended for good.
        pqxx::work tx(connection);
        const auto spent = tx.exec_params("UPDATE refresh_tokens t SET spent_at = now()"
                                          " WHERE token_hash = $1 AND spent_at IS NULL AND revoked_at IS NULL"
                                          " AND expires_at > now()"
                                          " AND NOT EXISTS (SELECT 1 FROM refresh_tokens r"
                                          "                 WHERE r.family_id = t.family_id AND r.revoked_at IS NOT NULL)"
                                          " AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = t.user_id AND u.suspended_at IS NOT NULL)"
                                          " RETURNING user_id, family_id",
                                          hash);
        if (spent.empty()) {
            const auto reused = tx.exec_params("UPDATE refresh_tokens SET revoked_at = coalesce(revoked_at, now())"
                                               " WHERE family_id = (SELECT family_id FROM refresh_tokens"
                                               "   WHERE token_hash = $1 AND (spent_at IS NOT NULL OR revoked_at IS NOT NULL))"
                                               " RETURNING family_id",
                                               hash);
            tx.commit();
            if (!reused.empty()) {
                qCWarning(lcAuth, "a spent or revoked refresh token was presented again; its sign-in is revoked");
                markRevoked(reused[0][0].as<std::string>());
            }
            if (why)
                *why = reused.empty() ? RefreshError::Invalid : RefreshError::Reused;
            return std::nullopt;
        }
        userId = spent[0][0].as<std::string>();
        familyId = spent[0][1].as<std::string>();
        const std::string next = newRefreshToken(tx, userId, familyId);
        tx.commit();
        pair.refreshToken = next;
    }
    pair.accessToken = issueAccessToken(userId, familyId);
    pair.expiresIn = static_cast<int>(m_accessLifetime.count());
    pair.familyId = familyId;
    return pair;
}

} // namespace chatterbox::server
