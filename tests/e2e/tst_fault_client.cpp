// SPDX-License-Identifier: GPL-3.0-or-later
// A client frozen (SIGSTOP) past the idle timeout is taken offline for the others; thawed, it
// finds its connection gone, comes back, and catches up with nothing lost.

#include "e2efixture.h"

#include <QProcess>

#include <csignal>

using namespace chatterbox::test;

namespace {

std::function<bool(const json &)> presenceOf(const std::string &userId, const std::string &status)
{
    return [=](const json &d) { return d["userId"] == userId && d["status"] == status; };
}

} // namespace

class TestFaultClient : public QObject {
    Q_OBJECT

    Harness m_harness{{QStringLiteral("--ping-interval"), QStringLiteral("1"), QStringLiteral("--idle-timeout"), QStringLiteral("3")}};

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_harness.start()); }

    void frozenClient_takenOffline_thenResumesWithNothingLost()
    {
        Person alice = m_harness.connect(QStringLiteral("alice"));
        const auto [partyId, topicId] = Harness::createParty(alice, "Freezer");
        Person bob = m_harness.connect(QStringLiteral("bob"));
        QVERIFY(Harness::join(alice, partyId, bob));
        for (int i = 0; i < 5; ++i)
            QVERIFY(isOk(alice->request("message.send", {{"topicId", topicId}, {"clientMsgId", uuid()}, {"body", "before " + std::to_string(i)}})));
        alice->events.clear();
        bob->close();
        QVERIFY(alice->waitForEvent("presence.updated", presenceOf(bob.login.userId, "offline")));

        alice->events.clear();
        QProcess process;
        QByteArray out;
        process.start(QStringLiteral(CHATTERBOX_TEST_CLIENT), {m_harness.server().webSocketUrl().toString(),
                                                               QString::fromLatin1(bob.login.accessToken), QString::fromStdString(topicId)});
        QVERIFY(process.waitForStarted());
        QVERIFY(QTest::qWaitFor([&] { out += process.readAllStandardOutput(); return out.contains("ready"); }, 10000));
        QVERIFY2(out.contains("held 5 5"), out.constData());
        QVERIFY(alice->waitForEvent("presence.updated", presenceOf(bob.login.userId, "online")));

        alice->events.clear();
        ::kill(static_cast<pid_t>(process.processId()), SIGSTOP);
        // Past the idle timeout (3 s) plus a sweep: the others see him go.
        QVERIFY(alice->waitForEvent("presence.updated", presenceOf(bob.login.userId, "offline"), 10000));
        for (int i = 0; i < 20; ++i)
            QVERIFY(isOk(alice->request("message.send", {{"topicId", topicId}, {"clientMsgId", uuid()}, {"body", "while frozen " + std::to_string(i)}})));
        out.clear();
        alice->events.clear();
        ::kill(static_cast<pid_t>(process.processId()), SIGCONT);

        // Thawed: it learns the connection is gone, reconnects and syncs.
        QVERIFY2(QTest::qWaitFor([&] { out += process.readAllStandardOutput(); return out.contains("held 25 25"); }, 30000),
                 out.constData());
        QVERIFY2(out.contains("disconnected"), out.constData());
        QVERIFY(alice->waitForEvent("presence.updated", presenceOf(bob.login.userId, "online")));
        // And goes on receiving live.
        QVERIFY(isOk(alice->request("message.send", {{"topicId", topicId}, {"clientMsgId", uuid()}, {"body", "after"}})));
        QVERIFY2(QTest::qWaitFor([&] { out += process.readAllStandardOutput(); return out.contains("held 26 26"); }, 10000),
                 out.constData());
        process.kill();
        process.waitForFinished(5000);
        // Its idle close is logged once, not on every sweep until the connection is gone.
        QCOMPARE(m_harness.server().output().count(QStringLiteral("silent for")), 1);
    }
};

QTEST_GUILESS_MAIN(TestFaultClient)
#include "tst_fault_client.moc"
