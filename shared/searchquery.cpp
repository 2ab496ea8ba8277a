// SPDX-License-Identifier: GPL-3.0-or-later
#include "shared/searchquery.h"

#include "shared/limits.h"
#include "shared/validation.h"

#include <algorithm>
#include <cctype>

namespace chatterbox::protocol {

namespace {

Error invalid(std::string message)
{
    return makeError(ErrorCode::InvalidRequest, std::move(message));
}

// ASCII white space and the ideographic space (U+3000, what a Japanese or Chinese keyboard types).
std::size_t spaceAt(std::string_view text, std::size_t i)
{
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
        return 1;
    if (text.substr(i, 3) == "\xE3\x80\x80")
        return 3;
    return 0;
}

bool isLeapYear(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

std::optional<SearchDate> parseDate(std::string_view text)
{
    if (text.size() != 10 || text[4] != '-' || text[7] != '-')
        return std::nullopt;
    for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u})
        if (!std::isdigit(static_cast<unsigned char>(text[i])))
            return std::nullopt;
    const auto number = [&](std::size_t at, std::size_t n) {
        int v = 0;
        for (std::size_t i = at; i < at + n; ++i)
            v = v * 10 + (text[i] - '0');
        return v;
    };
    const SearchDate date{number(0, 4), number(5, 2), number(8, 2)};
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (date.year < 1970 || date.month < 1 || date.month > 12 || date.day < 1)
        return std::nullopt;
    const int inMonth = days[date.month - 1] + (date.month == 2 && isLeapYear(date.year) ? 1 : 0);
    if (date.day > inMonth)
        return std::nullopt;
    return date;
}

std::string lower(std::string_view text)
{
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

// "name:" at the start of a word: a filter if the name is all ASCII letters and what follows
// is not "//" (a link such as https://example.org is a word).
std::optional<std::string> filterNameOf(std::string_view word)
{
    const auto colon = word.find(':');
    if (colon == std::string_view::npos || colon == 0)
        return std::nullopt;
    for (std::size_t i = 0; i < colon; ++i)
        if (!std::isalpha(static_cast<unsigned char>(word[i])))
            return std::nullopt;
    if (word.substr(colon + 1, 2) == "//")
        return std::nullopt;
    return lower(word.substr(0, colon));
}

std::string filterList()
{
    std::string list;
    const auto &names = searchFilterNames();
    for (std::size_t i = 0; i < names.size(); ++i)
        list += (i == 0 ? "" : i + 1 == names.size() ? " and " : ", ") + names[i] + ":";
    return list;
}

std::optional<Error> addFilter(SearchQuery &query, const std::string &name, std::string value, std::size_t begin, std::size_t end)
{
    if (value.empty())
        return invalid(name + ": needs a value, as in " + name + (name == "from" ? ":me" : name == "in" ? ":#general" : name == "has" ? ":link" : name == "mentions" ? ":me" : ":2026-01-31"));
    SearchFilter filter;
    filter.begin = begin;
    filter.end = end;
    if (name == "from") {
        filter.kind = SearchFilterKind::From;
        filter.value = value.front() == '@' ? value.substr(1) : value;
        if (filter.value.empty())
            return invalid("from: needs a name after the @");
    } else if (name == "in") {
        filter.kind = value.front() == '#' ? SearchFilterKind::InTopic : SearchFilterKind::InParty;
        filter.value = value.front() == '#' ? value.substr(1) : value;
        if (filter.value.empty())
            return invalid("in: needs a topic's name after the #");
    } else if (name == "has") {
        if (lower(value) == "link") {
            filter.kind = SearchFilterKind::HasLink;
            filter.value = "link";
        } else if (lower(value) == "file") {
            filter.kind = SearchFilterKind::HasFile;
            filter.value = "file";
        } else {
            return invalid("has: takes link or file (has:link, has:file), not \"" + value + "\"");
        }
    } else if (name == "mentions") {
        if (lower(value) != "me")
            return invalid("mentions: takes me (mentions:me), not \"" + value + "\"");
        filter.kind = SearchFilterKind::MentionsMe;
        filter.value = "me";
    } else {
        filter.kind = name == "before" ? SearchFilterKind::Before : name == "after" ? SearchFilterKind::After : SearchFilterKind::On;
        filter.date = parseDate(value);
        if (!filter.date)
            return invalid(name + ": \"" + value + "\" is not a date; write it as YYYY-MM-DD, as in " + name + ":2026-01-31");
        filter.value = value;
    }
    query.filters.push_back(std::move(filter));
    return std::nullopt;
}

} // namespace

std::string searchCursorText(const SearchCursor &cursor)
{
    return std::to_string(cursor.createdUs) + "_" + cursor.messageId;
}

std::optional<SearchCursor> parseSearchCursor(std::string_view text)
{
    const auto underscore = text.find('_');
    if (underscore == std::string_view::npos || underscore == 0 || underscore > 18)
        return std::nullopt;
    SearchCursor cursor;
    for (std::size_t i = 0; i < underscore; ++i) {
        if (!std::isdigit(static_cast<unsigned char>(text[i])))
            return std::nullopt;
        cursor.createdUs = cursor.createdUs * 10 + (text[i] - '0');
    }
    cursor.messageId = std::string(text.substr(underscore + 1));
    if (!isUuid(cursor.messageId))
        return std::nullopt;
    return cursor;
}

const std::vector<std::string> &searchFilterNames()
{
    static const std::vector<std::string> names = {"from", "in", "has", "before", "after", "on", "mentions"};
    return names;
}

std::vector<std::string> SearchQuery::valuesOf(SearchFilterKind kind) const
{
    std::vector<std::string> values;
    for (const auto &f : filters)
        if (f.kind == kind)
            values.push_back(f.value);
    return values;
}

bool SearchQuery::has(SearchFilterKind kind) const
{
    return std::any_of(filters.begin(), filters.end(), [&](const auto &f) { return f.kind == kind; });
}

std::optional<SearchDate> SearchQuery::dateOf(SearchFilterKind kind) const
{
    std::optional<SearchDate> date;
    for (const auto &f : filters)
        if (f.kind == kind)
            date = f.date;
    return date;
}

Result<SearchQuery> parseSearchQuery(std::string_view text)
{
    if (!isValidUtf8(text))
        return invalid("the search is not valid UTF-8");
    for (const char c : text)
        if ((static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == '\x7f')
            return invalid("the search must not contain control characters");
    if (codePointCount(text) > limits::kMaxSearchQueryChars)
        return invalid("the search is longer than " + std::to_string(limits::kMaxSearchQueryChars) + " characters");
    SearchQuery query;
    bool lastIsWord = false;
    std::size_t i = 0;
    while (i < text.size()) {
        if (const std::size_t space = spaceAt(text, i)) {
            i += space;
            lastIsWord = false;
            continue;
        }
        const std::size_t begin = i;
        if (text[i] == '"') {
            const auto close = text.find('"', i + 1);
            if (close == std::string_view::npos)
                return invalid("a quote is not closed: add the closing \" or take the opening one out");
            const std::string phrase = trimmed(text.substr(i + 1, close - i - 1));
            if (!phrase.empty())
                query.terms.push_back({phrase, true, false});
            i = close + 1;
            lastIsWord = false;
            continue;
        }
        // A word runs to the next space or quote; "name:" followed by a quote takes the quoted value.
        std::size_t end = i;
        while (end < text.size() && !spaceAt(text, end) && text[end] != '"')
            ++end;
        const std::string_view word = text.substr(i, end - i);
        if (const auto name = filterNameOf(word)) {
            if (std::find(searchFilterNames().begin(), searchFilterNames().end(), *name) == searchFilterNames().end())
                return invalid("there is no filter \"" + std::string(word.substr(0, word.find(':') + 1)) + "\"; the filters are " +
                               filterList() + " (put a word in quotes to search for it as it is)");
            std::string value(word.substr(word.find(':') + 1));
            if (value.empty() && end < text.size() && text[end] == '"') {
                const auto close = text.find('"', end + 1);
                if (close == std::string_view::npos)
                    return invalid("a quote is not closed: add the closing \" or take the opening one out");
                value = trimmed(text.substr(end + 1, close - end - 1));
                end = close + 1;
            }
            if (auto error = addFilter(query, *name, std::move(value), begin, end))
                return *error;
            lastIsWord = false;
        } else {
            query.terms.push_back({std::string(word), false, false});
            lastIsWord = true;
        }
        i = end;
    }
    if (query.terms.size() > limits::kMaxSearchTerms)
        return invalid("the search has more than " + std::to_string(limits::kMaxSearchTerms) + " words and phrases");
    if (query.terms.empty() && query.filters.empty())
        return invalid("the search is empty: type a word, a \"phrase\" or a filter such as from:me");
    if (lastIsWord && codePointCount(query.terms.back().text) >= limits::kMinPrefixChars)
        query.terms.back().prefix = true;
    return query;
}

} // namespace chatterbox::protocol
