// SPDX-License-Identifier: GPL-3.0-or-later
// What a person types into search, taken apart; and the snippets of its results.

#include "server/handlers/snippets.h"
#include "shared/limits.h"
#include "shared/searchquery.h"

#include <QTest>

using namespace chatterbox;
using namespace chatterbox::protocol;

namespace {

QString errorOf(const char *query)
{
    const auto parsed = parseSearchQuery(query);
    return parsed ? QString() : QString::fromStdString(parsed.error().message);
}

// The snippet with its highlights in [brackets], to compare at a glance.
QString marked(const server::snippets::Snippet &snippet)
{
    QString text = QString::fromStdString(snippet.text);
    for (auto it = snippet.highlights.rbegin(); it != snippet.highlights.rend(); ++it) {
        text.insert(it->start + it->length, QLatin1Char(']'));
        text.insert(it->start, QLatin1Char('['));
    }
    return text;
}

} // namespace

class TestSearchQuery : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void words_phrases_andThePrefixBeingTyped()
    {
        const auto q = parseSearchQuery("deploy \"release notes\" tomor");
        QVERIFY(q);
        const std::vector<SearchTerm> expected = {{"deploy", false, false}, {"release notes", true, false}, {"tomor", false, true}};
        QVERIFY(q.value().terms == expected);
        // A space after the last word: it is complete. Two letters are too few for a prefix.
        QVERIFY(!parseSearchQuery("deploy tomor ").value().terms.back().prefix);
        QVERIFY(!parseSearchQuery("deploy to").value().terms.back().prefix);
        QVERIFY(!parseSearchQuery("\"release notes\"").value().terms.back().prefix);
        // A filter last: the word before it is not being typed.
        QVERIFY(!parseSearchQuery("deploy from:me").value().terms.back().prefix);
        // The ideographic space separates words too.
        QCOMPARE(parseSearchQuery("会議\xE3\x80\x80資料").value().terms.size(), std::size_t(2));
    }

    void filters_takenApart()
    {
        const auto q = parseSearchQuery("from:@Ada from:\"Bruno Novak\" in:#General in:\"Book club\" has:LINK has:File mentions:me "
                                        "after:2026-01-31 before:2026-02-28 on:2024-02-29 word");
        QVERIFY2(q, qPrintable(errorOf("")));
        const auto &query = q.value();
        QVERIFY((query.valuesOf(SearchFilterKind::From) == std::vector<std::string>{"Ada", "Bruno Novak"}));
        QVERIFY((query.valuesOf(SearchFilterKind::InTopic) == std::vector<std::string>{"General"}));
        QVERIFY((query.valuesOf(SearchFilterKind::InParty) == std::vector<std::string>{"Book club"}));
        QVERIFY(query.has(SearchFilterKind::HasLink));
        QVERIFY(query.has(SearchFilterKind::HasFile));
        QVERIFY(query.has(SearchFilterKind::MentionsMe));
        QVERIFY((query.dateOf(SearchFilterKind::After) == SearchDate{2026, 1, 31}));
        QVERIFY((query.dateOf(SearchFilterKind::Before) == SearchDate{2026, 2, 28}));
        QVERIFY((query.dateOf(SearchFilterKind::On) == SearchDate{2024, 2, 29}));
        QCOMPARE(query.terms.size(), std::size_t(1));
        // Where each filter is, for a chip that takes it out again.
        const std::string text = "a from:\"Bruno Novak\" b";
        const auto located = parseSearchQuery(text).value().filters.front();
        QCOMPARE(QString::fromStdString(text.substr(located.begin, located.end - located.begin)), QStringLiteral("from:\"Bruno Novak\""));
        // Links and times are words, not filters; filters alone are a search.
        QCOMPARE(parseSearchQuery("https://example.org/x 12:30").value().terms.size(), std::size_t(2));
        QVERIFY(parseSearchQuery("from:me").value().terms.empty());
    }

    void badQueries_sayWhatIsWrong_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("says");
        QTest::newRow("empty") << "" << "empty";
        QTest::newRow("spaces") << "   \t " << "empty";
        QTest::newRow("open quote") << "say \"hello" << "quote is not closed";
        QTest::newRow("open quoted value") << "from:\"Ada" << "quote is not closed";
        QTest::newRow("unknown filter") << "colour:red" << "no filter \"colour:\"";
        QTest::newRow("no value") << "from:" << "from: needs a value";
        QTest::newRow("bare at") << "from:@" << "needs a name";
        QTest::newRow("bare hash") << "in:#" << "needs a topic";
        QTest::newRow("has what") << "has:pdf" << "has: takes link or file";
        QTest::newRow("mentions whom") << "mentions:bob" << "mentions: takes me";
        QTest::newRow("not a date") << "before:yesterday" << "is not a date";
        QTest::newRow("no such day") << "on:2025-02-29" << "is not a date";
        QTest::newRow("month 13") << "after:2026-13-01" << "is not a date";
        QTest::newRow("too long") << QString(501, QLatin1Char('a')) << "longer than 500";
        QTest::newRow("control character") << "from:\"a\x01b\"" << "control characters";
        QTest::newRow("too many terms") << QString("a ").repeated(33) << "more than 32";
    }
    void badQueries_sayWhatIsWrong()
    {
        QFETCH(QString, query);
        QFETCH(QString, says);
        const QString error = errorOf(query.toUtf8().constData());
        QVERIFY2(error.contains(says), qPrintable(error));
    }

    void notUtf8_isRefused()
    {
        QVERIFY(errorOf("\xff\xfe").contains(QStringLiteral("UTF-8")));
    }

    void cursor_roundTripsAndRefusesForgeries()
    {
        const SearchCursor cursor{1764633600123456, "0b7e4a0c-1f9e-4d44-8c27-7d1f5b2a9c30"};
        const auto back = parseSearchCursor(searchCursorText(cursor));
        QVERIFY(back);
        QCOMPARE(back->createdUs, cursor.createdUs);
        QCOMPARE(back->messageId, cursor.messageId);
        for (const char *bad : {"", "_", "12_", "_0b7e4a0c-1f9e-4d44-8c27-7d1f5b2a9c30", "x1_0b7e4a0c-1f9e-4d44-8c27-7d1f5b2a9c30",
                                "1_0b7e4a0c", "99999999999999999999_0b7e4a0c-1f9e-4d44-8c27-7d1f5b2a9c30", "1_'; DROP TABLE x"})
            QVERIFY2(!parseSearchCursor(bad), bad);
    }

    void snippet_marksTheMatchedWords()
    {
        using server::snippets::fromHeadline;
        QCOMPARE(marked(fromHeadline("Café at noon", "\x01" "Café\x02 at noon")), QStringLiteral("[Café] at noon"));
        // Japanese as indexed: a space around every character; a phrase of them is one range.
        QCOMPARE(marked(fromHeadline("東京で会議", " 東  京 で \x01会\x02  \x01議\x02 ")), QStringLiteral("東京で[会議]"));
        // An emoji before the match counts two UTF-16 units.
        QCOMPARE(marked(fromHeadline("😀 ok", "😀 \x01ok\x02")), QStringLiteral("😀 [ok]"));
        // A headline of some other text gives no highlights, never wrong ones.
        QVERIFY(fromHeadline("abc", "\x01xyz\x02").highlights.empty());
        QVERIFY(fromHeadline("abc", "\x02" "abc").highlights.empty());
    }

    void snippet_ofALongBody_isCutAroundTheFirstMatch()
    {
        using server::snippets::fromHeadline;
        const std::string before(500, 'x'), after(500, 'y');
        const std::string body = before + " needle " + after;
        const auto snippet = fromHeadline(body, before + " \x01needle\x02 " + after);
        const QString text = QString::fromStdString(snippet.text);
        QVERIFY(text.startsWith(QStringLiteral("…")));
        QVERIFY(text.endsWith(QStringLiteral("…")));
        QCOMPARE(text.size(), int(limits::kSearchSnippetChars) + 2);
        QCOMPARE(marked(snippet).count(QStringLiteral("[needle]")), 1);
        // A short body is the snippet as it is.
        QCOMPARE(QString::fromStdString(fromHeadline("short", "short").text), QStringLiteral("short"));
    }
};

QTEST_APPLESS_MAIN(TestSearchQuery)
#include "tst_searchquery.moc"
