// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QObject>
#include <QString>

#include <functional>
#include <optional>

namespace chatterbox::app {

// Where the app keeps secrets (refresh tokens): the operating system's keychain, never a file.
// Calls are asynchronous because keychains may ask the person to unlock them.
class SecretStore {
public:
    enum class Status { Ok, NotFound, Unavailable };
    struct ReadResult {
        Status status = Status::NotFound;
        QString secret;
        QString error;   // for people, when Unavailable: what happened and what to do
    };
    using ReadCallback = std::function<void(const ReadResult &)>;
    using WriteCallback = std::function<void(bool ok, const QString &error)>;

    virtual ~SecretStore() = default;
    virtual void read(const QString &key, ReadCallback done) = 0;
    virtual void write(const QString &key, const QString &secret, WriteCallback done) = 0;
    virtual void remove(const QString &key, WriteCallback done) = 0;
};

// A store that lives in memory only: for tests, and for nothing else.
class MemorySecretStore final : public SecretStore {
public:
    void read(const QString &key, ReadCallback done) override;
    void write(const QString &key, const QString &secret, WriteCallback done) override;
    void remove(const QString &key, WriteCallback done) override;
    // Makes every call fail, as a locked or missing keychain does.
    void setUnavailable(bool unavailable) { m_unavailable = unavailable; }

private:
    QHash<QString, QString> m_secrets;
    bool m_unavailable = false;
};

} // namespace chatterbox::app
