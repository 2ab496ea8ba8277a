#pragma once

#include <QColor>
#include <QRect>
#include <QString>

class QPainter;

namespace chatterbox::ui {

// A stable colour for a person or party, from its id: the same everywhere it is drawn.
QColor colorFor(const QString &id);

// A filled circle (or rounded square for parties) with initials, as the rail and timeline draw
// people and parties that have no picture.
void paintInitials(QPainter &painter, const QRect &rect, const QString &initials, const QColor &color, bool rounded);

} // namespace chatterbox::ui
