// SPDX-License-Identifier: GPL-3.0-or-later
// What the app makes of people and of what a person wants to hear: notification levels (the
// person's for a topic, for a party, the owner's default, and what each lets the lists and the tray
// count), the carry-over of the old mutes, and how a profile says presence, last seen and a status
// line's expiry.

#include "app/core/models/partylistmodel.h"
#include "app/core/models/topiclistmodel.h"
#include "app/core/notifylevel.h"
#include "app/core/persontext.h"
#include "app/core/preferences.h"
#include "app/core/store.h"
#include "app/core/unreadcount.h"

#include <QAbstractItemModelTester>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace chatterbox;
using namespace chatterbox::app;
using namespace chatterbox::protocol;

namespace {

// Book Club (general: 5 unread, 1 of them a mention; books: 2 unread) and Climbing (routes: 4).
Ready twoParties()
{
    Ready r;
    r.me = {"me", "Dana", {}, {}};
    Party club{"p1", "Book Club", "ann", 0, {{"t1", "p1", "general", 0, 5, 5}, {"t2", "p1", "books", 1, 2, 2}}, {}};
    club.members = {{"me", "Dana", "", Role::Member, 0, ""}, {"ann", "Ann", "", Role::Owner, 0, ""}};
    Party climbing{"p2", "Climbing", "ann", 0, {{"t3", "p2", "routes", 0, 4, 4}}, club.members};
    r.parties = {club, climbing};
    r.readStates = {{"t1", 0, 5, 1}, {"t2", 0, 2, 0}, {"t3", 0, 4, 0}};
    return r;
}

QVariant level(NotifyLevel l) { return static_cast<int>(l); }

QDateTime at(int year, int month, int day, int hour, int minute)
{
    return QDateTime(QDate(year, month, day), QTime(hour, minute), QTimeZone::utc());
}

} // namespace

class TestAppPeople : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    std::unique_ptr<Preferences> freshPreferences()
    {
        return std::make_unique<Preferences>(m_dir.filePath(QString::fromLatin1(QTest::currentTestFunction()) + QStringLiteral(".ini")));
    }

