// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/ui/timelinedelegate.h"

#include "app/core/models/timelinemodel.h"
#include "app/ui/icons.h"
#include "app/ui/listdelegates.h"
#include "app/ui/messagedocument.h"
#include "app/ui/theme.h"

#include <QAbstractItemView>

#include <algorithm>
#include <QMouseEvent>
#include <QPainter>
#include <QTextBrowser>

namespace chatterbox::ui {

using app::TimelineModel;

namespace {
constexpr int kGroupGap = 10;
constexpr int kRowGap = 2;

bool isGroupStart(const QModelIndex &index)
{
    return index.data(TimelineModel::GroupStartRole).toBool();
}
} // namespace

TimelineDelegate::TimelineDelegate(QAbstractItemView &view, const Theme &theme)
    : QStyledItemDelegate(&view), m_view(view), m_theme(theme), m_body(theme)
{
}

void TimelineDelegate::setMyName(const QString &name)
{
    if (name == m_myName)
        return;
    m_myName = name;
    m_body.setMyName(name);
    invalidate();
}

void TimelineDelegate::invalidate()
{
    m_body.invalidate();
    for (auto &row : m_rows)
        row.width = 0; // keep the heights as estimates; rows are measured again when seen
}

void TimelineDelegate::reset()
{
    m_rows.clear();
}

void TimelineDelegate::rowsInserted(int first, int last)
{
    if (first > static_cast<int>(m_rows.size()))
        m_rows.resize(static_cast<std::size_t>(first));
    m_rows.insert(m_rows.begin() + first, static_cast<std::size_t>(last - first + 1), RowHeight{});
    // The row after the new ones may gain or lose its header or date line.
    rowsChanged(last + 1, last + 1);
}

void TimelineDelegate::rowsRemoved(int first, int last)
{
    const int end = std::min(last + 1, static_cast<int>(m_rows.size()));
    if (first < end)
        m_rows.erase(m_rows.begin() + first, m_rows.begin() + end);
    rowsChanged(first, first);
}

void TimelineDelegate::rowsChanged(int first, int last)
{
    for (int row = std::max(0, first); row <= last && row < static_cast<int>(m_rows.size()); ++row)
        m_rows[static_cast<std::size_t>(row)].width = 0;
}

bool TimelineDelegate::isMeasured(int row) const
{
    return row >= 0 && row < static_cast<int>(m_rows.size())
           && m_rows[static_cast<std::size_t>(row)].width == m_view.viewport()->width();
}

int TimelineDelegate::estimate() const
{
    if (m_measuredCount > 0)
        return static_cast<int>(m_measuredTotal / m_measuredCount);
    return QFontMetrics(m_view.font()).lineSpacing() * 2;
}

bool TimelineDelegate::measureRows(int first, int last)
{
    QAbstractItemModel *model = m_view.model();
    if (!model)
        return false;
    const int width = m_view.viewport()->width();
    bool changed = false;
    for (int row = std::max(0, first); row <= last && row < model->rowCount(); ++row) {
        if (row >= static_cast<int>(m_rows.size()))
            m_rows.resize(static_cast<std::size_t>(row) + 1);
        RowHeight &h = m_rows[static_cast<std::size_t>(row)];
        if (h.width == width)
            continue;
        const int height = layoutOf(model->index(row, 0), QRect(0, 0, width, 0)).total;
        changed = changed || height != h.height;
        m_measuredTotal += height;
        ++m_measuredCount;
        h = {height, width};
    }
    return changed;
}

RowContext TimelineDelegate::contextOf(const QModelIndex &index, bool hovered) const
{
    return RowContext{index, m_view.font(), m_view.palette(), m_theme, hovered};
}

const TimelinePart &TimelineDelegate::part(Part which) const
{
    switch (which) {
    case Day: return m_day;
    case Unread: return m_unread;
    case Reply: return m_reply;
    case Header: return m_header;
    case Pinned: return m_pinned;
    case Body: return m_body;
    case Attachments: return m_attachments;
    case Reactions: return m_reactions;
    case Failure:
    case PartCount: break;
    }
    return m_failure;
}

TimelineDelegate::Layout TimelineDelegate::layoutOf(const QModelIndex &index, const QRect &rowRect) const
{
    Layout l;
    const RowContext row = contextOf(index);
    const bool groupStart = isGroupStart(index);
    int y = rowRect.top();
    const auto stack = [&](Part which) {
        const int h = part(which).height(row, rowRect.width());
        if (h > 0)
            l.parts[which] = QRect(rowRect.left(), y, rowRect.width(), h);
        y += h;
    };
    stack(Day);
    stack(Unread);
    const int gap = groupStart ? kGroupGap : kRowGap;
    y += gap;
    const int messageTop = y;
    stack(Reply);
    const int headerTop = y;
    stack(Header);
    stack(Pinned);
    stack(Body);
    stack(Attachments);
    stack(Reactions);
    stack(Failure);
    l.total = y + kRowGap - rowRect.top();
    if (groupStart)
        l.total = qMax(l.total, headerTop - rowRect.top() + timeline::kAvatarSize + kRowGap);
    const int halfGap = groupStart ? kGroupGap / 2 : kRowGap;
    l.message = QRect(rowRect.left(), messageTop - halfGap, rowRect.width(), rowRect.bottom() - messageTop + halfGap);
    return l;
}

QSize TimelineDelegate::sizeHint(const QStyleOptionViewItem &, const QModelIndex &index) const
{
    const int width = m_view.viewport()->width();
    const auto row = static_cast<std::size_t>(index.row());
    if (row >= m_rows.size())
        m_rows.resize(row + 1);
    RowHeight &h = m_rows[row];
    if (h.height == 0)
        h.height = estimate();   // measured for real when it comes into view
    return {width, h.height};
}

QRect TimelineDelegate::bodyRect(const QRect &rowRect, const QModelIndex &index) const
{
    return BodyPart::textRect(layoutOf(index, rowRect).parts[Body]);
}

QRect TimelineDelegate::retryRect(const QRect &rowRect, const QModelIndex &index) const
{
    const QRect failure = layoutOf(index, rowRect).parts[Failure];
    return failure.isNull() ? QRect() : m_failure.retryRect(contextOf(index), failure);
}

QRect TimelineDelegate::cancelRect(const QRect &rowRect, const QModelIndex &index) const
{
    const QRect failure = layoutOf(index, rowRect).parts[Failure];
    return failure.isNull() ? QRect() : m_failure.cancelRect(contextOf(index), failure);
}

QString TimelineDelegate::linkAt(const QRect &rowRect, const QModelIndex &index, const QPoint &pos) const
{
    const PartAction action = m_body.actionAt(contextOf(index), layoutOf(index, rowRect).parts[Body], pos);
    return action.kind == PartAction::Kind::Link ? action.link : QString();
}

PartAction TimelineDelegate::actionAt(const QRect &rowRect, const QModelIndex &index, const QPoint &pos) const
{
    // The picture stands beside the header and the body, in no part of its own.
    if (avatarRect(rowRect, index).contains(pos))
        return {PartAction::Kind::Person, index.data(TimelineModel::AuthorIdRole).toString()};
    const Layout l = layoutOf(index, rowRect);
    const RowContext row = contextOf(index);
    for (int which = 0; which < PartCount; ++which) {
        const QRect rect = l.parts[static_cast<std::size_t>(which)];
        if (!rect.isNull() && rect.contains(pos))
            return part(static_cast<Part>(which)).actionAt(row, rect, pos);
    }
    return {};
}

QString TimelineDelegate::toolTipAt(const QRect &rowRect, const QModelIndex &index, const QPoint &pos) const
{
    for (Tool tool : kTools) {
        if (toolRect(rowRect, index, tool).contains(pos))
            return toolTip(tool);
    }
    const Layout l = layoutOf(index, rowRect);
    const RowContext row = contextOf(index);
    for (int which = 0; which < PartCount; ++which) {
        const QRect rect = l.parts[static_cast<std::size_t>(which)];
        if (!rect.isNull() && rect.contains(pos))
            return part(static_cast<Part>(which)).toolTipAt(row, rect, pos);
    }
    return {};
}

std::vector<AttachmentsPart::Item> TimelineDelegate::attachmentItems(const QRect &rowRect, const QModelIndex &index) const
{
    const QRect rect = layoutOf(index, rowRect).parts[Attachments];
    return rect.isNull() ? std::vector<AttachmentsPart::Item>{} : m_attachments.items(contextOf(index), rect);
}

QRect TimelineDelegate::avatarRect(const QRect &rowRect, const QModelIndex &index) const
{
    const QRect rect = layoutOf(index, rowRect).parts[Header];
    return rect.isNull() ? QRect() : HeaderPart::avatarRect(rect);
}

QRect TimelineDelegate::uploadCancelRect(const QRect &rowRect, const QModelIndex &index) const
{
    const QRect rect = layoutOf(index, rowRect).parts[Attachments];
    return rect.isNull() ? QRect() : m_attachments.uploadCancelRect(contextOf(index), rect);
}

std::vector<ReactionsPart::Chip> TimelineDelegate::reactionChips(const QRect &rowRect, const QModelIndex &index) const
{
    const QRect rect = layoutOf(index, rowRect).parts[Reactions];
    return rect.isNull() ? std::vector<ReactionsPart::Chip>{} : m_reactions.chips(contextOf(index), rect);
}

QRect TimelineDelegate::toolRect(const QRect &rowRect, const QModelIndex &index, Tool tool) const
{
    const bool delivered = index.data(TimelineModel::DeliveryStateRole).value<TimelineModel::DeliveryState>()
                           == TimelineModel::DeliveryState::Delivered;
    if (!delivered || index.data(TimelineModel::DeletedRole).toBool())
        return {};
    const QRect message = layoutOf(index, rowRect).message;
    constexpr int kButton = 28;
    constexpr int kMargin = 12;
    const int n = static_cast<int>(std::find(kTools.begin(), kTools.end(), tool) - kTools.begin());
    const int left = message.right() - kMargin - static_cast<int>(kTools.size()) * kButton + 1;
    return {left + n * kButton, message.top() + 2, kButton, kButton - 4};
}

QString TimelineDelegate::toolTip(Tool tool)
{
    switch (tool) {
    case Tool::React: return tr("Add Reaction");
    case Tool::Reply: return tr("Reply (R)");
    case Tool::CopyLink: return tr("Copy Link");
    case Tool::More: return tr("More");
    }
    return {};
}

namespace {
const char *toolIcon(TimelineDelegate::Tool tool)
{
    switch (tool) {
    case TimelineDelegate::Tool::React: return "smile-plus";
    case TimelineDelegate::Tool::Reply: return "reply";
    case TimelineDelegate::Tool::CopyLink: return "link";
    case TimelineDelegate::Tool::More: return "more";
    }
    return "more";
}
} // namespace

void TimelineDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const Layout l = layoutOf(index, option.rect);
    const RowContext row = contextOf(index, option.state & QStyle::State_MouseOver);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setFont(row.font);
    if (m_highlighted.isValid() && m_highlighted == index) {
        QColor tint = m_theme.accent();
        tint.setAlphaF(0.16);
        painter->fillRect(l.message, tint);
    } else if (index.data(TimelineModel::MentionsMeRole).toBool()) {
        painter->fillRect(l.message, m_theme.mentionBackground());
        painter->fillRect(QRect(l.message.left(), l.message.top(), 3, l.message.height()), m_theme.mentionBar());
    } else if (option.state & (QStyle::State_MouseOver | QStyle::State_Selected)) {
        painter->fillRect(l.message, m_theme.subtleBackground());
    }
    if ((option.state & QStyle::State_HasFocus) && m_view.hasFocus())
        paintFocusRing(*painter, QRectF(l.message).adjusted(2, 1, -3, -1), m_theme, 4);
    for (int which = 0; which < PartCount; ++which) {
        const QRect rect = l.parts[static_cast<std::size_t>(which)];
        if (!rect.isNull())
            part(static_cast<Part>(which)).paint(*painter, row, rect);
    }
    const bool showTools = (option.state & QStyle::State_MouseOver)
                           || ((option.state & QStyle::State_Selected) && m_view.hasFocus());
    if (showTools && !toolRect(option.rect, index, Tool::React).isNull()) {
        const QRect first = toolRect(option.rect, index, kTools.front());
        const QRect bar = first.united(toolRect(option.rect, index, kTools.back())).adjusted(-3, -2, 3, 2);
        painter->setPen(QPen(m_theme.separator(), 1));
        painter->setBrush(m_view.palette().color(QPalette::Base));
        painter->drawRoundedRect(QRectF(bar).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6);
        for (Tool tool : kTools) {
            const QRect r = toolRect(option.rect, index, tool);
            icon(QString::fromLatin1(toolIcon(tool)), m_theme.mutedText()).paint(painter, r.adjusted(6, 3, -6, -3));
        }
    }
    painter->restore();
}

