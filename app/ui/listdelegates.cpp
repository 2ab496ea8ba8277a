// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/ui/listdelegates.h"

#include "app/core/displaytext.h"

#include "app/core/models/memberlistmodel.h"
#include "app/core/models/partylistmodel.h"
#include "app/core/models/topiclistmodel.h"
#include "app/ui/avatar.h"
#include "app/ui/icons.h"
#include "app/ui/theme.h"

#include <QApplication>
#include <QPainter>
#include <QPainterPath>

namespace chatterbox::ui {

namespace {

constexpr qreal kMutedOpacity = 0.45;

protocol::NotifyLevel levelAt(const QModelIndex &index, int role)
{
    return static_cast<protocol::NotifyLevel>(index.data(role).toInt());
}

// A party or conversation quieter than "all" wears a small mark at its tile's corner: a crossed
// bell for nothing, an at sign for mentions only.
void paintLevelMark(QPainter &painter, const QRect &tile, protocol::NotifyLevel level, const QPalette &palette, const Theme &theme)
{
    if (level == protocol::NotifyLevel::All)
        return;
    const QRect mark(tile.right() - 12, tile.top() - 2, 16, 16);
    QPainterPath disc;
    disc.addEllipse(mark.adjusted(-2, -2, 2, 2));
    painter.fillPath(disc, palette.color(QPalette::Window));
    icon(level == protocol::NotifyLevel::Nothing ? QStringLiteral("bell-off") : QStringLiteral("at"), theme.mutedText()).paint(&painter, mark);
}

// A rounded count badge ending at right, centred on y.
void paintBadge(QPainter &painter, int right, int y, const QString &text, const QColor &background, const QFont &font)
{
    QFont bold = font;
    bold.setBold(true);
    bold.setPointSizeF(font.pointSizeF() * 0.8);
    const QFontMetrics fm(bold);
    const int height = fm.height() + 2;
    const int width = qMax(height, fm.horizontalAdvance(text) + 10);
    const QRect rect(right - width, y - height / 2, width, height);
    QPainterPath path;
    path.addRoundedRect(rect, height / 2.0, height / 2.0);
    painter.fillPath(path, background);
    painter.setFont(bold);
    painter.setPen(Qt::white);
    painter.drawText(rect, Qt::AlignCenter, text);
}

QString countText(qint64 n)
{
    return n > 99 ? QStringLiteral("99+") : QString::number(n);
}

bool hasKeyboardFocus(const QStyleOptionViewItem &option)
{
    // State_HasFocus marks the current row; it matters only while the list itself has focus.
    return (option.state & QStyle::State_HasFocus) && option.widget && option.widget->hasFocus();
}

} // namespace

void paintRowBackground(QPainter &painter, const QStyleOptionViewItem &option, const QRect &rect, const Theme &theme)
{
    QPainterPath path;
    path.addRoundedRect(rect, 6, 6);
    if (option.state & QStyle::State_Selected)
        painter.fillPath(path, option.palette.color(QPalette::Highlight));
    else if (option.state & QStyle::State_MouseOver)
        painter.fillPath(path, theme.subtleBackground());
    if (hasKeyboardFocus(option))
        paintFocusRing(painter, QRectF(rect).adjusted(1, 1, -1, -1), theme, 6);
}

void paintFocusRing(QPainter &painter, const QRectF &rect, const Theme &theme, qreal radius)
{
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing);
    // Two rings, the outer in the focus colour and the inner in the background's, so it shows on
    // a selected (accent) row as well as on a plain one.
    painter.setBrush(Qt::NoBrush);
    painter.setPen(QPen(theme.focusRing(), 2));
    painter.drawRoundedRect(rect, radius, radius);
    painter.setPen(QPen(QApplication::palette().color(QPalette::Base), 1));
    painter.drawRoundedRect(rect.adjusted(2, 2, -2, -2), qMax<qreal>(0, radius - 2), qMax<qreal>(0, radius - 2));
    painter.restore();
}

void PartyRailDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    using app::PartyListModel;
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const QRect cell = option.rect;
    const QRect tile(cell.center().x() - 22, cell.center().y() - 22, 44, 44);
    const auto level = levelAt(index, PartyListModel::LevelRole);
    const bool muted = level == protocol::NotifyLevel::Nothing;
    const qint64 unread = index.data(PartyListModel::UnreadRole).toLongLong();   // as the levels let it through
    const qint64 mentions = index.data(PartyListModel::MentionsRole).toLongLong();
    const bool selected = option.state & QStyle::State_Selected;
    // The pill at the left edge: tall for the open party, a dot for one with unread messages.
    if (selected || unread > 0) {
        const int height = selected ? 36 : 8;
        QPainterPath pill;
        pill.addRoundedRect(QRectF(cell.left() - 4, cell.center().y() - height / 2.0, 8, height), 4, 4);
        painter->fillPath(pill, option.palette.color(QPalette::WindowText));
    }
    if (muted && !selected)
        painter->setOpacity(kMutedOpacity);
    paintInitials(*painter, tile, index.data(PartyListModel::InitialsRole).toString(),
                  colorFor(index.data(PartyListModel::PartyIdRole).toString()), true);
    painter->setOpacity(1.0);
    paintLevelMark(*painter, tile, level, option.palette, m_theme);
    if (hasKeyboardFocus(option))
        paintFocusRing(*painter, QRectF(tile).adjusted(-4, -4, 4, 4), m_theme, 16);
    if (mentions > 0)
        paintBadge(*painter, tile.right() + 6, tile.bottom() - 4, countText(mentions), m_theme.danger(), option.font);
    painter->restore();
}

