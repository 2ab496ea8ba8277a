// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QColor>
#include <QIcon>
#include <QString>

namespace chatterbox::ui {

// An icon from resources/icons, drawn from its SVG at whatever size and scale it is shown,
// in the given colour (the palette's text colour when none).
QIcon icon(const QString &name, const QColor &color = {});

} // namespace chatterbox::ui
