// SPDX-License-Identifier: GPL-3.0-or-later
// message.search on a real database: what matches (words, prefixes, phrases, accents, Japanese
// and Chinese), each filter, edits and deletes, pages, and what a stranger finds (nothing).

#include "dbfixture.h"

#include "server/db/searchbackfill.h"

#include <QTest>

using namespace chatterbox;
using namespace chatterbox::server;
using namespace chatterbox::protocol;

class TestSearch : public QObject {
    Q_OBJECT

    test::TestDatabase m_db;
    std::string m_alice, m_bob, m_mallory;
    std::string m_partyId, m_general, m_releases;

    Message send(const std::string &user, const std::string &topicId, const std::string &body)
    {
        pqxx::connection c(m_db.url());
        const auto o = test::run(c, handlers::sendMessage, user, SendMessage{topicId, test::newUuid(), body});
        if (!o.ok())
            qFatal("send failed: %s", o.error->message.c_str());
        return o.resultJson()["message"].get<Message>();
    }

    Outcome search(const std::string &user, const std::string &query, std::optional<std::string> topicId = std::nullopt,
                   std::optional<std::string> cursor = std::nullopt, int limit = 50, int utcOffsetMinutes = 0)
    {
        pqxx::connection c(m_db.url());
        SearchMessages request;
        request.query = query;
        request.topicId = topicId;
        request.cursor = cursor;
        request.limit = limit;
        request.utcOffsetMinutes = utcOffsetMinutes;
        return test::run(c, handlers::searchMessages, user, request);
    }

    // The bodies found, newest first.
    QStringList found(const std::string &user, const std::string &query, std::optional<std::string> topicId = std::nullopt)
    {
        const auto o = search(user, query, topicId);
        if (!o.ok())
            return {QStringLiteral("error: ") + QString::fromStdString(o.error->message)};
        QStringList bodies;
        const auto reply = o.resultJson();
        for (const auto &hit : reply["results"])
            bodies << QString::fromStdString(hit["message"]["body"].get<std::string>());
        return bodies;
    }

    // The first result's snippet with its highlights in [brackets].
    QString marked(const std::string &query)
    {
        const auto results = search(m_alice, query).resultJson()["results"];
        if (results.empty())
            return {};
        const auto hit = results[0].get<SearchHit>();
        QString text = QString::fromStdString(hit.snippet);
        for (auto it = hit.highlights.rbegin(); it != hit.highlights.rend(); ++it) {
            text.insert(it->start + it->length, QLatin1Char(']'));
            text.insert(it->start, QLatin1Char('['));
        }
        return text;
    }

    void setCreatedAt(const std::string &messageId, const std::string &at)
    {
        pqxx::connection c(m_db.url());
        pqxx::work tx(c);
        tx.exec_params0("UPDATE messages SET created_at = $2::timestamptz WHERE id = $1", messageId, at);
        tx.commit();
    }

