// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/core/filefetcher.h"

#include "app/core/logging.h"
#include "app/core/transport.h"

#include "shared/limits.h"

#include <QDir>
#include <QFile>
#include <QNetworkReply>
#include <QUuid>

#include <utility>

namespace chatterbox::app {

FileFetcher::FileFetcher(TokenSource &tokens, std::function<QUrl()> server, QString directory, QObject *parent)
    : QObject(parent), m_tokens(tokens), m_server(std::move(server)), m_directory(std::move(directory))
{
}

FileFetcher::~FileFetcher()
{
    const auto downloads = std::exchange(m_downloads, {});
    for (const auto &d : downloads) {
        if (d.reply)
            d.reply->abort();
        if (d.file)
            d.file->remove();
        delete d.file;
    }
}

void FileFetcher::setDirectory(const QString &directory)
{
    m_directory = directory;
}

bool FileFetcher::isFileId(const QString &fileId)
{
    // Only the canonical form: the id becomes a file name, so nothing else may pass.
    return fileId.size() == 36 && !QUuid::fromString(fileId).isNull()
           && QUuid::fromString(fileId).toString(QUuid::WithoutBraces) == fileId.toLower();
}

QString FileFetcher::keyOf(const QString &fileId, Kind kind)
{
    return fileId.toLower() + (kind == Kind::Thumbnail ? QStringLiteral(".thumbnail") : QStringLiteral(".file"));
}

QString FileFetcher::cachedPath(const QString &fileId, Kind kind) const
{
    if (!isFileId(fileId) || m_directory.isEmpty())
        return {};
    const QString path = QDir(m_directory).filePath(keyOf(fileId, kind));
    return QFile::exists(path) ? path : QString();
}

std::optional<std::pair<qint64, qint64>> FileFetcher::progressOf(const QString &fileId, Kind kind) const
{
    const auto d = m_downloads.constFind(keyOf(fileId, kind));
    if (d == m_downloads.constEnd())
        return std::nullopt;
    return std::pair{d->received, d->total};
}

void FileFetcher::fetch(const QString &fileId, Kind kind, qint64 expectedBytes)
{
    if (!isFileId(fileId)) {
        Q_EMIT failed(fileId, kind, tr("This file cannot be fetched."));
        return;
    }
    const QString key = keyOf(fileId, kind);
    if (m_downloads.contains(key))
        return;
    if (const QString path = cachedPath(fileId, kind); !path.isEmpty()) {
        Q_EMIT fetched(fileId, kind, path);
        return;
    }
    Download d;
    d.limit = kind == Kind::Thumbnail ? qint64(1) << 20 : std::max<qint64>(0, expectedBytes);
    d.total = kind == Kind::Thumbnail ? 0 : d.limit;
    m_downloads.insert(key, d);
    start(key, fileId, kind);
}

void FileFetcher::start(const QString &key, const QString &fileId, Kind kind)
{
    auto d = m_downloads.find(key);
    if (d == m_downloads.end())
        return;
    if (!QDir().mkpath(m_directory)) {
        fail(key, fileId, kind, tr("The file could not be kept on this computer (%1).").arg(m_directory));
        return;
    }
    delete d->file;
    d->file = new QFile(QDir(m_directory).filePath(key + QStringLiteral(".part")));
    if (!d->file->open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        fail(key, fileId, kind, tr("The file could not be kept on this computer: %1").arg(d->file->errorString()));
        return;
    }
    d->received = 0;
    const QString path = QStringLiteral("/files/") + fileId.toLower()
                         + (kind == Kind::Thumbnail ? QStringLiteral("/thumbnail") : QString());
    QNetworkRequest request(m_server().resolved(QUrl(path)));
    request.setRawHeader("Authorization", "Bearer " + m_tokens.currentAccessToken());
    request.setTransferTimeout(30000);
    QNetworkReply *reply = m_network.get(request);
    d->reply = reply;
    connect(reply, &QNetworkReply::readyRead, this, [this, key, fileId, kind, reply] {
        const auto d = m_downloads.find(key);
        if (d == m_downloads.end() || d->reply != reply)
            return;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status != 200)
            return;   // an error's words are read when it finishes
        const QByteArray bytes = reply->readAll();
        d->received += bytes.size();
        if (d->received > d->limit) {
            d->reply = nullptr;   // its end, which abort() brings at once, finds no download of it
            reply->abort();
            fail(key, fileId, kind, tr("The server sent more than this file's size; it was not kept."));
            return;
        }
        if (d->file->write(bytes) != bytes.size()) {
            d->reply = nullptr;
            reply->abort();
            fail(key, fileId, kind, tr("The file could not be kept on this computer: %1").arg(d->file->errorString()));
            return;
        }
        Q_EMIT progress(fileId, kind, d->received, d->total);
    });
    connect(reply, &QNetworkReply::finished, this, [this, key, fileId, kind, reply] {
        reply->deleteLater();
        finish(key, fileId, kind, reply);
    });
}

