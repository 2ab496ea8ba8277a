// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/ui/timelineview.h"

#include "app/core/models/timelinemodel.h"
#include "app/ui/icons.h"
#include "app/ui/listdelegates.h"
#include "app/ui/messagedocument.h"
#include "app/ui/timelinedelegate.h"

#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QDesktopServices>
#include <QKeyEvent>
#include <QMenu>
#include <QMouseEvent>
#include <QPainter>
#include <QPushButton>
#include <QScrollBar>
#include <QTimer>
#include <QToolTip>

#include <utility>

namespace chatterbox::ui {

using app::TimelineModel;

namespace {

QPushButton *jumpButton(const QString &iconName, const QString &text, const QString &objectName, QWidget *parent)
{
    auto *button = new QPushButton(icon(iconName), text, parent);
    button->setObjectName(objectName);
    button->setCursor(Qt::PointingHandCursor);
    button->setFocusPolicy(Qt::NoFocus);   // reachable from the keyboard with Home/End and the menu
    button->hide();
    return button;
}

int timelineTextLeft() { return timeline::kTextLeft; }

} // namespace

TimelineView::TimelineView(const Theme &theme, QWidget *parent) : QListView(parent), m_theme(theme)
{
    setObjectName(QStringLiteral("timeline"));
    setAccessibleName(tr("Messages"));
    setVerticalScrollMode(ScrollPerPixel);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setResizeMode(Adjust);
    setUniformItemSizes(false);
    setSelectionMode(SingleSelection);
    setEditTriggers(NoEditTriggers);
    setFrameShape(QFrame::NoFrame);
    setMouseTracking(true);
    setSpacing(0);
    m_delegate = new TimelineDelegate(*this, theme);
    setItemDelegate(m_delegate);
    verticalScrollBar()->setSingleStep(24);
    connect(verticalScrollBar(), &QScrollBar::rangeChanged, this, &TimelineView::onRangeChanged);
    connect(m_delegate, &TimelineDelegate::linkActivated, this, [](const QUrl &url) {
        if (isOpenableLink(url))
            QDesktopServices::openUrl(url);
    });
    connect(m_delegate, &TimelineDelegate::toolActivated, this,
            [this](const QModelIndex &index, TimelineDelegate::Tool tool, const QPoint &globalPos) {
                setCurrentIndex(index);
                switch (tool) {
                case TimelineDelegate::Tool::React: Q_EMIT reactRequested(index, globalPos); break;
                case TimelineDelegate::Tool::Reply: Q_EMIT replyRequested(index); break;
                case TimelineDelegate::Tool::CopyLink: Q_EMIT copyLinkRequested(index); break;
                case TimelineDelegate::Tool::More: showMenu(index, globalPos); break;
                }
            });
    connect(m_delegate, &TimelineDelegate::addReactionRequested, this, &TimelineView::reactRequested);
    connect(m_delegate, &TimelineDelegate::versionsRequested, this, &TimelineView::versionsRequested);
    connect(m_delegate, &TimelineDelegate::personRequested, this, &TimelineView::personRequested);
    connect(m_delegate, &TimelineDelegate::jumpRequested, this, [this](qint64 seq) {
        if (seq > 0)
            Q_EMIT seqRequested(seq);
    });
    m_jumpToUnread = jumpButton(QStringLiteral("arrow-up"), tr("Jump to First Unread"), QStringLiteral("jumpToFirstUnread"), this);
    m_jumpToNewest = jumpButton(QStringLiteral("arrow-down"), tr("Jump to Newest"), QStringLiteral("jumpToNewest"), this);
    connect(m_jumpToUnread, &QPushButton::clicked, this, &TimelineView::jumpToFirstUnread);
    connect(m_jumpToNewest, &QPushButton::clicked, this, &TimelineView::jumpToNewest);
}

void TimelineView::setTimeline(TimelineModel *model)
{
    m_model = model;
    setModel(model);
    connect(model, &QAbstractItemModel::rowsAboutToBeInserted, this, &TimelineView::onRowsAboutToBeInserted);
    connect(model, &QAbstractItemModel::modelReset, this, &TimelineView::onReset);
    // The delegate's row heights follow the rows; connected before the handlers that lay out.
    connect(model, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex &, int first, int last) {
        m_delegate->rowsInserted(first, last);
    });
    connect(model, &QAbstractItemModel::rowsRemoved, this, [this](const QModelIndex &, int first, int last) {
        m_delegate->rowsRemoved(first, last);
    });
    connect(model, &QAbstractItemModel::dataChanged, this, [this](const QModelIndex &from, const QModelIndex &to) {
        m_delegate->rowsChanged(from.row(), to.row());
        scheduleDelayedItemsLayout();
    });
    connect(model, &QAbstractItemModel::modelAboutToBeReset, this, [this] { m_delegate->reset(); });
    connect(model, &QAbstractItemModel::layoutChanged, this, [this] { m_delegate->reset(); });
    connect(model, &QAbstractItemModel::rowsInserted, this, &TimelineView::onRowsInserted);
    connect(model, &app::TimelineModel::seekingFinished, this, [this] {
        if (m_opening)
            positionAtOpening();
        if (std::exchange(m_jumpPending, false))
            scrollToFirstUnread();
        updateJumpButtons();
    });
    onReset();
}

