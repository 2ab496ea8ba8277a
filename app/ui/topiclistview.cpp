// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/ui/topiclistview.h"

#include "app/core/models/topiclistmodel.h"

#include <QDragMoveEvent>
#include <QDropEvent>

namespace chatterbox::ui {

using app::TopicListModel;

TopicListView::TopicListView(QWidget *parent) : QListView(parent)
{
    setDragEnabled(true);
    setAcceptDrops(true);
    setDropIndicatorShown(true);
    setDragDropMode(DragDrop);
    setDefaultDropAction(Qt::CopyAction);   // the model's rows are the server's; nothing is removed here
}

void TopicListView::startDrag(Qt::DropActions supportedActions)
{
    if (m_canReorder && m_canReorder())
        QListView::startDrag(supportedActions);
}

bool TopicListView::accepts(const QDropEvent *event) const
{
    const auto dragged = TopicListModel::draggedTopic(event->mimeData());
    const auto *topics = qobject_cast<const TopicListModel *>(model());
    return dragged && topics && dragged->first == topics->partyId() && m_canReorder && m_canReorder();
}

int TopicListView::insertionRow(const QPoint &pos) const
{
    const QModelIndex index = indexAt(pos);
    if (!index.isValid())
        return model() ? model()->rowCount() : 0;
    return visualRect(index).center().y() < pos.y() ? index.row() + 1 : index.row();
}

void TopicListView::dragEnterEvent(QDragEnterEvent *event)
{
    if (!accepts(event))
        return event->ignore();
    QListView::dragEnterEvent(event);
    event->acceptProposedAction();
}

void TopicListView::dragMoveEvent(QDragMoveEvent *event)
{
    if (!accepts(event))
        return event->ignore();
    QListView::dragMoveEvent(event);   // draws the line where it would go
    event->acceptProposedAction();
}

void TopicListView::dropEvent(QDropEvent *event)
{
    if (!accepts(event))
        return event->ignore();
    const QString topicId = TopicListModel::draggedTopic(event->mimeData())->second;
    int from = -1;
    for (int row = 0; row < model()->rowCount(); ++row) {
        if (model()->index(row, 0).data(TopicListModel::TopicIdRole).toString() == topicId)
            from = row;
    }
    int to = insertionRow(event->position().toPoint());
    if (from >= 0 && to > from)
        --to;   // counted once the topic is out of its old place
    event->acceptProposedAction();
    // What QAbstractItemView would do with the drop (insert the data) is not wanted: the server
    // orders the topics.
    stopAutoScroll();
    setState(NoState);
    viewport()->update();
    if (from >= 0 && to != from)
        Q_EMIT moveRequested(topicId, to);
}

} // namespace chatterbox::ui