bool TimelineDelegate::editorEvent(QEvent *event, QAbstractItemModel *model, const QStyleOptionViewItem &option, const QModelIndex &index)
{
    if (event->type() == QEvent::MouseMove) {
        auto *mouse = static_cast<QMouseEvent *>(event);
        const QPoint pos = mouse->position().toPoint();
        bool overTool = false;
        for (Tool tool : kTools)
            overTool = overTool || toolRect(option.rect, index, tool).contains(pos);
        const bool overAction = overTool || !actionAt(option.rect, index, pos).isNone();
        m_view.viewport()->setCursor(overAction ? Qt::PointingHandCursor : Qt::ArrowCursor);
    }
    if (event->type() == QEvent::MouseButtonRelease && static_cast<QMouseEvent *>(event)->button() == Qt::LeftButton) {
        const QPoint pos = static_cast<QMouseEvent *>(event)->position().toPoint();
        const QString clientMsgId = index.data(TimelineModel::ClientMsgIdRole).toString();
        if (retryRect(option.rect, index).contains(pos)) {
            Q_EMIT retryRequested(clientMsgId);
            return true;
        }
        if (cancelRect(option.rect, index).contains(pos)) {
            Q_EMIT cancelRequested(clientMsgId);
            return true;
        }
        const QPoint global = m_view.viewport()->mapToGlobal(pos);
        for (Tool tool : kTools) {
            if (toolRect(option.rect, index, tool).contains(pos)) {
                Q_EMIT toolActivated(index, tool, global);
                return true;
            }
        }
        const PartAction action = actionAt(option.rect, index, pos);
        switch (action.kind) {
        case PartAction::Kind::Link:
            if (action.link == QLatin1String(kEditedLink))
                Q_EMIT versionsRequested(index);
            else
                Q_EMIT linkActivated(QUrl(action.link));
            return true;
        case PartAction::Kind::JumpTo:
            Q_EMIT jumpRequested(action.seq);
            return true;
        case PartAction::Kind::ToggleReaction:
            Q_EMIT reactionToggled(index, action.link);
            return true;
        case PartAction::Kind::AddReaction:
            Q_EMIT addReactionRequested(index, global);
            return true;
        case PartAction::Kind::Cancel:
            Q_EMIT cancelRequested(clientMsgId);
            return true;
        case PartAction::Kind::OpenFile:
            Q_EMIT fileRequested(index, static_cast<int>(action.seq), FileAction::Open);
            return true;
        case PartAction::Kind::SaveFile:
            Q_EMIT fileRequested(index, static_cast<int>(action.seq), FileAction::Save);
            return true;
        case PartAction::Kind::StopDownload:
            Q_EMIT fileRequested(index, static_cast<int>(action.seq), FileAction::StopDownload);
            return true;
        case PartAction::Kind::Person:
            Q_EMIT personRequested(action.link, global);
            return true;
        default:
            break;
        }
    }
    return QStyledItemDelegate::editorEvent(event, model, option, index);
}

