// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/core/filefetcher.h"
#include "app/ui/imagedecoding.h"

#include <QCache>
#include <QHash>
#include <QImage>
#include <QObject>
#include <QSet>
#include <QSize>
#include <QThreadPool>
#include <QVariantMap>

#include <functional>
#include <optional>

namespace chatterbox::ui {

// Whether a file of a message (a TimelineModel::FilesRole entry) shows inline as an image: one of
// the four formats the app decodes, with the size its sender measured, so that its tile has its
// real aspect ratio before a byte of it is fetched.
bool isInlineImage(const QVariantMap &file);
// The size an inline image is shown at: its own, scaled down to fit box (never up).
QSize inlineImageSize(const QVariantMap &file, QSize box);
// "2.3 MB", "512 bytes": a file's size as people read it.
QString formattedSize(qint64 bytes);

// What the timeline and the image viewer show of the files of messages. A preview is the
// thumbnail the sender made (fetched once, kept on disk by FileFetcher), or for a message still
// being sent its outbox copy; it is decoded on a worker thread with decodeImage's bounds, and the
// decoded images of what was on screen lately are kept in memory. A preview that is not there
// yet is asked for, and changed() says when something became ready, for the view to repaint.
class AttachmentLoader final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AttachmentLoader)

public:
    explicit AttachmentLoader(app::FileFetcher &fetcher, QObject *parent = nullptr);
    ~AttachmentLoader() override;

    struct Preview {
        QImage image;       // null while loading, or when it cannot be shown
        QString problem;    // why it cannot be shown (plain text); empty while loading
    };
    // The preview of an inline image at the size it is drawn (device pixels).
    Preview preview(const QVariantMap &file, QSize pixels);
    // A person's picture (User::avatarFileId) decoded at pixels: a null image while it loads or
    // when it cannot be shown (then the initials stand in its place).
    Preview picture(const QString &fileId, QSize pixels);

    // A whole file, downloaded to disk with progress (FileFetcher::Kind::Full): done(path) or
    // done with an empty path and the problem (empty too when the person stopped it).
    void download(const QString &fileId, qint64 size, std::function<void(const QString &path, const QString &problem)> done);
    // How far a download of a whole file is, 0..1; nothing when none is going.
    std::optional<double> downloadProgress(const QString &fileId) const;
    void cancelDownload(const QString &fileId);
    // Decodes a whole image on a worker thread for the viewer (bounded; the first frame).
    void decodeFile(const QString &path, std::function<void(const DecodedImage &image)> done);

    app::FileFetcher &fetcher() { return m_fetcher; }

Q_SIGNALS:
    // A preview became ready or failed, or a download moved: what shows files is drawn again.
    void changed();

private:
    struct Decoded {
        QImage image;
        QString problem;
    };
    void decodeInto(const QString &key, const QString &path, QSize pixels);
    // Reads and decodes a file on a worker thread; pixels: the box to decode into (none: whole).
    static DecodedImage decodeFromDisk(const QString &path, QSize pixels);

    app::FileFetcher &m_fetcher;
    QThreadPool m_pool;
    QCache<QString, Decoded> m_decoded;       // by source and size; cost in KiB
    QSet<QString> m_decoding;
    QHash<QString, QString> m_fetchProblems;  // by file id: a thumbnail that could not be fetched
    QHash<QString, QList<std::function<void(const QString &, const QString &)>>> m_downloads;
};

} // namespace chatterbox::ui
