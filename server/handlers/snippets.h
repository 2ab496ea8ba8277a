// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "shared/replies.h"

#include <string_view>

namespace chatterbox::server::snippets {

// What ts_headline marks matched words with: characters a message body cannot hold.
inline constexpr char kStartMark = '\x01';
inline constexpr char kStopMark = '\x02';

struct Snippet {
    std::string text;
    std::vector<protocol::TextRange> highlights;
};

// The snippet of a search result: the body, or kSearchSnippetChars of it around the first match
// with "…" where it was cut, and the matched words as UTF-16 ranges in it. `headline` is
// ts_headline's output for the body as indexed: the body with the marks around matched words,
// and a space on each side of every Japanese or Chinese character (chatterbox_search_text).
// A headline that does not fit the body gives no highlights rather than wrong ones.
Snippet fromHeadline(std::string_view body, std::string_view headline);

} // namespace chatterbox::server::snippets
