// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/ui/avatar.h"

#include "app/core/models/partylistmodel.h"
#include "app/ui/attachmentloader.h"

#include <QFont>
#include <QPainter>
#include <QPainterPath>

#include <cstdint>

namespace chatterbox::ui {

QColor colorFor(const QString &id)
{
    // Hues picked for white text on them in both themes.
    static const QColor kColors[] = {
        QColor(0x5b, 0x45, 0xff), QColor(0x0e, 0x8a, 0x6f), QColor(0xc2, 0x41, 0x7a), QColor(0xd3, 0x5f, 0x1f),
        QColor(0x1f, 0x6f, 0xd3), QColor(0x8a, 0x3f, 0xc2), QColor(0x2a, 0x84, 0x2a), QColor(0xb8, 0x3b, 0x3b),
    };
    // FNV-1a over the id's UTF-8: the same on every launch and every client (qHash is seeded
    // per process, and differs between Qt versions and CPUs).
    std::uint32_t hash = 2166136261u;
    for (const char byte : id.toUtf8()) {
        hash ^= static_cast<unsigned char>(byte);
        hash *= 16777619u;
    }
    return kColors[hash % (sizeof kColors / sizeof kColors[0])];
}

void paintInitials(QPainter &painter, const QRect &rect, const QString &initials, const QColor &color, bool rounded)
{
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing);
    QPainterPath shape;
    if (rounded)
        shape.addRoundedRect(rect, rect.width() * 0.3, rect.height() * 0.3);
    else
        shape.addEllipse(rect);
    painter.fillPath(shape, color);
    QFont font = painter.font();
    font.setBold(true);
    font.setPixelSize(qMax(8, rect.height() * 2 / 5));
    painter.setFont(font);
    painter.setPen(Qt::white);
    painter.drawText(rect, Qt::AlignCenter, initials);
    painter.restore();
}

void paintPerson(QPainter &painter, const QRect &rect, const QString &name, const QString &userId,
                 const QString &pictureId, AttachmentLoader *pictures)
{
    const qreal ratio = painter.device() ? painter.device()->devicePixelRatioF() : 1.0;
    const QImage picture = pictures && !pictureId.isEmpty() ? pictures->picture(pictureId, (QSizeF(rect.size()) * ratio).toSize()).image : QImage();
    if (picture.isNull()) {
        paintInitials(painter, rect, app::PartyListModel::initials(name), colorFor(userId), false);
        return;
    }
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
    QPainterPath circle;
    circle.addEllipse(rect);
    painter.setClipPath(circle);
    painter.drawImage(rect, picture);
    painter.restore();
}

} // namespace chatterbox::ui
