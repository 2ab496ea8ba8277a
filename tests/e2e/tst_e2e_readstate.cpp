// SPDX-License-Identifier: GPL-3.0-or-later
// Unread and mention counts: in ready, kept current by events, and cleared on every one of a
// person's connections when any of them marks a topic read.

#include "e2efixture.h"

using namespace chatterbox::test;

class TestE2eReadState : public QObject {
    Q_OBJECT

    Harness m_harness;

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_harness.start()); }

    void markRead_onOneConnection_clearsOnTheOthers()
    {
        Person alice = m_harness.connect(QStringLiteral("alice"));
        const auto [partyId, topicId] = Harness::createParty(alice, "Readers");
        Person bob = m_harness.connect(QStringLiteral("bob"));
        QVERIFY(Harness::join(alice, partyId, bob));
        Person bobLaptop = m_harness.reconnect(bob);

        alice->request("message.send", {{"topicId", topicId}, {"clientMsgId", uuid()}, {"body", "one"}});
        alice->request("message.send", {{"topicId", topicId}, {"clientMsgId", uuid()}, {"body", "@bob two is for you"}});
        const json third = alice->request("message.send", {{"topicId", topicId}, {"clientMsgId", uuid()}, {"body", "three"}});
        const int lastSeq = third["result"]["message"]["seq"];

        // Live: the message says whom it mentions, so the app can count.
        const auto mention = bob->waitForEvent("message.created", [](const json &d) { return d["message"]["seq"] == 2; });
        QVERIFY(mention);
        QCOMPARE((*mention)["message"]["mentions"][0].get<std::string>(), bob.login.userId);

        // On connect: the counts are in ready.
        Person bobPhone = m_harness.reconnect(bob);
        const auto &states = bobPhone.ready["readStates"];
        QCOMPARE(int(states.size()), 1);
        QCOMPARE(states[0]["unread"].get<int>(), 3);
        QCOMPARE(states[0]["mentions"].get<int>(), 1);

        const json marked = bob->request("topic.markRead", {{"topicId", topicId}, {"seq", lastSeq}});
        QVERIFY(isOk(marked));
        for (Person *other : {&bobLaptop, &bobPhone}) {
            const auto cleared = (*other)->waitForEvent("readstate.updated");
            QVERIFY(cleared);
            QCOMPARE((*cleared)["readState"]["unread"].get<int>(), 0);
            QCOMPARE((*cleared)["readState"]["mentions"].get<int>(), 0);
            QCOMPARE((*cleared)["readState"]["lastReadSeq"].get<int>(), lastSeq);
        }
        // Bob's reading is his own business.
        QVERIFY(alice->noEvent("readstate.updated", 300));
        Person fresh = m_harness.reconnect(bob);
        QCOMPARE(fresh.ready["readStates"][0]["unread"].get<int>(), 0);
    }
};

QTEST_GUILESS_MAIN(TestE2eReadState)
#include "tst_e2e_readstate.moc"