bool TimelineView::isAtBottom() const
{
    return verticalScrollBar()->value() >= verticalScrollBar()->maximum() - 4;
}

bool TimelineView::isShowingNewest() const
{
    // Opening is not reading: a topic still being placed, or with nothing in it yet, is not read;
    // nor is the end of a window that stops before the newest message.
    return m_model && !m_opening && m_model->rowCount() > 0 && !m_model->hasNewer() && isAtBottom() && isVisible();
}

void TimelineView::onReset()
{
    m_textOpen = QPersistentModelIndex();
    m_jumpPending = false;
    m_opening = true;
    m_stickToBottom = true;
    m_anchor = QPersistentModelIndex();
    positionAtOpening();
}

void TimelineView::positionAtOpening()
{
    // Placed once the first page is in and, with unread messages, the first of them (or as much
    // history as opening loads).
    if (!m_model || m_model->rowCount() == 0 || m_model->isSeekingFirstUnread())
        return;
    // Still opening while it is laid out and scrolled: being at the bottom on the way is not
    // having read to it.
    doItemsLayout();
    const qint64 pending = std::exchange(m_pendingSeq, 0);
    if (pending > 0 && m_model->rowOfSeq(pending) >= 0) {
        m_opening = false;
        showSeq(pending);
        return;
    }
    if (m_model->hasFirstUnread()) {
        scrollToFirstUnread();
    } else {
        scrollToBottom();
    }
    m_opening = false;
    maybeFetchOlder();
    updateJumpButtons();
    if (isShowingNewest())
        Q_EMIT reachedBottom();
}

void TimelineView::scrollToFirstUnread()
{
    const int firstUnread = m_model ? m_model->firstUnreadRow() : -1;
    m_stickToBottom = false;
    if (firstUnread < 0) {
        // Further back than opening loads: show the oldest loaded; the jump button goes on.
        verticalScrollBar()->setValue(0);
    } else {
        scrollTo(m_model->index(firstUnread), PositionAtTop);
        settleRows();
        scrollTo(m_model->index(firstUnread), PositionAtTop);
        // A little of what was read before stays in view above the line.
        verticalScrollBar()->setValue(verticalScrollBar()->value() - viewport()->height() / 6);
    }
    m_stickToBottom = isAtBottom();
}

void TimelineView::jumpToFirstUnread()
{
    if (!m_model || !m_model->hasFirstUnread())
        return;
    if (m_model->firstUnreadRow() >= 0) {
        scrollToFirstUnread();
        updateJumpButtons();
        return;
    }
    m_jumpPending = true;
    m_model->seekFirstUnread(0);
}

