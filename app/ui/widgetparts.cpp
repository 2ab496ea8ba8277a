// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/ui/widgetparts.h"

#include "app/ui/icons.h"

#include <QListView>
#include <QToolButton>

namespace chatterbox::ui {

QToolButton *toolButton(const QString &iconName, const QString &tip, const QString &objectName, QWidget *parent)
{
    auto *button = new QToolButton(parent);
    button->setIcon(icon(iconName));
    button->setProperty("iconName", iconName);
    button->setToolTip(tip);
    button->setAccessibleName(tip);
    button->setObjectName(objectName);
    button->setAutoRaise(true);
    button->setIconSize(QSize(18, 18));
    return button;
}

void refreshIcons(QWidget *root)
{
    for (auto *button : root->findChildren<QToolButton *>()) {
        if (const QVariant name = button->property("iconName"); name.isValid())
            button->setIcon(icon(name.toString()));
    }
}

QListView *sideList(QListView *list, const QString &objectName, const QString &accessibleName)
{
    list->setObjectName(objectName);
    list->setAccessibleName(accessibleName);
    list->setFrameShape(QFrame::NoFrame);
    list->setMouseTracking(true);
    list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    list->setUniformItemSizes(true);
    list->viewport()->setAutoFillBackground(false);
    return list;
}

} // namespace chatterbox::ui
