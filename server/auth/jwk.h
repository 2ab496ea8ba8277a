// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <string_view>

namespace chatterbox::server::jwk {

// Verifies a JWS signature (RFC 7515) with a public JSON Web Key (RFC 7517).
// Only asymmetric algorithms an identity provider signs ID tokens with are accepted: RS256
// (RSA keys of 2048 bits or more) and ES256 (P-256). The key's type must match the algorithm,
// and a key that names its own "alg" must name this one. Anything else is false, never a throw.
bool verify(std::string_view alg, const nlohmann::json &key, std::string_view signingInput, std::string_view signature);

} // namespace chatterbox::server::jwk
