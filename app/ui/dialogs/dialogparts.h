// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

class QLabel;
class QMessageBox;
class QWidget;

// The pieces every dialog shares, so they look and are found alike.
namespace chatterbox::ui {

class Theme;

// The dialog's title in large bold type at its top.
QLabel *dialogHeading(const QString &text, QWidget *parent);
// Where a dialog says what went wrong (hidden until then); tests find it as "dialogError".
QLabel *dialogErrorLabel(const Theme &theme, QWidget *parent);
// A message box shows its text and informative text as rich text when they look like HTML; call
// once they are set, so that what came from outside (a link, a name) shows as the text it is.
void showAsPlainText(QMessageBox &box);

} // namespace chatterbox::ui
