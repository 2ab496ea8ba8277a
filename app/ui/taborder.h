// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>

class QWidget;

namespace chatterbox::ui {

// The widgets under root that Tab stops at, in the order their layouts (and splitters) place
// them: columns left to right, and top to bottom within each.
QList<QWidget *> focusableInLayoutOrder(QWidget *root);

// Makes Tab follow that order (Qt's default follows the order widgets were created in).
void setTabOrderFromLayout(QWidget *root);

} // namespace chatterbox::ui
