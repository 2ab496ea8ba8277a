// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/auth/jwk.h"

#include "server/auth/crypto.h"

#include <nlohmann/json.hpp>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <memory>

namespace chatterbox::server::jwk {

namespace {

template <auto Free>
struct Deleter {
    template <typename T>
    void operator()(T *p) const { Free(p); }
};
using Key = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using Bignum = std::unique_ptr<BIGNUM, Deleter<BN_free>>;
using ParamBuilder = std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD_free>>;
using Params = std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM_free>>;
using KeyContext = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX_free>>;
using DigestContext = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX_free>>;
using EcSignature = std::unique_ptr<ECDSA_SIG, Deleter<ECDSA_SIG_free>>;

std::string member(const nlohmann::json &key, const char *name)
{
    const auto it = key.find(name);
    return it != key.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Bignum bignum(const std::string &bytes)
{
    return Bignum(BN_bin2bn(reinterpret_cast<const unsigned char *>(bytes.data()), static_cast<int>(bytes.size()), nullptr));
}

Key fromParams(const char *type, const ParamBuilder &builder)
{
    Params params(OSSL_PARAM_BLD_to_param(builder.get()));
    KeyContext context(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
    EVP_PKEY *key = nullptr;
    if (!params || !context || EVP_PKEY_fromdata_init(context.get()) != 1
        || EVP_PKEY_fromdata(context.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) != 1)
        return nullptr;
    return Key(key);
}

Key rsaKey(const nlohmann::json &jwk)
{
    const auto n = crypto::base64UrlDecode(member(jwk, "n"));
    const auto e = crypto::base64UrlDecode(member(jwk, "e"));
    if (!n || !e || n->empty() || e->empty())
        return nullptr;
    Bignum bn(bignum(*n)), be(bignum(*e));
    ParamBuilder builder(OSSL_PARAM_BLD_new());
    if (!bn || !be || !builder || BN_num_bits(bn.get()) < 2048
        || !OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, bn.get())
        || !OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, be.get()))
        return nullptr;
    return fromParams("RSA", builder);
}

Key p256Key(const nlohmann::json &jwk)
{
    const auto x = crypto::base64UrlDecode(member(jwk, "x"));
    const auto y = crypto::base64UrlDecode(member(jwk, "y"));
    if (member(jwk, "crv") != "P-256" || !x || !y || x->size() != 32 || y->size() != 32)
        return nullptr;
    std::string point = "\x04" + *x + *y;
    ParamBuilder builder(OSSL_PARAM_BLD_new());
    if (!builder || !OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0)
        || !OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()))
        return nullptr;
    return fromParams("EC", builder);
}

// JWS carries an ECDSA signature as r||s; OpenSSL wants DER.
std::string derFromRawEcdsa(std::string_view raw)
{
    if (raw.size() != 64)
        return {};
    EcSignature sig(ECDSA_SIG_new());
    BIGNUM *r = BN_bin2bn(reinterpret_cast<const unsigned char *>(raw.data()), 32, nullptr);
    BIGNUM *s = BN_bin2bn(reinterpret_cast<const unsigned char *>(raw.data() + 32), 32, nullptr);
    if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
        BN_free(r);
        BN_free(s);
        return {};
    }
    unsigned char *der = nullptr;
    const int length = i2d_ECDSA_SIG(sig.get(), &der);
    if (length <= 0)
        return {};
    std::string out(reinterpret_cast<const char *>(der), static_cast<std::size_t>(length));
    OPENSSL_free(der);
    return out;
}

} // namespace

bool verify(std::string_view alg, const nlohmann::json &key, std::string_view signingInput, std::string_view signature)
{
    if (!key.is_object())
        return false;
    const std::string keyAlg = member(key, "alg");
    if (!keyAlg.empty() && keyAlg != alg)
        return false;
    const std::string use = member(key, "use");
    if (!use.empty() && use != "sig")
        return false;
    Key publicKey;
    std::string sig(signature);
    if (alg == "RS256" && member(key, "kty") == "RSA") {
        publicKey = rsaKey(key);
    } else if (alg == "ES256" && member(key, "kty") == "EC") {
        publicKey = p256Key(key);
        sig = derFromRawEcdsa(signature);
    } else {
        return false; // none, HS*, and anything not listed: refused
    }
    if (!publicKey || sig.empty())
        return false;
    DigestContext context(EVP_MD_CTX_new());
    return context && EVP_DigestVerifyInit(context.get(), nullptr, EVP_sha256(), nullptr, publicKey.get()) == 1
           && EVP_DigestVerify(context.get(), reinterpret_cast<const unsigned char *>(sig.data()), sig.size(),
                               reinterpret_cast<const unsigned char *>(signingInput.data()), signingInput.size()) == 1;
}

} // namespace chatterbox::server::jwk