void TimelineView::showSeq(qint64 seq)
{
    const int row = m_model ? m_model->rowOfSeq(seq) : -1;
    if (row < 0 || m_opening) {
        m_pendingSeq = seq;   // placed by positionAtOpening once its page is in
        return;
    }
    m_pendingSeq = 0;
    m_stickToBottom = false;
    const QModelIndex index = m_model->index(row);
    doItemsLayout();
    scrollTo(index, PositionAtCenter);
    settleRows();
    scrollTo(index, PositionAtCenter);
    setCurrentIndex(index);
    highlight(index);
    updateJumpButtons();
}

void TimelineView::highlight(const QModelIndex &index)
{
    m_highlighted = index;
    m_delegate->setHighlighted(index);
    viewport()->update();
    QTimer::singleShot(2000, this, [this, index = QPersistentModelIndex(index)] {
        if (m_highlighted == index) {
            m_highlighted = QPersistentModelIndex();
            m_delegate->setHighlighted(QModelIndex());
            viewport()->update();
        }
    });
}

void TimelineView::jumpToNewest()
{
    if (m_model && m_model->hasNewer()) {
        Q_EMIT latestRequested();   // the present is not loaded: it is fetched, then shown
        return;
    }
    scrollToBottom();
    m_stickToBottom = true;
    if (m_model && m_model->rowCount() > 0)
        setCurrentIndex(m_model->index(m_model->rowCount() - 1));
    updateJumpButtons();
}

void TimelineView::updateJumpButtons()
{
    if (!m_model || m_opening || m_model->rowCount() == 0) {
        m_jumpToUnread->hide();
        m_jumpToNewest->hide();
        return;
    }
    // The first unread message is above the screen (or not loaded yet).
    const int firstUnread = m_model->firstUnreadRow();
    const bool unreadAbove = m_model->hasFirstUnread()
                             && (firstUnread < 0 || visualRect(m_model->index(firstUnread)).bottom() < 0);
    m_jumpToUnread->setVisible(unreadAbove);
    m_jumpToNewest->setVisible(!isAtBottom() || m_model->hasNewer());
    placeJumpButtons();
}

void TimelineView::placeJumpButtons()
{
    const QRect area = viewport()->geometry();
    const QSize unread = m_jumpToUnread->sizeHint();
    m_jumpToUnread->setGeometry(QRect(QPoint(area.center().x() - unread.width() / 2, area.top() + 8), unread));
    const QSize newest = m_jumpToNewest->sizeHint();
    m_jumpToNewest->setGeometry(QRect(QPoint(area.right() - newest.width() - 16, area.bottom() - newest.height() - 12), newest));
    m_jumpToUnread->raise();
    m_jumpToNewest->raise();
}

int TimelineView::textTop(const QModelIndex &index) const
{
    return m_delegate->bodyRect(visualRect(index), index).top();
}

void TimelineView::onRowsAboutToBeInserted(const QModelIndex &, int first, int)
{
    // Rows arriving above what the person reads: remember where the text at the top of the
    // screen is, to put it back there once they are in. (The text, not the row: the row above
    // it loses its date and author header when older messages of the same day and author join.)
    if (first != 0 || !m_model || m_model->rowCount() == 0 || m_stickToBottom)
        return;
    const QModelIndex top = indexAt(QPoint(viewport()->width() / 2, 1));
    if (!top.isValid())
        return;
    m_anchor = top;
    m_anchorTextTop = textTop(top);
}

void TimelineView::onRowsInserted(const QModelIndex &, int, int last)
{
    if (m_opening) {
        positionAtOpening();
        return;
    }
    if (!m_anchor.isValid())
        return;
    // The old first row may have lost its date and header lines: measure it before laying out.
    m_delegate->measureRows(last + 1, last + 1);
    executeDelayedItemsLayout();
    const QModelIndex anchor = std::exchange(m_anchor, QPersistentModelIndex());
    verticalScrollBar()->setValue(verticalScrollBar()->value() + textTop(anchor) - m_anchorTextTop);
}

void TimelineView::onRangeChanged(int, int max)
{
    if (m_stickToBottom && !m_anchor.isValid())
        verticalScrollBar()->setValue(max);
}