QSize PartyRailDelegate::sizeHint(const QStyleOptionViewItem &, const QModelIndex &) const
{
    return {72, 56};
}

QRect DirectDelegate::avatarRect(const QRect &rowRect) const
{
    if (m_shape == Shape::RailTile)
        return {rowRect.center().x() - 22, rowRect.center().y() - 22, 44, 44};
    const QRect row = rowRect.adjusted(8, 1, -8, -1);
    return {row.left() + 6, row.center().y() - 14, 28, 28};
}

void DirectDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    using app::PartyListModel;
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const bool selected = option.state & QStyle::State_Selected;
    const auto level = levelAt(index, PartyListModel::LevelRole);
    const bool muted = level == protocol::NotifyLevel::Nothing;
    const qint64 unread = index.data(PartyListModel::UnreadRole).toLongLong();   // as the level lets it through
    const qint64 mentions = index.data(PartyListModel::MentionsRole).toLongLong();
    const QString name = app::isolated(index.data(PartyListModel::NameRole).toString());
    const int others = index.data(PartyListModel::OthersRole).toInt();
    protocol::Presence presence = protocol::Presence::Offline;
    protocol::presenceFromName(index.data(PartyListModel::PeerPresenceRole).toString().toStdString(), presence);
    const QRect avatar = avatarRect(option.rect);
    if (m_shape == Shape::ListRow)
        paintRowBackground(*painter, option, option.rect.adjusted(8, 1, -8, -1), m_theme);
    else if (selected || unread > 0) {
        const int height = selected ? 36 : 8;
        QPainterPath pill;
        pill.addRoundedRect(QRectF(option.rect.left() - 4, option.rect.center().y() - height / 2.0, 8, height), 4, 4);
        painter->fillPath(pill, option.palette.color(QPalette::WindowText));
    }
    if (muted && !selected)
        painter->setOpacity(kMutedOpacity);
    // A group is drawn as its first other person; the others' number says it is a group.
    paintPerson(*painter, avatar, name, index.data(PartyListModel::PeerIdRole).toString(),
                index.data(PartyListModel::PeerPictureRole).toString(), m_pictures);
    painter->setOpacity(1.0);
    const int dotSide = m_shape == Shape::RailTile ? 14 : 12;
    const QRect dot(avatar.right() - dotSide + 3, avatar.bottom() - dotSide + 3, dotSide, dotSide);
    if (others > 1) {
        paintBadge(*painter, dot.right() + 2, dot.center().y(), QString::number(others), m_theme.mutedText(), option.font);
    } else {
        painter->setPen(QPen(option.palette.color(m_shape == Shape::RailTile ? QPalette::Window : QPalette::Base), 2));
        painter->setBrush(m_theme.presenceColor(presence));
        painter->drawEllipse(dot);
    }
    if (m_shape == Shape::RailTile) {
        paintLevelMark(*painter, avatar, level, option.palette, m_theme);
        if (hasKeyboardFocus(option))
            paintFocusRing(*painter, QRectF(avatar).adjusted(-4, -4, 4, 4), m_theme, 26);
        if (mentions > 0 || unread > 0)
            paintBadge(*painter, avatar.right() + 6, avatar.top() + 6, countText(std::max(mentions, unread)), m_theme.danger(), option.font);
        painter->restore();
        return;
    }
    QFont font = option.font;
    font.setBold(unread > 0);
    painter->setFont(font);
    painter->setPen(selected ? option.palette.color(QPalette::HighlightedText)
                    : unread > 0 ? option.palette.color(QPalette::Text)
                                 : m_theme.mutedText());
    const qint64 shown = std::max(mentions, unread);
    int right = option.rect.right() - 14;
    if (muted) {
        icon(QStringLiteral("bell-off"), m_theme.mutedText()).paint(painter, QRect(right - 7, option.rect.center().y() - 7, 14, 14));
        right -= 22;
    }
    const int badgeRoom = shown > 0 ? 34 : 0;
    const QRect text(avatar.right() + 10, option.rect.top(), right - avatar.right() - 8 - badgeRoom, option.rect.height());
    painter->drawText(text, Qt::AlignLeft | Qt::AlignVCenter, QFontMetrics(font).elidedText(name, Qt::ElideRight, text.width()));
    if (shown > 0)
        paintBadge(*painter, right, option.rect.center().y(), countText(shown),
                   mentions > 0 ? m_theme.danger() : m_theme.mutedText(), option.font);
    painter->restore();
}

QSize DirectDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const
{
    if (m_shape == Shape::RailTile)
        return {72, 56};
    return {180, qMax(36, QFontMetrics(option.font).height() + 16)};
}

void TopicDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    using app::TopicListModel;
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const QRect row = option.rect.adjusted(8, 1, -8, -1);
    paintRowBackground(*painter, option, row, m_theme);
    // Nothing: drawn faded, with no counts. Mentions only: the mentions alone count.
    const auto level = levelAt(index, TopicListModel::LevelRole);
    const bool muted = level == protocol::NotifyLevel::Nothing;
    const qint64 unread = level == protocol::NotifyLevel::All ? index.data(TopicListModel::UnreadRole).toLongLong() : 0;
    const qint64 mentions = muted ? 0 : index.data(TopicListModel::MentionsRole).toLongLong();
    const bool selected = option.state & QStyle::State_Selected;
    const QColor ink = selected ? option.palette.color(QPalette::HighlightedText)
                       : unread > 0 ? option.palette.color(QPalette::Text)
                                    : m_theme.mutedText();
    if (muted && !selected)
        painter->setOpacity(kMutedOpacity + 0.15);
    const QRect iconRect(row.left() + 8, row.center().y() - 8, 16, 16);
    icon(QStringLiteral("hash"), ink).paint(painter, iconRect);
    QFont font = option.font;
    font.setBold(unread > 0);
    painter->setFont(font);
    painter->setPen(ink);
    int right = row.right() - 8;
    if (level != protocol::NotifyLevel::All) {
        icon(muted ? QStringLiteral("bell-off") : QStringLiteral("at"), ink).paint(painter, QRect(right - 14, row.center().y() - 7, 14, 14));
        right -= 20;
    }
    painter->setOpacity(1.0);
    if (mentions > 0 || unread > 0) {
        const QString text = countText(mentions > 0 ? mentions : unread);
        paintBadge(*painter, right, row.center().y(), text, mentions > 0 ? m_theme.danger() : m_theme.mutedText(), option.font);
        right -= 36;
        painter->setFont(font);
        painter->setPen(ink);
    }
    if (muted && !selected)
        painter->setOpacity(kMutedOpacity + 0.15);
    const QRect text(iconRect.right() + 8, row.top(), right - iconRect.right() - 8, row.height());
    painter->drawText(text, Qt::AlignLeft | Qt::AlignVCenter,
                      QFontMetrics(font).elidedText(app::isolated(index.data(TopicListModel::NameRole).toString()), Qt::ElideRight, text.width()));
    painter->restore();
}

QSize TopicDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const
{
    return {200, QFontMetrics(option.font).height() + 14};
}

void MemberDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    using app::MemberListModel;
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const QRect row = option.rect.adjusted(8, 1, -8, -1);
    paintRowBackground(*painter, option, row, m_theme);
    const QString name = app::isolated(index.data(MemberListModel::DisplayNameRole).toString());
    protocol::Presence presence = protocol::Presence::Offline;
    protocol::presenceFromName(index.data(MemberListModel::PresenceRole).toString().toStdString(), presence);
    const QRect avatar = avatarRect(option.rect);
    painter->setOpacity(presence == protocol::Presence::Offline ? 0.5 : 1.0);
    paintPerson(*painter, avatar, name, index.data(MemberListModel::UserIdRole).toString(),
                index.data(MemberListModel::PictureRole).toString(), m_pictures);
    painter->setOpacity(1.0);
    const QRect dot(avatar.right() - 9, avatar.bottom() - 9, 12, 12);
    painter->setPen(QPen(option.palette.color(QPalette::Window), 2));
    painter->setBrush(m_theme.presenceColor(presence));
    painter->drawEllipse(dot);
    const bool selected = option.state & QStyle::State_Selected;
    painter->setPen(selected ? option.palette.color(QPalette::HighlightedText)
                    : presence == protocol::Presence::Offline ? m_theme.mutedText()
                                                              : option.palette.color(QPalette::Text));
    const QString role = index.data(MemberListModel::RoleRole).toString();
    const QString roleLabel = role == QLatin1String("owner") ? tr("owner") : role == QLatin1String("admin") ? tr("admin") : QString();
    const QRect text(avatar.right() + 10, row.top(), row.right() - avatar.right() - 14, row.height());
    const QFontMetrics fm(option.font);
    const int roleWidth = roleLabel.isEmpty() ? 0 : fm.horizontalAdvance(roleLabel) + 8;
    painter->drawText(text.adjusted(0, 0, -roleWidth, 0), Qt::AlignLeft | Qt::AlignVCenter, fm.elidedText(name, Qt::ElideRight, text.width() - roleWidth));
    if (!roleLabel.isEmpty()) {
        painter->setPen(m_theme.mutedText());
        painter->drawText(text, Qt::AlignRight | Qt::AlignVCenter, roleLabel);
    }
    painter->restore();
}

QRect MemberDelegate::avatarRect(const QRect &rowRect)
{
    const QRect row = rowRect.adjusted(8, 1, -8, -1);
    return {row.left() + 6, row.center().y() - 14, 28, 28};
}

QSize MemberDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const
{
    return {180, qMax(36, QFontMetrics(option.font).height() + 16)};
}

} // namespace chatterbox::ui
