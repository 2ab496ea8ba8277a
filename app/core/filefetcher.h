// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QNetworkAccessManager>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QUrl>

#include <functional>
#include <optional>

class QFile;
class QNetworkReply;

namespace chatterbox::app {

class TokenSource;

// Downloads the files of messages (docs/protocol.md, "Files") into a directory on disk, where
// they stay: a thumbnail or a file fetched once is read from there the next time, also after a
// restart. One download per file at a time, however many ask; the bytes go to disk as they
// arrive, never all in memory; a download stops when it brings more than the message declared.
// An expired access token is renewed once. A file the person may not read (or that is gone)
// fails with the same words as a missing one, as the server answers.
class FileFetcher final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FileFetcher)

public:
    enum class Kind { Thumbnail, Full };
    Q_ENUM(Kind)

    // server: the server's base URL, asked each time; directory: where fetched files are kept.
    FileFetcher(TokenSource &tokens, std::function<QUrl()> server, QString directory, QObject *parent = nullptr);
    ~FileFetcher() override;

    void setDirectory(const QString &directory);
    QString directory() const { return m_directory; }

    // The fetched copy on disk, or empty when it is not there yet.
    QString cachedPath(const QString &fileId, Kind kind) const;
    // Starts fetching (nothing when it is on disk or on its way: fetched follows either way).
    // expectedBytes: the size the message declares, the most it may bring (thumbnails: 1 MiB).
    void fetch(const QString &fileId, Kind kind, qint64 expectedBytes);
    // Stops a download: failed follows, with an empty problem.
    void cancel(const QString &fileId, Kind kind);
    // How far a download is: (received, total); nothing when none is going.
    std::optional<std::pair<qint64, qint64>> progressOf(const QString &fileId, Kind kind) const;
    // Forgets every fetched file (signing out).
    void clear();

    // A file id as the server makes them (a UUID); anything else is never asked for.
    static bool isFileId(const QString &fileId);

Q_SIGNALS:
    void fetched(const QString &fileId, chatterbox::app::FileFetcher::Kind kind, const QString &path);
    void failed(const QString &fileId, chatterbox::app::FileFetcher::Kind kind, const QString &problem);
    void progress(const QString &fileId, chatterbox::app::FileFetcher::Kind kind, qint64 received, qint64 total);

private:
    struct Download {
        QPointer<QNetworkReply> reply;
        QFile *file = nullptr;
        qint64 received = 0;
        qint64 total = 0;
        qint64 limit = 0;
        bool renewed = false;
    };
    static QString keyOf(const QString &fileId, Kind kind);
    void start(const QString &key, const QString &fileId, Kind kind);
    void finish(const QString &key, const QString &fileId, Kind kind, QNetworkReply *reply);
    void fail(const QString &key, const QString &fileId, Kind kind, const QString &problem);

    TokenSource &m_tokens;
    std::function<QUrl()> m_server;
    QString m_directory;
    QNetworkAccessManager m_network;
    QHash<QString, Download> m_downloads;   // by keyOf
};

} // namespace chatterbox::app
