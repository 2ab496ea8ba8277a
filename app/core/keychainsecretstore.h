// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/core/secretstore.h"

namespace chatterbox::app {

// The OS keychain through QtKeychain: Secret Service / KWallet on Linux, the Keychain on macOS,
// the Credential Manager on Windows. There is no plaintext fallback: when no keychain answers,
// calls fail with a message saying what happened; the session then keeps the sign-in in memory
// for this run only and tells the person how to stay signed in.
//
// The Windows credential store holds at most 2560 bytes a secret, so secrets are stored in
// chunks ("key", "key#1", ...) with the chunk count in the first one.
class KeychainSecretStore final : public SecretStore {
public:
    explicit KeychainSecretStore(QString service);

    void read(const QString &key, ReadCallback done) override;
    void write(const QString &key, const QString &secret, WriteCallback done) override;
    void remove(const QString &key, WriteCallback done) override;

    static constexpr int kChunkChars = 1000;   // well under the limit once encoded as UTF-16

private:
    const QString m_service;
};

// Splits a secret into the stored chunks and joins them again; exposed for tests.
QStringList splitSecret(const QString &secret, int chunkChars);
std::optional<QString> joinSecret(const QStringList &chunks);

} // namespace chatterbox::app
