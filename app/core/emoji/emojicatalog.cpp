// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/core/emoji/emojicatalog.h"

#include "app/core/emoji/emojidata.h"

#include <QRegularExpression>

#include <algorithm>

namespace chatterbox::app {

namespace {

// How well one query word fits an emoji: 3 its shortcode starts with it, 2 a word of its name
// does, 1 a keyword does, 0 not at all.
int fit(const Emoji &emoji, const QString &word)
{
    if (emoji.shortcode.startsWith(word))
        return 3;
    for (const auto &part : emoji.name.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        if (part.startsWith(word))
            return 2;
    }
    for (const auto &keyword : emoji.keywords) {
        if (keyword.startsWith(word))
            return 1;
    }
    return 0;
}

} // namespace

QString Emoji::withTone(int tone) const
{
    if (tone < 1 || tone > tones.size())
        return text;
    return tones.at(tone - 1);
}

const EmojiCatalog &EmojiCatalog::instance()
{
    static const EmojiCatalog catalog;   // read-only data, built once on first use
    return catalog;
}

EmojiCatalog::EmojiCatalog()
{
    for (int g = 0; g < emojidata::kGroupCount; ++g)
        m_groups << QString::fromUtf8(emojidata::kGroups[g]);
    m_all.reserve(static_cast<std::size_t>(emojidata::kEntryCount));
    for (int i = 0; i < emojidata::kEntryCount; ++i) {
        const auto &e = emojidata::kEntries[i];
        Emoji emoji;
        emoji.text = QString::fromUtf8(e.emoji);
        emoji.name = QString::fromUtf8(e.name);
        emoji.shortcode = QString::fromUtf8(e.shortcode);
        emoji.keywords = QString::fromUtf8(e.keywords).split(QLatin1Char('|'), Qt::SkipEmptyParts);
        emoji.group = e.group;
        if (e.tones[0]) {
            for (const char *tone : e.tones)
                emoji.tones << QString::fromUtf8(tone ? tone : e.emoji);
        }
        m_all.push_back(std::move(emoji));
    }
}

const Emoji *EmojiCatalog::find(const QString &text) const
{
    for (const auto &e : m_all) {
        if (e.text == text || e.tones.contains(text))
            return &e;
    }
    return nullptr;
}

const Emoji *EmojiCatalog::byShortcode(const QString &shortcode) const
{
    for (const auto &e : m_all) {
        if (e.shortcode == shortcode)
            return &e;
    }
    return nullptr;
}

std::vector<const Emoji *> EmojiCatalog::search(const QString &query, int limit) const
{
    const QStringList words = query.toLower().split(QRegularExpression(QStringLiteral("[\\s:_]+")), Qt::SkipEmptyParts);
    std::vector<std::pair<int, const Emoji *>> found;
    if (words.isEmpty())
        return {};
    for (const auto &e : m_all) {
        int score = 0;
        for (const auto &word : words) {
            const int f = fit(e, word);
            if (f == 0) {
                score = 0;
                break;
            }
            score += f;
        }
        if (score > 0)
            found.emplace_back(score, &e);
    }
    std::stable_sort(found.begin(), found.end(), [](const auto &a, const auto &b) { return a.first > b.first; });
    std::vector<const Emoji *> out;
    for (const auto &[score, e] : found) {
        if (static_cast<int>(out.size()) == limit)
            break;
        out.push_back(e);
    }
    return out;
}

} // namespace chatterbox::app
