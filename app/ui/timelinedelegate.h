#pragma once

#include <QCache>
#include <QHash>
#include <QStyledItemDelegate>
#include <QTextDocument>

#include <memory>

class QAbstractItemView;

namespace chatterbox::ui {

// Draws the timeline: messages grouped by author (avatar and name on the first of a group),
// day separators, the "new messages" line, edited and deleted markers, pending and failed sends
// with Retry and Cancel. One delegate paints every row; nothing is a widget per message. Rendered
// bodies and their heights are cached by message revision, so scrolling lays nothing out twice.
class TimelineDelegate final : public QStyledItemDelegate {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TimelineDelegate)

public:
    explicit TimelineDelegate(QAbstractItemView &view);

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    // The selectable text of a message, opened over it on double click.
    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    void setEditorData(QWidget *editor, const QModelIndex &index) const override;
    void setModelData(QWidget *, QAbstractItemModel *, const QModelIndex &) const override {}
    void updateEditorGeometry(QWidget *editor, const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    // Where things are in a row drawn in rect, for clicks and tests.
    QRect bodyRect(const QRect &rowRect, const QModelIndex &index) const;
    QRect retryRect(const QRect &rowRect, const QModelIndex &index) const;
    QRect cancelRect(const QRect &rowRect, const QModelIndex &index) const;
    // The link under a point of a row, if any.
    QString linkAt(const QRect &rowRect, const QModelIndex &index, const QPoint &pos) const;

    // Forgets rendered bodies (the theme or font changed).
    void invalidate();

Q_SIGNALS:
    void linkActivated(const QUrl &url);
    void retryRequested(const QString &clientMsgId);
    void cancelRequested(const QString &clientMsgId);

protected:
    bool editorEvent(QEvent *event, QAbstractItemModel *model, const QStyleOptionViewItem &option, const QModelIndex &index) override;

private:
    struct Layout {
        int top = 0;           // y of the message's own area, below separators
        int dayHeight = 0;
        int unreadHeight = 0;
        int headerHeight = 0;
        int bodyHeight = 0;
        int statusHeight = 0;
        int total = 0;
    };
    Layout layoutOf(const QModelIndex &index, int width) const;
    int bodyWidth(int rowWidth) const;
    QTextDocument *document(const QModelIndex &index, int width) const;
    QString cacheKey(const QModelIndex &index) const;
    QString bodyText(const QModelIndex &index) const;

    QAbstractItemView &m_view;
    mutable QCache<QString, QTextDocument> m_documents;
    mutable QHash<QString, QPair<int, int>> m_heights;   // key -> (width, body height)
};

} // namespace chatterbox::ui
