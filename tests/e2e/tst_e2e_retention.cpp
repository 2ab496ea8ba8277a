// SPDX-License-Identifier: GPL-3.0-or-later
// --retention-days: messages older than that go by themselves, as deletes the members' apps
// hear of, with their text gone from the change log; newer ones stay.

#include "e2efixture.h"

using namespace chatterbox::test;

class TestE2eRetention : public QObject {
    Q_OBJECT

    Harness m_harness{{QStringLiteral("--retention-days"), QStringLiteral("30")}};

    long long count(const std::string &sql, const std::string &parameter) { return m_harness.count(sql, parameter); }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_harness.start()); }

    void oldMessagesGo_newOnesStay()
    {
        Person alice = m_harness.connect(QStringLiteral("keeper"));
        Person bob = m_harness.connect(QStringLiteral("writer"));
        const auto party = Harness::createParty(alice, "Kept a month");
        QVERIFY(Harness::join(alice, party.partyId, bob));
        const auto send = [&](Person &who, const std::string &body) {
            const json reply = who->request("message.send", {{"topicId", party.topicId},
                                                             {"clientMsgId", QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString()},
                                                             {"body", body}});
            return isOk(reply) ? reply["result"]["message"]["id"].get<std::string>() : std::string();
        };
        const std::string old = send(bob, "old-news-" + party.partyId);
        const std::string older = send(alice, "older-news-" + party.partyId);
        const std::string fresh = send(bob, "fresh-news");
        QVERIFY(!old.empty() && !older.empty() && !fresh.empty());
        // Bob leaves: his old message goes all the same.
        QVERIFY(isOk(bob->request("party.leave", {{"partyId", party.partyId}})));
        {
            pqxx::connection c(m_harness.databaseUrl());
            pqxx::work tx(c);
            tx.exec_params0("UPDATE messages SET created_at = now() - interval '31 days' WHERE id IN ($1, $2)", old, older);
            tx.exec_params0("UPDATE events SET created_at = now() - interval '31 days' WHERE payload->'message'->>'id' = $1", old);
            tx.commit();
        }
        // The sweep runs a second after a start, then every minute: a restart makes it come now.
        QVERIFY(m_harness.server().restart());
        Person reader = m_harness.reconnect(alice);
        QVERIFY(reader.ready.is_object());
        const auto liveMessages = [&] {
            const json history = reader->request("message.history", {{"topicId", party.topicId}});
            int live = 0;
            for (const auto &m : history["result"]["messages"])
                live += m.value("deleted", false) ? 0 : 1;
            return isOk(history) ? live : -1;
        };
        QTRY_COMPARE_WITH_TIMEOUT(liveMessages(), 1, 20000);
        QCOMPARE(count("SELECT count(*) FROM messages WHERE id = $1::uuid AND deleted_at IS NULL", fresh), 1LL);
        QCOMPARE(count("SELECT count(*) FROM messages WHERE id = $1::uuid AND deleted_at IS NOT NULL AND body = ''", old), 1LL);
        QCOMPARE(count("SELECT count(*) FROM events WHERE strpos(payload::text, $1) > 0", "old-news-" + party.partyId), 0LL);
        QCOMPARE(count("SELECT count(*) FROM events WHERE strpos(payload::text, $1) > 0", "older-news-" + party.partyId), 0LL);
        // The deletes are in the change log, for apps that catch up.
        QVERIFY(count("SELECT count(*) FROM events WHERE kind = 'message.deleted' AND payload->'message'->>'id' = $1", older) == 1);
    }
};

QTEST_GUILESS_MAIN(TestE2eRetention)
#include "tst_e2e_retention.moc"
