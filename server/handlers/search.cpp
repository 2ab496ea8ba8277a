// SPDX-License-Identifier: GPL-3.0-or-later
// message.search: PostgreSQL full-text search over the messages of the caller's parties
// (server/sql/0008_search.sql; docs/architecture.md, "Search").
#include "server/handlers/handlers.h"

#include "server/handlers/queries.h"
#include "server/handlers/snippets.h"
#include "shared/codec.h"
#include "shared/limits.h"
#include "shared/searchquery.h"
#include "shared/validation.h"

#include <pqxx/pqxx>

#include <algorithm>
#include <chrono>
#include <functional>

namespace chatterbox::server::handlers {

using protocol::ErrorCode;
using protocol::SearchFilterKind;

namespace {

// A statement whose parameters are added as it is written.
struct Statement {
    std::string sql;
    std::vector<std::string> params;

    std::string param(std::string value)
    {
        params.push_back(std::move(value));
        return "$" + std::to_string(params.size());
    }
    pqxx::result run(Tx &tx) const { return tx.exec_params(sql, pqxx::prepare::make_dynamic_params(params)); }
};

// "{"a","b"}": a PostgreSQL array literal of any texts.
std::string textArray(const std::vector<std::string> &values)
{
    std::string out = "{";
    for (std::size_t i = 0; i < values.size(); ++i) {
        out += i ? ",\"" : "\"";
        for (const char c : values[i]) {
            if (c == '"' || c == '\\')
                out += '\\';
            out += c;
        }
        out += '"';
    }
    return out + "}";
}

std::vector<std::string> lowered(std::vector<std::string> values)
{
    for (auto &v : values)
        std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return values;
}

// Days since 1970-01-01 of a calendar date (Howard Hinnant's days_from_civil).
std::int64_t daysFromCivil(const protocol::SearchDate &d)
{
    const int y = d.year - (d.month <= 2 ? 1 : 0);
    const int era = y / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (d.month + (d.month > 2 ? -3 : 9)) + 2) / 5 + d.day - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return static_cast<std::int64_t>(era) * 146097 + doe - 719468;
}

// Where that day begins for the person, in microseconds since the epoch.
std::int64_t dayStartUs(const protocol::SearchDate &date, int utcOffsetMinutes)
{
    return (daysFromCivil(date) * 86400 - std::int64_t(utcOffsetMinutes) * 60) * 1000000;
}

constexpr std::int64_t kDayUs = 86400LL * 1000000;
const char *const kAtMicroseconds = "'epoch'::timestamptz + interval '1 microsecond' * ";

// The topics searched, each with its party: those of the caller's parties, narrowed by the
// request's topicId or partyId and by in:. Empty when the request names a topic or party the
// caller cannot see, like one that does not exist.
std::vector<std::string> topicsInScope(Tx &tx, const RequestContext &ctx, const protocol::SearchMessages &request,
                                       const protocol::SearchQuery &query)
{
    Statement s;
    s.sql = "SELECT t.id FROM topics t JOIN members mb ON mb.party_id = t.party_id AND mb.user_id = " + s.param(ctx.userId);
    if (request.topicId)
        s.sql += " AND t.id = " + s.param(*request.topicId);
    if (request.partyId)
        s.sql += " AND t.party_id = " + s.param(*request.partyId);
    if (const auto names = query.valuesOf(SearchFilterKind::InTopic); !names.empty())
        s.sql += " AND lower(t.name) = ANY(ARRAY(SELECT lower(x) FROM unnest(" + s.param(textArray(names)) + "::text[]) x))";
    if (const auto names = query.valuesOf(SearchFilterKind::InParty); !names.empty())
        s.sql += " AND t.party_id IN (SELECT p.id FROM parties p WHERE lower(p.name) = ANY(ARRAY(SELECT lower(x) FROM unnest(" +
                 s.param(textArray(names)) + "::text[]) x)))";
    std::vector<std::string> ids;
    for (const auto &r : s.run(tx))
        ids.push_back(r[0].as<std::string>());
    return ids;
}

// from: people by name (any letter case), id or "me". Whom they name only narrows the caller's
// own results, so anyone's name may match.
std::vector<std::string> authorsNamed(Tx &tx, const RequestContext &ctx, const std::vector<std::string> &values)
{
    std::vector<std::string> ids, names;
    for (const auto &v : values) {
        if (v == "me")
            ids.push_back(ctx.userId);
        else if (protocol::isUuid(lowered({v}).front()))
            ids.push_back(lowered({v}).front());
        else
            names.push_back(v);
    }
    if (!names.empty()) {
        for (const auto &r : tx.exec_params("SELECT id FROM users WHERE lower(display_name) = ANY(ARRAY(SELECT lower(x) FROM unnest($1::text[]) x))",
                                            textArray(names)))
            ids.push_back(r[0].as<std::string>());
    }
    return ids;
}

// The query's words and phrases as one tsquery, normalised as the index is (accents, case,
// Japanese and Chinese characters one by one). Computed first so that the search's plan is
// made for this query's words (a common word and a rare one are best found differently).
std::string textQuery(Tx &tx, const protocol::SearchQuery &query)
{
    Statement s;
    std::string expression;
    for (const auto &term : query.terms) {
        if (!expression.empty())
            expression += " && ";
        const std::string text = s.param(term.text);
        if (term.prefix)
            expression += "to_tsquery('chatterbox_search', '''' || replace(replace(chatterbox_search_text(" + text +
                          "), '\\', '\\\\'), '''', '''''') || ''':*')";
        else
            expression += "phraseto_tsquery('chatterbox_search', chatterbox_search_text(" + text + "))";
    }
    s.sql = "SELECT q::text, numnode(q) FROM (SELECT " + expression + " AS q) x";
    const auto r = s.run(tx);
    return r[0][1].as<int>() > 0 ? r[0][0].as<std::string>() : std::string();
}

struct Row {
    protocol::SearchHit hit;
    std::int64_t createdUs = 0;
    double rank = 0;
};

std::size_t encodedSize(const protocol::SearchHit &hit)
{
    return nlohmann::json(hit).dump().size() + 1;
}

// How many messages of the whole table the words match, by the planner's statistics: what
// decides how the newest of them are found.
double estimatedMatches(Tx &tx, const std::string &tsquery)
{
    const auto r = tx.exec_params("EXPLAIN (FORMAT JSON) SELECT 1 FROM messages m WHERE m.search_vector @@ $1::tsquery", tsquery);
    const auto plan = nlohmann::json::parse(r[0][0].c_str(), nullptr, false);
    if (!plan.is_array() || plan.empty() || !plan[0].contains("Plan"))
        return 0;
    return plan[0]["Plan"].value("Plan Rows", 0.0);
}

// The topics as the lexemes their messages carry (migration 0008), any of them.
std::string anyTopic(const std::vector<std::string> &topics)
{
    std::string q;
    for (const auto &id : topics)
        q += (q.empty() ? "' topic " : " | ' topic ") + id + "'";
    return "(" + q + ")";
}

// Words this common are found by walking the person's topics newest first, a stretch of time at a
// time, instead of in the index: the index would hand over all of their matches to be sorted.
constexpr double kCommonMatches = 100000;
constexpr double kCommonPrefixMatches = 20000;
// More topics than this are not written into the query (the person is in very many parties):
// the index then finds the word's matches everywhere and the topics are checked on each.
constexpr std::size_t kMaxTopicsInQuery = 2000;
// The stretches, going back from the newest (or the cursor); the last one is all the rest.
constexpr std::int64_t kStretchDays[] = {1, 7, 30, 365};

} // namespace

