// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>

#include <utility>

class QFont;
class QPixmap;
class QTextDocument;

namespace chatterbox::ui {

// The colour emoji font the app prefers (Noto Color Emoji, from fonts-noto-color-emoji), or an
// empty string when it is not installed.
QString colorEmojiFamily();

// Where text shows emoji: the ranges [start, end) of emoji and emoji sequences (skin tones, ZWJ
// sequences, flags, keycaps, and symbols asked to look like emoji with U+FE0F).
QList<std::pair<qsizetype, qsizetype>> emojiRanges(const QString &text);

// font, drawing from the colour emoji font alone (ZWJ sequences shaped as one picture); font
// itself when that font is not installed.
QFont colorEmojiFont(const QFont &font);

// One emoji drawn in the colour emoji font at font's size, as a picture kept in a cache: the
// font's glyphs are PNG images, decoded every time they are drawn as text, which a timeline
// with a reaction on every tenth message would pay on each frame.
QPixmap emojiPixmap(const QString &emoji, const QFont &font, qreal devicePixelRatio);
// Its width in font (as emojiPixmap draws it).
int emojiWidth(const QString &emoji, const QFont &font);

// Draws every emoji of the document from the colour emoji font, ahead of the text font (which
// may have a monochrome glyph for some of them, as DejaVu Sans has for ❤ and ☺).
void useColorEmoji(QTextDocument &doc);

} // namespace chatterbox::ui
