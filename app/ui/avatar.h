// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QColor>
#include <QRect>
#include <QString>

class QPainter;

namespace chatterbox::ui {

class AttachmentLoader;

// A stable colour for a person or party, from its id: the same everywhere it is drawn.
QColor colorFor(const QString &id);

// A filled circle (or rounded square for parties) with initials, as the rail and timeline draw
// people and parties that have no picture.
void paintInitials(QPainter &painter, const QRect &rect, const QString &initials, const QColor &color, bool rounded);

// A person as every list and the timeline draw them: their picture in a circle (pictureId, the
// file of User::avatarFileId), or their initials on their colour when they have none, while it
// loads (pictures->changed() says when to draw again), or when it cannot be shown. pictures may
// be null: initials alone.
void paintPerson(QPainter &painter, const QRect &rect, const QString &name, const QString &userId,
                 const QString &pictureId, AttachmentLoader *pictures);

} // namespace chatterbox::ui
