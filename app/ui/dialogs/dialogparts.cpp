// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/ui/dialogs/dialogparts.h"

#include "app/ui/theme.h"

#include <QLabel>
#include <QMessageBox>

namespace chatterbox::ui {

QLabel *dialogHeading(const QString &text, QWidget *parent)
{
    auto *heading = new QLabel(text, parent);
    heading->setTextFormat(Qt::PlainText);   // titles hold names of parties, topics, people
    QFont big = heading->font();
    big.setPointSizeF(big.pointSizeF() * 1.3);
    big.setBold(true);
    heading->setFont(big);
    return heading;
}

QLabel *dialogErrorLabel(const Theme &theme, QWidget *parent)
{
    auto *error = new QLabel(parent);
    error->setObjectName(QStringLiteral("dialogError"));
    error->setTextFormat(Qt::PlainText);
    error->setWordWrap(true);
    QPalette ink = error->palette();
    ink.setColor(QPalette::WindowText, theme.danger());
    error->setPalette(ink);
    error->hide();
    return error;
}

void showAsPlainText(QMessageBox &box)
{
    box.setTextFormat(Qt::PlainText);
    for (QLabel *label : box.findChildren<QLabel *>())
        label->setTextFormat(Qt::PlainText);
}

} // namespace chatterbox::ui