bool TimelineView::measureVisibleRows()
{
    if (!m_model || m_model->rowCount() == 0)
        return false;
    const int height = viewport()->height();
    const QModelIndex top = indexAt(QPoint(viewport()->width() / 2, 0));
    const int first = top.isValid() ? top.row() : 0;
    // The rows from `screens` screens above the top to as far below the bottom.
    auto span = [&](int screens) {
        int from = first;
        while (from > 0 && visualRect(m_model->index(from - 1)).bottom() > -height * screens)
            --from;
        int to = first;
        while (to + 1 < m_model->rowCount() && visualRect(m_model->index(to + 1)).top() < height * (screens + 1))
            ++to;
        return std::pair{from, to};
    };
    auto allMeasured = [&](std::pair<int, int> rows) {
        for (int row = rows.first; row <= rows.second; ++row) {
            if (!m_delegate->isMeasured(row))
                return false;
        }
        return true;
    };
    // A screen either way must be measured. Scrolling into unmeasured rows measures three, so
    // that it goes on for a while before the next measurement and layout; a jump (the scroll bar
    // dragged far) measures just the one, to show the new place soon.
    const auto near = span(1);
    if (allMeasured(near))
        return false;
    const auto rows = allMeasured(span(0)) ? span(3) : near;
    return m_delegate->measureRows(rows.first, rows.second);
}

void TimelineView::settleRows()
{
    // Rows are laid out at an estimate until seen; measure what is (about to be) on screen, and
    // lay out again, keeping the top row or the bottom, when a measurement changed anything.
    if (m_settling)
        return;
    m_settling = true;
    for (int pass = 0; pass < 3; ++pass) {
        // What stays put: the first row on screen that was measured already (what the person
        // was looking at), else the top row.
        QModelIndex top = indexAt(QPoint(viewport()->width() / 2, 0));
        for (QModelIndex i = top; i.isValid() && visualRect(i).top() < viewport()->height(); i = i.siblingAtRow(i.row() + 1)) {
            if (m_delegate->isMeasured(i.row())) {
                top = i;
                break;
            }
        }
        const int topY = top.isValid() ? visualRect(top).top() : 0;
        const QPersistentModelIndex anchor(top);
        if (!measureVisibleRows())
            break;
        QListView::doItemsLayout();
        if (m_stickToBottom)
            verticalScrollBar()->setValue(verticalScrollBar()->maximum());
        else if (anchor.isValid())
            verticalScrollBar()->setValue(verticalScrollBar()->value() + visualRect(anchor).top() - topY);
    }
    m_settling = false;
}

void TimelineView::doItemsLayout()
{
    QListView::doItemsLayout();
    settleRows();
}

void TimelineView::paintEvent(QPaintEvent *event)
{
    settleRows();
    QListView::paintEvent(event);
    // An empty topic has no row to ring: the ring goes round the whole timeline.
    if (hasFocus() && !currentIndex().isValid()) {
        QPainter painter(viewport());
        paintFocusRing(painter, QRectF(viewport()->rect()).adjusted(2, 2, -2, -2), m_theme, 6);
    }
}

bool TimelineView::viewportEvent(QEvent *event)
{
    // A click lands on the rows as they are drawn, even before the next paint.
    switch (event->type()) {
    case QEvent::MouseButtonPress:
    case QEvent::MouseButtonRelease:
    case QEvent::MouseButtonDblClick:
        settleRows();
        break;
    case QEvent::ToolTip: {
        // Plain text made safe for QToolTip, which would read markup in a name as markup.
        auto *help = static_cast<QHelpEvent *>(event);
        const QModelIndex index = indexAt(help->pos());
        const QString tip = index.isValid() ? m_delegate->toolTipAt(visualRect(index), index, help->pos()) : QString();
        if (tip.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), Qt::convertFromPlainText(tip, Qt::WhiteSpaceNormal), viewport());
        return true;
    }
    default:
        break;
    }
    return QListView::viewportEvent(event);
}

