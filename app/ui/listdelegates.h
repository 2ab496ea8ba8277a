// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStyledItemDelegate>

// The delegates of the three side lists. Each draws from its model's roles and the theme it is
// given; none holds state. The row the keyboard is on has a ring while its list has focus.
namespace chatterbox::ui {

class AttachmentLoader;

class Theme;

// A party on the rail: rounded initials, a pill at the edge when it has unread messages, and a
// red count of mentions. A muted party is dimmed and shows no unread pill.
class PartyRailDelegate final : public QStyledItemDelegate {
    Q_OBJECT

public:
    PartyRailDelegate(const Theme &theme, QObject *parent) : QStyledItemDelegate(parent), m_theme(theme) {}
    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    const Theme &m_theme;
};

// A direct conversation, on the rail above the parties (compact: the other person's picture with
// a presence dot and the unread count) or in the sidebar's list (the picture, then the name, bold
// when unread, and the count). A group shows its first other person with how many there are.
class DirectDelegate final : public QStyledItemDelegate {
    Q_OBJECT

public:
    enum class Shape { RailTile, ListRow };
    DirectDelegate(const Theme &theme, Shape shape, QObject *parent) : QStyledItemDelegate(parent), m_theme(theme), m_shape(shape) {}
    void setPictures(AttachmentLoader *pictures) { m_pictures = pictures; }
    // Where the picture is drawn in a row of this shape.
    QRect avatarRect(const QRect &rowRect) const;
    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    const Theme &m_theme;
    const Shape m_shape;
    AttachmentLoader *m_pictures = nullptr;
};

// A topic: "# name", bold when unread, with the count of unread messages (red when they mention
// you). A muted topic is dimmed, never bold, has a muted bell and counts only mentions.
class TopicDelegate final : public QStyledItemDelegate {
    Q_OBJECT

public:
    TopicDelegate(const Theme &theme, QObject *parent) : QStyledItemDelegate(parent), m_theme(theme) {}
    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    const Theme &m_theme;
};

// A member: their picture (or initials) with a presence dot, the name, and the role for owners
// and admins.
class MemberDelegate final : public QStyledItemDelegate {
    Q_OBJECT

public:
    MemberDelegate(const Theme &theme, QObject *parent) : QStyledItemDelegate(parent), m_theme(theme) {}
    // Where pictures come from (the view repaints on its changed()); none: initials alone.
    void setPictures(AttachmentLoader *pictures) { m_pictures = pictures; }
    // Where a member's picture (or initials) is drawn in their row.
    static QRect avatarRect(const QRect &rowRect);
    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    const Theme &m_theme;
    AttachmentLoader *m_pictures = nullptr;
};

// A row's rounded background: selected, hovered, with the focus ring while its list has focus.
void paintRowBackground(QPainter &painter, const QStyleOptionViewItem &option, const QRect &rect, const Theme &theme);

// The ring around the row the keyboard is on, drawn alike in every list and the timeline.
void paintFocusRing(QPainter &painter, const QRectF &rect, const Theme &theme, qreal radius);

} // namespace chatterbox::ui
