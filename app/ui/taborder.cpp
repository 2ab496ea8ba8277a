// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/ui/taborder.h"

#include <QLayout>
#include <QSplitter>
#include <QStackedWidget>
#include <QWidget>

namespace chatterbox::ui {

namespace {

void collect(QWidget *widget, QList<QWidget *> &out);

void collect(QLayout *layout, QList<QWidget *> &out)
{
    for (int i = 0; i < layout->count(); ++i) {
        QLayoutItem *item = layout->itemAt(i);
        if (QWidget *widget = item->widget())
            collect(widget, out);
        else if (QLayout *inner = item->layout())
            collect(inner, out);
    }
}

void collect(QWidget *widget, QList<QWidget *> &out)
{
    if (widget->focusPolicy() & Qt::TabFocus)
        out << widget;
    if (widget->focusProxy())
        return;
    if (auto *splitter = qobject_cast<QSplitter *>(widget)) {
        for (int i = 0; i < splitter->count(); ++i)
            collect(splitter->widget(i), out);
    } else if (auto *stack = qobject_cast<QStackedWidget *>(widget)) {
        for (int i = 0; i < stack->count(); ++i)
            collect(stack->widget(i), out);
    } else if (QLayout *layout = widget->layout()) {
        collect(layout, out);
    }
}

} // namespace

QList<QWidget *> focusableInLayoutOrder(QWidget *root)
{
    QList<QWidget *> out;
    if (QLayout *layout = root->layout())
        collect(layout, out);
    return out;
}

void setTabOrderFromLayout(QWidget *root)
{
    const QList<QWidget *> chain = focusableInLayoutOrder(root);
    for (qsizetype i = 1; i < chain.size(); ++i)
        QWidget::setTabOrder(chain.at(i - 1), chain.at(i));
}

} // namespace chatterbox::ui
