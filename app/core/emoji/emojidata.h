// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The table generate-emoji-data.py writes at build time from Unicode's emoji-test.txt and CLDR's
// annotations, in Unicode's order. Read it through EmojiCatalog.
namespace chatterbox::app::emojidata {

struct Entry {
    const char *emoji;       // UTF-8, fully qualified
    const char *name;        // Unicode's name: "thumbs up"
    const char *shortcode;   // the name as :shortcode: "thumbs_up"
    const char *keywords;    // CLDR's, separated by '|'
    int group;               // index into kGroups
    const char *tones[5];    // light to dark skin tone forms; null when it has none
};

extern const char *const kGroups[];
extern const int kGroupCount;
extern const Entry kEntries[];
extern const int kEntryCount;

} // namespace chatterbox::app::emojidata
