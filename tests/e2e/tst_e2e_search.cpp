// SPDX-License-Identifier: GPL-3.0-or-later
// message.search through the real server: pages that add up to exactly the matching messages,
// and a person who leaves (or is removed) while searches are running sees nothing of the
// party in any reply that comes after they were told.

#include "e2efixture.h"

#include <set>

using namespace chatterbox::test;

class TestE2eSearch : public QObject {
    Q_OBJECT

    Harness m_harness;
    Person m_alice, m_bob;
    Harness::PartyIds m_party;

    static int resultsFrom(const json &reply, const std::string &partyId)
    {
        int n = 0;
        if (reply.contains("result"))
            for (const auto &hit : reply["result"]["results"])
                n += hit["message"]["partyId"] == partyId;
        return n;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_harness.start());
        m_alice = m_harness.connect(QStringLiteral("Alice"));
        m_bob = m_harness.connect(QStringLiteral("Bob"));
        m_party = Harness::createParty(m_alice, "Search party");
        QVERIFY(!m_party.partyId.empty());
    }

    void pages_addUpToEveryMatch_newestFirst_noneTwice()
    {
        const std::string other = m_alice->request("topic.create", {{"partyId", m_party.partyId}, {"name", "other"}})["result"]["topic"]["id"];
        std::set<std::string> sent;
        for (int i = 0; i < 45; ++i) {
            const json reply = m_alice->request("message.send", {{"topicId", i % 3 ? m_party.topicId : other}, {"clientMsgId", uuid()},
                                                                 {"body", "paged item " + std::to_string(i)}});
            QVERIFY(isOk(reply));
            sent.insert(reply["result"]["message"]["id"].get<std::string>());
            if (i % 15 == 0)
                QTest::qWait(200);   // under the request rate
        }
        QVERIFY(isOk(m_alice->request("message.send", {{"topicId", other}, {"clientMsgId", uuid()}, {"body", "not this one"}})));
        std::vector<std::string> seen;
        std::int64_t last = std::numeric_limits<std::int64_t>::max();
        json fields = {{"query", "paged item "}, {"limit", 10}};
        int pages = 0;
        for (;; ++pages) {
            const json page = m_alice->request("message.search", fields);
            QVERIFY2(isOk(page), page.dump().c_str());
            for (const auto &hit : page["result"]["results"]) {
                seen.push_back(hit["message"]["id"]);
                QVERIFY(hit["message"]["createdAt"].get<std::int64_t>() <= last);
                last = hit["message"]["createdAt"];
            }
            if (!page["result"].contains("next"))
                break;
            fields["cursor"] = page["result"]["next"];
        }
        QCOMPARE(pages, 4);
        QCOMPARE(seen.size(), sent.size());
        QCOMPARE(std::set<std::string>(seen.begin(), seen.end()), sent);
    }

    // Many rounds: Bob joins, fires searches, and leaves (or Alice removes him) while they run.
    // Every reply after the event that told Bob he is out holds nothing of the party.
    void leavingWhileSearching_noResultAfterBeingTold()
    {
        QVERIFY(isOk(m_alice->request("message.send", {{"topicId", m_party.topicId}, {"clientMsgId", uuid()}, {"body", "raced secret"}})));
        int foundBefore = 0;
        for (int round = 0; round < 30; ++round) {
            QVERIFY(Harness::join(m_alice, m_party.partyId, m_bob));
            m_bob->received.clear();
            std::vector<std::int64_t> searches;
            for (int i = 0; i < 3; ++i)
                searches.push_back(m_bob->post("message.search", {{"query", "raced secret"}}));
            if (round % 2)
                m_alice->post("member.kick", {{"partyId", m_party.partyId}, {"userId", m_bob.login.userId}});
            else
                m_bob->post("party.leave", {{"partyId", m_party.partyId}});
            for (int i = 0; i < 3; ++i)
                searches.push_back(m_bob->post("message.search", {{"query", "raced secret"}}));
            const auto isOut = [&](const json &frame) {
                return frame.value("event", std::string()) == "member.left" && frame["data"]["userId"] == m_bob.login.userId;
            };
            QVERIFY(QTest::qWaitFor([&] {
                int answered = 0, out = 0;
                for (const json &frame : m_bob->received) {
                    answered += frame.contains("id") && std::find(searches.begin(), searches.end(), frame["id"].get<std::int64_t>()) != searches.end();
                    out += isOut(frame);
                }
                return answered == int(searches.size()) && out == 1;
            }, 10000));
            bool told = false;
            for (const json &frame : m_bob->received) {
                told = told || isOut(frame);
                if (frame.contains("id") && std::find(searches.begin(), searches.end(), frame["id"].get<std::int64_t>()) != searches.end()) {
                    if (told)
                        QVERIFY2(resultsFrom(frame, m_party.partyId) == 0, ("round " + std::to_string(round) + ": " + frame.dump()).c_str());
                    else
                        foundBefore += resultsFrom(frame, m_party.partyId);
                }
            }
            QVERIFY(m_bob->request("message.search", {{"query", "raced secret"}})["result"]["results"].empty());
            QTest::qWait(400);   // under the request rate: eight requests a round
        }
        // The searches before the leave did find it: the test can tell the two apart.
        QVERIFY(foundBefore > 0);
    }
};

QTEST_GUILESS_MAIN(TestE2eSearch)
#include "tst_e2e_search.moc"
