// SPDX-License-Identifier: GPL-3.0-or-later
// Desktop notifications against a notification service on a private D-Bus session bus that the
// test starts (dbus-daemon, with nothing it could activate) and serves itself: one grouped notification per burst, levels for a
// topic and a party, the owner's default, do not disturb, mentions, on-screen topics, reading, clicking, escaping, and a
// missing service that must not hold anything up.

#include "app/core/displaytext.h"
#include "app/core/notificationcenter.h"
#include "app/core/preferences.h"
#include "app/core/store.h"
#include "app/platform/dbusnotifier.h"

#include "support/privatebus.h"

#include <QDBusConnection>
#include <QDBusMessage>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace chatterbox;

namespace {

// A notification service as desktops run it, recording what it is asked.
class FakeNotificationServer final : public QObject {
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")

public:
    struct Shown {
        uint replaces = 0;
        uint id = 0;
        QString summary;
        QString body;
        QStringList actions;
        QVariantMap hints;
    };
    QList<Shown> calls;
    QList<uint> closed;
    uint nextId = 1;

public Q_SLOTS:
    uint Notify(const QString &, uint replaces, const QString &, const QString &summary, const QString &body,
                const QStringList &actions, const QVariantMap &hints, int)
    {
        const uint id = replaces ? replaces : nextId++;
        calls.append({replaces, id, summary, body, actions, hints});
        return id;
    }
    void CloseNotification(uint id) { closed << id; }
    QStringList GetCapabilities() { return {QStringLiteral("body"), QStringLiteral("actions")}; }
};

// Records what reaches the fallback.
class RecordingNotifier final : public platform::Notifier {
public:
    QList<app::Notification> shown;
    void show(const app::Notification &n) override { shown << n; }
    void withdraw(const QString &) override {}
};

protocol::Message message(std::int64_t seq, const std::string &topic, const std::string &author, const std::string &body,
                          std::vector<std::string> mentions = {})
{
    protocol::Message m;
    m.id = "m" + std::to_string(seq);
    m.topicId = topic;
    m.partyId = topic == "t3" ? "p2" : "p1";
    m.seq = seq;
    m.authorId = author;
    m.body = body;
    m.mentions = std::move(mentions);
    return m;
}

} // namespace

class TestNotifications : public QObject {
    Q_OBJECT

    test::PrivateBus m_bus;
    QString m_address;
    QTemporaryDir m_dir;
    FakeNotificationServer m_server;
    std::unique_ptr<app::Store> m_store;
    std::unique_ptr<app::Preferences> m_preferences;
    std::unique_ptr<app::NotificationCenter> m_center;
    std::unique_ptr<platform::DBusNotifier> m_notifier;
    std::int64_t m_seq[4] = {0, 0, 0, 0};

    void post(const std::string &topic, const std::string &author, const std::string &body, std::vector<std::string> mentions = {})
    {
        const int t = topic[1] - '0';
        m_store->applyEvent(protocol::MessageCreated{message(++m_seq[t], topic, author, body, std::move(mentions))});
    }

