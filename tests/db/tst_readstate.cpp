// SPDX-License-Identifier: GPL-3.0-or-later
// Read positions, unread and mention counts, through the real handlers.

#include "dbfixture.h"

#include <QTest>

using namespace chatterbox;
using namespace chatterbox::server;
using namespace chatterbox::protocol;
using nlohmann::json;

class TestReadState : public QObject {
    Q_OBJECT

    test::TestDatabase m_db;
    std::string m_alice, m_bob;

    static json stateOf(pqxx::connection &c, const std::string &user, const std::string &topicId)
    {
        const auto o = test::run(c, handlers::ready, user, std::vector<std::string>{});
        const json result = o.resultJson();
        for (const auto &rs : result["readStates"]) {
            if (rs["topicId"] == topicId)
                return rs;
        }
        return {};
    }

    static std::string post(pqxx::connection &c, const std::string &user, const std::string &topicId, const std::string &body)
    {
        return test::run(c, handlers::sendMessage, user, SendMessage{topicId, test::newUuid(), body}).resultJson()["message"]["id"];
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_db.isValid(), qPrintable(m_db.error()));
        QVERIFY(m_db.migrate());
        m_alice = test::createUser(m_db.url(), "Alice");
        m_bob = test::createUser(m_db.url(), "Bob");
    }

    void unread_countsOthersMessagesAfterPosition()
    {
        pqxx::connection c(m_db.url());
        const auto [partyId, topicId] = test::makeParty(c, m_alice, {m_bob});
        for (int i = 0; i < 5; ++i)
            post(c, m_alice, topicId, "news " + std::to_string(i));
        QCOMPARE(stateOf(c, m_bob, topicId)["unread"].get<int>(), 5);
        // Alice's own messages are not unread to her.
        QCOMPARE(stateOf(c, m_alice, topicId)["unread"].get<int>(), 0);
        QCOMPARE(stateOf(c, m_alice, topicId)["lastReadSeq"].get<int>(), 5);

        const auto marked = test::run(c, handlers::markRead, m_bob, MarkRead{topicId, 3});
        QVERIFY(marked.ok());
        QCOMPARE(marked.resultJson()["readState"]["unread"].get<int>(), 2);
        QCOMPARE(marked.events.size(), std::size_t(1));
        QCOMPARE(marked.events[0].recipientUserId, m_bob);
        // The position never moves back, and a repeat announces nothing.
        const auto back = test::run(c, handlers::markRead, m_bob, MarkRead{topicId, 1});
        QCOMPARE(back.resultJson()["readState"]["lastReadSeq"].get<int>(), 3);
        QVERIFY(back.events.empty());
        // Past the end means "all of it".
        const auto all = test::run(c, handlers::markRead, m_bob, MarkRead{topicId, 999});
        QCOMPARE(all.resultJson()["readState"]["lastReadSeq"].get<int>(), 5);
        QCOMPARE(all.resultJson()["readState"]["unread"].get<int>(), 0);
    }

    void mentions_countedUntilRead()
    {
        pqxx::connection c(m_db.url());
        const auto [partyId, topicId] = test::makeParty(c, m_alice, {m_bob});
        post(c, m_alice, topicId, "hello all");
        const std::string mention = post(c, m_alice, topicId, "@Bob can you look?");
        post(c, m_alice, topicId, "@bob and again");
        post(c, m_alice, topicId, "not for @Carol");
        auto state = stateOf(c, m_bob, topicId);
        QCOMPARE(state["unread"].get<int>(), 4);
        QCOMPARE(state["mentions"].get<int>(), 2);
        // The message says whom it mentions.
        const auto history = test::run(c, handlers::fetchHistory, m_bob, FetchHistory{topicId, std::nullopt, std::nullopt, 10});
        QCOMPARE(history.resultJson()["messages"][1]["mentions"][0].get<std::string>(), m_bob);
        QVERIFY(history.resultJson()["messages"][3]["mentions"].empty());
        // A deleted message is neither unread nor a mention.
        QVERIFY(test::run(c, handlers::deleteMessage, m_alice, DeleteMessage{mention}).ok());
        state = stateOf(c, m_bob, topicId);
        QCOMPARE(state["unread"].get<int>(), 3);
        QCOMPARE(state["mentions"].get<int>(), 1);
        QVERIFY(test::run(c, handlers::markRead, m_bob, MarkRead{topicId, 4}).ok());
        QCOMPARE(stateOf(c, m_bob, topicId)["mentions"].get<int>(), 0);
    }

    void edit_reresolvesMentions()
    {
        pqxx::connection c(m_db.url());
        const auto [partyId, topicId] = test::makeParty(c, m_alice, {m_bob});
        const std::string id = post(c, m_alice, topicId, "hi everyone");
        QCOMPARE(stateOf(c, m_bob, topicId)["mentions"].get<int>(), 0);
        const auto edited = test::run(c, handlers::editMessage, m_alice, EditMessage{id, "hi @Bob"});
        QCOMPARE(edited.resultJson()["message"]["mentions"][0].get<std::string>(), m_bob);
        QCOMPARE(stateOf(c, m_bob, topicId)["mentions"].get<int>(), 1);
    }

    void profile_updateAnnouncedToEveryPartyOnce()
    {
        pqxx::connection c(m_db.url());
        test::makeParty(c, m_alice, {m_bob});
        test::makeParty(c, m_bob, {m_alice});
        const auto o = test::run(c, handlers::updateProfile, m_bob, UpdateProfile{"Robert", "https://example.org/bob.png", std::nullopt});
        QVERIFY(o.ok());
        QCOMPARE(o.resultJson()["user"]["displayName"].get<std::string>(), std::string("Robert"));
        QCOMPARE(o.events.size(), std::size_t(1));
        QVERIFY(o.events[0].moreParties.size() >= 1);
        // Only the avatar: the name stays.
        const auto cleared = test::run(c, handlers::updateProfile, m_bob, UpdateProfile{std::nullopt, "", std::nullopt});
        QCOMPARE(cleared.resultJson()["user"]["displayName"].get<std::string>(), std::string("Robert"));
        QVERIFY(!cleared.resultJson()["user"].contains("avatarUrl"));
    }
};

QTEST_GUILESS_MAIN(TestReadState)
#include "tst_readstate.moc"