AnswerTo<protocol::SearchMessages> searchMessages(Tx &tx, const RequestContext &ctx, const protocol::SearchMessages &request)
{
    const auto parsed = protocol::parseSearchQuery(request.query);
    if (!parsed)
        return Outcome::fail(parsed.error().code, parsed.error().message);
    const protocol::SearchQuery &query = parsed.value();
    if (request.topicId && !queries::topicAccess(tx, *request.topicId, ctx.userId))
        return Outcome::fail(ErrorCode::NotFound, "no such topic");
    if (request.partyId && !queries::roleOf(tx, *request.partyId, ctx.userId))
        return Outcome::fail(ErrorCode::NotFound, "no such party");

    // A search that would read too much is stopped rather than hold a reader (error 57014:
    // "unavailable", narrow it).
    tx.exec0("SET LOCAL statement_timeout = " + std::to_string(limits::kSearchStatementTimeoutMs));
    protocol::SearchResults results;
    const auto topics = topicsInScope(tx, ctx, request, query);
    if (topics.empty())
        return Outcome::reply(results);
    std::vector<std::string> authors;
    if (query.has(SearchFilterKind::From)) {
        authors = authorsNamed(tx, ctx, query.valuesOf(SearchFilterKind::From));
        if (authors.empty())
            return Outcome::reply(results);
    }
    std::string tsquery;
    if (!query.terms.empty()) {
        tsquery = textQuery(tx, query);
        if (tsquery.empty() && query.filters.empty())   // only punctuation: no word to look for
            return Outcome::reply(results);
    }
    // A prefix matches many words: GIN then reads their matches into a bitmap first, and with the
    // topics beside it that took seconds. Prefixes check the topics on each match instead, so
    // fewer of those matches are worth reading from the index.
    const bool hasPrefix = std::any_of(query.terms.begin(), query.terms.end(), [](const auto &t) { return t.prefix; });
    const bool topicsInIndex = !hasPrefix && topics.size() <= kMaxTopicsInQuery;
    const bool byIndex = !tsquery.empty() && estimatedMatches(tx, tsquery) <= (topicsInIndex ? kCommonMatches : kCommonPrefixMatches);
    const std::optional<protocol::SearchCursor> cursor =
        request.cursor ? protocol::parseSearchCursor(*request.cursor) : std::nullopt;   // validated on decoding

    // The conditions every way of finding them shares.
    const auto conditions = [&](Statement &s) {
        std::string where = "m.topic_id = ANY(" + s.param(queries::uuidArray(topics)) + "::uuid[]) AND m.deleted_at IS NULL";
        if (!tsquery.empty()) {
            std::string q = s.param(tsquery) + "::tsquery";
            if (byIndex && topicsInIndex)
                q = "(" + q + " && " + s.param(anyTopic(topics)) + "::tsquery)";
            where += " AND m.search_vector @@ " + q;
        }
        if (!authors.empty())
            where += " AND m.author_id = ANY(" + s.param(queries::uuidArray(authors)) + "::uuid[])";
        const auto at = [&](std::int64_t us) { return std::string("(") + kAtMicroseconds + s.param(std::to_string(us)) + "::bigint)"; };
        if (const auto d = query.dateOf(SearchFilterKind::After))
            where += " AND m.created_at >= " + at(dayStartUs(*d, request.utcOffsetMinutes) + kDayUs);
        if (const auto d = query.dateOf(SearchFilterKind::Before))
            where += " AND m.created_at < " + at(dayStartUs(*d, request.utcOffsetMinutes));
        if (const auto d = query.dateOf(SearchFilterKind::On)) {
            where += " AND m.created_at >= " + at(dayStartUs(*d, request.utcOffsetMinutes));
            where += " AND m.created_at < " + at(dayStartUs(*d, request.utcOffsetMinutes) + kDayUs);
        }
        if (query.has(SearchFilterKind::HasLink))
            where += " AND m.body ~* 'https?://'";
        if (query.has(SearchFilterKind::MentionsMe))
            where += " AND m.id IN (SELECT mm.message_id FROM message_mentions mm WHERE mm.user_id = " + s.param(ctx.userId) + ")";
        if (cursor)
            where += " AND (m.created_at, m.id) < (" + at(cursor->createdUs) + ", " + s.param(cursor->messageId) + "::uuid)";
        return where;
    };
    // The page is chosen by time alone, so that the newest matches are found without ranking
    // them all; rank and snippets are computed for the page's rows only.
    const std::size_t wanted = static_cast<std::size_t>(request.limit) + 1;   // one more tells whether there is more
    std::vector<std::string> ids;
    std::optional<protocol::SearchCursor> resumeAt;   // a walk through time that stopped early
    const auto find = [&](const std::function<std::string(Statement &)> &stretch, std::size_t count) {
        Statement s;
        s.sql = "SELECT m.id FROM messages m WHERE " + conditions(s) + stretch(s) +
                " ORDER BY m.created_at DESC, m.id DESC LIMIT " + s.param(std::to_string(count));
        for (const auto &r : s.run(tx))
            ids.push_back(r[0].as<std::string>());
    };
    if (byIndex) {
        find([](Statement &) { return std::string(); }, wanted);
    } else {
        // Newest first, a stretch at a time, until the page is full: common words fill it in the
        // first, a filter alone (from:me) in a few.
        const std::int64_t anchorUs = cursor ? cursor->createdUs
                                             : std::chrono::duration_cast<std::chrono::microseconds>(
                                                   std::chrono::system_clock::now().time_since_epoch()).count();
        std::optional<std::int64_t> newer;   // the stretch's upper end; none for the first
        const auto started = std::chrono::steady_clock::now();
        for (std::size_t i = 0; i <= std::size(kStretchDays) && ids.size() < wanted; ++i) {
            // Long enough: what was found so far, and "next" from where the walk got to.
            if (newer && std::chrono::steady_clock::now() - started > std::chrono::milliseconds(limits::kSearchTimeBudgetMs)) {
                resumeAt = protocol::SearchCursor{*newer, "00000000-0000-0000-0000-000000000000"};
                break;
            }
            std::optional<std::int64_t> older =
                i < std::size(kStretchDays) ? std::optional(anchorUs - kStretchDays[i] * kDayUs) : std::nullopt;
            if (older && *older <= 0)
                older.reset();   // nothing is older than 1970: this stretch is all the rest
            find([&](Statement &s) {
                std::string range;
                if (older)
                    range += " AND m.created_at >= (" + std::string(kAtMicroseconds) + s.param(std::to_string(*older)) + "::bigint)";
                if (newer)
                    range += " AND m.created_at < (" + std::string(kAtMicroseconds) + s.param(std::to_string(*newer)) + "::bigint)";
                return range;
            }, wanted - ids.size());
            newer = older;
        }
    }
    if (ids.empty()) {
        if (resumeAt)
            results.next = protocol::searchCursorText(*resumeAt);
        return Outcome::reply(results);
    }

    Statement s;
    std::string columns = std::string(queries::kMessageColumns) +
                          ", t.party_id, (extract(epoch FROM m.created_at) * 1000000)::bigint AS created_us";
    if (!tsquery.empty()) {
        const std::string q = s.param(tsquery) + "::tsquery";
        const std::string marks = s.param(std::string("HighlightAll=true, StartSel=") + snippets::kStartMark + ", StopSel=" + snippets::kStopMark);
        columns += ", ts_rank(m.search_vector, " + q + ") AS rank"
                   ", ts_headline('chatterbox_search', chatterbox_search_text(m.body), " + q + ", " + marks + ") AS headline";
    }
    s.sql = "SELECT " + columns + " FROM messages m JOIN topics t ON t.id = m.topic_id WHERE m.id = ANY(" +
            s.param(queries::uuidArray(ids)) + "::uuid[]) ORDER BY m.created_at DESC, m.id DESC";
    const auto rows = s.run(tx);

    std::vector<Row> page;
    std::size_t budget = limits::kMaxPageBytes;
    bool more = ids.size() > static_cast<std::size_t>(request.limit);
    for (const auto &r : rows) {
        if (page.size() == static_cast<std::size_t>(request.limit))
            break;
        Row row;
        row.hit.message = queries::messageFromRow(r, r["party_id"].as<std::string>());
        row.createdUs = r["created_us"].as<std::int64_t>();
        const auto snippet = tsquery.empty() ? snippets::fromHeadline(row.hit.message.body, row.hit.message.body)
                                             : snippets::fromHeadline(row.hit.message.body, r["headline"].as<std::string>());
        row.hit.snippet = snippet.text;
        row.hit.highlights = snippet.highlights;
        row.rank = tsquery.empty() ? 0.0 : r["rank"].as<double>();
        const std::size_t size = encodedSize(row.hit);
        if (size > budget && !page.empty()) {
            more = true;
            break;
        }
        budget -= std::min(size, budget);
        page.push_back(std::move(row));
    }
    if (more && !page.empty())
        results.next = protocol::searchCursorText({page.back().createdUs, page.back().hit.message.id});
    else if (resumeAt)
        results.next = protocol::searchCursorText(*resumeAt);
    // Newest first; messages of the same moment (one write) by relevance. The page itself, and
    // where it ends, were chosen by time, so paging stays exact.
    std::stable_sort(page.begin(), page.end(), [](const Row &a, const Row &b) {
        return a.createdUs != b.createdUs ? a.createdUs > b.createdUs : a.rank > b.rank;
    });
    for (auto &row : page)
        results.results.push_back(std::move(row.hit));
    return Outcome::reply(std::move(results));
}

} // namespace chatterbox::server::handlers
