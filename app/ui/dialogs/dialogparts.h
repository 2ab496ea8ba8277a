#pragma once

#include <QString>

class QLabel;
class QWidget;

// The pieces every dialog shares, so they look and are found alike.
namespace chatterbox::ui {

// The dialog's title in large bold type at its top.
QLabel *dialogHeading(const QString &text, QWidget *parent);
// Where a dialog says what went wrong (hidden until then); tests find it as "dialogError".
QLabel *dialogErrorLabel(QWidget *parent);

} // namespace chatterbox::ui
