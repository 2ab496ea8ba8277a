// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <vector>

namespace chatterbox::app {

// Every emoji the app offers (Unicode's list, generated at build time: emojidata.h), found by
// name, :shortcode: or keyword, with their skin-tone forms.
struct Emoji {
    QString text;
    QString name;
    QString shortcode;
    QStringList keywords;
    int group = 0;
    QStringList tones;   // five forms, light to dark; empty when it has none

    // This emoji in skin tone 1..5, or as it is for 0 (and for emoji without tones).
    QString withTone(int tone) const;
};

class EmojiCatalog final {
public:
    static const EmojiCatalog &instance();

    const std::vector<Emoji> &all() const { return m_all; }
    const QStringList &groups() const { return m_groups; }
    // The emoji whose text (in any tone) is this; null when none.
    const Emoji *find(const QString &text) const;
    const Emoji *byShortcode(const QString &shortcode) const;

    // Emoji matching every word of the query, best first: a shortcode that starts with it,
    // then a name word, then a keyword; each in Unicode's order. Case does not matter.
    std::vector<const Emoji *> search(const QString &query, int limit = 50) const;

private:
    EmojiCatalog();
    std::vector<Emoji> m_all;
    QStringList m_groups;
};

} // namespace chatterbox::app
