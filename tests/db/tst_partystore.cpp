// SPDX-License-Identifier: GPL-3.0-or-later
// Parties, members and topics: who may do what, through the real handlers on a real database.

#include "dbfixture.h"

#include <QTest>

using namespace chatterbox;
using namespace chatterbox::server;
using namespace chatterbox::protocol;

class TestPartyStore : public QObject {
    Q_OBJECT

    test::TestDatabase m_db;
    std::string m_owner, m_admin, m_member, m_other, m_stranger;

    std::string role(pqxx::connection &c, const std::string &partyId, const std::string &userId)
    {
        pqxx::work tx(c);
        const auto r = tx.exec_params("SELECT role FROM members WHERE party_id = $1 AND user_id = $2", partyId, userId);
        return r.empty() ? std::string("none") : r[0][0].as<std::string>();
    }

    std::string partyWithRoles(pqxx::connection &c)
    {
        const auto [partyId, topicId] = test::makeParty(c, m_owner, {m_admin, m_member, m_other});
        pqxx::work tx(c);
        tx.exec_params0("UPDATE members SET role = 'admin' WHERE party_id = $1 AND user_id = $2", partyId, m_admin);
        tx.commit();
        return partyId;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_db.isValid(), qPrintable(m_db.error()));
        QVERIFY2(m_db.migrate(), qPrintable(m_db.error()));
        m_owner = test::createUser(m_db.url(), "Owner");
        m_admin = test::createUser(m_db.url(), "Admin");
        m_member = test::createUser(m_db.url(), "Member");
        m_other = test::createUser(m_db.url(), "Other");
        m_stranger = test::createUser(m_db.url(), "Stranger");
    }

    void create_ownerAndGeneralTopic()
    {
        pqxx::connection c(m_db.url());
        const auto o = test::run(c, handlers::createParty, m_owner, CreateParty{"Book club"});
        QVERIFY(o.ok());
        const auto party = o.resultJson()["party"];
        QCOMPARE(party["name"].get<std::string>(), std::string("Book club"));
        QCOMPARE(party["ownerId"].get<std::string>(), m_owner);
        QCOMPARE(int(party["topics"].size()), 1);
        QCOMPARE(party["topics"][0]["name"].get<std::string>(), std::string("general"));
        QCOMPARE(party["members"][0]["role"].get<std::string>(), std::string("owner"));
        QCOMPARE(o.events.size(), std::size_t(1));
        QVERIFY(std::holds_alternative<PartyCreated>(o.events[0].event));
    }

    void roles_whoMayManageWhom_data()
    {
        QTest::addColumn<QString>("actor");
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("action");
        QTest::addColumn<QString>("expected");
        QTest::newRow("owner promotes member") << "owner" << "member" << "promote" << "";
        QTest::newRow("owner demotes admin") << "owner" << "admin" << "demote" << "";
        QTest::newRow("owner kicks admin") << "owner" << "admin" << "kick" << "";
        QTest::newRow("admin kicks member") << "admin" << "member" << "kick" << "";
        QTest::newRow("admin promotes member") << "admin" << "member" << "promote" << "";
        QTest::newRow("admin demotes admin") << "admin" << "admin2" << "demote" << "forbidden";
        QTest::newRow("admin kicks owner") << "admin" << "owner" << "kick" << "forbidden";
        QTest::newRow("member kicks member") << "member" << "other" << "kick" << "forbidden";
        QTest::newRow("member promotes self") << "member" << "member" << "promote" << "forbidden";
        QTest::newRow("owner kicks self") << "owner" << "owner" << "kick" << "forbidden";
        QTest::newRow("stranger kicks member") << "stranger" << "member" << "kick" << "not_found";
        QTest::newRow("owner kicks stranger") << "owner" << "stranger" << "kick" << "not_found";
    }
    void roles_whoMayManageWhom()
    {
        QFETCH(QString, actor);
        QFETCH(QString, target);
        QFETCH(QString, action);
        QFETCH(QString, expected);
        pqxx::connection c(m_db.url());
        const std::string partyId = partyWithRoles(c);
        const auto who = [&](const QString &name) {
            if (name == QLatin1String("owner")) return m_owner;
            if (name == QLatin1String("admin") || name == QLatin1String("admin2")) return m_admin;
            if (name == QLatin1String("member")) return m_member;
            if (name == QLatin1String("other")) return m_other;
            return m_stranger;
        };
        std::string actorId = who(actor);
        if (target == QLatin1String("admin2")) {
            // Two admins: the actor is another admin.
            pqxx::work tx(c);
            tx.exec_params0("UPDATE members SET role = 'admin' WHERE party_id = $1 AND user_id = $2", partyId, m_other);
            tx.commit();
            actorId = m_other;
        }
        Outcome o;
        if (action == QLatin1String("kick"))
            o = test::run(c, handlers::kickMember, actorId, KickMember{partyId, who(target)});
        else
            o = test::run(c, handlers::setMemberRole, actorId,
                          SetMemberRole{partyId, who(target), action == QLatin1String("promote") ? Role::Admin : Role::Member});
        QCOMPARE(QString::fromStdString(test::errorCode(o)), expected);
        if (expected.isEmpty() && action == QLatin1String("kick"))
            QCOMPARE(role(c, partyId, who(target)), std::string("none"));
    }

    void transfer_swapsOwnerAndAdmin()
    {
        pqxx::connection c(m_db.url());
        const std::string partyId = partyWithRoles(c);
        QCOMPARE(test::errorCode(test::run(c, handlers::transferOwnership, m_admin, TransferOwnership{partyId, m_admin})),
                 std::string("forbidden"));
        const auto o = test::run(c, handlers::transferOwnership, m_owner, TransferOwnership{partyId, m_member});
        QVERIFY(o.ok());
        QCOMPARE(role(c, partyId, m_member), std::string("owner"));
        QCOMPARE(role(c, partyId, m_owner), std::string("admin"));
        QCOMPARE(o.resultJson()["party"]["ownerId"].get<std::string>(), m_member);
        QCOMPARE(o.events.size(), std::size_t(3));
    }

    void leave_ownerMustTransferFirst()
    {
        pqxx::connection c(m_db.url());
        const std::string partyId = partyWithRoles(c);
        QCOMPARE(test::errorCode(test::run(c, handlers::leaveParty, m_owner, LeaveParty{partyId})), std::string("conflict"));
        QVERIFY(test::run(c, handlers::leaveParty, m_member, LeaveParty{partyId}).ok());
        QCOMPARE(role(c, partyId, m_member), std::string("none"));
        QCOMPARE(test::errorCode(test::run(c, handlers::leaveParty, m_member, LeaveParty{partyId})), std::string("not_found"));
    }

    void renameAndDelete_ownerOnly()
    {
        pqxx::connection c(m_db.url());
        const std::string partyId = partyWithRoles(c);
        QCOMPARE(test::errorCode(test::run(c, handlers::renameParty, m_admin, RenameParty{partyId, "x"})), std::string("forbidden"));
        QCOMPARE(test::errorCode(test::run(c, handlers::deleteParty, m_admin, DeleteParty{partyId})), std::string("forbidden"));
        QVERIFY(test::run(c, handlers::renameParty, m_owner, RenameParty{partyId, "Renamed"}).ok());
        QVERIFY(test::run(c, handlers::deleteParty, m_owner, DeleteParty{partyId}).ok());
        pqxx::work tx(c);
        QCOMPARE(tx.exec_params1("SELECT count(*) FROM topics WHERE party_id = $1", partyId)[0].as<int>(), 0);
        QCOMPARE(tx.exec_params1("SELECT count(*) FROM members WHERE party_id = $1", partyId)[0].as<int>(), 0);
    }

    void topics_createRenameReorderDelete()
    {
        pqxx::connection c(m_db.url());
        const std::string partyId = partyWithRoles(c);
        QCOMPARE(test::errorCode(test::run(c, handlers::createTopic, m_member, CreateTopic{partyId, "random"})), std::string("forbidden"));
        const auto created = test::run(c, handlers::createTopic, m_admin, CreateTopic{partyId, "random"});
        QVERIFY(created.ok());
        const std::string topicId = created.resultJson()["topic"]["id"];
        QCOMPARE(created.resultJson()["topic"]["position"].get<int>(), 1);
        QCOMPARE(test::errorCode(test::run(c, handlers::createTopic, m_admin, CreateTopic{partyId, "RANDOM"})), std::string("conflict"));
        QCOMPARE(test::errorCode(test::run(c, handlers::renameTopic, m_admin, RenameTopic{topicId, "General"})), std::string("conflict"));
        QVERIFY(test::run(c, handlers::renameTopic, m_admin, RenameTopic{topicId, "Random"}).ok());

        pqxx::work read(c);
        const std::string general = read.exec_params1("SELECT id FROM topics WHERE party_id = $1 AND name = 'general'", partyId)[0].as<std::string>();
        read.commit();
        QCOMPARE(test::errorCode(test::run(c, handlers::reorderTopics, m_admin, ReorderTopics{partyId, {topicId}})), std::string("invalid_request"));
        QVERIFY(test::run(c, handlers::reorderTopics, m_admin, ReorderTopics{partyId, {topicId, general}}).ok());
        pqxx::work check(c);
        QCOMPARE(check.exec_params1("SELECT position FROM topics WHERE id = $1", topicId)[0].as<int>(), 0);
        QCOMPARE(check.exec_params1("SELECT position FROM topics WHERE id = $1", general)[0].as<int>(), 1);
        check.commit();
        QCOMPARE(test::errorCode(test::run(c, handlers::deleteTopic, m_member, DeleteTopic{topicId})), std::string("forbidden"));
        QCOMPARE(test::errorCode(test::run(c, handlers::deleteTopic, m_stranger, DeleteTopic{topicId})), std::string("not_found"));
        QVERIFY(test::run(c, handlers::deleteTopic, m_owner, DeleteTopic{topicId}).ok());
    }

    void ready_snapshot_listsMyPartiesOnly()
    {
        test::TestDatabase db;
        QVERIFY(db.migrate());
        const auto me = test::createUser(db.url(), "Me");
        const auto you = test::createUser(db.url(), "You");
        pqxx::connection c(db.url());
        test::makeParty(c, me);
        test::makeParty(c, you);
        test::makeParty(c, you, {me});
        const auto o = test::run(c, handlers::ready, me, std::vector<std::string>{"message.sync"});
        QVERIFY(o.ok());
        QCOMPARE(o.resultJson()["me"]["displayName"].get<std::string>(), std::string("Me"));
        QCOMPARE(int(o.resultJson()["parties"].size()), 2);
        QCOMPARE(int(o.resultJson()["parties"][1]["members"].size()), 2);
        QVERIFY(o.snapshot);
        QCOMPARE(o.snapshot->partyIds.size(), std::size_t(2));
    }
};

QTEST_GUILESS_MAIN(TestPartyStore)
#include "tst_partystore.moc"
