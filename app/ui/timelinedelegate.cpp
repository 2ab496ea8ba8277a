#include "app/ui/timelinedelegate.h"

#include "app/core/displaytext.h"

#include "app/ui/listdelegates.h"

#include "app/core/models/partylistmodel.h"
#include "app/core/models/timelinemodel.h"
#include "app/ui/avatar.h"
#include "app/ui/messagedocument.h"
#include "app/ui/theme.h"

#include <QAbstractItemView>
#include <QAbstractTextDocumentLayout>
#include <QApplication>
#include <QDateTime>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QTextBrowser>

namespace chatterbox::ui {

using app::TimelineModel;

namespace {
constexpr int kSideMargin = 16;
constexpr int kAvatarSize = 36;
constexpr int kTextLeft = kSideMargin + kAvatarSize + 12;
constexpr int kGroupGap = 10;
constexpr int kRowGap = 2;
constexpr int kDayHeight = 36;
constexpr int kUnreadHeight = 22;

QString dayLabel(const QDate &day)
{
    const QDate today = QDate::currentDate();
    if (day == today)
        return TimelineDelegate::tr("Today");
    if (day == today.addDays(-1))
        return TimelineDelegate::tr("Yesterday");
    return QLocale().toString(day, QLocale::LongFormat);
}

bool isGroupStart(const QModelIndex &index)
{
    return index.data(TimelineModel::GroupStartRole).toBool();
}

TimelineModel::DeliveryState deliveryOf(const QModelIndex &index)
{
    return index.data(TimelineModel::DeliveryStateRole).value<TimelineModel::DeliveryState>();
}
} // namespace

TimelineDelegate::TimelineDelegate(QAbstractItemView &view, const Theme &theme) : QStyledItemDelegate(&view), m_view(view), m_theme(theme)
{
    m_documents.setMaxCost(400);
}

void TimelineDelegate::setMyName(const QString &name)
{
    if (name == m_myName)
        return;
    m_myName = name;
    invalidate();
}

void TimelineDelegate::invalidate()
{
    m_documents.clear();
    m_heights.clear();
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
        const int height = layoutOf(model->index(row, 0), width).total;
        changed = changed || height != h.height;
        m_measuredTotal += height;
        ++m_measuredCount;
        h = {height, width};
    }
    return changed;
}

int TimelineDelegate::bodyWidth(int rowWidth) const
{
    return qMax(80, rowWidth - kTextLeft - kSideMargin);
}

QString TimelineDelegate::bodyText(const QModelIndex &index) const
{
    if (index.data(TimelineModel::DeletedRole).toBool())
        return tr("*This message was deleted.*");
    return index.data(TimelineModel::BodyRole).toString();
}

QString TimelineDelegate::cacheKey(const QModelIndex &index) const
{
    const QString id = index.data(TimelineModel::MessageIdRole).toString();
    const QString key = id.isEmpty() ? index.data(TimelineModel::ClientMsgIdRole).toString() : id;
    const QString body = bodyText(index);
    return key + QLatin1Char(':') + QString::number(qHash(body)) + QLatin1Char(':') + QString::number(body.size())
           + (index.data(TimelineModel::EditedRole).toBool() ? QLatin1String(":e") : QLatin1String(""));
}

QTextDocument *TimelineDelegate::document(const QModelIndex &index, int width) const
{
    const QString key = cacheKey(index);
    QTextDocument *doc = m_documents.object(key);
    if (!doc) {
        const Theme *theme = &m_theme;
        const QFont font = m_view.font();
        const QPalette palette = m_view.palette();
        MessageStyle style{&font, &palette, theme->mutedText(), theme->codeBackground(), theme->mentionPill(), theme->mentionPillOfMe(),
                           index.data(TimelineModel::MentionNamesRole).toStringList(), m_myName};
        doc = renderMessage(bodyText(index), style, index.data(TimelineModel::EditedRole).toBool()).release();
        m_documents.insert(key, doc);
    }
    if (!qFuzzyCompare(doc->textWidth(), qreal(width)))
        doc->setTextWidth(width);
    return doc;
}

TimelineDelegate::Layout TimelineDelegate::layoutOf(const QModelIndex &index, int width) const
{
    Layout l;
    const bool groupStart = isGroupStart(index);
    const QFontMetrics fm(m_view.font());
    if (index.data(TimelineModel::DayStartRole).toBool())
        l.dayHeight = kDayHeight;
    if (index.data(TimelineModel::FirstUnreadRole).toBool())
        l.unreadHeight = kUnreadHeight;
    l.top = l.dayHeight + l.unreadHeight + (groupStart ? kGroupGap : kRowGap);
    if (groupStart)
        l.headerHeight = fm.height() + 2;
    const int bw = bodyWidth(width);
    const QString key = cacheKey(index);
    const auto cached = m_heights.constFind(key);
    if (cached != m_heights.constEnd() && cached->first == bw) {
        l.bodyHeight = cached->second;
    } else {
        l.bodyHeight = qCeil(document(index, bw)->size().height());
        m_heights.insert(key, {bw, l.bodyHeight});
    }
    if (deliveryOf(index) == TimelineModel::DeliveryState::Failed)
        l.statusHeight = fm.height() + 6;
    l.total = l.top + l.headerHeight + l.bodyHeight + l.statusHeight + kRowGap;
    if (groupStart)
        l.total = qMax(l.total, l.top + kAvatarSize + kRowGap);
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
    const Layout l = layoutOf(index, rowRect.width());
    return {rowRect.left() + kTextLeft, rowRect.top() + l.top + l.headerHeight, bodyWidth(rowRect.width()), l.bodyHeight};
}

