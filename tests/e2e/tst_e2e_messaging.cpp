// SPDX-License-Identifier: GPL-3.0-or-later
// Two people in a party talk through the real server: messages, edits and deletes reach every
// member's connections exactly once and in order, and stop reaching someone who was removed.

#include "e2efixture.h"

using namespace chatterbox::test;

class TestE2eMessaging : public QObject {
    Q_OBJECT

    Harness m_harness;
    Person m_alice, m_alice2, m_bob;
    std::string m_partyId, m_topicId;

    json send(Person &who, const std::string &body, const std::string &topicId = {})
    {
        return who->request("message.send", {{"topicId", topicId.empty() ? m_topicId : topicId},
                                             {"clientMsgId", uuid()}, {"body", body}});
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_harness.start());
        m_alice = m_harness.connect(QStringLiteral("alice"));
        QVERIFY(m_alice.ready.is_object());
        QCOMPARE(m_alice.ready["me"]["displayName"].get<std::string>(), std::string("alice"));
        QCOMPARE(int(m_alice.ready["parties"].size()), 0);
        QCOMPARE(m_alice.ready["protocol"].get<int>(), 1);
        m_alice2 = m_harness.reconnect(m_alice);
        QVERIFY(m_alice2.ready.is_object());
    }

    void createParty_replyAndEventOnEveryConnection()
    {
        const json reply = m_alice->request("party.create", {{"name", "Book club"}});
        QVERIFY(isOk(reply));
        m_partyId = reply["result"]["party"]["id"];
        m_topicId = reply["result"]["party"]["topics"][0]["id"];
        QVERIFY(m_alice->waitForEvent("party.created"));
        const auto other = m_alice2->waitForEvent("party.created");
        QVERIFY(other);
        QCOMPARE((*other)["party"]["id"].get<std::string>(), m_partyId);
    }

    void member_readySnapshot_hasPartyTopicsAndMembers()
    {
        Person newcomer = m_harness.connect(QStringLiteral("bob"));
        QVERIFY(Harness::join(m_alice, m_partyId, newcomer));
        m_bob = m_harness.reconnect(newcomer);
        QVERIFY(m_bob.ready.is_object());
        QCOMPARE(int(m_bob.ready["parties"].size()), 1);
        const auto &party = m_bob.ready["parties"][0];
        QCOMPARE(party["name"].get<std::string>(), std::string("Book club"));
        QCOMPARE(party["topics"][0]["name"].get<std::string>(), std::string("general"));
        QCOMPARE(int(party["members"].size()), 2);
    }

    void send_reachesEveryMemberConnection_asText()
    {
        const std::string body = "<b>Hi</b> Bob & <script>alert(1)</script> 👋";
        const json reply = send(m_alice, body);
        QVERIFY(isOk(reply));
        const auto &message = reply["result"]["message"];
        QCOMPARE(message["seq"].get<int>(), 1);
        for (Person *p : {&m_bob, &m_alice2, &m_alice}) {
            const auto event = (*p)->waitForEvent("message.created", [&](const json &d) { return d["message"]["id"] == message["id"]; });
            QVERIFY(event);
            QCOMPARE((*event)["message"]["body"].get<std::string>(), body);
            QCOMPARE((*event)["message"]["authorId"].get<std::string>(), m_alice.login.userId);
        }
    }

    void burst_arrivesExactlyOnceInOrder()
    {
        const auto before = m_bob->events.size();
        constexpr int kBurst = 40;
        for (int i = 0; i < kBurst; ++i) {
            const json reply = send(i % 2 ? m_bob : m_alice, "burst " + std::to_string(i));
            QVERIFY(isOk(reply));
        }
        QVERIFY(QTest::qWaitFor([&] {
            int n = 0;
            for (qsizetype i = before; i < m_bob->events.size(); ++i)
                n += m_bob->events.at(i)["event"] == "message.created";
            return n >= kBurst;
        }, 10000));
        QVERIFY(m_bob->noEvent("message.created", 300));
        int expected = 2;
        for (qsizetype i = before; i < m_bob->events.size(); ++i) {
            const auto &e = m_bob->events.at(i);
            if (e["event"] != "message.created")
                continue;
            QCOMPARE(e["data"]["message"]["seq"].get<int>(), expected++);
        }
        QCOMPARE(expected, 2 + kBurst);
    }

    void retry_sameClientId_noSecondMessage()
    {
        const std::string clientId = uuid();
        const json first = m_alice->request("message.send", {{"topicId", m_topicId}, {"clientMsgId", clientId}, {"body", "once"}});
        const json again = m_alice->request("message.send", {{"topicId", m_topicId}, {"clientMsgId", clientId}, {"body", "once"}});
        QVERIFY(isOk(first) && isOk(again));
        QCOMPARE(QString::fromStdString(again["result"]["message"]["id"].dump()), QString::fromStdString(first["result"]["message"]["id"].dump()));
        QVERIFY(m_bob->waitForEvent("message.created", [&](const json &d) { return d["message"]["clientMsgId"] == clientId; }));
        QVERIFY(m_bob->noEvent("message.created", 500));
    }

    void editAndDelete_seenByOthers()
    {
        const json sent = send(m_bob, "tpyo");
        const std::string id = sent["result"]["message"]["id"];
        QVERIFY(isOk(m_bob->request("message.edit", {{"messageId", id}, {"body", "typo"}})));
        const auto edited = m_alice->waitForEvent("message.updated", [&](const json &d) { return d["message"]["id"] == id; });
        QVERIFY(edited);
        QCOMPARE((*edited)["message"]["body"].get<std::string>(), std::string("typo"));
        QVERIFY((*edited)["message"].contains("editedAt"));
        QCOMPARE(errorCode(m_alice->request("message.edit", {{"messageId", id}, {"body", "mine now"}})), std::string("forbidden"));

        QVERIFY(isOk(m_bob->request("message.delete", {{"messageId", id}})));
        const auto deleted = m_alice->waitForEvent("message.deleted", [&](const json &d) { return d["message"]["id"] == id; });
        QVERIFY(deleted);
        QVERIFY((*deleted)["message"]["deleted"].get<bool>());
        QCOMPARE((*deleted)["message"]["body"].get<std::string>(), std::string());
    }

    void history_pagesBackThroughEverything()
    {
        json reply = m_bob->request("message.history", {{"topicId", m_topicId}, {"limit", 10}});
        QVERIFY(isOk(reply));
        int total = 0;
        int lowest = INT32_MAX;
        while (true) {
            const auto &messages = reply["result"]["messages"];
            total += int(messages.size());
            if (!messages.empty())
                lowest = messages[0]["seq"].get<int>();
            if (!reply["result"]["hasMore"].get<bool>())
                break;
            reply = m_bob->request("message.history", {{"topicId", m_topicId}, {"beforeSeq", lowest}, {"limit", 10}});
            QVERIFY(isOk(reply));
        }
        QCOMPARE(lowest, 1);
        QCOMPARE(total, 1 + 40 + 1 + 1);
    }

    void topics_changesReachMembers()
    {
        const json created = m_alice->request("topic.create", {{"partyId", m_partyId}, {"name", "spoilers"}});
        QVERIFY(isOk(created));
        const std::string topicId = created["result"]["topic"]["id"];
        QVERIFY(m_bob->waitForEvent("topic.created", [&](const json &d) { return d["topic"]["id"] == topicId; }));
        QCOMPARE(errorCode(m_bob->request("topic.rename", {{"topicId", topicId}, {"name", "mine"}})), std::string("forbidden"));
        QVERIFY(isOk(m_alice->request("topic.rename", {{"topicId", topicId}, {"name", "no-spoilers"}})));
        QVERIFY(m_bob->waitForEvent("topic.updated", [&](const json &d) { return d["topic"]["name"] == "no-spoilers"; }));
        QVERIFY(isOk(m_alice->request("topic.reorder", {{"partyId", m_partyId}, {"topicIds", {topicId, m_topicId}}})));
        QVERIFY(m_bob->waitForEvent("topic.reordered"));
        QVERIFY(isOk(m_alice->request("topic.delete", {{"topicId", topicId}})));
        QVERIFY(m_bob->waitForEvent("topic.deleted", [&](const json &d) { return d["topicId"] == topicId; }));
    }

    void kicked_member_hearsNothingMore()
    {
        QVERIFY(isOk(m_alice->request("member.kick", {{"partyId", m_partyId}, {"userId", m_bob.login.userId}})));
        QVERIFY(m_bob->waitForEvent("member.left", [&](const json &d) { return d["userId"] == m_bob.login.userId; }));
        QVERIFY(isOk(send(m_alice, "after bob left")));
        QVERIFY(m_alice2->waitForEvent("message.created", [](const json &d) { return d["message"]["body"] == "after bob left"; }));
        QVERIFY(m_bob->noEvent("message.created", 500));
        QCOMPARE(errorCode(send(m_bob, "let me back")), std::string("not_found"));
    }

    void deleteParty_everyoneTold()
    {
        QVERIFY(isOk(m_alice->request("party.delete", {{"partyId", m_partyId}})));
        QVERIFY(m_alice2->waitForEvent("party.deleted"));
        const json list = m_alice->request("party.list");
        QVERIFY(isOk(list));
        QCOMPARE(int(list["result"]["parties"].size()), 0);
    }
};

QTEST_GUILESS_MAIN(TestE2eMessaging)
#include "tst_e2e_messaging.moc"
