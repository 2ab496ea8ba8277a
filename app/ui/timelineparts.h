// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCache>
#include <QCoreApplication>
#include <QFont>
#include <QHash>
#include <QModelIndex>
#include <QPalette>
#include <QRect>
#include <QString>
#include <QTextDocument>

#include <vector>

class QPainter;

namespace chatterbox::ui {

class AttachmentLoader;

class Theme;

// Where parts place themselves horizontally in a row.
namespace timeline {
inline constexpr int kSideMargin = 16;
inline constexpr int kAvatarSize = 36;
inline constexpr int kTextLeft = kSideMargin + kAvatarSize + 12;
// The width message text wraps at in a row this wide.
inline int bodyWidth(int rowWidth) { return qMax(80, rowWidth - kTextLeft - kSideMargin); }
} // namespace timeline

// What a part knows of the row it is in.
struct RowContext {
    const QModelIndex &index;
    const QFont &font;         // the view's: what rows are measured and drawn with
    const QPalette &palette;   // the view's: message text is rendered with it once, then cached
    const Theme &theme;
    bool hovered = false;
};

// What a click at a point of a part does.
struct PartAction {
    // OpenFile: view an image or open a file; SaveFile: save it as; StopDownload: stop saving it.
    // Person: the author's picture or name, to open their profile.
    enum class Kind { None, Retry, Cancel, Link, JumpTo, ToggleReaction, AddReaction, OpenFile, SaveFile, StopDownload, Person };
    Kind kind = Kind::None;
    QString link = {};     // Link: the URL; ToggleReaction: the emoji; *File: the file's id; Person: the user id
    qint64 seq = 0;        // JumpTo: the message to go to; *File: the file's place in the message
    bool isNone() const { return kind == Kind::None; }
};

// One element of a timeline row, Quassel's ChatItem family being the model: how tall it is in
// a given row (0: not there), how it paints into the rect the delegate stacks it at, and what
// a click in it does. The delegate draws a row as its parts from top to bottom, so reactions,
// a reply's quote or attachments are each one more part.
class TimelinePart {
    Q_DECLARE_TR_FUNCTIONS(TimelinePart)

public:
    virtual ~TimelinePart() = default;
    virtual int height(const RowContext &row, int rowWidth) const = 0;
    // rect: the row's full width at the part's height.
    virtual void paint(QPainter &painter, const RowContext &row, const QRect &rect) const = 0;
    virtual PartAction actionAt(const RowContext &, const QRect &, const QPoint &) const { return {}; }
    // What the pointer resting on a point of it shows, as plain text; empty for nothing.
    virtual QString toolTipAt(const RowContext &, const QRect &, const QPoint &) const { return {}; }
};

// "Today", "Yesterday" or the date, on a line, above the first message of a day.
class DaySeparatorPart final : public TimelinePart {
public:
    int height(const RowContext &row, int rowWidth) const override;
    void paint(QPainter &painter, const RowContext &row, const QRect &rect) const override;
};

// The red "New messages" line above the first unread message.
class UnreadLinePart final : public TimelinePart {
public:
    int height(const RowContext &row, int rowWidth) const override;
    void paint(QPainter &painter, const RowContext &row, const QRect &rect) const override;
};

// The first message of an author's run: avatar, name and time.
class HeaderPart final : public TimelinePart {
public:
    int height(const RowContext &row, int rowWidth) const override;
    void paint(QPainter &painter, const RowContext &row, const QRect &rect) const override;
    // The author's name opens their profile (their picture does too: TimelineDelegate::actionAt).
    PartAction actionAt(const RowContext &row, const QRect &rect, const QPoint &pos) const override;
    // Where authors' pictures come from; none: initials alone.
    void setPictures(AttachmentLoader *pictures) { m_pictures = pictures; }
    // Where the author's picture (or initials) is drawn, beside the header in rect.
    static QRect avatarRect(const QRect &rect)
    {
        return {rect.left() + timeline::kSideMargin, rect.top() + 2, timeline::kAvatarSize, timeline::kAvatarSize};
    }

private:
    AttachmentLoader *m_pictures = nullptr;
};

// The message text, rendered from Markdown once per message and width and kept in a cache;
// beside a continuation line, the time on hover. Links in it are clickable.
class BodyPart final : public TimelinePart {
public:
    explicit BodyPart(const Theme &theme);

    int height(const RowContext &row, int rowWidth) const override;
    void paint(QPainter &painter, const RowContext &row, const QRect &rect) const override;
    PartAction actionAt(const RowContext &row, const QRect &rect, const QPoint &pos) const override;

    // Where the text sits in the part's rect.
    static QRect textRect(const QRect &rect);
    // The message's document laid out at width (owned by the cache).
    QTextDocument *document(const RowContext &row, int width) const;
    void setMyName(const QString &name) { m_myName = name; }
    void invalidate();

private:
    static QString text(const QModelIndex &index);
    static QString cacheKey(const QModelIndex &index);

    const Theme &m_theme;
    QString m_myName;
    mutable QCache<QString, QTextDocument> m_documents;
    mutable QHash<QString, QPair<int, int>> m_heights;   // body key -> (width, height)
};

// "Pinned by Ann" above a pinned message.
class PinnedPart final : public TimelinePart {
public:
    int height(const RowContext &row, int rowWidth) const override;
    void paint(QPainter &painter, const RowContext &row, const QRect &rect) const override;
};

// Above a reply: who wrote the message it answers and how that starts, on one line, or
// "Original message deleted". A click goes to the original.
class ReplyPart final : public TimelinePart {
public:
    int height(const RowContext &row, int rowWidth) const override;
    void paint(QPainter &painter, const RowContext &row, const QRect &rect) const override;
    PartAction actionAt(const RowContext &row, const QRect &rect, const QPoint &pos) const override;
    // The line's text, as drawn before eliding.
    static QString text(const QModelIndex &index);
};

// Below the text: one chip per emoji with its count, tinted when one is the person's, then a
// chip that adds one. A click on a chip toggles the person's reaction; resting on it names who.
class ReactionsPart final : public TimelinePart {
public:
    int height(const RowContext &row, int rowWidth) const override;
    void paint(QPainter &painter, const RowContext &row, const QRect &rect) const override;
    PartAction actionAt(const RowContext &row, const QRect &rect, const QPoint &pos) const override;
    QString toolTipAt(const RowContext &row, const QRect &rect, const QPoint &pos) const override;

    struct Chip {
        QRect rect;
        QString emoji;   // empty for the "add" chip
        QString label;   // the count ("+" for the add chip)
        bool mine = false;
    };
    // Where each chip sits in a part drawn at rect (flowing onto more lines when they do not fit).
    std::vector<Chip> chips(const RowContext &row, const QRect &rect) const;
};

// A send that failed: why, with Retry and Cancel.
class FailurePart final : public TimelinePart {
public:
    int height(const RowContext &row, int rowWidth) const override;
    void paint(QPainter &painter, const RowContext &row, const QRect &rect) const override;
    PartAction actionAt(const RowContext &row, const QRect &rect, const QPoint &pos) const override;

    QRect retryRect(const RowContext &row, const QRect &rect) const;
    QRect cancelRect(const RowContext &row, const QRect &rect) const;
};

} // namespace chatterbox::ui
