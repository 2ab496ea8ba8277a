// SPDX-License-Identifier: GPL-3.0-or-later
// Invites through the real handlers: who may make them, what a preview shows, and that
// concurrent joins never pass an invite's limit.

#include "dbfixture.h"
#include "shared/validation.h"

#include <QTest>

#include <thread>

using namespace chatterbox;
using namespace chatterbox::server;
using namespace chatterbox::protocol;

class TestInviteStore : public QObject {
    Q_OBJECT

    test::TestDatabase m_db;
    std::string m_owner, m_member, m_stranger;

    static Outcome create(pqxx::connection &c, const std::string &user, const std::string &partyId,
                          std::optional<std::int64_t> expires = {}, std::optional<int> uses = {})
    {
        pqxx::work tx(c);
        auto o = handlers::createInvite(tx, RequestContext{user, "https://chat.example.org"}, CreateInvite{partyId, expires, uses});
        tx.commit();
        return o;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_db.isValid(), qPrintable(m_db.error()));
        QVERIFY(m_db.migrate());
        m_owner = test::createUser(m_db.url(), "Owner");
        m_member = test::createUser(m_db.url(), "Member");
        m_stranger = test::createUser(m_db.url(), "Stranger");
    }

    void create_ownerOrAdminOnly_codeIsLongAndRandom()
    {
        pqxx::connection c(m_db.url());
        const auto [partyId, topicId] = test::makeParty(c, m_owner, {m_member});
        QCOMPARE(test::errorCode(create(c, m_member, partyId)), std::string("forbidden"));
        QCOMPARE(test::errorCode(create(c, m_stranger, partyId)), std::string("not_found"));
        const auto a = create(c, m_owner, partyId, 3600, 5);
        const auto b = create(c, m_owner, partyId);
        QVERIFY(a.ok() && b.ok());
        const std::string code = a.resultJson()["invite"]["code"];
        QCOMPARE(code.size(), std::size_t(22));
        QVERIFY(isInviteCode(code));
        QVERIFY(code != b.resultJson()["invite"]["code"].get<std::string>());
        QCOMPARE(a.resultJson()["invite"]["url"].get<std::string>(), "https://chat.example.org/invite/" + code);
        QCOMPARE(a.resultJson()["invite"]["maxUses"].get<int>(), 5);
        QVERIFY(a.resultJson()["invite"].contains("expiresAt"));
        QVERIFY(!b.resultJson()["invite"].contains("expiresAt"));
    }

    void preview_showsOnlyWhatAJoinerNeeds()
    {
        pqxx::connection c(m_db.url());
        const auto [partyId, topicId] = test::makeParty(c, m_owner, {m_member});
        const std::string code = create(c, m_owner, partyId).resultJson()["invite"]["code"];
        const auto o = test::run(c, handlers::previewInvite, m_stranger, PreviewInvite{code});
        QVERIFY(o.ok());
        const auto p = o.resultJson()["preview"];
        QCOMPARE(p["partyName"].get<std::string>(), std::string("Test party"));
        QCOMPARE(p["memberCount"].get<int>(), 2);
        QCOMPARE(p["inviterName"].get<std::string>(), std::string("Owner"));
        QVERIFY(!p["alreadyMember"].get<bool>());
        QVERIFY(!p.contains("partyId"));
        QCOMPARE(test::errorCode(test::run(c, handlers::previewInvite, m_stranger, PreviewInvite{"AAAAAAAAAAAAAAAAAAAAAA"})),
                 std::string("not_found"));
    }

    void join_addsMember_onceOnly()
    {
        pqxx::connection c(m_db.url());
        const auto [partyId, topicId] = test::makeParty(c, m_owner);
        for (int i = 0; i < 3; ++i)
            test::run(c, handlers::sendMessage, m_owner, SendMessage{topicId, test::newUuid(), "before you came"});
        const std::string code = create(c, m_owner, partyId).resultJson()["invite"]["code"];
        const auto joined = test::run(c, handlers::joinInvite, m_stranger, JoinInvite{code});
        QVERIFY(joined.ok());
        QCOMPARE(joined.resultJson()["party"]["id"].get<std::string>(), partyId);
        QCOMPARE(joined.events.size(), std::size_t(2));
        QVERIFY(std::holds_alternative<PartyJoined>(joined.events[0].event));
        QCOMPARE(joined.events[0].recipientUserId, m_stranger);
        QVERIFY(std::holds_alternative<MemberJoined>(joined.events[1].event));
        // Again: already in, nothing spent, nothing announced.
        const auto again = test::run(c, handlers::joinInvite, m_stranger, JoinInvite{code});
        QVERIFY(again.ok());
        QVERIFY(again.events.empty());
        pqxx::work tx(c);
        QCOMPARE(tx.exec_params1("SELECT uses FROM invites WHERE code = $1", code)[0].as<int>(), 1);
        // A newcomer starts with the history before them marked read.
        QCOMPARE(tx.exec_params1("SELECT last_read_seq FROM read_states WHERE user_id = $1 AND topic_id = $2",
                                 m_stranger, topicId)[0].as<int>(), 3);
    }

    void concurrentJoins_neverPassMaxUses()
    {
        pqxx::connection c(m_db.url());
        const auto [partyId, topicId] = test::makeParty(c, m_owner);
        const std::string code = create(c, m_owner, partyId, std::nullopt, 5).resultJson()["invite"]["code"];
        std::vector<std::string> joiners;
        for (int i = 0; i < 24; ++i)
            joiners.push_back(test::createUser(m_db.url(), "joiner " + std::to_string(i)));
        std::atomic<int> joined{0}, refused{0}, failed{0};
        std::vector<std::thread> threads;
        for (const auto &userId : joiners) {
            threads.emplace_back([&, userId] {
                try {
                    pqxx::connection own(m_db.url());
                    const auto o = test::run(own, handlers::joinInvite, userId, JoinInvite{code});
                    (o.ok() ? joined : refused)++;
                } catch (const std::exception &) {
                    ++failed;
                }
            });
        }
        for (auto &t : threads)
            t.join();
        QCOMPARE(failed.load(), 0);
        QCOMPARE(joined.load(), 5);
        QCOMPARE(refused.load(), 19);
        pqxx::work tx(c);
        QCOMPARE(tx.exec_params1("SELECT uses FROM invites WHERE code = $1", code)[0].as<int>(), 5);
        QCOMPARE(tx.exec_params1("SELECT count(*) FROM members WHERE party_id = $1", partyId)[0].as<int>(), 6);
    }

    void expiredOrRevoked_isDead()
    {
        pqxx::connection c(m_db.url());
        const auto [partyId, topicId] = test::makeParty(c, m_owner);
        const std::string expiring = create(c, m_owner, partyId, 60).resultJson()["invite"]["code"];
        const std::string revoking = create(c, m_owner, partyId).resultJson()["invite"]["code"];
        {
            pqxx::work tx(c);
            tx.exec_params0("UPDATE invites SET expires_at = now() - interval '1 second' WHERE code = $1", expiring);
            tx.commit();
        }
        QCOMPARE(test::errorCode(test::run(c, handlers::joinInvite, m_stranger, JoinInvite{expiring})), std::string("not_found"));
        QCOMPARE(test::errorCode(test::run(c, handlers::revokeInvite, m_member, RevokeInvite{partyId, revoking})), std::string("not_found"));
        QVERIFY(test::run(c, handlers::revokeInvite, m_owner, RevokeInvite{partyId, revoking}).ok());
        QCOMPARE(test::errorCode(test::run(c, handlers::previewInvite, m_stranger, PreviewInvite{revoking})), std::string("not_found"));
        pqxx::work tx(c);
        auto list = handlers::listInvites(tx, RequestContext{m_owner, "https://x"}, ListInvites{partyId});
        QVERIFY(list.ok());
        QCOMPARE(int(list.resultJson()["invites"].size()), 0);
    }
};

QTEST_GUILESS_MAIN(TestInviteStore)
#include "tst_invitestore.moc"
