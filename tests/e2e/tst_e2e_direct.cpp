// SPDX-License-Identifier: GPL-3.0-or-later
// Direct conversations and blocks through the real server, on two instances of one database
// (docs/protocol.md, direct.open, user.block): who may start one, that it is one per set of
// people also when both open it at once, that messages, replies, reactions and search work in
// it as in a topic, what a direct conversation refuses, and what a block stops. Also "do not
// disturb" as the people who share a party see it.

#include "e2efixture.h"

using namespace chatterbox::test;

namespace {

const QStringList kServerArguments = {QStringLiteral("--instance-timeout"), QStringLiteral("3")};

// JSON as text, for QCOMPARE (which cannot compare json values itself).
QString text(const json &value) { return QString::fromStdString(value.dump()); }

std::string partyIdOf(const json &reply) { return reply["result"]["party"]["id"]; }
std::string topicIdOf(const json &reply) { return reply["result"]["party"]["topics"][0]["id"]; }

} // namespace

class TestE2EDirect : public QObject {
    Q_OBJECT

    Harness m_harness{kServerArguments};
    std::unique_ptr<TestServer> m_second;   // another instance on the same database
    Person m_alice, m_bob, m_carol, m_dave;
    Harness::PartyIds m_party;

    Person connectToSecond(const QString &name)
    {
        Person p;
        p.login = m_second->login(name);
        p.client = std::make_unique<TestClient>();
        if (!p.login.accessToken.isEmpty() && p.client->open(m_second->webSocketUrl(), p.login.accessToken))
            p.ready = p.client->hello();
        return p;
    }
    json open(Person &who, const std::vector<std::string> &userIds)
    {
        return who->request("direct.open", {{"userIds", userIds}});
    }
    json send(Person &who, const std::string &topicId, const std::string &body)
    {
        return who->request("message.send", {{"topicId", topicId}, {"clientMsgId", uuid()}, {"body", body}});
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_harness.start());
        m_second = std::make_unique<TestServer>(m_harness.databaseUrl(), kServerArguments);
        QVERIFY2(m_second->start(), qPrintable(m_second->output()));
        m_alice = m_harness.connect(QStringLiteral("alice"));
        m_bob = connectToSecond(QStringLiteral("bob"));   // Bob is on the other instance throughout
        m_carol = m_harness.connect(QStringLiteral("carol"));   // shares no party with anyone
        m_dave = m_harness.connect(QStringLiteral("dave"));
        QVERIFY(!m_alice.ready.is_null() && !m_bob.ready.is_null() && !m_carol.ready.is_null());
        m_party = Harness::createParty(m_alice, "Climbing");
        QVERIFY(!m_party.topicId.empty());
        const json invite = m_alice->request("invite.create", {{"partyId", m_party.partyId}});
        QVERIFY(isOk(invite));
        for (Person *p : {&m_bob, &m_dave})
            QVERIFY(isOk((*p)->request("invite.join", {{"code", invite["result"]["invite"]["code"]}})));
    }

    void open_startsOneConversation_andMessagesCrossInstances()
    {
        m_bob->events.clear();
        const json opened = open(m_alice, {m_bob.login.userId});
        QVERIFY2(isOk(opened), opened.dump().c_str());
        const json &party = opened["result"]["party"];
        QCOMPARE(party["kind"].get<std::string>(), std::string("direct"));
        QCOMPARE(party["name"].get<std::string>(), std::string());
        QCOMPARE(party["ownerId"].get<std::string>(), std::string());
        QCOMPARE(party["members"].size(), std::size_t(2));
        QCOMPARE(party["topics"].size(), std::size_t(1));
        for (const auto &member : party["members"])
            QCOMPARE(member["role"].get<std::string>(), std::string("member"));
        // Bob, on the other instance, is told; Carol and Dave are not.
        const auto created = m_bob->waitForEvent("party.created", [&](const json &d) { return d["party"]["id"] == partyIdOf(opened); });
        QVERIFY(created);
        QVERIFY(m_carol->noEvent("party.created", 300));
        QVERIFY(m_dave->noEvent("party.created", 100));

        // Opening it again, from either side, is the same conversation, and tells nobody.
        m_bob->events.clear();
        QCOMPARE(partyIdOf(open(m_bob, {m_alice.login.userId})), partyIdOf(opened));
        QCOMPARE(partyIdOf(open(m_alice, {m_bob.login.userId, m_bob.login.userId})), partyIdOf(opened));
        QVERIFY(m_bob->noEvent("party.created", 300));

        // Messages, replies and reactions work as in a topic.
        const std::string topicId = topicIdOf(opened);
        const json first = send(m_alice, topicId, "hi Bob, about Saturday");
        QVERIFY(isOk(first));
        const std::string firstId = first["result"]["message"]["id"];
        QVERIFY(m_bob->waitForEvent("message.created", [&](const json &d) { return d["message"]["id"] == firstId; }));
        const json answer = m_bob->request("message.send", {{"topicId", topicId}, {"clientMsgId", uuid()}, {"body", "yes!"},
                                                            {"replyTo", firstId}});
        QVERIFY2(isOk(answer), answer.dump().c_str());
        QVERIFY(m_alice->waitForEvent("message.created", [&](const json &d) {
            return d["message"]["body"] == "yes!" && d["message"]["replyTo"]["messageId"] == firstId;
        }));
        QVERIFY(isOk(m_bob->request("reaction.add", {{"messageId", firstId}, {"emoji", "👍"}})));
        QVERIFY(m_alice->waitForEvent("reaction.added", [&](const json &d) { return d["messageId"] == firstId; }));
        // Dave, in the party with both, sees none of it.
        QVERIFY(m_dave->noEvent("message.created", 300));

        // Search finds it for the two of them, and nobody else.
        const json found = m_alice->request("message.search", {{"query", "Saturday"}});
        QVERIFY(isOk(found));
        QCOMPARE(found["result"]["results"].size(), std::size_t(1));
        QCOMPARE(m_dave->request("message.search", {{"query", "Saturday"}})["result"]["results"].size(), std::size_t(0));

        // A new connection lists it among the parties, marked as direct.
        Person again = m_harness.reconnect(m_alice);
        bool listed = false;
        for (const auto &p : again.ready["parties"])
            listed = listed || (p["id"] == partyIdOf(opened) && p["kind"] == "direct");
        QVERIFY(listed);
    }

    void open_theSamePeopleAtOnce_isOneConversation()
    {
        // Two new people each round, one on each instance, open the conversation of the two of
        // them with Alice at the same moment: one conversation comes of it.
        for (int round = 0; round < 20; ++round) {
            Person first = m_harness.connect(QStringLiteral("first%1").arg(round));
            Person second = connectToSecond(QStringLiteral("second%1").arg(round));
            QVERIFY(Harness::join(m_alice, m_party.partyId, first));
            QVERIFY(Harness::join(m_alice, m_party.partyId, second));
            const std::int64_t a = first->post("direct.open", {{"userIds", {second.login.userId, m_alice.login.userId}}});
            const std::int64_t b = second->post("direct.open", {{"userIds", {m_alice.login.userId, first.login.userId}}});
            const json fromFirst = replyTo(*first.client, a);
            const json fromSecond = replyTo(*second.client, b);
            QVERIFY2(isOk(fromFirst) && isOk(fromSecond), (fromFirst.dump() + fromSecond.dump()).c_str());
            QCOMPARE(partyIdOf(fromFirst), partyIdOf(fromSecond));
            QCOMPARE(fromFirst["result"]["party"]["members"].size(), std::size_t(3));
        }
    }

    void open_inABurst_isThrottled()
    {
        Person eager = m_harness.connect(QStringLiteral("eager"));
        QVERIFY(Harness::join(m_alice, m_party.partyId, eager));
        std::vector<std::int64_t> ids;
        for (int i = 0; i < 30; ++i)
            ids.push_back(eager->post("direct.open", {{"userIds", {m_alice.login.userId}}}));
        int limited = 0;
        for (const auto id : ids) {
            const json reply = replyTo(*eager.client, id);
            if (errorCode(reply) == "rate_limited")
                ++limited;
            else
                QVERIFY2(isOk(reply), reply.dump().c_str());
        }
        QVERIFY2(limited >= 9, std::to_string(limited).c_str());   // a burst of 20, then one per 6 s
    }

    void open_withSomeoneYouShareNothingWith_looksLikeNobody()
    {
        const json madeUp = open(m_alice, {uuid()});
        const json stranger = open(m_alice, {m_carol.login.userId});
        QCOMPARE(errorCode(stranger), std::string("not_found"));
        QCOMPARE(text(stranger["message"]), text(madeUp["message"]));
        QCOMPARE(errorCode(open(m_carol, {m_alice.login.userId})), std::string("not_found"));
        // Sharing only a direct conversation is not sharing a party.
        Person erin = m_harness.connect(QStringLiteral("erin"));
        const auto erinsParty = Harness::createParty(erin, "Erin's");
        QVERIFY(Harness::join(erin, erinsParty.partyId, m_carol));
        QVERIFY(isOk(open(erin, {m_carol.login.userId})));
        QVERIFY(isOk(m_carol->request("party.leave", {{"partyId", erinsParty.partyId}})));
        QCOMPARE(errorCode(open(m_carol, {erin.login.userId})), std::string("not_found"));

        QCOMPARE(errorCode(open(m_alice, {m_alice.login.userId})), std::string("invalid_request"));
        QCOMPARE(errorCode(open(m_alice, {})), std::string("invalid_request"));
        std::vector<std::string> tooMany;
        for (int i = 0; i < 10; ++i)
            tooMany.push_back(uuid());
        const json crowd = open(m_alice, tooMany);
        QCOMPARE(errorCode(crowd), std::string("invalid_request"));
        QVERIFY(crowd["message"].get<std::string>().find("1 to 9") != std::string::npos);
        QCOMPARE(errorCode(m_alice->request("direct.open", {{"userIds", "bob"}})), std::string("invalid_request"));
        QCOMPARE(errorCode(m_alice->request("direct.open", {{"userIds", {"not-an-id"}}})), std::string("invalid_request"));
    }

    void directConversation_refusesWhatPartiesHave()
    {
        const json opened = open(m_alice, {m_bob.login.userId});
        const std::string partyId = partyIdOf(opened);
        const std::string topicId = topicIdOf(opened);
        const std::vector<std::pair<std::string, json>> refused = {
            {"invite.create", {{"partyId", partyId}}},
            {"topic.create", {{"partyId", partyId}, {"name", "more"}}},
            {"topic.rename", {{"topicId", topicId}, {"name", "renamed"}}},
            {"topic.delete", {{"topicId", topicId}}},
            {"party.rename", {{"partyId", partyId}, {"name", "ours"}}},
            {"party.delete", {{"partyId", partyId}}},
            {"party.transfer", {{"partyId", partyId}, {"userId", m_bob.login.userId}}},
            {"member.kick", {{"partyId", partyId}, {"userId", m_bob.login.userId}}},
        };
        for (const auto &[type, fields] : refused) {
            const json reply = m_alice->request(type, fields);
            QCOMPARE(errorCode(reply), std::string("forbidden"));
            QVERIFY2(reply["message"].get<std::string>().find("direct conversation") != std::string::npos, type.c_str());
        }
        // Everyone pins in a conversation (nobody has a role there).
        const json note = send(m_alice, topicId, "the address: 12 Crag Road");
        QVERIFY(isOk(m_bob->request("message.pin", {{"messageId", note["result"]["message"]["id"]}, {"pinned", true}})));
        // @everyone reaches the other person.
        QVERIFY(isOk(send(m_bob, topicId, "@everyone see the pin")));
        QVERIFY(m_alice->waitForEvent("message.created", [](const json &d) { return d["message"].contains("massMention"); }));

        // A group can be left; opening the same people again then starts a new conversation.
        const json group = open(m_alice, {m_bob.login.userId, m_dave.login.userId});
        QVERIFY(isOk(group));
        m_bob->events.clear();
        QVERIFY(isOk(m_dave->request("party.leave", {{"partyId", partyIdOf(group)}})));
        QVERIFY(m_bob->waitForEvent("member.left", [&](const json &d) { return d["userId"] == m_dave.login.userId; }));
        const json anew = open(m_alice, {m_bob.login.userId, m_dave.login.userId});
        QVERIFY(isOk(anew));
        QVERIFY(partyIdOf(anew) != partyIdOf(group));
        QCOMPARE(errorCode(m_dave->request("message.history", {{"topicId", topicIdOf(group)}})), std::string("not_found"));

        // A conversation of two can be left too: the other keeps its history, a new open starts
        // a new one, and the last to leave takes it away.
        Person erin = m_harness.connect(QStringLiteral("erin2"));
        QVERIFY(Harness::join(m_alice, m_party.partyId, erin));
        const json pair = open(m_dave, {erin.login.userId});
        QVERIFY(isOk(pair));
        QVERIFY(isOk(send(m_dave, topicIdOf(pair), "one message")));
        QVERIFY(isOk(m_dave->request("party.leave", {{"partyId", partyIdOf(pair)}})));
        QVERIFY(erin->waitForEvent("member.left", [&](const json &d) { return d["partyId"] == partyIdOf(pair); }));
        QCOMPARE(erin->request("message.history", {{"topicId", topicIdOf(pair)}})["result"]["messages"].size(), std::size_t(1));
        const json again = open(m_dave, {erin.login.userId});
        QVERIFY(isOk(again) && partyIdOf(again) != partyIdOf(pair));
        QVERIFY(isOk(erin->request("party.leave", {{"partyId", partyIdOf(pair)}})));
        QVERIFY(erin->waitForEvent("party.deleted", [&](const json &d) { return d["partyId"] == partyIdOf(pair); }));
        QCOMPARE(errorCode(erin->request("message.history", {{"topicId", topicIdOf(pair)}})), std::string("not_found"));
    }

    void group_everyPairMustBeAbleToMeet()
    {
        // Someone who starts a group that leaves others alone together can be left by them.
        Person x = m_harness.connect(QStringLiteral("x"));
        QVERIFY(Harness::join(m_alice, m_party.partyId, x));
        const json group = open(x, {m_bob.login.userId, m_dave.login.userId});
        QVERIFY(isOk(group));
        QVERIFY(isOk(x->request("party.leave", {{"partyId", partyIdOf(group)}})));
        QVERIFY(isOk(m_bob->request("party.leave", {{"partyId", partyIdOf(group)}})));

        // Zed shares a party with Uma but not with Vic: Uma cannot put the two together.
        Person uma = m_harness.connect(QStringLiteral("uma"));
        Person vic = m_harness.connect(QStringLiteral("vic"));
        Person zed = m_harness.connect(QStringLiteral("zed"));
        const auto umaVic = Harness::createParty(uma, "Uma and Vic");
        const auto umaZed = Harness::createParty(uma, "Uma and Zed");
        QVERIFY(Harness::join(uma, umaVic.partyId, vic));
        QVERIFY(Harness::join(uma, umaZed.partyId, zed));
        QCOMPARE(errorCode(open(uma, {vic.login.userId, zed.login.userId})), std::string("not_found"));
        // Nor with someone Vic blocks, though all three share a party.
        QVERIFY(Harness::join(uma, umaVic.partyId, zed));
        QVERIFY(isOk(open(uma, {vic.login.userId, zed.login.userId})));
        QVERIFY(isOk(vic->request("user.block", {{"userId", zed.login.userId}})));
        Person yan = m_harness.connect(QStringLiteral("yan"));
        QVERIFY(Harness::join(uma, umaVic.partyId, yan));
        QCOMPARE(errorCode(open(uma, {vic.login.userId, zed.login.userId, yan.login.userId})), std::string("not_found"));
        QVERIFY(isOk(open(uma, {vic.login.userId, yan.login.userId})));
    }

    void block_closesTheConversation_andStopsNewOnes()
    {
        const json opened = open(m_alice, {m_bob.login.userId});
        const std::string topicId = topicIdOf(opened);
        const json earlier = send(m_alice, topicId, "before the block");
        QVERIFY(isOk(earlier));
        Person bobElsewhere = m_harness.reconnect(m_bob);   // on the first instance

        const json blocked = m_bob->request("user.block", {{"userId", m_alice.login.userId}});
        QVERIFY2(isOk(blocked), blocked.dump().c_str());
        QCOMPARE(text(blocked["result"]["userIds"]), text(json::array({m_alice.login.userId})));
        const auto told = bobElsewhere->waitForEvent("blocks.updated");
        QVERIFY(told);
        QCOMPARE(text((*told)["userIds"]), text(json::array({m_alice.login.userId})));
        QVERIFY(m_alice->noEvent("blocks.updated", 300));   // nobody else hears of a block

        // Neither can write in it any more; a retry of what was sent before still answers.
        const json fromAlice = send(m_alice, topicId, "hello?");
        QCOMPARE(errorCode(fromAlice), std::string("forbidden"));
        QCOMPARE(errorCode(send(m_bob, topicId, "bye")), std::string("forbidden"));
        QCOMPARE(errorCode(m_alice->request("reaction.add", {{"messageId", earlier["result"]["message"]["id"]}, {"emoji", "👋"}})),
                 std::string("forbidden"));
        // Nor edit what was written before, nor be seen typing.
        QCOMPARE(errorCode(m_alice->request("message.edit", {{"messageId", earlier["result"]["message"]["id"]}, {"body", "@bob hi"}})),
                 std::string("forbidden"));
        m_bob->events.clear();
        QVERIFY(isOk(m_alice->request("typing.start", {{"topicId", topicId}})));
        QVERIFY(m_bob->noEvent("typing", 500));
        const json retry = m_alice->request("message.send", {{"topicId", topicId}, {"clientMsgId", earlier["result"]["message"]["clientMsgId"]},
                                                             {"body", "before the block"}});
        QVERIFY(isOk(retry));
        QCOMPARE(text(retry["result"]["message"]["id"]), text(earlier["result"]["message"]["id"]));
        // Alice cannot start another with Bob, alone or in a group, and sees only "no such person".
        QCOMPARE(errorCode(open(m_alice, {m_bob.login.userId, m_dave.login.userId})), std::string("not_found"));
        QCOMPARE(errorCode(open(m_bob, {m_alice.login.userId, m_dave.login.userId})), std::string("not_found"));
        // The party they share goes on as before.
        QVERIFY(isOk(send(m_alice, m_party.topicId, "in the party")));
        // A new connection knows whom it blocks.
        Person again = connectToSecond(QStringLiteral("bob"));
        QCOMPARE(text(again.ready["blockedUserIds"]), text(json::array({m_alice.login.userId})));

        // Unblocked, the conversation is open again.
        const json unblocked = m_bob->request("user.unblock", {{"userId", m_alice.login.userId}});
        QVERIFY(isOk(unblocked));
        QCOMPARE(text(unblocked["result"]["userIds"]), text(json::array()));
        QVERIFY(isOk(send(m_alice, topicId, "friends again")));
        QCOMPARE(errorCode(m_bob->request("user.unblock", {{"userId", m_alice.login.userId}})), std::string("not_found"));
    }

    void block_onlySomeoneYouCouldMeet()
    {
        const json madeUp = m_alice->request("user.block", {{"userId", uuid()}});
        const json stranger = m_alice->request("user.block", {{"userId", m_carol.login.userId}});
        QCOMPARE(errorCode(stranger), std::string("not_found"));
        QCOMPARE(text(stranger["message"]), text(madeUp["message"]));
        QCOMPARE(errorCode(m_alice->request("user.block", {{"userId", m_alice.login.userId}})), std::string("invalid_request"));
        QCOMPARE(errorCode(m_alice->request("user.block", {{"userId", "carol"}})), std::string("invalid_request"));
        QCOMPARE(errorCode(m_alice->request("user.block", json::object())), std::string("invalid_request"));
        // Blocking twice is one block.
        QVERIFY(isOk(m_alice->request("user.block", {{"userId", m_dave.login.userId}})));
        const json twice = m_alice->request("user.block", {{"userId", m_dave.login.userId}});
        QCOMPARE(text(twice["result"]["userIds"]), text(json::array({m_dave.login.userId})));
        QVERIFY(isOk(m_alice->request("user.unblock", {{"userId", m_dave.login.userId}})));
    }

    void block_racingAMessage_oneWinsCleanly()
    {
        // A block and a message at the same moment, many times: the message is stored or
        // refused as forbidden, never a failure of another kind, and once the block is
        // answered nothing more gets in.
        const json opened = open(m_alice, {m_dave.login.userId});
        const std::string topicId = topicIdOf(opened);
        for (int round = 0; round < 20; ++round) {
            const std::int64_t sent = m_alice->post("message.send", {{"topicId", topicId}, {"clientMsgId", uuid()},
                                                                     {"body", "round " + std::to_string(round)}});
            const std::int64_t block = m_dave->post("user.block", {{"userId", m_alice.login.userId}});
            const json message = replyTo(*m_alice.client, sent);
            QVERIFY(isOk(replyTo(*m_dave.client, block)));
            QVERIFY(isOk(message) || errorCode(message) == "forbidden");
            QCOMPARE(errorCode(send(m_alice, topicId, "after")), std::string("forbidden"));
            QVERIFY(isOk(m_dave->request("user.unblock", {{"userId", m_alice.login.userId}})));
        }
        // Nothing written after a block went in: what the topic holds is what was acknowledged.
        const json history = m_dave->request("message.history", {{"topicId", topicId}, {"limit", 100}});
        QVERIFY(isOk(history));
        for (const auto &m : history["result"]["messages"])
            QVERIFY(m["body"] != "after");
    }

    void doNotDisturb_isSeenByThoseWhoSharedAParty()
    {
        m_alice->events.clear();
        QVERIFY(isOk(m_bob->request("presence.set", {{"status", "dnd"}})));
        QVERIFY(m_alice->waitForEvent("presence.updated", [&](const json &d) {
            return d["userId"] == m_bob.login.userId && d["status"] == "dnd";
        }));
        // Another connection of Bob's, online, does not lift it: he asked not to be disturbed.
        Person bobAgain = m_harness.reconnect(m_bob);
        QVERIFY(m_alice->noEvent("presence.updated", 500));
        Person aliceAgain = m_harness.reconnect(m_alice);
        QCOMPARE(aliceAgain.ready["presence"][m_bob.login.userId].get<std::string>(), std::string("dnd"));
        // Bob's new connection sees himself as the others do.
        QCOMPARE(bobAgain.ready["presence"][m_bob.login.userId].get<std::string>(), std::string("dnd"));
        QVERIFY(isOk(m_bob->request("presence.set", {{"status", "online"}})));
        QVERIFY(m_alice->waitForEvent("presence.updated", [&](const json &d) {
            return d["userId"] == m_bob.login.userId && d["status"] == "online";
        }));
        QCOMPARE(errorCode(m_bob->request("presence.set", {{"status", "offline"}})), std::string("invalid_request"));
        QCOMPARE(errorCode(m_bob->request("presence.set", {{"status", "busy"}})), std::string("invalid_request"));
    }
};

QTEST_GUILESS_MAIN(TestE2EDirect)
#include "tst_e2e_direct.moc"
