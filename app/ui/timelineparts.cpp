// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/ui/timelineparts.h"

#include "app/core/displaytext.h"
#include "app/core/models/partylistmodel.h"
#include "app/core/models/timelinemodel.h"
#include "app/core/emoji/emojicatalog.h"
#include "app/ui/avatar.h"
#include "app/ui/emoji.h"
#include "app/ui/icons.h"
#include "app/ui/messagedocument.h"
#include "app/ui/theme.h"

#include <QAbstractTextDocumentLayout>
#include <QCoreApplication>
#include <QDateTime>
#include <QLocale>
#include <QPainter>
#include <QtMath>

namespace chatterbox::ui {

using app::Emoji;
using app::TimelineModel;
using namespace timeline;

namespace {
constexpr int kDayHeight = 36;
constexpr int kUnreadHeight = 22;

QString dayLabel(const QDate &day)
{
    const QDate today = QDate::currentDate();
    if (day == today)
        return TimelinePart::tr("Today");
    if (day == today.addDays(-1))
        return TimelinePart::tr("Yesterday");
    return QLocale().toString(day, QLocale::LongFormat);
}

bool isGroupStart(const QModelIndex &index) { return index.data(TimelineModel::GroupStartRole).toBool(); }

TimelineModel::DeliveryState deliveryOf(const QModelIndex &index)
{
    return index.data(TimelineModel::DeliveryStateRole).value<TimelineModel::DeliveryState>();
}

QString timeOf(const QModelIndex &index)
{
    return QLocale().toString(index.data(TimelineModel::SentAtRole).toDateTime().time(), QLocale::ShortFormat);
}

QFont scaled(const QFont &font, qreal factor, bool bold = false)
{
    QFont out = font;
    out.setPointSizeF(font.pointSizeF() * factor);
    out.setBold(bold);
    return out;
}
} // namespace

int DaySeparatorPart::height(const RowContext &row, int) const
{
    return row.index.data(TimelineModel::DayStartRole).toBool() ? kDayHeight : 0;
}

void DaySeparatorPart::paint(QPainter &painter, const RowContext &row, const QRect &rect) const
{
    const QFontMetrics fm(row.font);
    const int y = rect.top() + rect.height() / 2;
    const QString label = dayLabel(row.index.data(TimelineModel::SentAtRole).toDateTime().date());
    const QFont bold = scaled(row.font, 1.0, true);
    const int labelWidth = QFontMetrics(bold).horizontalAdvance(label) + 24;
    painter.setPen(row.theme.separator());
    painter.drawLine(rect.left() + kSideMargin, y, rect.right() - kSideMargin, y);
    const QRect pill(rect.center().x() - labelWidth / 2, y - fm.height() / 2 - 3, labelWidth, fm.height() + 6);
    painter.setBrush(row.palette.color(QPalette::Base));
    painter.drawRoundedRect(pill, pill.height() / 2.0, pill.height() / 2.0);
    painter.setFont(bold);
    painter.setPen(row.palette.color(QPalette::Text));
    painter.drawText(pill, Qt::AlignCenter, label);
    painter.setFont(row.font);
}

int UnreadLinePart::height(const RowContext &row, int) const
{
    return row.index.data(TimelineModel::FirstUnreadRole).toBool() ? kUnreadHeight : 0;
}

void UnreadLinePart::paint(QPainter &painter, const RowContext &row, const QRect &rect) const
{
    const int y = rect.top() + rect.height() / 2;
    const QFont small = scaled(row.font, 0.85, true);
    const QString label = tr("New messages");
    const int labelWidth = QFontMetrics(small).horizontalAdvance(label) + 12;
    painter.setPen(row.theme.unreadLine());
    painter.drawLine(rect.left() + kSideMargin, y, rect.right() - kSideMargin - labelWidth, y);
    painter.setFont(small);
    painter.drawText(QRect(rect.right() - kSideMargin - labelWidth, y - 10, labelWidth, 20), Qt::AlignRight | Qt::AlignVCenter, label);
    painter.setFont(row.font);
}

int HeaderPart::height(const RowContext &row, int) const
{
    return isGroupStart(row.index) ? QFontMetrics(row.font).height() + 2 : 0;
}

void HeaderPart::paint(QPainter &painter, const RowContext &row, const QRect &rect) const
{
    const QFontMetrics fm(row.font);
    const QString name = app::isolated(row.index.data(TimelineModel::AuthorNameRole).toString());
    const QString authorId = row.index.data(TimelineModel::AuthorIdRole).toString();
    // The avatar stands beside the header and the first lines of the body.
    paintPerson(painter, avatarRect(rect), name, authorId,
                row.index.data(TimelineModel::AuthorPictureRole).toString(), m_pictures);
    const QFont bold = scaled(row.font, 1.0, true);
    painter.setFont(bold);
    painter.setPen(row.palette.color(QPalette::Text));
    const int nameWidth = QFontMetrics(bold).horizontalAdvance(name);
    painter.drawText(QRect(rect.left() + kTextLeft, rect.top(), nameWidth + 1, fm.height()), Qt::AlignLeft | Qt::AlignVCenter, name);
    painter.setFont(scaled(row.font, 0.85));
    painter.setPen(row.theme.mutedText());
    painter.drawText(QRect(rect.left() + kTextLeft + nameWidth + 8, rect.top(), 200, fm.height()), Qt::AlignLeft | Qt::AlignVCenter, timeOf(row.index));
    painter.setFont(row.font);
}

PartAction HeaderPart::actionAt(const RowContext &row, const QRect &rect, const QPoint &pos) const
{
    const QString name = app::isolated(row.index.data(TimelineModel::AuthorNameRole).toString());
    const int nameWidth = QFontMetrics(scaled(row.font, 1.0, true)).horizontalAdvance(name);
    const QRect nameRect(rect.left() + kTextLeft, rect.top(), nameWidth + 1, QFontMetrics(row.font).height());
    if (!nameRect.contains(pos))
        return {};
    return {PartAction::Kind::Person, row.index.data(TimelineModel::AuthorIdRole).toString()};
}

BodyPart::BodyPart(const Theme &theme) : m_theme(theme)
{
    m_documents.setMaxCost(400);
}

void BodyPart::invalidate()
{
    m_documents.clear();
    m_heights.clear();
}

QString BodyPart::text(const QModelIndex &index)
{
    if (index.data(TimelineModel::DeletedRole).toBool())
        return tr("*This message was deleted.*");
    if (index.data(TimelineModel::BlockedRole).toBool())
        return tr("*A message from someone you blocked.*");
    return index.data(TimelineModel::BodyRole).toString();
}

QString BodyPart::cacheKey(const QModelIndex &index)
{
    const QString id = index.data(TimelineModel::MessageIdRole).toString();
    const QString key = id.isEmpty() ? index.data(TimelineModel::ClientMsgIdRole).toString() : id;
    const QString body = text(index);
    return key + QLatin1Char(':') + QString::number(qHash(body)) + QLatin1Char(':') + QString::number(body.size())
           + (index.data(TimelineModel::EditedRole).toBool() ? QLatin1String(":e") : QLatin1String(""));
}

QTextDocument *BodyPart::document(const RowContext &row, int width) const
{
    const QString key = cacheKey(row.index);
    QTextDocument *doc = m_documents.object(key);
    if (!doc) {
        MessageStyle style{&row.font, &row.palette, m_theme.mutedText(), m_theme.codeBackground(), m_theme.mentionPill(), m_theme.mentionPillOfMe(),
                           row.index.data(TimelineModel::MentionNamesRole).toStringList(), m_myName};
        doc = renderMessage(text(row.index), style, row.index.data(TimelineModel::EditedRole).toBool()).release();
        m_documents.insert(key, doc);
    }
    if (!qFuzzyCompare(doc->textWidth(), qreal(width)))
        doc->setTextWidth(width);
    return doc;
}

QRect BodyPart::textRect(const QRect &rect)
{
    return {rect.left() + kTextLeft, rect.top(), bodyWidth(rect.width()), rect.height()};
}

int BodyPart::height(const RowContext &row, int rowWidth) const
{
    if (text(row.index).isEmpty())
        return 0;   // files without a caption
    const int width = bodyWidth(rowWidth);
    const QString key = cacheKey(row.index);
    const auto cached = m_heights.constFind(key);
    if (cached != m_heights.constEnd() && cached->first == width)
        return cached->second;
    const int height = qCeil(document(row, width)->size().height());
    m_heights.insert(key, {width, height});
    return height;
}

void BodyPart::paint(QPainter &painter, const RowContext &row, const QRect &rect) const
{
    if (!isGroupStart(row.index) && row.hovered) {
        // A continuation line shows its time in the avatar's column while the pointer is on it.
        painter.setFont(scaled(row.font, 0.75));
        painter.setPen(row.theme.mutedText());
        painter.drawText(QRect(rect.left(), rect.top(), kTextLeft - 6, QFontMetrics(row.font).height()), Qt::AlignRight | Qt::AlignVCenter,
                         timeOf(row.index));
        painter.setFont(row.font);
    }
    const QRect text = textRect(rect);
    QTextDocument *doc = document(row, text.width());
    painter.save();
    painter.translate(text.topLeft());
    QAbstractTextDocumentLayout::PaintContext context;
    context.palette = row.palette;
    const bool hidden = row.index.data(TimelineModel::DeletedRole).toBool() || row.index.data(TimelineModel::BlockedRole).toBool();
    context.palette.setColor(QPalette::Text, hidden ? row.theme.mutedText() : row.palette.color(QPalette::Text));
    if (deliveryOf(row.index) == TimelineModel::DeliveryState::Pending)
        painter.setOpacity(0.55);   // shown at once, dimmed until the server has it
    doc->documentLayout()->draw(&painter, context);
    paintQuoteBars(painter, *doc, row.theme.quoteBar());
    painter.restore();
}

PartAction BodyPart::actionAt(const RowContext &row, const QRect &rect, const QPoint &pos) const
{
    const QRect text = textRect(rect);
    if (!text.contains(pos))
        return {};
    const QString link = document(row, text.width())->documentLayout()->anchorAt(pos - text.topLeft());
    if (link.isEmpty())
        return {};
    return {PartAction::Kind::Link, link};
}

int PinnedPart::height(const RowContext &row, int) const
{
    return row.index.data(TimelineModel::PinnedRole).toBool() ? QFontMetrics(scaled(row.font, 0.85)).height() + 2 : 0;
}

void PinnedPart::paint(QPainter &painter, const RowContext &row, const QRect &rect) const
{
    const QFont small = scaled(row.font, 0.85);
    const int h = QFontMetrics(small).height();
    icon(QStringLiteral("pin"), row.theme.accent()).paint(&painter, QRect(rect.left() + kTextLeft, rect.top() + 1, h, h));
    painter.setFont(small);
    painter.setPen(row.theme.mutedText());
    const QString by = row.index.data(TimelineModel::PinnedByRole).toString();
    const QString label = by.isEmpty() ? tr("Pinned") : tr("Pinned by %1").arg(app::isolated(by));
    painter.drawText(QRect(rect.left() + kTextLeft + h + 4, rect.top(), bodyWidth(rect.width()) - h - 4, rect.height()),
                     Qt::AlignLeft | Qt::AlignVCenter, QFontMetrics(small).elidedText(label, Qt::ElideRight, bodyWidth(rect.width()) - h - 4));
    painter.setFont(row.font);
}

int ReplyPart::height(const RowContext &row, int) const
{
    return row.index.data(TimelineModel::ReplyRole).isValid() ? QFontMetrics(scaled(row.font, 0.9)).height() + 4 : 0;
}

QString ReplyPart::text(const QModelIndex &index)
{
    const QVariantMap reply = index.data(TimelineModel::ReplyRole).toMap();
    if (reply.value(QLatin1String(TimelineModel::kReplyDeletedKey)).toBool())
        return tr("Original message deleted");
    // One line: the first lines of the original joined, as a person reads a quote.
    QString excerpt = reply.value(QLatin1String(TimelineModel::kReplyTextKey)).toString().simplified();
    return app::isolated(reply.value(QLatin1String(TimelineModel::kReplyAuthorKey)).toString()) + QStringLiteral(": ") + excerpt;
}

void ReplyPart::paint(QPainter &painter, const RowContext &row, const QRect &rect) const
{
    const QFont small = scaled(row.font, 0.9);
    const QFontMetrics fm(small);
    // The curve from the avatar's column to the quote, as Discord and Element draw it.
    painter.setPen(QPen(row.theme.separator(), 2));
    const int midY = rect.top() + rect.height() / 2;
    painter.drawLine(rect.left() + kSideMargin + kAvatarSize / 2, rect.bottom(), rect.left() + kSideMargin + kAvatarSize / 2, midY + 4);
    painter.drawLine(rect.left() + kSideMargin + kAvatarSize / 2 + 4, midY, rect.left() + kTextLeft - 6, midY);
    painter.drawArc(QRect(rect.left() + kSideMargin + kAvatarSize / 2, midY, 8, 8), 90 * 16, 90 * 16);
    const QVariantMap reply = row.index.data(TimelineModel::ReplyRole).toMap();
    const bool deleted = reply.value(QLatin1String(TimelineModel::kReplyDeletedKey)).toBool();
    QFont font = small;
    font.setItalic(deleted);
    painter.setFont(font);
    painter.setPen(row.hovered ? row.palette.color(QPalette::Text) : row.theme.mutedText());
    const QRect textArea(rect.left() + kTextLeft, rect.top(), bodyWidth(rect.width()), rect.height());
    painter.drawText(textArea, Qt::AlignLeft | Qt::AlignVCenter, QFontMetrics(font).elidedText(text(row.index), Qt::ElideRight, textArea.width()));
    painter.setFont(row.font);
}

PartAction ReplyPart::actionAt(const RowContext &row, const QRect &rect, const QPoint &pos) const
{
    if (!QRect(rect.left() + kTextLeft, rect.top(), bodyWidth(rect.width()), rect.height()).contains(pos))
        return {};
    const QVariantMap reply = row.index.data(TimelineModel::ReplyRole).toMap();
    return {PartAction::Kind::JumpTo, {}, reply.value(QLatin1String(TimelineModel::kReplySeqKey)).toLongLong()};
}

namespace {
constexpr int kChipGap = 6;
constexpr int kChipPadding = 8;
QFont chipFont(const QFont &font) { return scaled(font, 0.9); }
// The emoji of a chip come from the colour emoji font (emojiPixmap), ahead of the text font
// (which may have a monochrome glyph for some, as DejaVu Sans has for ❤).
int chipHeight(const QFont &font) { return qMax(QFontMetrics(chipFont(font)).height(), emojiPixmap(QStringLiteral("\U0001F600"), chipFont(font), 1).height()) + 6; }
// "👍 2": the emoji, a space, and the count (or "+" alone for the chip that adds one).
int chipWidth(const QFont &font, const QString &emoji, const QString &count)
{
    const QFontMetrics text(chipFont(font));
    if (emoji.isEmpty())
        return text.horizontalAdvance(count) + 2 * kChipPadding;
    return emojiWidth(emoji, chipFont(font)) + text.horizontalAdvance(QStringLiteral(" ") + count) + 2 * kChipPadding;
}
} // namespace

std::vector<ReactionsPart::Chip> ReactionsPart::chips(const RowContext &row, const QRect &rect) const
{
    std::vector<Chip> out;
    const QVariantList reactions = row.index.data(TimelineModel::ReactionsRole).toList();
    if (reactions.isEmpty())
        return out;
    const int h = chipHeight(row.font);
    const int left = rect.left() + kTextLeft;
    const int right = left + bodyWidth(rect.width());
    int x = left;
    int y = rect.top() + 4;
    const auto place = [&](Chip chip) {
        const int w = chipWidth(row.font, chip.emoji, chip.label);
        if (x > left && x + w > right) {
            x = left;
            y += h + kChipGap;
        }
        chip.rect = QRect(x, y, w, h);
        x += w + kChipGap;
        out.push_back(std::move(chip));
    };
    for (const auto &value : reactions) {
        const QVariantMap r = value.toMap();
        Chip chip;
        chip.emoji = r.value(QLatin1String(TimelineModel::kReactionEmojiKey)).toString();
        chip.label = QString::number(r.value(QLatin1String(TimelineModel::kReactionCountKey)).toInt());
        chip.mine = r.value(QLatin1String(TimelineModel::kReactionMineKey)).toBool();
        place(std::move(chip));
    }
    Chip add;
    add.label = QStringLiteral("+");
    place(std::move(add));
    return out;
}

int ReactionsPart::height(const RowContext &row, int rowWidth) const
{
    const auto all = chips(row, QRect(0, 0, rowWidth, 0));
    if (all.empty())
        return 0;
    return all.back().rect.bottom() + 1 + 4;
}

void ReactionsPart::paint(QPainter &painter, const RowContext &row, const QRect &rect) const
{
    painter.save();
    painter.setFont(chipFont(row.font));
    for (const auto &chip : chips(row, rect)) {
        const QRectF r = QRectF(chip.rect).adjusted(0.5, 0.5, -0.5, -0.5);
        painter.setPen(QPen(chip.mine ? row.theme.accent() : row.theme.separator(), 1));
        QColor fill = chip.mine ? row.theme.accent() : row.theme.subtleBackground();
        if (chip.mine)
            fill.setAlphaF(0.18);
        painter.setBrush(fill);
        painter.drawRoundedRect(r, r.height() / 2, r.height() / 2);
        const QRect inner = chip.rect.adjusted(kChipPadding, 0, -kChipPadding, 0);
        if (chip.emoji.isEmpty()) {
            painter.setPen(row.theme.mutedText());
            painter.drawText(inner, Qt::AlignCenter, chip.label);
            continue;
        }
        painter.setPen(row.palette.color(QPalette::Text));
        const QPixmap emoji = emojiPixmap(chip.emoji, chipFont(row.font), painter.device()->devicePixelRatioF());
        const QSize size = emoji.deviceIndependentSize().toSize();
        painter.drawPixmap(QPoint(inner.left(), inner.top() + (inner.height() - size.height()) / 2), emoji);
        painter.drawText(inner, Qt::AlignRight | Qt::AlignVCenter, chip.label);
    }
    painter.restore();
}

PartAction ReactionsPart::actionAt(const RowContext &row, const QRect &rect, const QPoint &pos) const
{
    for (const auto &chip : chips(row, rect)) {
        if (!chip.rect.contains(pos))
            continue;
        if (chip.emoji.isEmpty())
            return {PartAction::Kind::AddReaction};
        return {PartAction::Kind::ToggleReaction, chip.emoji};
    }
    return {};
}

QString ReactionsPart::toolTipAt(const RowContext &row, const QRect &rect, const QPoint &pos) const
{
    const QVariantList names = row.index.data(TimelineModel::ReactionNamesRole).toList();
    const auto all = chips(row, rect);
    for (std::size_t i = 0; i < all.size(); ++i) {
        const auto &chip = all[i];
        if (!chip.rect.contains(pos))
            continue;
        if (chip.emoji.isEmpty())
            return tr("Add a reaction");
        const QStringList who = names.value(static_cast<qsizetype>(i)).toStringList();
        const Emoji *known = app::EmojiCatalog::instance().find(chip.emoji);
        const QString what = known ? QStringLiteral("%1 (%2)").arg(chip.emoji, known->name) : chip.emoji;
        return tr("%1 reacted with %2").arg(who.join(QStringLiteral(", ")), what);
    }
    return {};
}

int FailurePart::height(const RowContext &row, int) const
{
    return deliveryOf(row.index) == TimelineModel::DeliveryState::Failed ? QFontMetrics(row.font).height() + 6 : 0;
}

QRect FailurePart::retryRect(const RowContext &row, const QRect &rect) const
{
    const QFontMetrics fm(row.font);
    const QString error = row.index.data(TimelineModel::ErrorRole).toString();
    const int x = rect.left() + kTextLeft + fm.horizontalAdvance(tr("Not sent: %1").arg(error)) + 12;
    return {x, rect.top() + 2, fm.horizontalAdvance(tr("Retry")) + 8, fm.height() + 2};
}

QRect FailurePart::cancelRect(const RowContext &row, const QRect &rect) const
{
    const QRect retry = retryRect(row, rect);
    return {retry.right() + 8, retry.top(), QFontMetrics(row.font).horizontalAdvance(tr("Cancel")) + 8, retry.height()};
}

void FailurePart::paint(QPainter &painter, const RowContext &row, const QRect &rect) const
{
    const QFontMetrics fm(row.font);
    const QString error = row.index.data(TimelineModel::ErrorRole).toString();
    painter.setPen(row.theme.danger());
    painter.drawText(QRect(rect.left() + kTextLeft, rect.top() + 2, bodyWidth(rect.width()), fm.height()), Qt::AlignLeft | Qt::AlignVCenter,
                     tr("Not sent: %1").arg(error));
    QFont link = row.font;
    link.setUnderline(true);
    painter.setFont(link);
    painter.setPen(row.palette.color(QPalette::Link));
    painter.drawText(retryRect(row, rect), Qt::AlignCenter, tr("Retry"));
    painter.drawText(cancelRect(row, rect), Qt::AlignCenter, tr("Cancel"));
    painter.setFont(row.font);
}

PartAction FailurePart::actionAt(const RowContext &row, const QRect &rect, const QPoint &pos) const
{
    if (retryRect(row, rect).contains(pos))
        return {PartAction::Kind::Retry};
    if (cancelRect(row, rect).contains(pos))
        return {PartAction::Kind::Cancel};
    return {};
}

} // namespace chatterbox::ui