    // Each test starts from a party of its own, so that one test's messages are not another's.
    void freshParty()
    {
        pqxx::connection c(m_db.url());
        std::tie(m_partyId, m_general) = test::makeParty(c, m_alice, {m_bob});
        m_releases = test::run(c, handlers::createTopic, m_alice, CreateTopic{m_partyId, "Releases"}).resultJson()["topic"]["id"];
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_db.isValid(), qPrintable(m_db.error()));
        QVERIFY2(m_db.migrate(), qPrintable(m_db.error()));
        m_alice = test::createUser(m_db.url(), "Alice");
        m_bob = test::createUser(m_db.url(), "Bob Marley");
        m_mallory = test::createUser(m_db.url(), "Mallory");
    }

    void init() { freshParty(); }
    void cleanup()
    {
        // What a test sent is deleted afterwards: each test finds only its own.
        pqxx::connection c(m_db.url());
        pqxx::work tx(c);
        tx.exec0("UPDATE messages SET deleted_at = now() WHERE deleted_at IS NULL");
        tx.commit();
    }

    void words_wholeOrBeingTyped_inAnyOrder()
    {
        send(m_alice, m_general, "Deploying the release tomorrow");
        send(m_alice, m_general, "lunch?");
        QCOMPARE(found(m_bob, "release"), QStringList{"Deploying the release tomorrow"});
        QCOMPARE(found(m_bob, "tomorrow deploying"), QStringList{"Deploying the release tomorrow"});
        QCOMPARE(found(m_bob, "RELEASE"), QStringList{"Deploying the release tomorrow"});
        // The last word, still being typed, matches the words it begins; finished, only itself.
        QCOMPARE(found(m_bob, "deploy"), QStringList{"Deploying the release tomorrow"});
        QCOMPARE(found(m_bob, "deploy "), QStringList{});
        QCOMPARE(found(m_bob, "deploy tomorrow"), QStringList{});
        QCOMPARE(found(m_bob, "release dinner"), QStringList{});
        QCOMPARE(found(m_bob, "!!!"), QStringList{});
        // Each message's topic is in its vector too, where no prefix reaches it.
        QCOMPARE(found(m_bob, "top"), QStringList{});
        QCOMPARE(found(m_bob, "topic"), QStringList{});
        QCOMPARE(marked("release tomor"), QStringLiteral("Deploying the [release] [tomorrow]"));
    }

    void phrases_matchWordsInOrder()
    {
        send(m_alice, m_general, "the release notes are ready");
        send(m_alice, m_general, "notes on the release");
        QCOMPARE(found(m_bob, "\"release notes\""), QStringList{"the release notes are ready"});
        QCOMPARE(found(m_bob, "\"notes release\""), QStringList{});
        QCOMPARE(found(m_bob, "release notes"), (QStringList{"notes on the release", "the release notes are ready"}));
        QCOMPARE(marked("\"release notes\""), QStringLiteral("the [release] [notes] are ready"));
    }

    void accentsAndCase_doNotMatter()
    {
        send(m_alice, m_general, "Café in Zürich, déjà vu");
        QCOMPARE(found(m_bob, "cafe zurich"), QStringList{"Café in Zürich, déjà vu"});
        QCOMPARE(found(m_bob, "CAFÉ"), QStringList{"Café in Zürich, déjà vu"});
        QCOMPARE(found(m_bob, "\"deja vu\""), QStringList{"Café in Zürich, déjà vu"});
        QCOMPARE(marked("zuri"), QStringLiteral("Café in [Zürich], déjà vu"));
        // Words of letters and digits too.
        send(m_alice, m_general, "Zürich2024 Ärger-Straße");
        QCOMPARE(found(m_bob, "zurich2024 "), QStringList{"Zürich2024 Ärger-Straße"});
        QCOMPARE(found(m_bob, "arger "), QStringList{"Zürich2024 Ärger-Straße"});
    }

    void japaneseAndChinese_wordsInsideASentence()
    {
        send(m_alice, m_general, "明日の会議は東京で行います。");
        send(m_alice, m_general, "代码测试已经完成");
        QCOMPARE(found(m_bob, "会議"), QStringList{"明日の会議は東京で行います。"});
        QCOMPARE(found(m_bob, "東京で"), QStringList{"明日の会議は東京で行います。"});
        QCOMPARE(found(m_bob, "测试"), QStringList{"代码测试已经完成"});
        QCOMPARE(found(m_bob, "大阪"), QStringList{});
        QCOMPARE(found(m_bob, "京東"), QStringList{});   // the same characters, another word
        QCOMPARE(marked("会議"), QStringLiteral("明日の[会議]は東京で行います。"));
    }

    void editsAndDeletes_foundByWhatTheySayNow()
    {
        const auto edited = send(m_alice, m_general, "alpha version");
        const auto deleted = send(m_alice, m_general, "alpha secret");
        pqxx::connection c(m_db.url());
        QVERIFY(test::run(c, handlers::editMessage, m_alice, EditMessage{edited.id, "omega version"}).ok());
        QVERIFY(test::run(c, handlers::deleteMessage, m_alice, DeleteMessage{deleted.id}).ok());
        QCOMPARE(found(m_bob, "alpha"), QStringList{});
        QCOMPARE(found(m_bob, "omega"), QStringList{"omega version"});
        QCOMPARE(found(m_bob, "secret"), QStringList{});
        QCOMPARE(found(m_bob, "from:Alice"), QStringList{"omega version"});
    }

    void filters_narrowTheResults()
    {
        send(m_alice, m_general, "plan from alice");
        send(m_bob, m_general, "plan from bob, see https://example.org/plan");
        send(m_bob, m_releases, "plan in releases @Alice");
        QCOMPARE(found(m_alice, "plan from:bob"), QStringList{});   // a name is matched whole
        QCOMPARE(found(m_alice, "plan from:\"bob marley\""), (QStringList{"plan in releases @Alice", "plan from bob, see https://example.org/plan"}));
        QCOMPARE(found(m_alice, "plan from:@Alice"), QStringList{"plan from alice"});
        QCOMPARE(found(m_alice, "plan from:me"), QStringList{"plan from alice"});
        QCOMPARE(found(m_alice, "plan from:" + m_bob).size(), 2);
        QCOMPARE(found(m_alice, "plan from:me from:\"Bob Marley\"").size(), 3);
        QCOMPARE(found(m_alice, "from:nobody"), QStringList{});
        QCOMPARE(found(m_alice, "plan from:" + QString::fromStdString(m_bob).toUpper().toStdString()).size(), 2);
        // Punctuation alone is no word: the filters still apply.
        QCOMPARE(found(m_alice, "from:me :)"), QStringList{"plan from alice"});
        QCOMPARE(found(m_alice, "plan in:#releases"), QStringList{"plan in releases @Alice"});
        QCOMPARE(found(m_alice, "plan in:#nowhere"), QStringList{});
        QCOMPARE(found(m_alice, "plan in:\"test party\"").size(), 3);
        QCOMPARE(found(m_alice, "plan has:link"), QStringList{"plan from bob, see https://example.org/plan"});
        QCOMPARE(found(m_alice, "plan has:file"), QStringList{});
        {
            // A file sent with one of them (as message.send attaches it).
            pqxx::connection c(m_db.url());
            pqxx::work tx(c);
            const auto blob = tx.exec1("INSERT INTO file_blobs (size) VALUES (4) RETURNING id")[0].as<std::string>();
            tx.exec_params0("INSERT INTO files (owner_id, blob_id, name, media_type, size, received, message_id, party_id, position)"
                            " SELECT m.author_id, $1, 'plan.pdf', 'application/pdf', 4, 4, m.id, $2, 1 FROM messages m"
                            " WHERE m.body = 'plan from alice' AND m.deleted_at IS NULL",
                            blob, m_partyId);
            tx.commit();
        }
        QCOMPARE(found(m_alice, "plan has:file"), QStringList{"plan from alice"});
        QCOMPARE(found(m_bob, "has:file"), QStringList{"plan from alice"});
        QCOMPARE(found(m_alice, "mentions:me"), QStringList{"plan in releases @Alice"});
        QCOMPARE(found(m_bob, "mentions:me"), QStringList{});
        // The request's topic: the app's "this topic".
        QCOMPARE(found(m_alice, "plan", m_releases), QStringList{"plan in releases @Alice"});
        // Names compare in any letter case, also beyond ASCII.
        pqxx::connection c(m_db.url());
        const std::string events = test::run(c, handlers::createTopic, m_alice, CreateTopic{m_partyId, "Événements"}).resultJson()["topic"]["id"];
        send(m_alice, events, "plan for the fête");
        QCOMPARE(found(m_alice, "plan in:#événements"), QStringList{"plan for the fête"});
        QCOMPARE(found(m_alice, "plan in:#ÉVÉNEMENTS"), QStringList{"plan for the fête"});
    }

    void dates_areDaysWhereThePersonIs()
    {
        const auto early = send(m_alice, m_general, "dated early");
        const auto late = send(m_alice, m_general, "dated late");
        setCreatedAt(early.id, "2026-03-10 23:30:00+00");
        setCreatedAt(late.id, "2026-03-11 12:00:00+00");
        const auto bodies = [&](const char *query, int offset) {
            QStringList out;
            const auto reply = search(m_alice, query, std::nullopt, std::nullopt, 50, offset).resultJson();
            for (const auto &hit : reply["results"])
                out << QString::fromStdString(hit["message"]["body"].get<std::string>());
            return out;
        };
        QCOMPARE(bodies("dated on:2026-03-10", 0), QStringList{"dated early"});
        QCOMPARE(bodies("dated on:2026-03-11", 0), QStringList{"dated late"});
        // 23:30 UTC is already the 11th in Berlin (UTC+1).
        QCOMPARE(bodies("dated on:2026-03-11", 60), (QStringList{"dated late", "dated early"}));
        QCOMPARE(bodies("dated before:2026-03-11", 0), QStringList{"dated early"});
        QCOMPARE(bodies("dated after:2026-03-10", 0), QStringList{"dated late"});
        QCOMPARE(bodies("dated after:2026-03-11", 0), QStringList{});
        QCOMPARE(bodies("dated after:2026-03-09 before:2026-03-12", 0).size(), 2);
    }

    void pages_haveNoGapsNorDuplicates()
    {
        std::vector<std::string> sent;
        for (int i = 0; i < 25; ++i)
            sent.push_back(send(m_alice, i % 2 ? m_general : m_releases, "paging common " + std::to_string(i)).id);
        // Around them, many more of Bob's, so that the statistics make "paging" rare (found in
        // the index) and "common" common (found by walking back through time).
        {
            pqxx::connection c(m_db.url());
            for (int i = 0; i < 600; ++i)
                QVERIFY(test::run(c, handlers::sendMessage, m_bob,
                                  SendMessage{i % 2 ? m_general : m_releases, test::newUuid(), "filler common " + std::to_string(i)}).ok());
            pqxx::nontransaction(c).exec0("ANALYZE messages");
        }
        // Two at the same moment, as a write batch stores them; one more than a year back.
        setCreatedAt(sent[10], "2026-01-01 00:00:00+00");
        setCreatedAt(sent[11], "2026-01-01 00:00:00+00");
        setCreatedAt(sent[12], "2024-06-01 00:00:00+00");
        std::vector<std::string> expected(sent.rbegin(), sent.rend());
        std::erase_if(expected, [&](const std::string &id) { return id == sent[10] || id == sent[11] || id == sent[12]; });
        std::vector<std::string> january = {sent[10], sent[11]};
        std::sort(january.rbegin(), january.rend());   // the same time: by id, as the cursor goes
        expected.insert(expected.end(), january.begin(), january.end());
        expected.push_back(sent[12]);
        // A rare word is found in the index; a filter alone, and a common word from one person,
        // walk back through time a stretch at a time: all of them page the same.
        for (const char *query : {"paging", "from:Alice", "common from:Alice"}) {
            std::vector<std::string> seen;
            std::optional<std::string> cursor;
            int pages = 0;
            do {
                const auto page = search(m_bob, query, std::nullopt, cursor, 7).resultJson();
                QVERIFY(page["results"].size() <= 7);
                for (const auto &hit : page["results"])
                    seen.push_back(hit["message"]["id"]);
                cursor = page.contains("next") ? std::optional<std::string>(page["next"].get<std::string>()) : std::nullopt;
                QVERIFY(++pages <= 4);
            } while (cursor);
            QCOMPARE(pages, 4);
            QCOMPARE(seen, expected);
        }
        // Bob's own among them: the walk of the topics with many matches per stretch.
        QCOMPARE(search(m_bob, "common", std::nullopt, std::nullopt, 50).resultJson()["results"].size(), std::size_t(50));
    }

    void stranger_findsNothing_andNamedScopesAreNotFound()
    {
        send(m_alice, m_general, "private words");
        QCOMPARE(found(m_alice, "private"), QStringList{"private words"});
        QCOMPARE(found(m_mallory, "private"), QStringList{});
        QCOMPARE(found(m_mallory, "from:Alice"), QStringList{});
        QCOMPARE(test::errorCode(search(m_mallory, "private", m_general)), std::string("not_found"));
        QCOMPARE(test::errorCode(search(m_mallory, "private", test::newUuid())), std::string("not_found"));
        pqxx::connection c(m_db.url());
        SearchMessages inParty{"private", std::nullopt, m_partyId};
        QCOMPARE(test::errorCode(test::run(c, handlers::searchMessages, m_mallory, inParty)), std::string("not_found"));
        // Bob leaves: his searches stop finding the party's messages.
        QCOMPARE(found(m_bob, "private"), QStringList{"private words"});
        QVERIFY(test::run(c, handlers::leaveParty, m_bob, LeaveParty{m_partyId}).ok());
        QCOMPARE(found(m_bob, "private"), QStringList{});
    }

    // Messages stored before search existed have no vector until the server's backfill reaches
    // them; it does the newest first and skips deleted ones.
    void backfill_makesEarlierMessagesSearchable()
    {
        const auto older = send(m_alice, m_general, "backfilled older");
        const auto newer = send(m_alice, m_general, "backfilled newer");
        const auto gone = send(m_alice, m_general, "backfilled gone");
        pqxx::connection c(m_db.url());
        QVERIFY(test::run(c, handlers::deleteMessage, m_alice, DeleteMessage{gone.id}).ok());
        {
            pqxx::work tx(c);
            tx.exec0("UPDATE messages SET search_vector = NULL");   // as before migration 0008
            tx.commit();
        }
        QCOMPARE(found(m_bob, "backfilled"), QStringList{});
        QCOMPARE(SearchBackfill::runBatch(c, 1), std::size_t(1));
        QCOMPARE(found(m_bob, "backfilled"), QStringList{"backfilled newer"});
        while (SearchBackfill::runBatch(c, 1000) > 0) {
        }
        QCOMPARE(found(m_bob, "backfilled"), (QStringList{"backfilled newer", "backfilled older"}));
        QCOMPARE(SearchBackfill::runBatch(c, 1000), std::size_t(0));
        pqxx::work tx(c);
        QVERIFY(tx.exec_params1("SELECT search_vector IS NULL FROM messages WHERE id = $1", gone.id)[0].as<bool>());
    }

    void badQueries_clearErrorsNotDatabaseErrors()
    {
        for (const char *query : {"\"open", "colour:red", "on:2026-02-30", "from:", "'; DROP TABLE messages; --\"",
                                  "\\", "a:b:c", "in:\"Book"}) {
            const auto o = search(m_alice, query);
            if (o.ok())
                continue;   // "a:b:c" is a filter name error, "\\" a word: either is fine if clear
            QCOMPARE(test::errorCode(o), std::string("invalid_request"));
            QVERIFY2(o.error->message.find("SQL") == std::string::npos && o.error->message.find("syntax") == std::string::npos,
                     o.error->message.c_str());
        }
        // Words that are tsquery syntax are just words.
        send(m_alice, m_general, "it's a & b | !c (d) <-> e:* f\\g");
        for (const char *query : {"it's", "& |", "!c", "(d)", "<->", "\"e:*\"", "f\\g", "'", "\\", ":*"})
            QVERIFY2(search(m_alice, query).ok(), query);
        // Also with from:, whose plan looks at each of the query's words on its own.
        for (const char *query : {"it's", "\"it's a\"", "o''brien", "& |", "<->", "\"e:*\"", "f\\g", "'", "\\", ":*"})
            QVERIFY2(search(m_alice, std::string(query) + " from:me").ok(), query);
        QCOMPARE(found(m_alice, "\"it's a\" from:me"), QStringList{"it's a & b | !c (d) <-> e:* f\\g"});
        QCOMPARE(found(m_alice, "it's"), QStringList{"it's a & b | !c (d) <-> e:* f\\g"});
    }
};

QTEST_GUILESS_MAIN(TestSearch)
#include "tst_search.moc"
