// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>
#include <string>
#include <string_view>

// Small wrappers over OpenSSL for tokens: URL-safe base64, HMAC-SHA256, SHA-256, random bytes.
namespace chatterbox::server::crypto {

std::string base64UrlEncode(std::string_view bytes);
std::optional<std::string> base64UrlDecode(std::string_view text);
std::string hmacSha256(std::string_view key, std::string_view data);
std::string sha256(std::string_view data);
std::string randomBytes(std::size_t count);   // from the OS CSPRNG; throws if it fails
bool constantTimeEquals(std::string_view a, std::string_view b);

} // namespace chatterbox::server::crypto
