// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/handlers/snippets.h"

#include "shared/limits.h"

#include <algorithm>

namespace chatterbox::server::snippets {

namespace {

struct ByteRange {
    std::size_t begin = 0, end = 0;
};

bool isContinuation(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

// The marked words, as byte ranges of the body; ranges that touch (a phrase of Japanese
// characters, each marked alone) become one.
std::vector<ByteRange> markedRanges(std::string_view body, std::string_view headline)
{
    std::vector<ByteRange> ranges;
    std::size_t i = 0;
    std::size_t open = std::string_view::npos;
    for (std::size_t j = 0; j < headline.size(); ++j) {
        const char c = headline[j];
        if (c == kStartMark) {
            open = i;
        } else if (c == kStopMark) {
            if (open == std::string_view::npos)
                return {};
            if (!ranges.empty() && ranges.back().end == open)
                ranges.back().end = i;
            else if (i > open)
                ranges.push_back({open, i});
            open = std::string_view::npos;
        } else if (i < body.size() && body[i] == c) {
            ++i;
        } else if (c != ' ') {
            return {};   // not the body's headline
        }
    }
    return i == body.size() ? ranges : std::vector<ByteRange>{};
}

int utf16Units(std::string_view text)
{
    int units = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (isContinuation(c))
            continue;
        units += c >= 0xF0 ? 2 : 1;   // four-byte sequences are surrogate pairs in UTF-16
    }
    return units;
}

// The byte offset `count` code points before (negative) or after `from`, within the text.
std::size_t moveBy(std::string_view text, std::size_t from, long count)
{
    std::size_t at = from;
    for (; count > 0 && at < text.size(); --count)
        for (++at; at < text.size() && isContinuation(static_cast<unsigned char>(text[at]));)
            ++at;
    for (; count < 0 && at > 0; ++count)
        for (--at; at > 0 && isContinuation(static_cast<unsigned char>(text[at]));)
            --at;
    return at;
}

} // namespace

Snippet fromHeadline(std::string_view body, std::string_view headline)
{
    const auto ranges = markedRanges(body, headline);
    constexpr long kWindow = static_cast<long>(limits::kSearchSnippetChars);
    constexpr long kBefore = kWindow / 4;   // context before the first match
    std::size_t begin = 0;
    std::size_t end = moveBy(body, 0, kWindow);
    if (end < body.size() && !ranges.empty() && ranges.front().end > end) {
        begin = moveBy(body, ranges.front().begin, -kBefore);
        end = moveBy(body, begin, kWindow);
        if (end == body.size())
            begin = moveBy(body, end, -kWindow);
    }
    Snippet snippet;
    const std::string prefix = begin > 0 ? "…" : "";
    snippet.text = prefix + std::string(body.substr(begin, end - begin)) + (end < body.size() ? "…" : "");
    const int shift = utf16Units(prefix);
    for (const auto &r : ranges) {
        const std::size_t from = std::max(r.begin, begin);
        const std::size_t to = std::min(r.end, end);
        if (from >= to)
            continue;
        snippet.highlights.push_back({shift + utf16Units(body.substr(begin, from - begin)), utf16Units(body.substr(from, to - from))});
    }
    return snippet;
}

} // namespace chatterbox::server::snippets
