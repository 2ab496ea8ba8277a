// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/ui/attachmentspart.h"

#include "app/core/displaytext.h"
#include "app/core/models/timelinemodel.h"
#include "app/ui/attachmentloader.h"
#include "app/ui/icons.h"
#include "app/ui/theme.h"

#include <QFileInfo>
#include <QMimeDatabase>
#include <QPainter>
#include <QPainterPath>

namespace chatterbox::ui {

using app::TimelineModel;
using namespace timeline;

namespace {

constexpr int kGap = 6;
constexpr int kTop = 4;
constexpr int kButton = 28;

QVariantList filesOf(const QModelIndex &index)
{
    if (index.data(TimelineModel::DeletedRole).toBool() || index.data(TimelineModel::BlockedRole).toBool())
        return {};
    return index.data(TimelineModel::FilesRole).toList();
}

QString fileText(const QVariantMap &file, const char *key)
{
    return file.value(QString::fromLatin1(key)).toString();
}

qint64 fileSize(const QVariantMap &file)
{
    return file.value(QString::fromLatin1(TimelineModel::kFileSizeKey)).toLongLong();
}

double uploadOf(const QModelIndex &index)
{
    return index.data(TimelineModel::UploadProgressRole).toDouble();
}

// "PDF", "ZIP", "Text": what kind of file a card shows, from its declared type or its name.
QString kindOf(const QVariantMap &file)
{
    const QString suffix = QFileInfo(fileText(file, TimelineModel::kFileNameKey)).suffix();
    if (!suffix.isEmpty() && suffix.size() <= 5)
        return suffix.toUpper();
    const QMimeType type = QMimeDatabase().mimeTypeForName(fileText(file, TimelineModel::kFileTypeKey));
    return type.isValid() ? type.comment() : AttachmentsPart::tr("File");
}

QSize imageBox(int rowWidth)
{
    return AttachmentsPart::kImageBox.boundedTo(QSize(bodyWidth(rowWidth), AttachmentsPart::kImageBox.height()));
}

} // namespace

std::vector<AttachmentsPart::Item> AttachmentsPart::items(const RowContext &row, const QRect &rect) const
{
    std::vector<Item> out;
    const QVariantList files = filesOf(row.index);
    int y = rect.top() + kTop;
    const int left = rect.left() + kTextLeft;
    const QSize box = imageBox(rect.width());
    const int cardWidth = std::min(kCardWidth, bodyWidth(rect.width()));
    for (int i = 0; i < files.size(); ++i) {
        Item item;
        item.index = i;
        item.file = files[i].toMap();
        item.image = isInlineImage(item.file);
        if (item.image) {
            item.rect = QRect(QPoint(left, y), inlineImageSize(item.file, box));
        } else {
            item.rect = QRect(left, y, cardWidth, kCardHeight);
            if (!fileText(item.file, TimelineModel::kFileIdKey).isEmpty())
                item.button = QRect(item.rect.right() - kButton - 10, item.rect.top() + (kCardHeight - kButton) / 2, kButton, kButton);
        }
        y = item.rect.bottom() + 1 + kGap;
        out.push_back(std::move(item));
    }
    return out;
}

int AttachmentsPart::height(const RowContext &row, int rowWidth) const
{
    const QVariantList files = filesOf(row.index);
    if (files.isEmpty())
        return 0;
    const QSize box = imageBox(rowWidth);
    int h = kTop;
    for (const QVariant &f : files)
        h += (isInlineImage(f.toMap()) ? inlineImageSize(f.toMap(), box).height() : kCardHeight) + kGap;
    if (uploadOf(row.index) >= 0)
        h += QFontMetrics(row.font).height() + 8;
    return h;
}

QRect AttachmentsPart::uploadRect(const RowContext &row, const QRect &rect) const
{
    if (uploadOf(row.index) < 0)
        return {};
    const int h = QFontMetrics(row.font).height() + 8;
    return {rect.left() + kTextLeft, rect.bottom() + 1 - h, std::min(kCardWidth, bodyWidth(rect.width())), h};
}

QRect AttachmentsPart::uploadCancelRect(const RowContext &row, const QRect &rect) const
{
    const QRect line = uploadRect(row, rect);
    if (line.isNull())
        return {};
    const int w = QFontMetrics(row.font).horizontalAdvance(tr("Cancel")) + 8;
    return {line.right() + 1 - w, line.top() + 2, w, line.height() - 6};
}

void AttachmentsPart::paint(QPainter &painter, const RowContext &row, const QRect &rect) const
{
    for (const Item &item : items(row, rect)) {
        if (item.image)
            paintImage(painter, row, item);
        else
            paintCard(painter, row, item);
    }
    if (!uploadRect(row, rect).isNull())
        paintUpload(painter, row, rect);
}

void AttachmentsPart::paintImage(QPainter &painter, const RowContext &row, const Item &item) const
{
    const qreal dpr = painter.device() ? painter.device()->devicePixelRatioF() : 1.0;
    const QSize pixels = (QSizeF(item.rect.size()) * dpr).toSize();
    const AttachmentLoader::Preview preview = m_loader ? m_loader->preview(item.file, pixels) : AttachmentLoader::Preview{};
    QPainterPath clip;
    clip.addRoundedRect(QRectF(item.rect), 6, 6);
    painter.save();
    painter.setClipPath(clip);
    if (!preview.image.isNull()) {
        painter.setRenderHint(QPainter::SmoothPixmapTransform);
        painter.drawImage(QRectF(item.rect), preview.image);
        painter.restore();
        return;
    }
    painter.fillRect(item.rect, row.theme.subtleBackground());
    painter.restore();
    if (preview.problem.isEmpty())
        return;   // still loading: the empty tile keeps its place
    // The error tile: what it is and why it does not show, in plain text.
    painter.save();
    painter.setPen(QPen(row.theme.separator(), 1));
    painter.setBrush(Qt::NoBrush);
    painter.drawRoundedRect(QRectF(item.rect).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6);
    const QRect inner = item.rect.adjusted(10, 8, -10, -8);
    const int iconSide = std::min(24, inner.height() / 2);
    if (iconSide >= 12)
        icon(QStringLiteral("image-off"), row.theme.mutedText()).paint(&painter, QRect(inner.left(), inner.top(), iconSide, iconSide));
    const QFontMetrics fm(row.font);
    painter.setPen(row.theme.mutedText());
    const QRect text = inner.adjusted(iconSide >= 12 ? iconSide + 8 : 0, 0, 0, 0);
    const QString name = fm.elidedText(fileText(item.file, TimelineModel::kFileNameKey), Qt::ElideMiddle, text.width());
    painter.drawText(text, Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, name + QLatin1Char('\n') + preview.problem);
    painter.restore();
}

void AttachmentsPart::paintCard(QPainter &painter, const RowContext &row, const Item &item) const
{
    painter.save();
    painter.setPen(QPen(row.theme.separator(), 1));
    painter.setBrush(row.palette.color(QPalette::Base));
    painter.drawRoundedRect(QRectF(item.rect).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6);
    const QRect glyph(item.rect.left() + 10, item.rect.top() + (kCardHeight - 28) / 2, 28, 28);
    icon(QStringLiteral("file"), row.theme.accent()).paint(&painter, glyph);
    const QString fileId = fileText(item.file, TimelineModel::kFileIdKey);
    // How far its download is, 0..1; negative when none is going.
    const double downloaded = m_loader && !fileId.isEmpty() ? m_loader->downloadProgress(fileId).value_or(-1.0) : -1.0;
    const bool downloading = downloaded >= 0;
    const int textLeft = glyph.right() + 10;
    const int textRight = (item.button.isNull() ? item.rect.right() - 10 : item.button.left() - 8);
    QFont bold = row.font;
    bold.setBold(true);
    const QFontMetrics fm(row.font);
    const QFontMetrics boldMetrics(bold);
    const int top = item.rect.top() + (kCardHeight - boldMetrics.height() - fm.height()) / 2;
    painter.setFont(bold);
    painter.setPen(row.palette.color(QPalette::Text));
    painter.drawText(QRect(textLeft, top, textRight - textLeft, boldMetrics.height()), Qt::AlignLeft | Qt::AlignVCenter,
                     boldMetrics.elidedText(fileText(item.file, TimelineModel::kFileNameKey), Qt::ElideMiddle, textRight - textLeft));
    painter.setFont(row.font);
    painter.setPen(row.theme.mutedText());
    const QString detail = downloading ? tr("Downloading… %1 %").arg(qRound(downloaded * 100))
                                       : tr("%1 · %2").arg(formattedSize(fileSize(item.file)), kindOf(item.file));
    painter.drawText(QRect(textLeft, top + boldMetrics.height(), textRight - textLeft, fm.height()), Qt::AlignLeft | Qt::AlignVCenter,
                     fm.elidedText(detail, Qt::ElideRight, textRight - textLeft));
    if (!item.button.isNull()) {
        if (row.hovered || downloading) {
            painter.setPen(Qt::NoPen);
            painter.setBrush(row.theme.subtleBackground());
            painter.drawRoundedRect(QRectF(item.button), 4, 4);
        }
        icon(downloading ? QStringLiteral("close") : QStringLiteral("download"), row.theme.mutedText())
            .paint(&painter, item.button.adjusted(5, 5, -5, -5));
    }
    if (downloading) {
        const QRect track(item.rect.left() + 1, item.rect.bottom() - 3, item.rect.width() - 2, 3);
        painter.fillRect(QRect(track.left(), track.top(), qRound(track.width() * downloaded), track.height()), row.theme.accent());
    }
    painter.restore();
}

void AttachmentsPart::paintUpload(QPainter &painter, const RowContext &row, const QRect &rect) const
{
    const QRect line = uploadRect(row, rect);
    const QRect cancel = uploadCancelRect(row, rect);
    const double done = uploadOf(row.index);
    const QFontMetrics fm(row.font);
    const QString label = tr("Uploading… %1 %").arg(qRound(done * 100));
    const int labelWidth = fm.horizontalAdvance(tr("Uploading… %1 %").arg(100)) + 8;
    painter.save();
    painter.setPen(row.theme.mutedText());
    painter.drawText(QRect(line.left(), line.top(), labelWidth, line.height()), Qt::AlignLeft | Qt::AlignVCenter, label);
    const QRect track(line.left() + labelWidth, line.center().y() - 2, std::max(20, cancel.left() - 8 - line.left() - labelWidth), 4);
    painter.setPen(Qt::NoPen);
    painter.setBrush(row.theme.subtleBackground());
    painter.drawRoundedRect(QRectF(track), 2, 2);
    painter.setBrush(row.theme.accent());
    painter.drawRoundedRect(QRectF(track.left(), track.top(), track.width() * done, track.height()), 2, 2);
    QFont link = row.font;
    link.setUnderline(true);
    painter.setFont(link);
    painter.setPen(row.palette.color(QPalette::Link));
    painter.drawText(cancel, Qt::AlignCenter, tr("Cancel"));
    painter.restore();
}

PartAction AttachmentsPart::actionAt(const RowContext &row, const QRect &rect, const QPoint &pos) const
{
    if (uploadCancelRect(row, rect).contains(pos))
        return {PartAction::Kind::Cancel};
    for (const Item &item : items(row, rect)) {
        const QString fileId = fileText(item.file, TimelineModel::kFileIdKey);
        if (fileId.isEmpty() || !item.rect.contains(pos))
            continue;   // a file still being uploaded opens nowhere yet
        if (item.button.contains(pos)) {
            const bool downloading = m_loader && m_loader->downloadProgress(fileId).has_value();
            return {downloading ? PartAction::Kind::StopDownload : PartAction::Kind::SaveFile, fileId, item.index};
        }
        return {PartAction::Kind::OpenFile, fileId, item.index};
    }
    return {};
}

QString AttachmentsPart::toolTipAt(const RowContext &row, const QRect &rect, const QPoint &pos) const
{
    for (const Item &item : items(row, rect)) {
        if (!item.rect.contains(pos))
            continue;
        if (item.button.contains(pos))
            return m_loader && m_loader->downloadProgress(fileText(item.file, TimelineModel::kFileIdKey)) ? tr("Stop Downloading")
                                                                                                         : tr("Save As…");
        return tr("%1 (%2)").arg(fileText(item.file, TimelineModel::kFileNameKey), formattedSize(fileSize(item.file)));
    }
    return {};
}

} // namespace chatterbox::ui
