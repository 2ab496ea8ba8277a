// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/core/keychainsecretstore.h"

#include <qt6keychain/keychain.h>

#include <memory>

namespace chatterbox::app {

namespace {

QString unavailableMessage(const QString &detail)
{
    return QStringLiteral("The system keychain is not available (%1). Unlock it, or on Linux install and start a "
                          "Secret Service such as GNOME Keyring or KWallet, then sign in again.").arg(detail);
}

QString chunkKey(const QString &key, int index)
{
    return index == 0 ? key : key + QLatin1Char('#') + QString::number(index);
}

// Reads chunks one after another; QtKeychain jobs delete themselves when done.
void readChunks(const QString &service, const QString &key, QStringList chunks, int expected,
                SecretStore::ReadCallback done)
{
    auto *job = new QKeychain::ReadPasswordJob(service);
    job->setKey(chunkKey(key, static_cast<int>(chunks.size())));
    QObject::connect(job, &QKeychain::Job::finished, [service, key, chunks, expected, done](QKeychain::Job *finished) mutable {
        auto *read = static_cast<QKeychain::ReadPasswordJob *>(finished);
        if (read->error() == QKeychain::EntryNotFound)
            return done({SecretStore::Status::NotFound, {}, {}});
        if (read->error() != QKeychain::NoError)
            return done({SecretStore::Status::Unavailable, {}, unavailableMessage(read->errorString())});
        chunks << read->textData();
        if (expected < 0) {
            // The first chunk says how many there are: "3:...".
            const auto colon = chunks.first().indexOf(QLatin1Char(':'));
            bool ok = false;
            expected = colon > 0 ? chunks.first().left(colon).toInt(&ok) : 0;
            if (!ok || expected < 1 || expected > 64)
                return done({SecretStore::Status::NotFound, {}, {}});
        }
        if (chunks.size() < expected)
            return readChunks(service, key, chunks, expected, done);
        const auto secret = joinSecret(chunks);
        done(secret ? SecretStore::ReadResult{SecretStore::Status::Ok, *secret, {}}
                    : SecretStore::ReadResult{SecretStore::Status::NotFound, {}, {}});
    });
    job->start();
}

void writeChunks(const QString &service, const QString &key, QStringList chunks, int index, SecretStore::WriteCallback done)
{
    if (index >= chunks.size())
        return done(true, {});
    auto *job = new QKeychain::WritePasswordJob(service);
    job->setKey(chunkKey(key, index));
    job->setTextData(chunks.at(index));
    QObject::connect(job, &QKeychain::Job::finished, [service, key, chunks, index, done](QKeychain::Job *finished) {
        if (finished->error() != QKeychain::NoError)
            return done(false, unavailableMessage(finished->errorString()));
        writeChunks(service, key, chunks, index + 1, done);
    });
    job->start();
}

void removeChunks(const QString &service, const QString &key, int index, SecretStore::WriteCallback done)
{
    auto *job = new QKeychain::DeletePasswordJob(service);
    job->setKey(chunkKey(key, index));
    QObject::connect(job, &QKeychain::Job::finished, [service, key, index, done](QKeychain::Job *finished) {
        if (finished->error() == QKeychain::EntryNotFound || index >= 64)
            return done(true, {}); // past the last chunk
        if (finished->error() != QKeychain::NoError)
            return done(false, unavailableMessage(finished->errorString()));
        removeChunks(service, key, index + 1, done);
    });
    job->start();
}

} // namespace

QStringList splitSecret(const QString &secret, int chunkChars)
{
    QStringList parts;
    for (qsizetype i = 0; i < secret.size() || parts.isEmpty(); i += chunkChars)
        parts << secret.mid(i, chunkChars);
    parts[0].prepend(QString::number(parts.size()) + QLatin1Char(':'));
    return parts;
}

std::optional<QString> joinSecret(const QStringList &chunks)
{
    if (chunks.isEmpty())
        return std::nullopt;
    const auto colon = chunks.first().indexOf(QLatin1Char(':'));
    bool ok = false;
    const int count = colon > 0 ? chunks.first().left(colon).toInt(&ok) : 0;
    if (!ok || count != chunks.size())
        return std::nullopt;
    QString secret = chunks.first().mid(colon + 1);
    for (qsizetype i = 1; i < chunks.size(); ++i)
        secret += chunks.at(i);
    return secret;
}

KeychainSecretStore::KeychainSecretStore(QString service) : m_service(std::move(service)) {}

void KeychainSecretStore::read(const QString &key, ReadCallback done)
{
    readChunks(m_service, key, {}, -1, std::move(done));
}

void KeychainSecretStore::write(const QString &key, const QString &secret, WriteCallback done)
{
    // Clear what a longer secret may have left behind, then write the new chunks.
    const QString service = m_service;
    removeChunks(m_service, key, 0, [service, key, secret, done](bool, const QString &) {
        writeChunks(service, key, splitSecret(secret, kChunkChars), 0, done);
    });
}

void KeychainSecretStore::remove(const QString &key, WriteCallback done)
{
    removeChunks(m_service, key, 0, std::move(done));
}

void MemorySecretStore::read(const QString &key, ReadCallback done)
{
    if (m_unavailable)
        return done({Status::Unavailable, {}, QStringLiteral("The system keychain is locked. Unlock it, then sign in again.")});
    const auto it = m_secrets.constFind(key);
    done(it == m_secrets.cend() ? ReadResult{Status::NotFound, {}, {}} : ReadResult{Status::Ok, *it, {}});
}

void MemorySecretStore::write(const QString &key, const QString &secret, WriteCallback done)
{
    if (m_unavailable)
        return done(false, QStringLiteral("The system keychain is locked. Unlock it, then sign in again."));
    m_secrets.insert(key, secret);
    done(true, {});
}

void MemorySecretStore::remove(const QString &key, WriteCallback done)
{
    m_secrets.remove(key);
    done(true, {});
}

} // namespace chatterbox::app
