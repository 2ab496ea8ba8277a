#include "app/ui/dialogs/dialogparts.h"

#include <QLabel>

namespace chatterbox::ui {

QLabel *dialogHeading(const QString &text, QWidget *parent)
{
    auto *heading = new QLabel(text, parent);
    QFont big = heading->font();
    big.setPointSizeF(big.pointSizeF() * 1.3);
    big.setBold(true);
    heading->setFont(big);
    return heading;
}

QLabel *dialogErrorLabel(QWidget *parent)
{
    auto *error = new QLabel(parent);
    error->setObjectName(QStringLiteral("dialogError"));
    error->setWordWrap(true);
    error->setStyleSheet(QStringLiteral("color: #e5484d;"));
    error->hide();
    return error;
}

} // namespace chatterbox::ui