void TimelineView::verticalScrollbarValueChanged(int value)
{
    // Not the base class's: it would fetch more at the bottom, and older history is at the top.
    m_stickToBottom = isAtBottom();
    if (isShowingNewest())
        Q_EMIT reachedBottom();
    if (value < viewport()->height())
        maybeFetchOlder();
    if (m_model && m_model->hasNewer() && value > verticalScrollBar()->maximum() - viewport()->height())
        Q_EMIT newerRequested();
    updateJumpButtons();
}

void TimelineView::maybeFetchOlder()
{
    if (m_model && verticalScrollBar()->value() < viewport()->height() && m_model->hasOlder())
        m_model->loadOlder();
}

void TimelineView::resizeEvent(QResizeEvent *event)
{
    const bool atBottom = m_stickToBottom;
    QListView::resizeEvent(event);
    if (atBottom)
        scrollToBottom();
    placeJumpButtons();
}

void TimelineView::focusInEvent(QFocusEvent *event)
{
    // Tabbing in starts at the newest message on screen, not the oldest loaded (which is what
    // the base class would pick, far above).
    if (m_model && !currentIndex().isValid() && m_model->rowCount() > 0 && event->reason() != Qt::MouseFocusReason) {
        QModelIndex bottom = indexAt(QPoint(viewport()->width() / 2, viewport()->height() - 2));
        if (!bottom.isValid())
            bottom = m_model->index(m_model->rowCount() - 1);
        selectionModel()->setCurrentIndex(bottom, QItemSelectionModel::NoUpdate);
    }
    QListView::focusInEvent(event);
}

void TimelineView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange) {
        m_delegate->invalidate();
        scheduleDelayedItemsLayout();
    }
    QListView::changeEvent(event);
}

void TimelineView::openText(const QModelIndex &index)
{
    if (!index.isValid())
        return;
    if (m_textOpen.isValid())
        closePersistentEditor(m_textOpen);
    setCurrentIndex(index);
    m_textOpen = index;
    openPersistentEditor(index);
    if (QWidget *editor = indexWidget(index))
        editor->setFocus();
}

void TimelineView::closeText()
{
    if (m_textOpen.isValid())
        closePersistentEditor(m_textOpen);
    m_textOpen = QPersistentModelIndex();
}

void TimelineView::mouseDoubleClickEvent(QMouseEvent *event)
{
    // The text of a message opens for selecting with the mouse or the keyboard.
    if (event->button() == Qt::LeftButton)
        openText(indexAt(event->position().toPoint()));
    else
        QListView::mouseDoubleClickEvent(event);
}

void TimelineView::copyCurrent()
{
    const QModelIndex index = currentIndex();
    if (index.isValid() && !index.data(TimelineModel::DeletedRole).toBool())
        QApplication::clipboard()->setText(index.data(TimelineModel::BodyRole).toString());
}

void TimelineView::keyPressEvent(QKeyEvent *event)
{
    if (event->matches(QKeySequence::Copy)) {
        copyCurrent();
        return;
    }
    if ((event->key() == Qt::Key_F2 || event->key() == Qt::Key_Return) && event->modifiers() == Qt::NoModifier) {
        openText(currentIndex());
        return;
    }
    if (event->key() == Qt::Key_Escape && m_textOpen.isValid()) {
        closeText();
        return;
    }
    if (event->key() == Qt::Key_End && event->modifiers() == Qt::NoModifier) {
        jumpToNewest();
        return;
    }
    const QModelIndex current = currentIndex();
    const bool actionable = current.isValid() && !current.data(TimelineModel::DeletedRole).toBool()
                            && current.data(TimelineModel::DeliveryStateRole).value<TimelineModel::DeliveryState>()
                                   == TimelineModel::DeliveryState::Delivered;
    if (actionable && (event->modifiers() & ~Qt::ShiftModifier) == Qt::NoModifier) {
        const QPoint below = viewport()->mapToGlobal(visualRect(current).bottomLeft() + QPoint(timelineTextLeft(), 0));
        switch (event->key()) {
        case Qt::Key_R: Q_EMIT replyRequested(current); return;
        case Qt::Key_Plus:
        case Qt::Key_E: Q_EMIT reactRequested(current, below); return;
        case Qt::Key_L: Q_EMIT copyLinkRequested(current); return;
        case Qt::Key_P: Q_EMIT pinRequested(current, !current.data(TimelineModel::PinnedRole).toBool()); return;
        case Qt::Key_H:
            if (current.data(TimelineModel::EditedRole).toBool())
                Q_EMIT versionsRequested(current);
            return;
        case Qt::Key_Menu: showMenu(current, below); return;
        default: break;
        }
    }
    QListView::keyPressEvent(event);
}

