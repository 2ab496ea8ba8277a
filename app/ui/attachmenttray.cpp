// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/ui/attachmenttray.h"

#include "app/ui/attachmentloader.h"
#include "app/ui/composer.h"
#include "app/ui/icons.h"
#include "app/ui/imagedecoding.h"
#include "app/ui/widgetparts.h"

#include "shared/limits.h"

#include <QApplication>
#include <QDateTime>
#include <QDropEvent>
#include <QMimeData>
#include <QFile>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMimeDatabase>
#include <QPointer>
#include <QThreadPool>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace chatterbox::ui {

namespace {

constexpr qint64 kMaxDescribedBytes = qint64(64) << 20;   // an image larger is sent as a plain file

bool isShownImageType(const QString &type)
{
    return type == QLatin1String("image/png") || type == QLatin1String("image/jpeg") || type == QLatin1String("image/gif")
           || type == QLatin1String("image/webp");
}

} // namespace

PreparedFile prepareFile(const QString &path)
{
    PreparedFile out;
    const QFileInfo info(path);
    if (!info.isFile() || !info.isReadable()) {
        out.problem = AttachmentTray::tr("%1 cannot be read.").arg(info.fileName());
        return out;
    }
    app::Outbox::Attachment &a = out.attachment;
    a.path = info.absoluteFilePath();
    a.name = info.fileName().left(static_cast<int>(limits::kMaxFileNameChars));
    a.size = info.size();
    const QMimeType type = QMimeDatabase().mimeTypeForFile(info, QMimeDatabase::MatchContent);
    a.mediaType = type.isValid() && !type.isDefault() ? type.name() : QStringLiteral("application/octet-stream");
    if (isShownImageType(a.mediaType) && a.size <= kMaxDescribedBytes) {
        QFile file(path);
        if (file.open(QIODevice::ReadOnly)) {
            const ImageDescription d = describeImage(file.readAll());
            if (d.size.isValid() && d.size.width() <= limits::kMaxImageSide && d.size.height() <= limits::kMaxImageSide) {
                a.width = d.size.width();
                a.height = d.size.height();
                a.thumbnail = d.thumbnail;
                a.thumbnailType = QString::fromLatin1(d.thumbnailType);
            }
        }
    }
    return out;
}

AttachmentTray::AttachmentTray(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("attachmentTray"));
    m_row = new QHBoxLayout(this);
    m_row->setContentsMargins(16, 6, 16, 6);
    m_row->setSpacing(8);
    m_row->addStretch();
    hide();
}

bool AttachmentTray::isReady() const
{
    return std::all_of(m_files.begin(), m_files.end(), [](const Staged &s) { return s.ready; });
}

void AttachmentTray::addFiles(const QStringList &paths)
{
    for (const QString &path : paths)
        add(path, QString());
}

void AttachmentTray::addImage(const QImage &image)
{
    if (image.isNull() || !m_pasted.isValid())
        return;
    // Named as a screenshot tool would name it, so the people who see it know what it is.
    const QString name = tr("Pasted image %1.png").arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyy-MM-dd HH.mm.ss")));
    const QString path = m_pasted.filePath(QString::number(m_nextId) + QStringLiteral(".png"));
    if (!image.save(path, "PNG")) {
        Q_EMIT problem(tr("The pasted image could not be kept for sending."));
        return;
    }
    add(path, name);
}

void AttachmentTray::add(const QString &path, const QString &shownName)
{
    if (m_files.size() >= static_cast<int>(limits::kMaxFilesPerMessage)) {
        Q_EMIT problem(tr("A message can carry at most %n files.", nullptr, static_cast<int>(limits::kMaxFilesPerMessage)));
        return;
    }
    Staged staged;
    staged.id = m_nextId++;
    staged.path = path;
    staged.attachment.name = shownName.isEmpty() ? QFileInfo(path).fileName() : shownName;
    staged.chip = chipFor(staged);
    m_row->insertWidget(m_row->count() - 1, staged.chip);
    m_files.append(staged);
    show();
    Q_EMIT changed();
    // Measured on a worker: an image of 25 MB takes a moment to decode for its thumbnail.
    QPointer<AttachmentTray> self(this);
    const int id = staged.id;
    QThreadPool::globalInstance()->start([self, id, path, shownName] {
        PreparedFile file = prepareFile(path);
        if (!shownName.isEmpty())
            file.attachment.name = shownName;
        QMetaObject::invokeMethod(qApp, [self, id, file] {
            if (self)
                self->prepared(id, file);
        }, Qt::QueuedConnection);
    });
}

