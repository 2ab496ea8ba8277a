// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QListView>
#include <QPersistentModelIndex>

class QPushButton;

namespace chatterbox::app {
class TimelineModel;
}

namespace chatterbox::ui {

class Theme;
class TimelineDelegate;

// The scrolling list of a topic's messages. Stays at the bottom while the person is there, keeps
// its place when older pages arrive above, asks for older history as the person nears the top,
// and opens a topic at its first unread message, under the "New messages" line. While the first
// unread message or the newest one is off screen, a button jumps there.
class TimelineView final : public QListView {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TimelineView)

public:
    TimelineView(const Theme &theme, QWidget *parent = nullptr);

    void setTimeline(app::TimelineModel *model);
    TimelineDelegate *timelineDelegate() const { return m_delegate; }
    bool isAtBottom() const;
    // The topic's newest message is on screen: it is placed, loaded and scrolled to the end.
    bool isShowingNewest() const;
    void doItemsLayout() override;
    void jumpToFirstUnread();
    void jumpToNewest();
    // Scrolls to the message at seq, selects it and highlights it for a moment; if it is not
    // loaded yet, does so as soon as it is (the page around it is on its way).
    void showSeq(qint64 seq);
    // The message highlighted by showSeq, while it is.
    QPersistentModelIndex highlighted() const { return m_highlighted; }

Q_SIGNALS:
    // The newest message is on screen: the topic is read.
    void reachedBottom();
    void editRequested(const QModelIndex &index);
    void deleteRequested(const QModelIndex &index);
    // The person's actions on a message, from its toolbar, its menu or the keyboard (R reply,
    // + or E react, L copy link, P pin, H history of edits).
    void replyRequested(const QModelIndex &index);
    void reactRequested(const QModelIndex &index, const QPoint &globalPos);
    void copyLinkRequested(const QModelIndex &index);
    void pinRequested(const QModelIndex &index, bool pinned);
    void versionsRequested(const QModelIndex &index);
    // The message at seq (a reply's original) should be shown, loaded around it if need be.
    void seqRequested(qint64 seq);
    // An author's picture or name was clicked.
    void personRequested(const QString &userId, const QPoint &globalPos);
    // The window ends before the present: newer messages are wanted (scrolled to its end), or
    // the present itself (Jump to Newest).
    void newerRequested();
    void latestRequested();

protected:
    void verticalScrollbarValueChanged(int value) override;
    void keyPressEvent(QKeyEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    void focusInEvent(QFocusEvent *event) override;
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void paintEvent(QPaintEvent *event) override;
    bool viewportEvent(QEvent *event) override;

private:
    void onRangeChanged(int min, int max);
    void onRowsAboutToBeInserted(const QModelIndex &parent, int first, int last);
    void onRowsInserted(const QModelIndex &parent, int first, int last);
    int textTop(const QModelIndex &index) const;
    bool measureVisibleRows();
    void settleRows();
    // Opens a message's text over it for selecting (double click, F2 or Enter); Escape closes it.
    void openText(const QModelIndex &index);
    void closeText();
    void onReset();
    void positionAtOpening();
    void copyCurrent();
    void maybeFetchOlder();
    void scrollToFirstUnread();
    void updateJumpButtons();
    void placeJumpButtons();
    void showMenu(const QModelIndex &index, const QPoint &globalPos);
    void highlight(const QModelIndex &index);

    const Theme &m_theme;
    app::TimelineModel *m_model = nullptr;
    TimelineDelegate *m_delegate = nullptr;
    bool m_stickToBottom = true;
    QPersistentModelIndex m_anchor;   // the row whose text stays put while rows arrive above
    int m_anchorTextTop = 0;
    QPersistentModelIndex m_textOpen;
    bool m_settling = false;
    bool m_opening = false;        // the topic was just opened: place it once its first page is in
    bool m_jumpPending = false;    // jump to the first unread once it is loaded
    QPushButton *m_jumpToUnread = nullptr;
    QPushButton *m_jumpToNewest = nullptr;
    qint64 m_pendingSeq = 0;                // showSeq's, until it is loaded
    QPersistentModelIndex m_highlighted;
};

} // namespace chatterbox::ui