QWidget *TimelineDelegate::createEditor(QWidget *parent, const QStyleOptionViewItem &, const QModelIndex &) const
{
    auto *text = new QTextBrowser(parent);
    text->setObjectName(QStringLiteral("messageText"));
    text->setFrameShape(QFrame::NoFrame);
    text->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    text->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    text->setOpenLinks(false);
    text->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard | Qt::LinksAccessibleByMouse);
    text->viewport()->setAutoFillBackground(false);
    text->setAutoFillBackground(false);
    // createEditor is const by Qt's signature; the editor's clicks are the delegate's signals.
    auto *self = const_cast<TimelineDelegate *>(this);
    connect(text, &QTextBrowser::anchorClicked, self, [self, text](const QUrl &url) {
        if (url.toString() == QLatin1String(kEditedLink)) {
            const QModelIndex index = self->m_view.indexAt(text->geometry().center());
            if (index.isValid())
                Q_EMIT self->versionsRequested(index);
            return;
        }
        Q_EMIT self->linkActivated(url);
    });
    return text;
}

void TimelineDelegate::setEditorData(QWidget *editor, const QModelIndex &index) const
{
    auto *text = static_cast<QTextBrowser *>(editor);
    QTextDocument *doc = m_body.document(contextOf(index), timeline::bodyWidth(m_view.viewport()->width()));
    QTextDocument *copy = doc->clone(text);
    copy->setTextWidth(doc->textWidth());
    text->setDocument(copy);
}

void TimelineDelegate::updateEditorGeometry(QWidget *editor, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    editor->setGeometry(bodyRect(option.rect, index));
}

} // namespace chatterbox::ui
