// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

class QListView;
class QToolButton;
class QWidget;

// Small pieces the window's parts are built from, so they look and behave alike.
namespace chatterbox::ui {

// A flat button with an icon from resources/icons and a tooltip that is also its accessible name.
// The icon is drawn again in the new colours when the theme changes.
QToolButton *toolButton(const QString &iconName, const QString &tip, const QString &objectName, QWidget *parent);

// Draws every toolButton() under root again in the palette's colours (after a theme change).
void refreshIcons(QWidget *root);

// One of the side columns' lists: no frame, hover, no horizontal scrolling, not editable.
QListView *sideList(QListView *list, const QString &objectName, const QString &accessibleName);

} // namespace chatterbox::ui
