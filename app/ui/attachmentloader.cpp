// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/ui/attachmentloader.h"

#include "app/core/models/timelinemodel.h"
#include "shared/limits.h"

#include <QFile>
#include <QLocale>
#include <QPointer>

namespace chatterbox::ui {

using app::FileFetcher;
using app::TimelineModel;

namespace {

constexpr qint64 kMaxPreviewSourceBytes = 8 << 20;     // an image without a thumbnail, fetched whole to preview
// Decoded previews kept in memory: about 40 tiles of the largest size, ten screens of a
// topic full of images; the rest is decoded again from the disk cache when it comes back.
constexpr qint64 kMaxDecodedKib = 16 * 1024;
constexpr qint64 kMaxReadBytes = qint64(64) << 20;     // what a decode reads of a file at most

QString value(const QVariantMap &file, const char *key)
{
    return file.value(QString::fromLatin1(key)).toString();
}

} // namespace

bool isInlineImage(const QVariantMap &file)
{
    static const QStringList types = {QStringLiteral("image/png"), QStringLiteral("image/jpeg"),
                                      QStringLiteral("image/gif"), QStringLiteral("image/webp")};
    return types.contains(value(file, TimelineModel::kFileTypeKey).toLower())
           && file.value(QString::fromLatin1(TimelineModel::kFileWidthKey)).toInt() > 0
           && file.value(QString::fromLatin1(TimelineModel::kFileHeightKey)).toInt() > 0;
}

QSize inlineImageSize(const QVariantMap &file, QSize box)
{
    const QSize own(file.value(QString::fromLatin1(TimelineModel::kFileWidthKey)).toInt(),
                    file.value(QString::fromLatin1(TimelineModel::kFileHeightKey)).toInt());
    if (own.isEmpty() || box.isEmpty())
        return {};
    QSize shown = own.width() <= box.width() && own.height() <= box.height() ? own : own.scaled(box, Qt::KeepAspectRatio);
    // A 1 × 10000 strip is still something to click.
    return shown.expandedTo(QSize(24, 24)).boundedTo(box);
}

QString formattedSize(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

AttachmentLoader::AttachmentLoader(FileFetcher &fetcher, QObject *parent) : QObject(parent), m_fetcher(fetcher)
{
    m_pool.setMaxThreadCount(2);
    m_decoded.setMaxCost(kMaxDecodedKib);
    connect(&m_fetcher, &FileFetcher::fetched, this, [this](const QString &fileId, FileFetcher::Kind kind, const QString &path) {
        if (kind == FileFetcher::Kind::Full) {
            for (const auto &done : m_downloads.take(fileId))
                done(path, {});
        }
        Q_EMIT changed();
    });
    connect(&m_fetcher, &FileFetcher::failed, this, [this](const QString &fileId, FileFetcher::Kind kind, const QString &problem) {
        if (kind == FileFetcher::Kind::Full) {
            const auto waiting = m_downloads.take(fileId);
            for (const auto &done : waiting)
                done({}, problem);
            if (!waiting.isEmpty()) {
                Q_EMIT changed();
                return;   // a download the person asked for: they were told; a preview may try again
            }
        }
        if (!problem.isEmpty())
            m_fetchProblems.insert(fileId, problem);
        Q_EMIT changed();
    });
    connect(&m_fetcher, &FileFetcher::progress, this, &AttachmentLoader::changed);
}

AttachmentLoader::~AttachmentLoader()
{
    // No decode outlives the loader: their answers are queued to it.
    m_pool.clear();
    m_pool.waitForDone();
}

AttachmentLoader::Preview AttachmentLoader::preview(const QVariantMap &file, QSize pixels)
{
    const QString fileId = value(file, TimelineModel::kFileIdKey);
    QString path = value(file, TimelineModel::kFileLocalPathKey);
    if (path.isEmpty()) {
        if (m_fetchProblems.contains(fileId))
            return {{}, m_fetchProblems.value(fileId)};
        const bool thumbnail = file.value(QString::fromLatin1(TimelineModel::kFileThumbnailKey)).toBool();
        const qint64 size = file.value(QString::fromLatin1(TimelineModel::kFileSizeKey)).toLongLong();
        if (!thumbnail && size > kMaxPreviewSourceBytes)
            return {{}, tr("No preview.")};
        const auto kind = thumbnail ? FileFetcher::Kind::Thumbnail : FileFetcher::Kind::Full;
        path = m_fetcher.cachedPath(fileId, kind);
        if (path.isEmpty()) {
            m_fetcher.fetch(fileId, kind, size);
            return {};
        }
    }
    const QString key = path + QLatin1Char('@') + QString::number(pixels.width()) + QLatin1Char('x') + QString::number(pixels.height());
    if (const Decoded *d = m_decoded.object(key))
        return {d->image, d->problem};
    decodeInto(key, path, pixels);
    return {};
}

DecodedImage AttachmentLoader::decodeFromDisk(const QString &path, QSize pixels)
{
    DecodedImage decoded;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        decoded.problem = tr("The image could not be read.");
    else if (file.size() > kMaxReadBytes)
        decoded.problem = tr("The image is too large to show.");
    else
        decoded = decodeImage(file.readAll(), pixels);
    return decoded;
}

AttachmentLoader::Preview AttachmentLoader::picture(const QString &fileId, QSize pixels)
{
    // As any image of a message: fetched whole (it has no thumbnail, and is never larger than
    // the server takes for a picture), then decoded with the same bounds.
    const QVariantMap file{{QString::fromLatin1(TimelineModel::kFileIdKey), fileId},
                           {QString::fromLatin1(TimelineModel::kFileSizeKey), static_cast<qint64>(limits::kMaxAvatarBytes)},
                           {QString::fromLatin1(TimelineModel::kFileThumbnailKey), false}};
    return preview(file, pixels);
}

void AttachmentLoader::decodeInto(const QString &key, const QString &path, QSize pixels)
{
    if (m_decoding.contains(key))
        return;
    m_decoding.insert(key);
    m_pool.start([this, key, path, pixels] {
        const DecodedImage decoded = decodeFromDisk(path, pixels);
        QMetaObject::invokeMethod(this, [this, key, image = decoded.image, problem = decoded.problem] {
            m_decoding.remove(key);
            const qint64 kib = std::max<qint64>(1, image.sizeInBytes() / 1024);
            m_decoded.insert(key, new Decoded{image, problem}, static_cast<int>(std::min(kib, kMaxDecodedKib)));
            Q_EMIT changed();
        }, Qt::QueuedConnection);
    });
}

void AttachmentLoader::decodeFile(const QString &path, std::function<void(const DecodedImage &)> done)
{
    // The pool is waited for when this goes, so the answer always finds it.
    m_pool.start([this, path, done = std::move(done)] {
        const DecodedImage decoded = decodeFromDisk(path, {});
        QMetaObject::invokeMethod(this, [done, decoded] { done(decoded); }, Qt::QueuedConnection);
    });
}

void AttachmentLoader::download(const QString &fileId, qint64 size, std::function<void(const QString &, const QString &)> done)
{
    if (const QString path = m_fetcher.cachedPath(fileId, FileFetcher::Kind::Full); !path.isEmpty()) {
        done(path, {});
        return;
    }
    m_downloads[fileId].append(std::move(done));
    m_fetcher.fetch(fileId, FileFetcher::Kind::Full, size);
    Q_EMIT changed();
}

std::optional<double> AttachmentLoader::downloadProgress(const QString &fileId) const
{
    if (!m_downloads.contains(fileId))
        return std::nullopt;   // a preview's fetch is not a download the person waits for
    const auto p = m_fetcher.progressOf(fileId, FileFetcher::Kind::Full);
    if (!p || p->second <= 0)
        return 0.0;
    return std::clamp(double(p->first) / double(p->second), 0.0, 1.0);
}

void AttachmentLoader::cancelDownload(const QString &fileId)
{
    m_fetcher.cancel(fileId, FileFetcher::Kind::Full);
}

} // namespace chatterbox::ui