void FileFetcher::finish(const QString &key, const QString &fileId, Kind kind, QNetworkReply *reply)
{
    const auto d = m_downloads.find(key);
    if (d == m_downloads.end() || d->reply != reply)
        return;   // cancelled, failed already, or started again
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 401 && !d->renewed) {
        d->renewed = true;
        m_tokens.refreshAccess([this, key, fileId, kind](bool ok) {
            if (ok)
                start(key, fileId, kind);
            else
                fail(key, fileId, kind, tr("You are signed out."));
        });
        return;
    }
    if (status == 404) {
        fail(key, fileId, kind, kind == Kind::Thumbnail ? tr("No preview.") : tr("This file is not there any more."));
        return;
    }
    if (status != 200 || reply->error() != QNetworkReply::NoError) {
        fail(key, fileId, kind, tr("The file could not be downloaded: %1").arg(reply->errorString()));
        return;
    }
    const QByteArray rest = reply->readAll();
    d->received += rest.size();
    if (d->received > d->limit || d->file->write(rest) != rest.size()) {
        fail(key, fileId, kind, tr("The file could not be downloaded whole."));
        return;
    }
    QFile *file = std::exchange(d->file, nullptr);
    const QString partPath = file->fileName();
    file->close();
    delete file;
    const QString path = QDir(m_directory).filePath(key);
    QFile::remove(path);
    if (!QFile::rename(partPath, path)) {
        QFile::remove(partPath);
        m_downloads.erase(d);
        Q_EMIT failed(fileId, kind, tr("The file could not be kept on this computer."));
        return;
    }
    m_downloads.erase(d);
    Q_EMIT fetched(fileId, kind, path);
}

void FileFetcher::fail(const QString &key, const QString &fileId, Kind kind, const QString &problem)
{
    const auto d = m_downloads.find(key);
    if (d != m_downloads.end()) {
        if (d->file) {
            d->file->close();
            d->file->remove();
            delete d->file;
        }
        m_downloads.erase(d);
    }
    qCInfo(lcApp, "download of a file failed: %s", qPrintable(problem));
    Q_EMIT failed(fileId, kind, problem);
}

void FileFetcher::cancel(const QString &fileId, Kind kind)
{
    const QString key = keyOf(fileId, kind);
    const auto d = m_downloads.find(key);
    if (d == m_downloads.end())
        return;
    const QPointer<QNetworkReply> reply = d->reply;
    d->reply = nullptr;   // its end finds no download of it
    if (reply)
        reply->abort();
    fail(key, fileId, kind, QString());   // the person stopped it: nothing to tell them
}

void FileFetcher::clear()
{
    const auto downloads = m_downloads.keys();
    for (const QString &key : downloads) {
        const auto d = m_downloads.find(key);
        const QPointer<QNetworkReply> reply = std::exchange(d->reply, nullptr);
        if (reply)
            reply->abort();   // its end finds no download of it
        if (d->file)
            d->file->remove();
        delete d->file;
    }
    m_downloads.clear();
    if (!m_directory.isEmpty())
        QDir(m_directory).removeRecursively();
}

} // namespace chatterbox::app