private Q_SLOTS:
    void levels_topicBeatsParty_partyBeatsTheOwnersDefault()
    {
        Store store;
        store.applyReady(twoParties());
        const auto prefs = freshPreferences();
        const Party &club = *store.party("p1");
        QCOMPARE(topicLevel(prefs.get(), club, "t1"), NotifyLevel::All);
        // The owner's default reaches every topic the person has not chosen for.
        PartyUpdated updated{"p1", "Book Club", "ann", MassMentionRule::Admins, NotifyLevel::Mentions};
        store.applyEvent(updated);
        QCOMPARE(store.party("p1")->notifyDefault, NotifyLevel::Mentions);
        QCOMPARE(topicLevel(prefs.get(), *store.party("p1"), "t1"), NotifyLevel::Mentions);
        QCOMPARE(topicLevel(nullptr, *store.party("p1"), "t1"), NotifyLevel::Mentions);
        // The person's choice for the party beats it; their choice for a topic beats both.
        prefs->setPartyLevel(QStringLiteral("p1"), NotifyLevel::Nothing);
        QCOMPARE(topicLevel(prefs.get(), *store.party("p1"), "t1"), NotifyLevel::Nothing);
        prefs->setTopicLevel(QStringLiteral("t1"), NotifyLevel::All);
        QCOMPARE(topicLevel(prefs.get(), *store.party("p1"), "t1"), NotifyLevel::All);
        QCOMPARE(topicLevel(prefs.get(), *store.party("p1"), "t2"), NotifyLevel::Nothing);
        // Cleared, they follow again.
        prefs->setTopicLevel(QStringLiteral("t1"), std::nullopt);
        prefs->setPartyLevel(QStringLiteral("p1"), std::nullopt);
        QCOMPARE(topicLevel(prefs.get(), *store.party("p1"), "t1"), NotifyLevel::Mentions);
        QVERIFY(!prefs->partyLevel(QStringLiteral("p1")));
    }

    void countedUnread_asEachLevelLetsThrough()
    {
        const ReadState state{"t1", 3, 7, 2};
        QCOMPARE(countedUnread(NotifyLevel::All, state), 7);
        QCOMPARE(countedUnread(NotifyLevel::Mentions, state), 2);
        QCOMPARE(countedUnread(NotifyLevel::Nothing, state), 0);
    }

    void listsAndTray_followTheLevels()
    {
        Store store;
        const auto prefs = freshPreferences();
        TopicListModel topics(store);
        PartyListModel parties(store);
        topics.setPreferences(prefs.get());
        parties.setPreferences(prefs.get());
        QAbstractItemModelTester topicTester(&topics, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester partyTester(&parties, QAbstractItemModelTester::FailureReportingMode::QtTest);
        store.applyReady(twoParties());
        topics.setPartyId(QStringLiteral("p1"));
        QCOMPARE(unreadForBadge(store, *prefs), 11);
        QCOMPARE(parties.data(parties.index(0), PartyListModel::UnreadRole).toLongLong(), 7);

        // Mentions only for general: the list and the tray count its mention, not its messages.
        QSignalSpy topicChanged(&topics, &QAbstractItemModel::dataChanged);
        prefs->setTopicLevel(QStringLiteral("t1"), NotifyLevel::Mentions);
        QVERIFY(topicChanged.count() >= 1);
        QCOMPARE(topics.data(topics.index(0), TopicListModel::LevelRole), level(NotifyLevel::Mentions));
        QCOMPARE(topics.data(topics.index(1), TopicListModel::LevelRole), level(NotifyLevel::All));
        QCOMPARE(parties.data(parties.index(0), PartyListModel::UnreadRole).toLongLong(), 1 + 2);
        QCOMPARE(unreadForBadge(store, *prefs), 1 + 2 + 4);

        // Nothing for Climbing: gone from the tray, marked on the rail.
        prefs->setPartyLevel(QStringLiteral("p2"), NotifyLevel::Nothing);
        QCOMPARE(parties.data(parties.index(1), PartyListModel::LevelRole), level(NotifyLevel::Nothing));
        QCOMPARE(parties.data(parties.index(1), PartyListModel::UnreadRole).toLongLong(), 0);
        QCOMPARE(unreadForBadge(store, *prefs), 3);

        // The owner of Book Club makes nothing its default: books follows it, general keeps the
        // person's own mentions only, and the topic list redraws without being asked.
        topicChanged.clear();
        store.applyEvent(PartyUpdated{"p1", "Book Club", "ann", MassMentionRule::Admins, NotifyLevel::Nothing});
        QVERIFY(topicChanged.count() >= 1);
        QCOMPARE(topics.data(topics.index(1), TopicListModel::LevelRole), level(NotifyLevel::Nothing));
        QCOMPARE(topics.data(topics.index(0), TopicListModel::LevelRole), level(NotifyLevel::Mentions));
        QCOMPARE(unreadForBadge(store, *prefs), 1);
        QCOMPARE(parties.data(parties.index(0), PartyListModel::MentionsRole).toLongLong(), 1);
    }

    void oldMutes_becomeMentionsOnly_once()
    {
        const QString path = m_dir.filePath(QStringLiteral("old.ini"));
        {
            QSettings old(path, QSettings::IniFormat);
            old.setValue(QStringLiteral("notifications/mutedTopics"), QStringList{QStringLiteral("t1")});
            old.setValue(QStringLiteral("notifications/mutedParties"), QStringList{QStringLiteral("p2")});
        }
        {
            Preferences prefs(path);
            QCOMPARE(prefs.topicLevel(QStringLiteral("t1")), std::optional(NotifyLevel::Mentions));
            QCOMPARE(prefs.partyLevel(QStringLiteral("p2")), std::optional(NotifyLevel::Mentions));
            QVERIFY(!prefs.topicLevel(QStringLiteral("t2")));
            prefs.setTopicLevel(QStringLiteral("t1"), NotifyLevel::All);
            prefs.settings().sync();
        }
        Preferences again(path);
        QCOMPARE(again.topicLevel(QStringLiteral("t1")), std::optional(NotifyLevel::All));   // not carried over twice
        QVERIFY(!again.settings().contains(QStringLiteral("notifications/mutedTopics")));
    }

    void levels_damagedSettingsAreNoChoice()
    {
        const auto prefs = freshPreferences();
        prefs->settings().setValue(QStringLiteral("notifications/topicLevels/t1"), QStringLiteral("<b>loud</b>"));
        QVERIFY(!prefs->topicLevel(QStringLiteral("t1")));
    }

    void presence_andLastSeen_inWords()
    {
        const QDateTime now = at(2026, 12, 3, 15, 0);
        Status status;
        QCOMPARE(presenceText(Presence::Online, status, now), QStringLiteral("Online"));
        QCOMPARE(presenceText(Presence::DoNotDisturb, status, now), QStringLiteral("Do not disturb"));
        QCOMPARE(presenceText(Presence::Offline, status, now), QStringLiteral("Offline"));
        status.lastSeenAt = now.addSecs(-20).toMSecsSinceEpoch();
        QCOMPARE(presenceText(Presence::Offline, status, now), QStringLiteral("Offline · last seen just now"));
        status.lastSeenAt = now.addSecs(-5 * 60).toMSecsSinceEpoch();
        QCOMPARE(presenceText(Presence::Offline, status, now), QStringLiteral("Offline · last seen 5 minutes ago"));
        status.lastSeenAt = now.addSecs(-61).toMSecsSinceEpoch();
        QCOMPARE(presenceText(Presence::Offline, status, now), QStringLiteral("Offline · last seen a minute ago"));
        status.lastSeenAt = now.addSecs(-70 * 60).toMSecsSinceEpoch();
        QCOMPARE(presenceText(Presence::Offline, status, now), QStringLiteral("Offline · last seen an hour ago"));
        status.lastSeenAt = now.addSecs(-3 * 3600).toMSecsSinceEpoch();
        QCOMPARE(presenceText(Presence::Offline, status, now), QStringLiteral("Offline · last seen 3 hours ago"));
        status.lastSeenAt = at(2026, 12, 2, 21, 4).toMSecsSinceEpoch();
        QVERIFY(presenceText(Presence::Offline, status, now).startsWith(QStringLiteral("Offline · last seen yesterday at ")));
        status.lastSeenAt = at(2026, 11, 3, 9, 0).toMSecsSinceEpoch();
        QVERIFY(presenceText(Presence::Offline, status, now).startsWith(QStringLiteral("Offline · last seen on ")));
        // A clock that is behind the server's says just now, not a time in the future.
        status.lastSeenAt = now.addSecs(90).toMSecsSinceEpoch();
        QCOMPARE(presenceText(Presence::Offline, status, now), QStringLiteral("Offline · last seen just now"));
    }

    void status_shownUntilItsTime()
    {
        const QDateTime now = at(2026, 12, 3, 15, 0);
        Status status{"In a meeting", now.addSecs(1800).toMSecsSinceEpoch(), std::nullopt};
        QVERIFY(statusShown(status, now));
        QVERIFY(!statusShown(status, now.addSecs(1800)));
        QVERIFY(statusUntilText(status, now).startsWith(QStringLiteral("Until ")));
        QVERIFY(!statusUntilText(status, now).contains(QStringLiteral("tomorrow")));
        status.expiresAt = at(2026, 12, 4, 9, 0).toMSecsSinceEpoch();
        QVERIFY(statusUntilText(status, now).startsWith(QStringLiteral("Until tomorrow ")));
        status.expiresAt.reset();
        QVERIFY(statusShown(status, now));
        QVERIFY(statusUntilText(status, now).isEmpty());
        QVERIFY(!statusShown(Status{}, now));
    }

    void statusExpiry_asChosen()
    {
        const QDateTime thursday = at(2026, 12, 3, 15, 0);   // a Thursday
        QVERIFY(!statusExpiry(StatusClearAfter::Never, thursday, Qt::Monday));
        QCOMPARE(*statusExpiry(StatusClearAfter::HalfHour, thursday, Qt::Monday), thursday.addSecs(1800));
        QCOMPARE(*statusExpiry(StatusClearAfter::FourHours, thursday, Qt::Monday), thursday.addSecs(4 * 3600));
        QCOMPARE(*statusExpiry(StatusClearAfter::Today, thursday, Qt::Monday), at(2026, 12, 4, 0, 0));
        QCOMPARE(*statusExpiry(StatusClearAfter::ThisWeek, thursday, Qt::Monday), at(2026, 12, 7, 0, 0));
        QCOMPARE(*statusExpiry(StatusClearAfter::ThisWeek, thursday, Qt::Sunday), at(2026, 12, 6, 0, 0));
        // On the week's first day, this week ends at the start of the next one, not today.
        const QDateTime monday = at(2026, 12, 7, 8, 0);
        QCOMPARE(*statusExpiry(StatusClearAfter::ThisWeek, monday, Qt::Monday), at(2026, 12, 14, 0, 0));
    }
};

QTEST_GUILESS_MAIN(TestAppPeople)
#include "tst_apppeople.moc"
