// SPDX-License-Identifier: GPL-3.0-or-later
// Live state that is never stored: who is online, idle or gone (also when a client process is
// killed outright), who is typing, and profile changes, each reaching exactly the people who
// share a party.

#include "e2efixture.h"

#include <QProcess>

using namespace chatterbox::test;

class TestE2ePresence : public QObject {
    Q_OBJECT

    Harness m_harness{{QStringLiteral("--ping-interval"), QStringLiteral("1"), QStringLiteral("--idle-timeout"), QStringLiteral("3")}};
    Person m_alice, m_bob, m_stranger;
    std::string m_partyId, m_topicId;

    std::function<bool(const json &)> presenceOf(const std::string &userId, const char *status)
    {
        return [userId, status](const json &d) { return d["userId"] == userId && d["status"] == status; };
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_harness.start());
        m_alice = m_harness.connect(QStringLiteral("alice"));
        const auto ids = Harness::createParty(m_alice, "Watchers");
        m_partyId = ids.partyId;
        m_topicId = ids.topicId;
        m_bob = m_harness.connect(QStringLiteral("bob"));
        QVERIFY(Harness::join(m_alice, m_partyId, m_bob));
        m_stranger = m_harness.connect(QStringLiteral("stranger"));
    }

    void ready_carriesPresenceOfMembers()
    {
        Person again = m_harness.reconnect(m_bob);
        QCOMPARE(again.ready["presence"][m_alice.login.userId].get<std::string>(), std::string("online"));
        QVERIFY(!again.ready["presence"].contains(m_stranger.login.userId));
    }

    void idleAndBack_fromAllConnections()
    {
        Person second = m_harness.reconnect(m_bob);
        QVERIFY(isOk(second->request("presence.set", {{"status", "idle"}})));
        // Bob's first connection is still active: he stays online.
        QVERIFY(m_alice->noEvent("presence.updated", 300));
        QVERIFY(isOk(m_bob->request("presence.set", {{"status", "idle"}})));
        QVERIFY(m_alice->waitForEvent("presence.updated", presenceOf(m_bob.login.userId, "idle")));
        QVERIFY(isOk(m_bob->request("presence.set", {{"status", "online"}})));
        QVERIFY(m_alice->waitForEvent("presence.updated", presenceOf(m_bob.login.userId, "online")));
        QCOMPARE(int(m_stranger->events.size()), 0);
    }

    void killedClientProcess_showsOffline()
    {
        const Login carol = m_harness.server().login(QStringLiteral("carol"));
        {
            Person c = m_harness.connect(QStringLiteral("carol"));
            QVERIFY(Harness::join(m_alice, m_partyId, c));
        }
        QVERIFY(m_alice->waitForEvent("presence.updated", presenceOf(carol.userId, "offline")));

        QProcess process;
        process.start(QStringLiteral(CHATTERBOX_TEST_CLIENT), {m_harness.server().webSocketUrl().toString(), QString::fromLatin1(carol.accessToken)});
        QVERIFY(process.waitForStarted());
        QVERIFY(QTest::qWaitFor([&] { return process.readAllStandardOutput().contains("ready") || process.state() == QProcess::NotRunning; }, 10000));
        QVERIFY(m_alice->waitForEvent("presence.updated", presenceOf(carol.userId, "online")));
        process.kill(); // SIGKILL: no close frame, no goodbye
        QVERIFY(process.waitForFinished(5000));
        QElapsedTimer timer;
        timer.start();
        // Within the idle timeout (3 s here) plus a sweep.
        QVERIFY(m_alice->waitForEvent("presence.updated", presenceOf(carol.userId, "offline"), 6000));
        qInfo("offline %lld ms after SIGKILL", static_cast<long long>(timer.elapsed()));
    }

    void typing_reachesOtherMembersOnly_throttled()
    {
        QVERIFY(isOk(m_alice->request("typing.start", {{"topicId", m_topicId}})));
        const auto typing = m_bob->waitForEvent("typing");
        QVERIFY(typing);
        QCOMPARE((*typing)["userId"].get<std::string>(), m_alice.login.userId);
        QCOMPARE((*typing)["topicId"].get<std::string>(), m_topicId);
        // Again at once: accepted, but nobody is told twice within the interval.
        QVERIFY(isOk(m_alice->request("typing.start", {{"topicId", m_topicId}})));
        QVERIFY(m_bob->noEvent("typing", 500));
        QVERIFY(m_alice->noEvent("typing", 0));
        for (const auto &e : m_stranger->events)
            QVERIFY(e["event"] != "typing");
        QCOMPARE(errorCode(m_stranger->request("typing.start", {{"topicId", m_topicId}})), std::string("not_found"));
        QVERIFY(m_alice->noEvent("typing", 300));
    }

    void profileChange_toPartyMembersOnce()
    {
        QVERIFY(isOk(m_bob->request("profile.update", {{"displayName", "Robert"}, {"avatarUrl", "https://example.org/r.png"}})));
        const auto updated = m_alice->waitForEvent("profile.updated");
        QVERIFY(updated);
        QCOMPARE((*updated)["user"]["displayName"].get<std::string>(), std::string("Robert"));
        QVERIFY(m_alice->noEvent("profile.updated", 300));
        for (const auto &e : m_stranger->events)
            QVERIFY(e["event"] != "profile.updated");
        // Everyone sees the new name in the member list from now on.
        Person again = m_harness.reconnect(m_alice);
        bool found = false;
        for (const auto &m : again.ready["parties"][0]["members"])
            found = found || (m["userId"] == m_bob.login.userId && m["displayName"] == "Robert" && m["avatarUrl"] == "https://example.org/r.png");
        QVERIFY(found);
    }
};

QTEST_GUILESS_MAIN(TestE2ePresence)
#include "tst_e2e_presence.moc"