    int distinctNotifications() const
    {
        QSet<uint> ids;
        for (const auto &c : m_server.calls)
            ids.insert(c.id);
        return static_cast<int>(ids.size());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_bus.start(), qPrintable(m_bus.error()));
        m_address = m_bus.address();
        QDBusConnection serverBus = QDBusConnection::connectToBus(m_address, QStringLiteral("service"));
        QVERIFY(serverBus.isConnected());
        QVERIFY(serverBus.registerObject(QStringLiteral("/org/freedesktop/Notifications"), &m_server, QDBusConnection::ExportAllSlots));
        QVERIFY(serverBus.registerService(QStringLiteral("org.freedesktop.Notifications")));
    }

    void init()
    {
        m_server.calls.clear();
        m_server.closed.clear();
        m_store = std::make_unique<app::Store>();
        protocol::Ready ready;
        ready.me = {"me", "Dana", "", ""};
        protocol::Party club{"p1", "Book Club", "ann", 0, {{"t1", "p1", "general", 0, 0, 0}, {"t2", "p1", "books", 1, 0, 0}}, {}};
        club.members = {{"me", "Dana", "", protocol::Role::Member, 0, ""}, {"ann", "Ann", "", protocol::Role::Owner, 0, ""}};
        protocol::Party climbing{"p2", "Climbing", "ann", 0, {{"t3", "p2", "routes", 0, 0, 0}}, club.members};
        ready.parties = {club, climbing};
        m_store->applyReady(ready);
        std::fill(std::begin(m_seq), std::end(m_seq), 0);
        m_preferences = std::make_unique<app::Preferences>(m_dir.filePath(QString::fromLatin1(QTest::currentTestFunction()) + QStringLiteral(".ini")));
        m_center = std::make_unique<app::NotificationCenter>(*m_store, *m_preferences);
        m_notifier = std::make_unique<platform::DBusNotifier>(QDBusConnection::connectToBus(m_address, QStringLiteral("app")), nullptr);
        connect(m_center.get(), &app::NotificationCenter::notify, m_notifier.get(), &platform::Notifier::show);
        connect(m_center.get(), &app::NotificationCenter::withdraw, m_notifier.get(), &platform::Notifier::withdraw);
        m_center->setOnScreen(QStringLiteral("t2"), true);
    }

    void burst_becomesOneNotification()
    {
        for (int i = 1; i <= 5; ++i)
            post("t1", "ann", "line " + std::to_string(i));
        QVERIFY(QTest::qWaitFor([&] { return !m_server.calls.isEmpty() && m_server.calls.last().body.contains(QStringLiteral("+4 more")); }, 5000));
        QCOMPARE(distinctNotifications(), 1);
        QVERIFY2(m_server.calls.size() <= 3, qPrintable(QString::number(m_server.calls.size())));   // shown, then updated, not one per message
        QCOMPARE(m_server.calls.first().replaces, 0u);
        QCOMPARE(m_server.calls.last().replaces, m_server.calls.first().id);
        // Names in their own bidi isolates, so that one cannot reorder what follows it.
        QCOMPARE(m_server.calls.first().summary, QStringLiteral("#\u2068general\u2069 · \u2068Book Club\u2069"));
        QVERIFY(m_server.calls.last().body.startsWith(QStringLiteral("\u2068Ann\u2069: line 5")));
        QVERIFY(m_server.calls.first().actions.contains(QStringLiteral("default")));
        // Another topic is another notification.
        post("t3", "ann", "new route");
        QVERIFY(QTest::qWaitFor([&] { return distinctNotifications() == 2; }, 5000));
    }

    void onScreenTopic_andOwnMessages_areQuiet()
    {
        post("t2", "ann", "you are looking at this topic");
        post("t1", "me", "my own words");
        QTest::qWait(300);
        QVERIFY(m_server.calls.isEmpty());
        // With the window in the background, the open topic notifies like any other.
        m_center->setOnScreen(QStringLiteral("t2"), false);
        post("t2", "ann", "now you are away");
        QVERIFY(QTest::qWaitFor([&] { return m_server.calls.size() == 1; }, 5000));
    }

    void levels_mentionsOnlyLetsMentionsThrough_nothingLetsNothing()
    {
        using protocol::NotifyLevel;
        m_preferences->setTopicLevel(QStringLiteral("t1"), NotifyLevel::Mentions);
        m_preferences->setPartyLevel(QStringLiteral("p2"), NotifyLevel::Nothing);
        m_center->setOnScreen(QStringLiteral("t2"), false);
        post("t1", "ann", "mentions-only topic");
        post("t3", "ann", "silenced party");
        post("t3", "ann", "@Dana even this", {"me"});
        QTest::qWait(300);
        QVERIFY(m_server.calls.isEmpty());
        post("t1", "ann", "@Dana look", {"me"});
        QVERIFY(QTest::qWaitFor([&] { return m_server.calls.size() == 1; }, 5000));
        QVERIFY(m_server.calls.first().body.contains(QStringLiteral("@Dana look")));
        // The topic beside it follows its party, which says all.
        post("t2", "ann", "books talk");
        QVERIFY(QTest::qWaitFor([&] { return m_server.calls.size() == 2; }, 5000));
        // A topic's own level beats its party's: all in a silenced party.
        m_preferences->setTopicLevel(QStringLiteral("t3"), NotifyLevel::All);
        post("t3", "ann", "route opened");
        QVERIFY(QTest::qWaitFor([&] { return m_server.calls.size() == 3; }, 5000));
        // Back to following: the party's nothing again.
        m_preferences->setTopicLevel(QStringLiteral("t3"), std::nullopt);
        post("t3", "ann", "route closed");
        QTest::qWait(300);
        QCOMPARE(m_server.calls.size(), 3);
    }

    void ownersDefault_holdsUntilThePersonChooses()
    {
        // The owner sets Book Club to mentions only for its members.
        protocol::PartyUpdated updated;
        updated.partyId = "p1";
        updated.name = "Book Club";
        updated.ownerId = "ann";
        updated.notifyDefault = protocol::NotifyLevel::Mentions;
        m_store->applyEvent(updated);
        m_center->setOnScreen(QStringLiteral("t2"), false);
        post("t1", "ann", "plain words");
        QTest::qWait(300);
        QVERIFY(m_server.calls.isEmpty());
        post("t2", "ann", "@Dana here", {"me"});
        QVERIFY(QTest::qWaitFor([&] { return m_server.calls.size() == 1; }, 5000));
        // The person's own choice for the party wins over the default.
        m_preferences->setPartyLevel(QStringLiteral("p1"), protocol::NotifyLevel::All);
        post("t1", "ann", "plain again");
        QVERIFY(QTest::qWaitFor([&] { return m_server.calls.size() == 2; }, 5000));
    }

    void doNotDisturb_silencesEverything()
    {
        m_preferences->setMuteAllUntil(QDateTime::currentDateTime().addSecs(3600));
        post("t3", "ann", "@Dana again", {"me"});
        post("t1", "ann", "anything");
        QTest::qWait(1500);
        QVERIFY(m_server.calls.isEmpty());   // do not disturb means all of it
        m_preferences->setMuteAllUntil({});
        post("t1", "ann", "back");
        QVERIFY(QTest::qWaitFor([&] { return m_server.calls.size() == 1; }, 5000));
    }

    void quietHoursAndSound_asTheSettingsSay()
    {
        // Quiet hours that hold now: nothing, mentions included.
        const QTime now = QTime::currentTime();
        m_preferences->setQuietHours({true, now.addSecs(-600), now.addSecs(600)});
        post("t2", "ann", "@Dana at night", {"me"});
        QTest::qWait(500);
        QVERIFY(m_server.calls.isEmpty());
        m_preferences->setQuietHours({false, now.addSecs(-600), now.addSecs(600)});
        // With the sound off, the service is asked for silence; on, it is not.
        m_preferences->setNotificationSound(false);
        post("t2", "ann", "@Dana quietly", {"me"});
        QVERIFY(QTest::qWaitFor([&] { return m_server.calls.size() == 1; }, 5000));
        QCOMPARE(m_server.calls.first().hints.value(QStringLiteral("suppress-sound")).toBool(), true);
        m_preferences->setNotificationSound(true);
        post("t3", "ann", "@Dana loudly", {"me"});
        QVERIFY(QTest::qWaitFor([&] { return m_server.calls.size() == 2; }, 5000));
        QVERIFY(!m_server.calls.last().hints.contains(QStringLiteral("suppress-sound")));
    }

    void directMessage_notifiesAsAMention_blockedPeopleNever()
    {
        protocol::Party direct{"p3", "", "", 0, {{"t0", "p3", "messages", 0, 0, 0}}, {}};
        direct.kind = protocol::PartyKind::Direct;
        direct.members = {{"me", "Dana", "", protocol::Role::Member, 0, ""}, {"ann", "Ann", "", protocol::Role::Member, 0, ""}};
        m_store->applyJoined(direct);
        m_preferences->setNotifyOnMessages(false);   // mentions only
        protocol::Message hello = message(1, "t0", "ann", "are you around?");
        hello.partyId = "p3";
        m_store->applyEvent(protocol::MessageCreated{hello});
        QVERIFY(QTest::qWaitFor([&] { return m_server.calls.size() == 1; }, 5000));
        QCOMPARE(m_server.calls.first().summary, app::isolated(QStringLiteral("Ann")));   // named by the person
        // From someone blocked, nothing at all, mentions included.
        m_store->applyEvent(protocol::BlocksUpdated{{"ann"}});
        protocol::Message again = message(2, "t0", "ann", "@Dana hello?", {"me"});
        again.partyId = "p3";
        m_store->applyEvent(protocol::MessageCreated{again});
        post("t2", "ann", "@Dana in the party", {"me"});
        QTest::qWait(1500);
        QCOMPARE(m_server.calls.size(), 1);
    }

    void reading_withdraws_andClickOpensTheTopic()
    {
        QSignalSpy activated(m_notifier.get(), &platform::Notifier::activated);
        post("t1", "ann", "hello");
        QVERIFY(QTest::qWaitFor([&] { return m_server.calls.size() == 1; }, 5000));
        const uint id = m_server.calls.first().id;
        // A click on it: the service says so on the bus.
        QDBusMessage click = QDBusMessage::createSignal(QStringLiteral("/org/freedesktop/Notifications"),
                                                        QStringLiteral("org.freedesktop.Notifications"), QStringLiteral("ActionInvoked"));
        click << id << QStringLiteral("default");
        QDBusConnection(QStringLiteral("service")).send(click);
        QVERIFY(QTest::qWaitFor([&] { return activated.count() == 1; }, 5000));
        QCOMPARE(activated.first().at(0).toString(), QStringLiteral("p1"));
        QCOMPARE(activated.first().at(1).toString(), QStringLiteral("t1"));
        // Read (here, or in another of the person's apps): the notification goes.
        m_store->applyEvent(protocol::ReadStateUpdated{{"t1", m_seq[1], 0, 0}});
        QVERIFY(QTest::qWaitFor([&] { return m_server.closed.contains(id); }, 5000));
    }

    void body_isEscapedForMarkup()
    {
        post("t1", "ann", "<b>bold?</b> <a href=\"file:///etc/passwd\">x</a> & more");
        QVERIFY(QTest::qWaitFor([&] { return m_server.calls.size() == 1; }, 5000));
        const QString body = m_server.calls.first().body;
        QVERIFY2(!body.contains(QLatin1Char('<')) && body.contains(QStringLiteral("&lt;b&gt;")) && body.contains(QStringLiteral("&amp;")),
                 qPrintable(body));
    }

    void missingService_fallsBackWithoutWaiting()
    {
        // A bus with no notification service on it, and none it could start (a developer's
        // machine has one installed, which a bus from the distribution's config would activate).
        test::PrivateBus emptyBus;
        QVERIFY2(emptyBus.start(), qPrintable(emptyBus.error()));
        const QString address = emptyBus.address();
        RecordingNotifier fallback;
        platform::DBusNotifier notifier(QDBusConnection::connectToBus(address, QStringLiteral("empty")), &fallback);
        app::Notification n{QStringLiteral("t1"), QStringLiteral("p1"), QStringLiteral("#general"), QStringLiteral("Ann: hi"), false, 1};
        notifier.show(n);
        // show() returned without an answer: the call is still out.
        QVERIFY(notifier.isAvailable());
        QVERIFY(fallback.shown.isEmpty());
        QVERIFY(QTest::qWaitFor([&] { return !notifier.isAvailable(); }, 10000));
        QCOMPARE(fallback.shown.size(), 1);
        notifier.show(n);
        QCOMPARE(fallback.shown.size(), 2);   // straight to the fallback from now on
    }

    void cleanupTestCase()
    {
        m_notifier.reset();
    }
};

QTEST_GUILESS_MAIN(TestNotifications)
#include "tst_notifications.moc"
