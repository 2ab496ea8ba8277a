// SPDX-License-Identifier: GPL-3.0-or-later
// What others see of a person through the app's PresenceReporter and the real server: online,
// idle after the idle time without input, back online at the next input, "do not disturb" for a
// while or in quiet hours, and the same again after a reconnect (a new connection starts online).

#include "appfixture.h"

#include "app/core/preferences.h"
#include "app/core/presencereporter.h"

#include <QTemporaryDir>

using namespace chatterbox;
using namespace chatterbox::test;

class TestE2EAppPresence : public QObject {
    Q_OBJECT

    Harness m_harness;

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_harness.start()); }

    void idleDoNotDisturbAndBack_asOthersSeeIt()
    {
        QTemporaryDir dir;
        app::Preferences preferences(dir.filePath(QStringLiteral("settings.ini")));
        preferences.setIdleMinutes(10);
        MemorySecretStore secrets;
        App paula(QStringLiteral("Paula"), secrets, {});
        QVERIFY(paula.signIn(m_harness.server().httpUrl(QString())));
        QDateTime now = QDateTime(QDate(2026, 3, 2), QTime(12, 0));
        app::PresenceReporter reporter(paula.connection, preferences, [&now] { return now; });
        QVERIFY(paula.connect());
        Person friendOf = m_harness.connect(QStringLiteral("Quentin"));
        const json created = paula.call("party.create", {{"name", "Walks"}});
        const json invite = paula.call("invite.create", {{"partyId", created["party"]["id"]}});
        QVERIFY(isOk(friendOf->request("invite.join", {{"code", invite["invite"]["code"]}})));
        const std::string me = paula.store.me().id;
        const auto seen = [&](const char *status) {
            return friendOf->waitForEvent("presence.updated", [&](const json &d) { return d["userId"] == me && d["status"] == status; });
        };

        // Nine minutes without input: still online. Eleven: idle. A key: online again.
        now = now.addSecs(9 * 60);
        reporter.check();
        QVERIFY(friendOf->noEvent("presence.updated", 300));
        QCOMPARE(reporter.wanted(), protocol::Presence::Online);
        now = now.addSecs(2 * 60);
        reporter.check();
        QVERIFY(seen("idle"));
        friendOf->events.clear();
        reporter.noteActivity();
        QVERIFY(seen("online"));

        // Do not disturb for an hour: seen at once, and again after a reconnect.
        friendOf->events.clear();
        preferences.setMuteAllUntil(now.addSecs(3600));
        QVERIFY(seen("dnd"));
        friendOf->events.clear();
        paula.connection.reconnectNow();
        QVERIFY(seen("dnd"));
        // Past the hour, online.
        friendOf->events.clear();
        now = now.addSecs(3601);
        reporter.noteActivity();
        reporter.check();
        QVERIFY(seen("online"));

        // Quiet hours from 22:00 to 08:00: do not disturb at 23:30, not at 08:30.
        preferences.setQuietHours({true, QTime(22, 0), QTime(8, 0)});
        friendOf->events.clear();
        now = QDateTime(now.date(), QTime(23, 30));
        reporter.noteActivity();
        reporter.check();
        QVERIFY(seen("dnd"));
        friendOf->events.clear();
        now = QDateTime(now.date().addDays(1), QTime(8, 30));
        reporter.noteActivity();
        reporter.check();
        QVERIFY(seen("online"));
    }

    void quietHours_withinADayAndThroughMidnight()
    {
        QTemporaryDir dir;
        app::Preferences preferences(dir.filePath(QStringLiteral("settings.ini")));
        const QDate day(2026, 3, 2);
        QVERIFY(!preferences.isDoNotDisturb(QDateTime(day, QTime(23, 0))));   // off by default
        preferences.setQuietHours({true, QTime(22, 0), QTime(8, 0)});
        QVERIFY(preferences.isDoNotDisturb(QDateTime(day, QTime(22, 0))));
        QVERIFY(preferences.isDoNotDisturb(QDateTime(day, QTime(3, 0))));
        QVERIFY(!preferences.isDoNotDisturb(QDateTime(day, QTime(8, 0))));
        QVERIFY(!preferences.isDoNotDisturb(QDateTime(day, QTime(12, 0))));
        preferences.setQuietHours({true, QTime(9, 0), QTime(17, 0)});
        QVERIFY(preferences.isDoNotDisturb(QDateTime(day, QTime(12, 0))));
        QVERIFY(!preferences.isDoNotDisturb(QDateTime(day, QTime(18, 0))));
        preferences.setQuietHours({true, QTime(9, 0), QTime(9, 0)});   // no time at all
        QVERIFY(!preferences.isDoNotDisturb(QDateTime(day, QTime(9, 0))));
        // Settings survive a restart, and a hostile idle time is clamped.
        preferences.setIdleMinutes(100000);
        app::Preferences again(dir.filePath(QStringLiteral("settings.ini")));
        QCOMPARE(again.idleMinutes(), 240);
        QCOMPARE(again.quietHours().from, QTime(9, 0));
    }
};

QTEST_GUILESS_MAIN(TestE2EAppPresence)
#include "tst_e2e_apppresence.moc"
