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

std::string lowered(std::string value)
{
    std::transform(value.begin(), value.end(), value.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return value;
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

// The topics searched, and how many messages they hold: those of the caller's parties, narrowed
// by the request's topicId or partyId and by in:. No topics when the request names a topic or
// party the caller cannot see, like one that does not exist.
struct Scope {
    std::vector<std::string> topics;
    double messages = 0;
};

Scope topicsInScope(Tx &tx, const RequestContext &ctx, const protocol::SearchMessages &request, const protocol::SearchQuery &query)
{
    Statement s;
    s.sql = "SELECT t.id, t.last_seq FROM topics t JOIN members mb ON mb.party_id = t.party_id AND mb.user_id = " + s.param(ctx.userId);
    if (request.topicId)
        s.sql += " AND t.id = " + s.param(*request.topicId);
    if (request.partyId)
        s.sql += " AND t.party_id = " + s.param(*request.partyId);
    if (const auto names = query.valuesOf(SearchFilterKind::InTopic); !names.empty())
        s.sql += " AND lower(t.name) = ANY(ARRAY(SELECT lower(x) FROM unnest(" + s.param(textArray(names)) + "::text[]) x))";
    if (const auto names = query.valuesOf(SearchFilterKind::InParty); !names.empty())
        s.sql += " AND t.party_id IN (SELECT p.id FROM parties p WHERE lower(p.name) = ANY(ARRAY(SELECT lower(x) FROM unnest(" +
                 s.param(textArray(names)) + "::text[]) x)))";
    Scope scope;
    for (const auto &r : s.run(tx)) {
        scope.topics.push_back(r[0].as<std::string>());
        scope.messages += r[1].as<double>();
    }
    return scope;
}

// from: people by name (any letter case), id or "me". Whom they name only narrows the caller's
// own results, so anyone's name may match.
std::vector<std::string> authorsNamed(Tx &tx, const RequestContext &ctx, const std::vector<std::string> &values)
{
    std::vector<std::string> ids, names;
    for (const auto &v : values) {
        if (v == "me")
            ids.push_back(ctx.userId);
        else if (protocol::isUuid(lowered(v)))
            ids.push_back(lowered(v));
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

// How many messages of the whole table match, by the planner's statistics: the words (when
// given), and the authors when from: names some. What decides how the newest of them are found.
double estimatedMatches(Tx &tx, const std::string &tsquery, const std::vector<std::string> &authors)
{
    Statement s;
    s.sql = "EXPLAIN (FORMAT JSON) SELECT 1 FROM messages m WHERE true";
    if (!tsquery.empty())
        s.sql += " AND m.search_vector @@ " + s.param(tsquery) + "::tsquery";
    if (!authors.empty())
        s.sql += " AND m.author_id = ANY(" + s.param(queries::uuidArray(authors)) + "::uuid[])";
    const auto r = s.run(tx);
    const auto plan = nlohmann::json::parse(r[0][0].c_str(), nullptr, false);
    if (!plan.is_array() || plan.empty() || !plan[0].contains("Plan"))
        return 0;
    return plan[0]["Plan"].value("Plan Rows", 0.0);
}

// The matches of the words alone, counted in the index (the rows of its Bitmap Index Scan; the
// table is not read). Asked when the statistics say "rare": they know the thousand commonest
// words of the table, and below those a word, or a prefix of several of them, is estimated at a
// guess (docs/performance.md, "Search"). Without the nodes looked for, the estimate stands.
double countedMatches(Tx &tx, const std::string &tsquery, double estimate)
{
    // LIMIT 1 ends the reading of the table at the first match; without a sequential scan (which
    // a LIMIT 1 of a word thought common enough would choose) the index is read in full first.
    tx.exec0("SET LOCAL enable_seqscan = off");
    const auto r = tx.exec_params("EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) SELECT 1 FROM messages m"
                                  " WHERE m.search_vector @@ $1::tsquery LIMIT 1", tsquery);
    tx.exec0("SET LOCAL enable_seqscan = on");
    const auto plan = nlohmann::json::parse(r[0][0].c_str(), nullptr, false);
    std::function<double(const nlohmann::json &)> scanRows = [&](const nlohmann::json &node) -> double {
        if (node.value("Node Type", std::string()) == "Bitmap Index Scan")
            return node.value("Actual Rows", -1.0);
        for (const auto &child : node.value("Plans", nlohmann::json::array()))
            if (const double rows = scanRows(child); rows >= 0)
                return rows;
        return -1;
    };
    const double rows = plan.is_array() && !plan.empty() && plan[0].contains("Plan") ? scanRows(plan[0]["Plan"]) : -1;
    return rows >= 0 ? rows : estimate;
}

// How many messages the rarest entry of the search index that a search with from: intersects
// holds, by the statistics: each lexeme of the query alone, or the authors' (given).
double shortestEntry(Tx &tx, const std::string &tsquery, double authorsEntry)
{
    double shortest = authorsEntry;
    // The lexemes of the query's text, as PostgreSQL writes them: 'word' or 'word':* with any
    // quote in the word doubled.
    for (std::size_t at = tsquery.find('\''); at != std::string::npos; at = tsquery.find('\'', at)) {
        std::size_t end = at + 1;
        while (end < tsquery.size() && (tsquery[end] != '\'' || (end + 1 < tsquery.size() && tsquery[end + 1] == '\'')))
            end += tsquery[end] == '\'' ? 2 : 1;
        if (end >= tsquery.size())
            break;
        std::string lexeme = tsquery.substr(at, end + 1 - at);
        if (tsquery.compare(end + 1, 2, ":*") == 0)
            lexeme += ":*";
        shortest = std::min(shortest, estimatedMatches(tx, lexeme, {}));
        at = end + 1;
    }
    return shortest;
}

// Messages in the whole table, by the statistics; what the scope holds when they have none.
double storedMessages(Tx &tx, double fallback)
{
    const double n = tx.exec1("SELECT reltuples FROM pg_class WHERE oid = 'messages'::regclass")[0].as<double>();
    return n > 0 ? n : fallback;
}

// The topics as the lexemes their messages carry (migration 0008), any of them.
std::string anyTopic(const std::vector<std::string> &topics)
{
    std::string q;
    for (const auto &id : topics)
        q += (q.empty() ? "' topic " : " | ' topic ") + id + "'";
    return "(" + q + ")";
}

// Estimates at or below this many matches are counted (without from:; with it, counting would
// cost as much as finding them).
constexpr double kCountBelow = 20000;
// A phrase of words that are each common is rarer than the words together, which is what the
// statistics estimate: about a tenth of them on the bench's chat text. The walk, which looks
// for the phrase, is planned for that share; the index reads all of them.
constexpr double kPhraseShare = 0.1;
// Two ways to find the newest matches (docs/performance.md, "Search"):
// - the index: every match of the words (of the authors' messages, with from:) is read from the
//   table, checked against the topics and sorted; the cost is the number of matches.
// - the walk: the person's topics newest first, a stretch of time at a time, each message
//   checked; the cost is how far back the page's matches are, about page / frequency.
// Each match read through the index costs about this many messages walked (a random read of the
// table against the newest rows, which are in the cache).
constexpr double kIndexReadCost = 5;
// And each entry of the index's shortest list that the authors' intersection goes through (a
// phrase of two common words by one person: 70 ms for the 200,000 of the author's entry, about
// what a walk takes for 20,000 messages).
constexpr double kEntryCost = 0.1;
// Up to this many topics are written into the index's query (their lexemes, migration 0008), so
// that it finds the matches of those topics alone. With more, a GIN scan checks an OR of them for
// every match, which measured slower than reading the matches from the table.
constexpr std::size_t kMaxTopicsInIndex = 4;
// The walk's first stretch, back from the newest (or the cursor); each next one is sized by the
// matches found so far, and at least twice as long, so a walk reads not much more than its page
// needs, and few stretches when the words are rare.
constexpr std::int64_t kFirstStretchUs = 6LL * 3600 * 1000000;
constexpr int kMaxStretches = 16;   // then the rest, at once (16 doublings cover 45 years)

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
    const Scope scope = topicsInScope(tx, ctx, request, query);
    const std::vector<std::string> &topics = scope.topics;
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
    // The index or the walk, whichever reads fewer messages by the statistics (see the
    // constants above). Filters alone (from:me) walk: the index would hand over every message of
    // the person to be sorted.
    const bool topicsInIndex = topics.size() <= kMaxTopicsInIndex;
    bool byIndex = false;
    if (!tsquery.empty()) {
        const double everywhere = storedMessages(tx, scope.messages);
        double matches = estimatedMatches(tx, tsquery, authors);
        if (authors.empty() && matches <= kCountBelow)
            matches = countedMatches(tx, tsquery, matches);
        matches = std::max(1.0, matches);
        const bool phrase = tsquery.find("<->") != std::string::npos;   // words next to each other
        const double read = topicsInIndex ? matches * std::min(1.0, scope.messages / everywhere) : matches;
        double walked = static_cast<double>(request.limit + 1) * everywhere / (phrase ? std::max(1.0, matches * kPhraseShare) : matches);
        double walkable = scope.messages;
        double intersected = 0;
        // With from:, the walk goes through the authors' messages of those topics alone
        // (messages_by_author_topic_time, migration 0012): the authors' share of them. The
        // index intersects the authors' entry with the words' in GIN, which costs about as much
        // as the shortest of those lists, however few messages have them all.
        if (!authors.empty()) {
            const double byAuthors = estimatedMatches(tx, {}, authors);
            const double share = std::min(1.0, byAuthors / std::max(1.0, everywhere));
            walked *= share;
            walkable *= share;
            intersected = shortestEntry(tx, tsquery, byAuthors);
        }
        walked = std::min(walked, walkable);
        byIndex = read * kIndexReadCost + intersected * kEntryCost < walked;
    }
    const std::optional<protocol::SearchCursor> cursor =
        request.cursor ? protocol::parseSearchCursor(*request.cursor) : std::nullopt;   // validated on decoding

    // The conditions every way of finding them shares.
    const auto conditions = [&](Statement &s) {
        std::string where = "m.topic_id = ANY(" + s.param(queries::uuidArray(topics)) + "::uuid[]) AND m.deleted_at IS NULL";
        if (!tsquery.empty()) {
            std::string q = s.param(tsquery) + "::tsquery";
            if (byIndex && topicsInIndex)
                where += " AND m.search_vector @@ (" + q + " && " + s.param(anyTopic(topics)) + "::tsquery)";
            else
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
        if (query.has(SearchFilterKind::HasFile))
            where += " AND EXISTS (SELECT 1 FROM files f WHERE f.message_id = m.id)";
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
        // The walk checks the words on each message it passes. GIN is read by bitmaps alone, so
        // with those off PostgreSQL cannot choose to read every match of a common word (or every
        // message of an author) from the search index first, which it would for each stretch.
        tx.exec0("SET LOCAL enable_bitmapscan = off");
        // Newest first, a stretch at a time, until the page is full: common words fill it in the
        // first, rarer ones in a few.
        const std::int64_t anchorUs = cursor ? cursor->createdUs
                                             : std::chrono::duration_cast<std::chrono::microseconds>(
                                                   std::chrono::system_clock::now().time_since_epoch()).count();
        std::optional<std::int64_t> newer;   // the stretch's upper end; none for the first
        std::int64_t span = kFirstStretchUs;
        const auto started = std::chrono::steady_clock::now();
        for (int i = 0; i <= kMaxStretches && ids.size() < wanted; ++i) {
            // Long enough: what was found so far, and "next" from where the walk got to.
            if (newer && std::chrono::steady_clock::now() - started > std::chrono::milliseconds(limits::kSearchTimeBudgetMs)) {
                resumeAt = protocol::SearchCursor{*newer, "00000000-0000-0000-0000-000000000000"};
                break;
            }
            std::optional<std::int64_t> older = i < kMaxStretches ? std::optional(newer.value_or(anchorUs) - span) : std::nullopt;
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
            if (!older)
                break;
            newer = older;
            // The next stretch as long as the matches found so far say the rest of the page needs
            // (and a third more), at least twice and at most eight times the last one.
            const double covered = static_cast<double>(anchorUs - *older);
            const double needed = ids.empty() ? 0 : covered * static_cast<double>(wanted - ids.size()) / static_cast<double>(ids.size()) * 4 / 3;
            span = std::clamp(static_cast<std::int64_t>(needed), span * 2, span * 8);
        }
        tx.exec0("SET LOCAL enable_bitmapscan = on");
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