void TimelineView::contextMenuEvent(QContextMenuEvent *event)
{
    const QModelIndex index = event->reason() == QContextMenuEvent::Mouse ? indexAt(event->pos()) : currentIndex();
    if (!index.isValid())
        return;
    const QPoint at = event->reason() == QContextMenuEvent::Mouse ? event->globalPos()
                                                                   : viewport()->mapToGlobal(visualRect(index).center());
    showMenu(index, at);
}

void TimelineView::showMenu(const QModelIndex &index, const QPoint &globalPos)
{
    setCurrentIndex(index);
    QMenu menu(this);
    const bool deleted = index.data(TimelineModel::DeletedRole).toBool();
    const auto delivery = index.data(TimelineModel::DeliveryStateRole).value<TimelineModel::DeliveryState>();
    const bool delivered = delivery == TimelineModel::DeliveryState::Delivered;
    if (delivered && !deleted) {
        menu.addAction(icon(QStringLiteral("smile-plus")), tr("Add Reaction…"), QKeySequence(Qt::Key_E), this,
                       [this, index, globalPos] { Q_EMIT reactRequested(index, globalPos); });
        menu.addAction(icon(QStringLiteral("reply")), tr("Reply"), QKeySequence(Qt::Key_R), this, [this, index] { Q_EMIT replyRequested(index); });
    }
    if (!deleted)
        menu.addAction(icon(QStringLiteral("copy")), tr("Copy Text"), QKeySequence::Copy, this, &TimelineView::copyCurrent);
    if (delivered && !deleted) {
        menu.addAction(icon(QStringLiteral("link")), tr("Copy Link"), QKeySequence(Qt::Key_L), this, [this, index] { Q_EMIT copyLinkRequested(index); });
        const bool pinned = index.data(TimelineModel::PinnedRole).toBool();
        QAction *pin = menu.addAction(icon(QStringLiteral("pin")), pinned ? tr("Unpin") : tr("Pin to Topic"), QKeySequence(Qt::Key_P), this,
                                      [this, index, pinned] { Q_EMIT pinRequested(index, !pinned); });
        pin->setObjectName(QStringLiteral("pinAction"));
    }
    if (delivered && index.data(TimelineModel::EditedRole).toBool())
        menu.addAction(tr("Show Edit History"), QKeySequence(Qt::Key_H), this, [this, index] { Q_EMIT versionsRequested(index); });
    if (!deleted && delivered && index.data(TimelineModel::OwnRole).toBool()) {
        menu.addSeparator();
        menu.addAction(icon(QStringLiteral("edit")), tr("Edit Message"), this, [this, index] { Q_EMIT editRequested(index); });
        menu.addAction(icon(QStringLiteral("trash")), tr("Delete Message"), this, [this, index] { Q_EMIT deleteRequested(index); });
    }
    if (delivery == TimelineModel::DeliveryState::Failed) {
        const QString id = index.data(TimelineModel::ClientMsgIdRole).toString();
        menu.addAction(tr("Retry Sending"), this, [this, id] { Q_EMIT m_delegate->retryRequested(id); });
        menu.addAction(tr("Cancel Sending"), this, [this, id] { Q_EMIT m_delegate->cancelRequested(id); });
    }
    if (!menu.isEmpty())
        menu.exec(globalPos);
}

} // namespace chatterbox::ui
