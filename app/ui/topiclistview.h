// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QListView>

#include <functional>

namespace chatterbox::ui {

// The party's topics. Owners and admins reorder them by dragging a topic to another place in the
// list; the view asks (moveRequested) and the list follows when the server has done it.
class TopicListView final : public QListView {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TopicListView)

public:
    explicit TopicListView(QWidget *parent = nullptr);

    // Whether the person may reorder the open party's topics right now.
    void setCanReorder(std::function<bool()> canReorder) { m_canReorder = std::move(canReorder); }

Q_SIGNALS:
    void moveRequested(const QString &topicId, int toRow);

protected:
    void startDrag(Qt::DropActions supportedActions) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dragMoveEvent(QDragMoveEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    bool accepts(const QDropEvent *event) const;
    // The row a drop at pos puts the dragged topic before (rowCount() for the end).
    int insertionRow(const QPoint &pos) const;

    std::function<bool()> m_canReorder;
};

} // namespace chatterbox::ui