QRect TimelineDelegate::retryRect(const QRect &rowRect, const QModelIndex &index) const
{
    const Layout l = layoutOf(index, rowRect.width());
    if (!l.statusHeight)
        return {};
    const QFontMetrics fm(m_view.font());
    const QString error = index.data(TimelineModel::ErrorRole).toString();
    const int x = rowRect.left() + kTextLeft + fm.horizontalAdvance(tr("Not sent: %1").arg(error)) + 12;
    const int y = rowRect.top() + l.top + l.headerHeight + l.bodyHeight + 2;
    return {x, y, fm.horizontalAdvance(tr("Retry")) + 8, fm.height() + 2};
}

QRect TimelineDelegate::cancelRect(const QRect &rowRect, const QModelIndex &index) const
{
    const QRect retry = retryRect(rowRect, index);
    if (retry.isNull())
        return {};
    const QFontMetrics fm(m_view.font());
    return {retry.right() + 8, retry.top(), fm.horizontalAdvance(tr("Cancel")) + 8, retry.height()};
}

QString TimelineDelegate::linkAt(const QRect &rowRect, const QModelIndex &index, const QPoint &pos) const
{
    const QRect body = bodyRect(rowRect, index);
    if (!body.contains(pos))
        return {};
    QTextDocument *doc = document(index, body.width());
    return doc->documentLayout()->anchorAt(pos - body.topLeft());
}

void TimelineDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const Theme *theme = &m_theme;
    const QPalette &palette = option.palette;
    const QColor muted = theme->mutedText();
    const QRect row = option.rect;
    const Layout l = layoutOf(index, row.width());
    const QFontMetrics fm(option.font);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);

    if (l.dayHeight) {
        const int y = row.top() + l.dayHeight / 2;
        const QString label = dayLabel(index.data(TimelineModel::SentAtRole).toDateTime().date());
        QFont bold = option.font;
        bold.setBold(true);
        const int labelWidth = QFontMetrics(bold).horizontalAdvance(label) + 24;
        painter->setPen(theme->separator());
        painter->drawLine(row.left() + kSideMargin, y, row.right() - kSideMargin, y);
        const QRect pill(row.center().x() - labelWidth / 2, y - fm.height() / 2 - 3, labelWidth, fm.height() + 6);
        painter->setBrush(palette.color(QPalette::Base));
        painter->drawRoundedRect(pill, pill.height() / 2.0, pill.height() / 2.0);
        painter->setFont(bold);
        painter->setPen(palette.color(QPalette::Text));
        painter->drawText(pill, Qt::AlignCenter, label);
        painter->setFont(option.font);
    }
    if (l.unreadHeight) {
        const QColor red = theme->unreadLine();
        const int y = row.top() + l.dayHeight + l.unreadHeight / 2;
        QFont small = option.font;
        small.setBold(true);
        small.setPointSizeF(option.font.pointSizeF() * 0.85);
        const QString label = tr("New messages");
        const int labelWidth = QFontMetrics(small).horizontalAdvance(label) + 12;
        painter->setPen(red);
        painter->drawLine(row.left() + kSideMargin, y, row.right() - kSideMargin - labelWidth, y);
        painter->setFont(small);
        painter->drawText(QRect(row.right() - kSideMargin - labelWidth, y - 10, labelWidth, 20), Qt::AlignRight | Qt::AlignVCenter, label);
        painter->setFont(option.font);
    }

    const QRect message(row.left(), row.top() + l.top - (isGroupStart(index) ? kGroupGap / 2 : kRowGap),
                        row.width(), row.bottom() - (row.top() + l.top) + (isGroupStart(index) ? kGroupGap / 2 : kRowGap));
    if (index.data(TimelineModel::MentionsMeRole).toBool()) {
        painter->fillRect(message, theme->mentionBackground());
        painter->fillRect(QRect(message.left(), message.top(), 3, message.height()), theme->mentionBar());
    } else if (option.state & (QStyle::State_MouseOver | QStyle::State_Selected)) {
        painter->fillRect(message, theme->subtleBackground());
    }
    if ((option.state & QStyle::State_HasFocus) && m_view.hasFocus())
        paintFocusRing(*painter, QRectF(message).adjusted(2, 1, -3, -1), m_theme, 4);

    const QDateTime sentAt = index.data(TimelineModel::SentAtRole).toDateTime();
    const QString time = QLocale().toString(sentAt.time(), QLocale::ShortFormat);
    const auto delivery = deliveryOf(index);
    const int textTop = row.top() + l.top;
    if (isGroupStart(index)) {
        const QString name = app::isolated(index.data(TimelineModel::AuthorNameRole).toString());
        const QString authorId = index.data(TimelineModel::AuthorIdRole).toString();
        paintInitials(*painter, QRect(row.left() + kSideMargin, textTop + 2, kAvatarSize, kAvatarSize),
                      app::PartyListModel::initials(name), colorFor(authorId), false);
        QFont bold = option.font;
        bold.setBold(true);
        painter->setFont(bold);
        painter->setPen(palette.color(QPalette::Text));
        const int nameWidth = QFontMetrics(bold).horizontalAdvance(name);
        painter->drawText(QRect(row.left() + kTextLeft, textTop, nameWidth + 1, fm.height()), Qt::AlignLeft | Qt::AlignVCenter, name);
        QFont small = option.font;
        small.setPointSizeF(option.font.pointSizeF() * 0.85);
        painter->setFont(small);
        painter->setPen(muted);
        painter->drawText(QRect(row.left() + kTextLeft + nameWidth + 8, textTop, 200, fm.height()), Qt::AlignLeft | Qt::AlignVCenter, time);
        painter->setFont(option.font);
    } else if (option.state & QStyle::State_MouseOver) {
        QFont small = option.font;
        small.setPointSizeF(option.font.pointSizeF() * 0.75);
        painter->setFont(small);
        painter->setPen(muted);
        painter->drawText(QRect(row.left(), textTop, kTextLeft - 6, fm.height()), Qt::AlignRight | Qt::AlignVCenter, time);
        painter->setFont(option.font);
    }

    const QRect body = bodyRect(row, index);
    QTextDocument *doc = document(index, body.width());
    painter->translate(body.topLeft());
    QAbstractTextDocumentLayout::PaintContext context;
    context.palette = palette;
    context.palette.setColor(QPalette::Text, index.data(TimelineModel::DeletedRole).toBool() ? muted : palette.color(QPalette::Text));
    if (delivery == TimelineModel::DeliveryState::Pending)
        painter->setOpacity(0.55);   // shown at once, dimmed until the server has it
    doc->documentLayout()->draw(painter, context);
    paintQuoteBars(*painter, *doc, m_theme.quoteBar());
    painter->setOpacity(1.0);
    painter->translate(-body.topLeft());

    if (delivery == TimelineModel::DeliveryState::Failed) {
        const QColor red = theme->unreadLine();
        const QString error = index.data(TimelineModel::ErrorRole).toString();
        const int y = body.bottom() + 3;
        painter->setPen(red);
        painter->drawText(QRect(row.left() + kTextLeft, y, body.width(), fm.height()), Qt::AlignLeft | Qt::AlignVCenter,
                          tr("Not sent: %1").arg(error));
        for (const auto &[rect, label] : {std::pair{retryRect(row, index), tr("Retry")}, std::pair{cancelRect(row, index), tr("Cancel")}}) {
            painter->setPen(palette.color(QPalette::Link));
            QFont link = option.font;
            link.setUnderline(true);
            painter->setFont(link);
            painter->drawText(rect, Qt::AlignCenter, label);
        }
    }
    painter->restore();
}

bool TimelineDelegate::editorEvent(QEvent *event, QAbstractItemModel *model, const QStyleOptionViewItem &option, const QModelIndex &index)
{
    if (event->type() == QEvent::MouseMove) {
        auto *mouse = static_cast<QMouseEvent *>(event);
        const bool overAction = !linkAt(option.rect, index, mouse->position().toPoint()).isEmpty()
                                || retryRect(option.rect, index).contains(mouse->position().toPoint())
                                || cancelRect(option.rect, index).contains(mouse->position().toPoint());
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
        const QString link = linkAt(option.rect, index, pos);
        if (!link.isEmpty()) {
            Q_EMIT linkActivated(QUrl(link));
            return true;
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
    connect(text, &QTextBrowser::anchorClicked, this, &TimelineDelegate::linkActivated);
    return text;
}

void TimelineDelegate::setEditorData(QWidget *editor, const QModelIndex &index) const
{
    auto *text = static_cast<QTextBrowser *>(editor);
    QTextDocument *doc = document(index, bodyWidth(m_view.viewport()->width()));
    QTextDocument *copy = doc->clone(text);
    copy->setTextWidth(doc->textWidth());
    text->setDocument(copy);
}

void TimelineDelegate::updateEditorGeometry(QWidget *editor, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    editor->setGeometry(bodyRect(option.rect, index));
}

} // namespace chatterbox::ui
