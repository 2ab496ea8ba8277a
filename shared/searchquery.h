// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "shared/result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// What a person types into search, taken apart: words, "quoted phrases" and filters
// (docs/protocol.md, message.search). The server runs it; the app shows its filters as chips.
namespace chatterbox::protocol {

struct SearchTerm {
    std::string text;
    bool phrase = false;   // "quoted": its words next to each other, in order
    bool prefix = false;   // the last word while typing: matches the words it begins
    bool operator==(const SearchTerm &) const = default;
};

struct SearchDate {
    int year = 0, month = 0, day = 0;
    bool operator==(const SearchDate &) const = default;
};

enum class SearchFilterKind { From, InTopic, InParty, HasLink, HasFile, Before, After, On, MentionsMe };

// One filter as written, where it is in the query (byte offsets), for chips that remove it.
struct SearchFilter {
    SearchFilterKind kind = SearchFilterKind::From;
    std::string value;            // from: a name, a user id or "me"; in: a name (without '#')
    std::optional<SearchDate> date;
    std::size_t begin = 0, end = 0;
};

struct SearchQuery {
    std::vector<SearchTerm> terms;
    std::vector<SearchFilter> filters;

    std::vector<std::string> valuesOf(SearchFilterKind kind) const;
    bool has(SearchFilterKind kind) const;
    std::optional<SearchDate> dateOf(SearchFilterKind kind) const;   // the last one written
};

// Takes a query apart, or says what is wrong with it: too long, a quote left open, a filter
// that does not exist or has no value, a date that is not a day of the calendar.
// The last word is a prefix when nothing (no space) follows it and it has at least
// kMinPrefixChars characters: results follow what is being typed.
Result<SearchQuery> parseSearchQuery(std::string_view query);

// Where a page of results ended, for the next: the last result's time (microseconds since the
// epoch) and id. Clients pass it back as it came ("next"); they do not read it.
struct SearchCursor {
    std::int64_t createdUs = 0;
    std::string messageId;
};
std::string searchCursorText(const SearchCursor &cursor);
std::optional<SearchCursor> parseSearchCursor(std::string_view text);

// The filter names, for error messages and completion: "from", "in", "has", ...
const std::vector<std::string> &searchFilterNames();

} // namespace chatterbox::protocol
