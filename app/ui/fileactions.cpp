// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/ui/fileactions.h"

#include "app/core/displaytext.h"
#include "app/core/models/timelinemodel.h"
#include "app/ui/attachmentloader.h"
#include "app/ui/dialogs/imageviewer.h"

#include <QDesktopServices>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QStandardPaths>

namespace chatterbox::ui {

using app::TimelineModel;

namespace {

QString text(const QVariantMap &file, const char *key)
{
    return file.value(QString::fromLatin1(key)).toString();
}

qint64 sizeOf(const QVariantMap &file)
{
    return file.value(QString::fromLatin1(TimelineModel::kFileSizeKey)).toLongLong();
}

} // namespace

FileActions::FileActions(AttachmentLoader &loader, QWidget &window, QObject *parent)
    : QObject(parent), m_loader(loader), m_window(window),
      m_open([](const QUrl &url) { return QDesktopServices::openUrl(url); }),
      m_askWhere([&window](const QString &suggested) {
          return QFileDialog::getSaveFileName(&window, tr("Save File"), suggested);
      })
{
}

bool FileActions::isProgram(const QString &name, const QString &mediaType)
{
    static const QStringList suffixes = {
        QStringLiteral("exe"), QStringLiteral("msi"), QStringLiteral("bat"), QStringLiteral("cmd"), QStringLiteral("com"),
        QStringLiteral("scr"), QStringLiteral("ps1"), QStringLiteral("vbs"), QStringLiteral("js"), QStringLiteral("jar"),
        QStringLiteral("sh"), QStringLiteral("bash"), QStringLiteral("desktop"), QStringLiteral("appimage"), QStringLiteral("run"),
        QStringLiteral("app"), QStringLiteral("command"), QStringLiteral("pkg"), QStringLiteral("deb"), QStringLiteral("rpm"),
        QStringLiteral("py"), QStringLiteral("pl"), QStringLiteral("lnk"), QStringLiteral("url"), QStringLiteral("html"),
        QStringLiteral("htm"), QStringLiteral("svg"), QStringLiteral("xhtml")};
    static const QStringList types = {
        QStringLiteral("application/x-executable"), QStringLiteral("application/x-sharedlib"),
        QStringLiteral("application/x-desktop"), QStringLiteral("application/x-shellscript"),
        QStringLiteral("application/x-msdownload"), QStringLiteral("application/x-ms-dos-executable"),
        QStringLiteral("application/vnd.microsoft.portable-executable"), QStringLiteral("application/java-archive"),
        QStringLiteral("text/html"), QStringLiteral("image/svg+xml"), QStringLiteral("application/xhtml+xml")};
    return suffixes.contains(QFileInfo(name).suffix().toLower()) || types.contains(mediaType.toLower());
}

QString FileActions::safeFileName(const QString &name)
{
    QString out;
    for (const QChar c : QFileInfo(name).fileName()) {
        const bool forbidden = c.category() == QChar::Other_Control || c.category() == QChar::Other_Format
                               || QStringLiteral("/\\:*?\"<>|").contains(c);
        out.append(forbidden ? QLatin1Char('_') : c);
    }
    while (out.startsWith(QLatin1Char('.')))
        out.remove(0, 1);   // not a hidden file, not ".."
    out = out.trimmed();
    return out.isEmpty() ? tr("file") : out;
}

void FileActions::open(const QVariantMap &file)
{
    if (isInlineImage(file))
        view(file);
    else
        openWithSystem(file);
}

void FileActions::view(const QVariantMap &file)
{
    const QString fileId = text(file, TimelineModel::kFileIdKey);
    if (m_viewer)
        m_viewer->close();
    auto *viewer = new ImageViewer(text(file, TimelineModel::kFileNameKey), &m_window);
    m_viewer = viewer;
    const QPointer<ImageViewer> guard(viewer);
    connect(viewer, &ImageViewer::saveRequested, this, [this, file] { saveAs(file); });
    connect(&m_loader, &AttachmentLoader::changed, viewer, [this, viewer, fileId] {
        if (const auto p = m_loader.downloadProgress(fileId))
            viewer->setProgress(*p);
    });
    viewer->show();
    m_loader.download(fileId, sizeOf(file), [this, guard](const QString &path, const QString &problem) {
        if (!guard)
            return;
        if (path.isEmpty()) {
            guard->setProblem(problem);
            return;
        }
        m_loader.decodeFile(path, [guard](const DecodedImage &image) {
            if (guard)
                guard->setImage(image);
        });
    });
}

void FileActions::openWithSystem(const QVariantMap &file)
{
    const QString name = text(file, TimelineModel::kFileNameKey);
    if (isProgram(name, text(file, TimelineModel::kFileTypeKey))) {
        Q_EMIT problem(tr("%1 could run as a program or a page, so Chatterbox does not open it. Save it, and open it "
                          "yourself if you trust who sent it.").arg(app::isolated(name)));
        return;
    }
    const QString fileId = text(file, TimelineModel::kFileIdKey);
    m_loader.download(fileId, sizeOf(file), [this, fileId, name](const QString &path, const QString &why) {
        if (path.isEmpty()) {
            if (!why.isEmpty())   // empty: the person stopped it
                Q_EMIT problem(tr("%1 could not be downloaded: %2").arg(app::isolated(name), why));
            return;
        }
        // Under its own name, so the system picks the right program; in a folder of its own.
        const QString folder = QFileInfo(path).dir().filePath(QStringLiteral("open/") + fileId);
        const QString copy = QDir(folder).filePath(safeFileName(name));
        QDir().mkpath(folder);
        if (!QFile::exists(copy) && !QFile::copy(path, copy)) {
            Q_EMIT problem(tr("%1 could not be opened: it could not be written to %2.").arg(app::isolated(name), folder));
            return;
        }
        if (!m_open(QUrl::fromLocalFile(copy)))
            Q_EMIT problem(tr("No program on this computer opens %1. Save it and open it from there.").arg(app::isolated(name)));
    });
}

void FileActions::saveAs(const QVariantMap &file)
{
    const QString name = text(file, TimelineModel::kFileNameKey);
    QString folder = QStandardPaths::writableLocation(QStandardPaths::DownloadLocation);
    if (folder.isEmpty())
        folder = QDir::homePath();
    const QString target = m_askWhere(QDir(folder).filePath(safeFileName(name)));
    if (target.isEmpty())
        return;
    m_loader.download(text(file, TimelineModel::kFileIdKey), sizeOf(file), [this, name, target](const QString &path, const QString &why) {
        if (path.isEmpty()) {
            if (!why.isEmpty())   // empty: the person stopped it
                Q_EMIT problem(tr("%1 could not be downloaded: %2").arg(app::isolated(name), why));
            return;
        }
        // The dialog asked before replacing a file that is there.
        QFile::remove(target);
        if (!QFile::copy(path, target))
            Q_EMIT problem(tr("%1 could not be saved to %2.").arg(app::isolated(name), target));
    });
}

void FileActions::stopDownload(const QString &fileId)
{
    m_loader.cancelDownload(fileId);
}

} // namespace chatterbox::ui