void AttachmentTray::prepared(int id, const PreparedFile &file)
{
    const auto it = std::find_if(m_files.begin(), m_files.end(), [id](const Staged &s) { return s.id == id; });
    if (it == m_files.end())
        return;   // taken away meanwhile
    if (!file.problem.isEmpty()) {
        Q_EMIT problem(file.problem);
        remove(id);
        return;
    }
    it->attachment = file.attachment;
    it->ready = true;
    QWidget *old = it->chip;
    it->chip = chipFor(*it);
    m_row->replaceWidget(old, it->chip);
    old->deleteLater();
    Q_EMIT changed();
}

QWidget *AttachmentTray::chipFor(const Staged &staged)
{
    auto *chip = new QFrame(this);
    chip->setObjectName(QStringLiteral("attachmentChip"));
    chip->setFrameShape(QFrame::StyledPanel);
    auto *preview = new QLabel(chip);
    preview->setFixedSize(40, 40);
    preview->setAlignment(Qt::AlignCenter);
    QImage thumbnail;
    if (!staged.attachment.thumbnail.isEmpty())
        thumbnail = decodeImage(staged.attachment.thumbnail, QSize(40, 40) * devicePixelRatioF()).image;
    if (!thumbnail.isNull()) {
        QPixmap pixmap = QPixmap::fromImage(thumbnail);
        pixmap.setDevicePixelRatio(devicePixelRatioF());
        preview->setPixmap(pixmap);
    } else {
        preview->setPixmap(icon(QStringLiteral("file")).pixmap(28, 28));
    }
    auto *name = new QLabel(chip);
    name->setTextFormat(Qt::PlainText);
    name->setText(name->fontMetrics().elidedText(staged.attachment.name, Qt::ElideMiddle, 160));
    name->setToolTip(Qt::convertFromPlainText(staged.attachment.name));
    auto *size = new QLabel(chip);
    size->setTextFormat(Qt::PlainText);
    size->setForegroundRole(QPalette::PlaceholderText);
    size->setText(staged.ready ? formattedSize(staged.attachment.size) : tr("Preparing…"));
    auto *text = new QVBoxLayout;
    text->setSpacing(0);
    text->addWidget(name);
    text->addWidget(size);
    auto *removeButton = toolButton(QStringLiteral("close"), tr("Remove %1").arg(staged.attachment.name), QStringLiteral("removeAttachment"), chip);
    const int id = staged.id;
    connect(removeButton, &QToolButton::clicked, this, [this, id] { remove(id); });
    auto *layout = new QHBoxLayout(chip);
    layout->setContentsMargins(6, 4, 4, 4);
    layout->addWidget(preview);
    layout->addLayout(text);
    layout->addWidget(removeButton, 0, Qt::AlignTop);
    return chip;
}

void AttachmentTray::remove(int id)
{
    const auto it = std::find_if(m_files.begin(), m_files.end(), [id](const Staged &s) { return s.id == id; });
    if (it == m_files.end())
        return;
    it->chip->deleteLater();
    if (it->path.startsWith(m_pasted.path()))
        QFile::remove(it->path);
    m_files.erase(it);
    setVisible(!m_files.isEmpty());
    Q_EMIT changed();
}

QList<app::Outbox::Attachment> AttachmentTray::take()
{
    QList<app::Outbox::Attachment> out;
    for (const Staged &s : m_files)
        out.append(s.attachment);
    // The outbox copied the files it keeps; a pasted image's own file goes once that is done.
    const QList<Staged> staged = std::exchange(m_files, {});
    for (const Staged &s : staged) {
        s.chip->deleteLater();
        if (s.path.startsWith(m_pasted.path()))
            QTimer::singleShot(0, [path = s.path] { QFile::remove(path); });
    }
    hide();
    Q_EMIT changed();
    return out;
}

void AttachmentTray::takeDropsOn(QWidget *widget)
{
    widget->setAcceptDrops(true);
    widget->installEventFilter(this);
}

bool AttachmentTray::eventFilter(QObject *watched, QEvent *event)
{
    switch (event->type()) {
    case QEvent::DragEnter:
    case QEvent::DragMove: {
        auto *drag = static_cast<QDropEvent *>(event);
        if (Composer::localFiles(drag->mimeData()).isEmpty())
            break;   // text dragged into the composer stays its business
        drag->setDropAction(Qt::CopyAction);
        drag->accept();
        return true;
    }
    case QEvent::Drop: {
        auto *drop = static_cast<QDropEvent *>(event);
        const QStringList files = Composer::localFiles(drop->mimeData());
        if (files.isEmpty())
            break;
        drop->setDropAction(Qt::CopyAction);
        drop->accept();
        addFiles(files);
        return true;
    }
    default:
        break;
    }
    return QWidget::eventFilter(watched, event);
}

void AttachmentTray::clear()
{
    (void)take();
}

} // namespace chatterbox::ui
