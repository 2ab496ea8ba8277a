// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/core/pkce.h"

#include <QCryptographicHash>
#include <QRandomGenerator>

namespace chatterbox::app {

namespace {
QByteArray randomUrlSafe(int bytes)
{
    QByteArray raw(bytes, Qt::Uninitialized);
    // QRandomGenerator::system() is the OS CSPRNG.
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(raw.data()), bytes / 4);
    return raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}
} // namespace

QByteArray Pkce::challengeFor(const QByteArray &verifier)
{
    return QCryptographicHash::hash(verifier, QCryptographicHash::Sha256)
        .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

Pkce Pkce::generate()
{
    Pkce p;
    p.verifier = randomUrlSafe(32);
    p.challenge = challengeFor(p.verifier);
    p.state = randomUrlSafe(16);
    return p;
}

} // namespace chatterbox::app
