// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/ui/emoji.h"

#include <QFontDatabase>
#include <QFontMetrics>
#include <QHash>
#include <QPainter>
#include <QPixmap>
#include <QPixmapCache>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>

namespace chatterbox::ui {

namespace {

// Code points that are emoji whatever follows them (Unicode's Emoji_Presentation blocks, mostly
// in the supplementary planes), the pieces that join or modify them, and the symbols that are
// text unless U+FE0F follows.
bool isEmojiPresentation(char32_t c)
{
    return (c >= 0x1F300 && c <= 0x1F5FF) || (c >= 0x1F600 && c <= 0x1F64F) || (c >= 0x1F680 && c <= 0x1F6FF)
           || (c >= 0x1F900 && c <= 0x1F9FF) || (c >= 0x1FA70 && c <= 0x1FAFF) || (c >= 0x1F1E6 && c <= 0x1F1FF)
           || (c >= 0x1F004 && c <= 0x1F0CF) || (c >= 0x1F170 && c <= 0x1F251) || (c >= 0x1F7E0 && c <= 0x1F7EB)
           || c == 0x231A || c == 0x231B || (c >= 0x23E9 && c <= 0x23EC) || c == 0x23F0 || c == 0x23F3
           || c == 0x25FD || c == 0x25FE || c == 0x2614 || c == 0x2615 || (c >= 0x2648 && c <= 0x2653) || c == 0x267F
           || c == 0x2693 || c == 0x26A1 || c == 0x26AA || c == 0x26AB || c == 0x26BD || c == 0x26BE || c == 0x26C4
           || c == 0x26C5 || c == 0x26CE || c == 0x26D4 || c == 0x26EA || c == 0x26F2 || c == 0x26F3 || c == 0x26F5
           || c == 0x26FA || c == 0x26FD || c == 0x2705 || c == 0x270A || c == 0x270B || c == 0x2728 || c == 0x274C
           || c == 0x274E || (c >= 0x2753 && c <= 0x2755) || c == 0x2757 || (c >= 0x2795 && c <= 0x2797) || c == 0x27B0
           || c == 0x27BF || c == 0x2B1B || c == 0x2B1C || c == 0x2B50 || c == 0x2B55;
}

bool isJoinerOrModifier(char32_t c)
{
    return c == 0x200D || c == 0xFE0F || c == 0x20E3 || (c >= 0x1F3FB && c <= 0x1F3FF) || (c >= 0xE0020 && c <= 0xE007F);
}

bool canBeEmoji(char32_t c)
{
    // Symbols with an emoji form when U+FE0F asks for it (and keycap bases).
    return (c >= 0x2190 && c <= 0x2BFF) || c == 0x00A9 || c == 0x00AE || c == 0x203C || c == 0x2049 || c == 0x2122
           || c == 0x2139 || c == 0x3030 || c == 0x303D || c == 0x3297 || c == 0x3299 || (c >= '0' && c <= '9') || c == '#'
           || c == '*';
}

} // namespace

QString colorEmojiFamily()
{
    static const QString family = [] {
        const QString noto = QStringLiteral("Noto Color Emoji");
        return QFontDatabase::families().contains(noto) ? noto : QString();
    }();
    return family;
}

namespace {
QFont emojiFont(const QFont &font)
{
    QFont emoji = font;
    if (const QString family = colorEmojiFamily(); !family.isEmpty()) {
        emoji.setFamily(family);
        // Qt 6.4 splits a ZWJ sequence between fonts when it may merge them ("❤️‍🔥" as ❤ and 🔥);
        // from the emoji font alone it is shaped as the one picture it is.
        emoji.setStyleStrategy(QFont::NoFontMerging);
    }
    return emoji;
}

QString emojiKey(const QString &emoji, const QFont &font, qreal dpr)
{
    return QStringLiteral("emoji:%1:%2:%3").arg(emoji, font.key()).arg(dpr);
}
} // namespace

QFont colorEmojiFont(const QFont &font)
{
    return emojiFont(font);
}

int emojiWidth(const QString &emoji, const QFont &font)
{
    static QHash<QString, int> widths;
    const QString key = emojiKey(emoji, font, 1);
    const auto found = widths.constFind(key);
    if (found != widths.constEnd())
        return *found;
    if (widths.size() > 2000)
        widths.clear();
    const int width = QFontMetrics(emojiFont(font)).horizontalAdvance(emoji);
    widths.insert(key, width);
    return width;
}

QPixmap emojiPixmap(const QString &emoji, const QFont &font, qreal devicePixelRatio)
{
    const QString key = emojiKey(emoji, font, devicePixelRatio);
    QPixmap pixmap;
    if (QPixmapCache::find(key, &pixmap))
        return pixmap;
    const QFont drawn = emojiFont(font);
    const QFontMetrics metrics(drawn);
    const QSize size(qMax(1, emojiWidth(emoji, font)), qMax(1, metrics.height()));
    pixmap = QPixmap(size * devicePixelRatio);
    pixmap.setDevicePixelRatio(devicePixelRatio);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setFont(drawn);
    painter.drawText(QRect(QPoint(0, 0), size), Qt::AlignCenter, emoji);
    painter.end();
    QPixmapCache::insert(key, pixmap);
    return pixmap;
}

QList<std::pair<qsizetype, qsizetype>> emojiRanges(const QString &text)
{
    QList<std::pair<qsizetype, qsizetype>> ranges;
    qsizetype i = 0;
    const qsizetype n = text.size();
    const auto codePointAt = [&](qsizetype at, int *length) -> char32_t {
        if (QChar::isHighSurrogate(text.at(at).unicode()) && at + 1 < n && QChar::isLowSurrogate(text.at(at + 1).unicode())) {
            *length = 2;
            return QChar::surrogateToUcs4(text.at(at), text.at(at + 1));
        }
        *length = 1;
        return text.at(at).unicode();
    };
    while (i < n) {
        int length = 0;
        const char32_t c = codePointAt(i, &length);
        int nextLength = 0;
        const bool nextIsVariation = i + length < n && codePointAt(i + length, &nextLength) == 0xFE0F;
        if (!(isEmojiPresentation(c) || (canBeEmoji(c) && nextIsVariation))) {
            i += length;
            continue;
        }
        // The emoji and whatever joins or modifies it, including more emoji after a ZWJ.
        const qsizetype start = i;
        i += length;
        while (i < n) {
            int l = 0;
            const char32_t d = codePointAt(i, &l);
            if (isJoinerOrModifier(d)) {
                i += l;
                if (d == 0x200D && i < n) {
                    codePointAt(i, &l);
                    i += l;   // the emoji after the joiner
                }
                continue;
            }
            // A flag is two regional indicators.
            if (c >= 0x1F1E6 && c <= 0x1F1FF && d >= 0x1F1E6 && d <= 0x1F1FF && i - start == 2) {
                i += l;
                continue;
            }
            break;
        }
        ranges.append({start, i});
    }
    return ranges;
}

void useColorEmoji(QTextDocument &doc)
{
    const QString family = colorEmojiFamily();
    if (family.isEmpty())
        return;
    for (QTextBlock block = doc.begin(); block.isValid(); block = block.next()) {
        const QString text = block.text();
        for (const auto &[start, end] : emojiRanges(text)) {
            QTextCursor cursor(&doc);
            cursor.setPosition(block.position() + static_cast<int>(start));
            cursor.setPosition(block.position() + static_cast<int>(end), QTextCursor::KeepAnchor);
            const QStringList current = cursor.charFormat().fontFamilies().toStringList();
            QTextCharFormat format;
            format.setFontFamilies(QStringList{family} + (current.isEmpty() ? QStringList{doc.defaultFont().family()} : current));
            // Shaped by the emoji font alone, so that ZWJ sequences stay one picture.
            format.setFontStyleStrategy(QFont::NoFontMerging);
            cursor.mergeCharFormat(format);
        }
    }
}

} // namespace chatterbox::ui
