// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/ui/attachmentspart.h"
#include "app/ui/timelineparts.h"

#include <QPersistentModelIndex>
#include <QStyledItemDelegate>

#include <array>

class QAbstractItemView;

namespace chatterbox::ui {

class Theme;

// Draws the timeline: messages grouped by author (avatar and name on the first of a group),
// day separators, the "new messages" line, edited and deleted markers, pending and failed sends
// with Retry and Cancel. One delegate paints every row; nothing is a widget per message. A row
// is a stack of parts (timelineparts.h), each with its height, painting and clicks; the
// delegate places them, draws the message's background and focus, and keeps the heights.
//
// Row heights: a row is measured (its body laid out) only when it is about to be seen; until
// then the view lays it out at an estimate, the average of the rows measured so far. A topic of
// 100,000 messages therefore opens by measuring one screen, not 100,000 bodies. The view asks
// measureRows() before it paints and relayouts when a measurement differs from the estimate.
class TimelineDelegate final : public QStyledItemDelegate {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TimelineDelegate)

public:
    TimelineDelegate(QAbstractItemView &view, const Theme &theme);

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
    // What a click at a point of a row does, whichever part is there.
    PartAction actionAt(const QRect &rowRect, const QModelIndex &index, const QPoint &pos) const;
    // What resting the pointer there shows, as plain text.
    QString toolTipAt(const QRect &rowRect, const QModelIndex &index, const QPoint &pos) const;
    // The chips of a row's reactions, where they are drawn.
    std::vector<ReactionsPart::Chip> reactionChips(const QRect &rowRect, const QModelIndex &index) const;

    // The small toolbar a hovered message shows at its top right: react, reply, copy link, more.
    enum class Tool { React, Reply, CopyLink, More };
    static constexpr std::array<Tool, 4> kTools = {Tool::React, Tool::Reply, Tool::CopyLink, Tool::More};
    // Where a tool's button is in a row (null for rows without a toolbar: pending, failed, deleted).
    QRect toolRect(const QRect &rowRect, const QModelIndex &index, Tool tool) const;
    static QString toolTip(Tool tool);
    enum class FileAction { Open, Save, StopDownload };
    Q_ENUM(FileAction)

    // Measures the rows from first to last that are not measured at the current width; true
    // when any height changed (the view must lay out again).
    bool measureRows(int first, int last);
    bool isMeasured(int row) const;

    // Keeps the per-row heights in step with the model's rows.
    void rowsInserted(int first, int last);
    void rowsRemoved(int first, int last);
    void rowsChanged(int first, int last);
    void reset();

    // Forgets rendered bodies and heights (the theme, font or width changed).
    void invalidate();
    // The message a jump went to, tinted for a moment; an invalid index for none.
    void setHighlighted(const QModelIndex &index) { m_highlighted = index; }
    // Whose name is highlighted more strongly in mentions: the signed-in person's.
    void setMyName(const QString &name);
    // Where the previews of files come from (none: empty tiles).
    void setAttachmentLoader(AttachmentLoader *loader)
    {
        m_attachments.setLoader(loader);
        m_header.setPictures(loader);
    }
    // The files of a row, where they are drawn.
    std::vector<AttachmentsPart::Item> attachmentItems(const QRect &rowRect, const QModelIndex &index) const;
    // Where a row's author is drawn (picture or initials); null on a row that continues a group.
    QRect avatarRect(const QRect &rowRect, const QModelIndex &index) const;
    // A message being sent: where its upload's Cancel is (null when no upload is going).
    QRect uploadCancelRect(const QRect &rowRect, const QModelIndex &index) const;

Q_SIGNALS:
    void linkActivated(const QUrl &url);
    // A message's toolbar, reactions, reply quote and "(edited)".
    void toolActivated(const QModelIndex &index, chatterbox::ui::TimelineDelegate::Tool tool, const QPoint &globalPos);
    void reactionToggled(const QModelIndex &index, const QString &emoji);
    void addReactionRequested(const QModelIndex &index, const QPoint &globalPos);
    void jumpRequested(qint64 seq);
    void versionsRequested(const QModelIndex &index);
    void retryRequested(const QString &clientMsgId);
    void cancelRequested(const QString &clientMsgId);
    // A message's file was clicked: to view or open it, save it, or stop saving it.
    void fileRequested(const QModelIndex &index, int fileIndex, chatterbox::ui::TimelineDelegate::FileAction action);
    // An author's picture or name was clicked: their profile, shown at globalPos.
    void personRequested(const QString &userId, const QPoint &globalPos);

protected:
    bool editorEvent(QEvent *event, QAbstractItemModel *model, const QStyleOptionViewItem &option, const QModelIndex &index) override;

private:
    enum Part { Day, Unread, Reply, Header, Pinned, Body, Attachments, Reactions, Failure, PartCount };
    // Where each part of a row sits (empty when the row has none), and the row's height.
    struct Layout {
        std::array<QRect, PartCount> parts;
        QRect message;   // the message's own area, below the separators: hover and mention tint
        int total = 0;
    };
    Layout layoutOf(const QModelIndex &index, const QRect &rowRect) const;
    RowContext contextOf(const QModelIndex &index, bool hovered = false) const;
    const TimelinePart &part(Part which) const;

    QAbstractItemView &m_view;
    const Theme &m_theme;
    struct RowHeight {
        int height = 0;     // 0: never estimated
        int width = 0;      // the row width it was measured at; 0 when only estimated
    };
    int estimate() const;

    DaySeparatorPart m_day;
    UnreadLinePart m_unread;
    HeaderPart m_header;
    BodyPart m_body;
    AttachmentsPart m_attachments;
    PinnedPart m_pinned;
    ReplyPart m_reply;
    ReactionsPart m_reactions;
    FailurePart m_failure;
    QString m_myName;
    QPersistentModelIndex m_highlighted;
    mutable std::vector<RowHeight> m_rows;                // by model row
    qint64 m_measuredTotal = 0;                           // for the estimate
    qint64 m_measuredCount = 0;
};

} // namespace chatterbox::ui
