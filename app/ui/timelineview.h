#pragma once

#include <QListView>

namespace chatterbox::app {
class TimelineModel;
}

namespace chatterbox::ui {

class TimelineDelegate;

// The scrolling list of a topic's messages. Stays at the bottom while the person is there, keeps
// its place when older pages arrive above, asks for older history as the person nears the top,
// and opens a topic at its first unread message.
class TimelineView final : public QListView {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TimelineView)

public:
    explicit TimelineView(QWidget *parent = nullptr);

    void setTimeline(app::TimelineModel *model);
    TimelineDelegate *timelineDelegate() const { return m_delegate; }
    bool isAtBottom() const;

Q_SIGNALS:
    // The newest message is on screen: the topic is read.
    void reachedBottom();
    void editRequested(const QModelIndex &index);
    void deleteRequested(const QModelIndex &index);

protected:
    void verticalScrollbarValueChanged(int value) override;
    void keyPressEvent(QKeyEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void onRangeChanged(int min, int max);
    void onRowsAboutToBeInserted(const QModelIndex &parent, int first, int last);
    void onReset();
    void positionAtOpening();
    void copyCurrent();
    void maybeFetchOlder();

    app::TimelineModel *m_model = nullptr;
    TimelineDelegate *m_delegate = nullptr;
    bool m_stickToBottom = true;
    int m_keepFromBottom = -1;     // distance from the bottom to restore after rows arrive above
    bool m_opening = false;        // the topic was just opened: place it once its first page is in
};

} // namespace chatterbox::ui
