// SPDX-License-Identifier: GPL-3.0-or-later
// People in the real app, against two instances of the real server: a status line set in the
// settings and seen on the other instance; the profile card opened from the member list and from
// a message's author, with Message, Block and Edit Profile; notification levels chosen from a
// topic's menu and from the rail, which the lists and the window's count follow; and a party's
// default set by its owner that reaches a member on the other instance. What people typed shows as
// plain text.

#include "uifixture.h"

#include "app/core/models/memberlistmodel.h"
#include "app/core/models/partylistmodel.h"
#include "app/core/models/timelinemodel.h"
#include "app/core/models/topiclistmodel.h"
#include "app/core/unreadcount.h"
#include "app/ui/dialogs/partysettingsdialog.h"
#include "app/ui/dialogs/requestdialog.h"
#include "app/ui/dialogs/settingsdialog.h"
#include "app/ui/profilecard.h"
#include "app/ui/timelinedelegate.h"
#include "app/ui/timelineview.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QTimer>

using namespace chatterbox;
using namespace chatterbox::test;

namespace {

const QString kHostileName = QStringLiteral("<b>Frank</b> <img src=x>");
const QString kHostileStatus = QStringLiteral("<i>On holiday</i> & <a href=x>back</a> soon");

// Chooses an action of the context menu the next popup shows (or of one of its submenus).
void chooseInNextMenu(const QString &action)
{
    QTimer::singleShot(100, [action] {
        auto *menu = qobject_cast<QMenu *>(QApplication::activePopupWidget());
        if (!menu)
            return;
        if (auto *found = menu->findChild<QAction *>(action))
            found->trigger();
        menu->close();
    });
}

QModelIndex rowOf(const QAbstractItemModel &model, int role, const std::string &id)
{
    for (int row = 0; row < model.rowCount(); ++row) {
        if (model.index(row, 0).data(role).toString().toStdString() == id)
            return model.index(row, 0);
    }
    return {};
}

QString labelText(ui::ProfileCard *card, const char *name)
{
    auto *label = card->findChild<QLabel *>(QString::fromLatin1(name));
    return label && label->isVisibleTo(card) ? label->text() : QString();
}

int level(const QModelIndex &index, int role) { return index.data(role).toInt(); }

} // namespace

class TestUiPeople : public QObject {
    Q_OBJECT

    Harness m_harness;
    std::unique_ptr<TestServer> m_second;
    std::unique_ptr<ui::Theme> m_theme;
    Person m_alice, m_frank;
    Harness::PartyIds m_party;
    std::string m_routes;   // a second topic of the party
    std::unique_ptr<UiApp> m_dana, m_erin;

    std::string idOf(UiApp &app) { return app.client.store().me().id; }
    void goToParty(UiApp &app)
    {
        app.chat().goToTopic(QString::fromStdString(m_party.partyId), QString::fromStdString(m_party.topicId));
        QVERIFY(QTest::qWaitFor([&] { return app.client.currentTopicId().toStdString() == m_party.topicId; }, 5000));
    }
    void post(Person &who, const std::string &topicId, const std::string &body)
    {
        QVERIFY(isOk(who->request("message.send", {{"topicId", topicId}, {"clientMsgId", uuid()}, {"body", body}})));
    }
    ui::ProfileCard *waitForCard(UiApp &app, const std::string &userId)
    {
        ui::ProfileCard *card = nullptr;
        (void)QTest::qWaitFor([&] {
            card = app.chat().profileCard();
            return card && card->isVisible() && card->userId().toStdString() == userId;
        }, 5000);
        return card && card->isVisible() ? card : nullptr;
    }
    void clickMember(UiApp &app, const std::string &userId)
    {
        QListView *members = app.chat().memberList();
        const QModelIndex row = rowOf(*members->model(), app::MemberListModel::UserIdRole, userId);
        QVERIFY(row.isValid());
        QTest::mouseClick(members->viewport(), Qt::LeftButton, {}, members->visualRect(row).center());
    }
    // Clicks the picture beside the newest message in the app's timeline.
    void clickNewestAuthor(UiApp &app)
    {
        ui::TimelineView *view = app.chat().timeline();
        auto *delegate = qobject_cast<ui::TimelineDelegate *>(view->itemDelegate());
        QVERIFY(delegate);
        const QModelIndex newest = view->model()->index(view->model()->rowCount() - 1, 0);
        view->scrollTo(newest);
        QTest::qWait(50);
        const QRect picture = delegate->avatarRect(view->visualRect(newest), newest);
        QVERIFY(!picture.isNull());
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, picture.center());
    }
    bool newestBodyIs(UiApp &app, const QString &body)
    {
        const auto &timeline = app.client.timeline();
        return timeline.rowCount() > 0 && timeline.index(timeline.rowCount() - 1).data(app::TimelineModel::BodyRole).toString() == body;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_harness.start());
        m_second = std::make_unique<TestServer>(m_harness.databaseUrl());
        QVERIFY2(m_second->start(), qPrintable(m_second->output()));
        m_theme = std::make_unique<ui::Theme>(*qApp);
        m_alice = m_harness.connect(QStringLiteral("Alice"));
        m_frank = m_harness.connect(QStringLiteral("frank"));
        QVERIFY(isOk(m_frank->request("profile.update", {{"displayName", kHostileName.toStdString()}})));
        m_party = Harness::createParty(m_alice, "Climbing");
        const json routes = m_alice->request("topic.create", {{"partyId", m_party.partyId}, {"name", "routes"}});
        QVERIFY(isOk(routes));
        m_routes = routes["result"]["topic"]["id"];
        QVERIFY(Harness::join(m_alice, m_party.partyId, m_frank));
        m_dana = std::make_unique<UiApp>(QStringLiteral("Dana"), *m_theme);
        m_erin = std::make_unique<UiApp>(QStringLiteral("Erin"), *m_theme);
        QVERIFY(m_dana->signIn(m_harness.server().httpUrl(QString())));
        QVERIFY(m_erin->signIn(m_second->httpUrl(QString())));
        for (UiApp *app : {m_dana.get(), m_erin.get()})
            QVERIFY(app->joinAndOpen(m_alice, m_party));
    }

    void status_setInSettings_shownOnTheCard_fromTheMemberList()
    {
        // Erin sets a status line that clears in an hour.
        m_erin->chat().openSettings();
        auto *settings = m_erin->waitForDialog<ui::SettingsDialog>();
        QVERIFY(settings);
        auto *status = settings->findChild<QLineEdit *>(QStringLiteral("statusEdit"));
        auto *clears = settings->findChild<QComboBox *>(QStringLiteral("statusClearsChoice"));
        QVERIFY(status && clears);
        QVERIFY(!clears->isEnabled());   // nothing to clear yet
        status->setText(kHostileStatus);
        QVERIFY(clears->isEnabled());
        clears->setCurrentIndex(clears->findText(QStringLiteral("In 1 hour")));
        settings->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();
        QVERIFY(QTest::qWaitFor([&] { return !settings->isVisible(); }, 5000));

        // Dana, on the other instance, hears of it, and clicks Erin in the member list.
        const std::string erin = idOf(*m_erin);
        QVERIFY(QTest::qWaitFor([&] { return m_dana->client.store().statusOf(erin).text == kHostileStatus.toStdString(); }, 5000));
        const auto expires = m_dana->client.store().statusOf(erin).expiresAt;
        QVERIFY(expires);
        const qint64 inMinutes = (*expires - QDateTime::currentMSecsSinceEpoch()) / 60000;
        QVERIFY2(inMinutes >= 58 && inMinutes <= 60, qPrintable(QString::number(inMinutes)));
        goToParty(*m_dana);
        clickMember(*m_dana, erin);
        ui::ProfileCard *card = waitForCard(*m_dana, erin);
        QVERIFY(card);
        QCOMPARE(labelText(card, "profileName"), QStringLiteral("Erin"));
        QCOMPARE(labelText(card, "profileStatus"), kHostileStatus);
        for (auto *label : card->findChildren<QLabel *>())
            QVERIFY2(label->textFormat() == Qt::PlainText, qPrintable(label->objectName()));
        QVERIFY(labelText(card, "profileStatusUntil").startsWith(QStringLiteral("Until ")));
        QCOMPARE(labelText(card, "profilePresence"), QStringLiteral("Online"));
        QCOMPARE(labelText(card, "profileParties"), QStringLiteral("Climbing"));
        // It opens beside the list, not over it.
        QVERIFY(card->geometry().right() <= m_dana->chat().memberList()->mapToGlobal(QPoint(0, 0)).x());

        // Message opens the conversation with her.
        auto *message = card->findChild<QPushButton *>(QStringLiteral("profileMessage"));
        QCOMPARE(message->text(), QStringLiteral("Message"));
        message->click();
        QVERIFY(QTest::qWaitFor([&] {
            const auto *open = m_dana->client.store().party(m_dana->client.currentPartyId().toStdString());
            return open && open->kind == protocol::PartyKind::Direct && m_dana->client.store().directWith({erin}) == open;
        }, 5000));

        // Cleared in the settings, it is gone from the card.
        m_erin->chat().openSettings();
        settings = m_erin->waitForDialog<ui::SettingsDialog>();
        QCOMPARE(settings->findChild<QLineEdit *>(QStringLiteral("statusEdit"))->text(), kHostileStatus);
        settings->findChild<QLineEdit *>(QStringLiteral("statusEdit"))->clear();
        settings->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();
        QVERIFY(QTest::qWaitFor([&] { return m_dana->client.store().statusOf(erin).text.empty(); }, 5000));
    }

    void authorsPicture_opensTheCard_mineOffersEditProfile()
    {
        goToParty(*m_erin);
        goToParty(*m_dana);
        post(m_frank, m_party.topicId, "who is climbing today?");
        QVERIFY(QTest::qWaitFor([&] { return newestBodyIs(*m_dana, QStringLiteral("who is climbing today?")); }, 10000));
        clickNewestAuthor(*m_dana);
        ui::ProfileCard *card = waitForCard(*m_dana, m_frank.login.userId);
        QVERIFY(card);
        QCOMPARE(labelText(card, "profileName"), kHostileName);
        QVERIFY(labelText(card, "profilePresence").startsWith(QStringLiteral("Online")));
        card->close();

        // My own picture: my card, with Edit Profile instead of Message, and no Block.
        auto *composer = m_dana->chat().composer();
        composer->setFocus();
        composer->setPlainText(QStringLiteral("me!"));
        QTest::keyClick(composer, Qt::Key_Return);
        QVERIFY(QTest::qWaitFor([&] { return newestBodyIs(*m_dana, QStringLiteral("me!")); }, 10000));
        clickNewestAuthor(*m_dana);
        card = waitForCard(*m_dana, idOf(*m_dana));
        QVERIFY(card);
        QVERIFY(!card->findChild<QPushButton *>(QStringLiteral("profileBlock"))->isVisible());
        auto *edit = card->findChild<QPushButton *>(QStringLiteral("profileMessage"));
        QCOMPARE(edit->text(), QStringLiteral("Edit Profile…"));
        edit->click();
        auto *settings = m_dana->waitForDialog<ui::SettingsDialog>();
        QVERIFY(settings);
        settings->reject();
    }

    void block_andUnblock_fromTheCard()
    {
        goToParty(*m_dana);
        clickMember(*m_dana, m_frank.login.userId);
        ui::ProfileCard *card = waitForCard(*m_dana, m_frank.login.userId);
        QVERIFY(card);
        card->findChild<QPushButton *>(QStringLiteral("profileBlock"))->click();
        auto *confirm = m_dana->waitForDialog<ui::ConfirmDialog>();
        QVERIFY(confirm);
        confirm->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();
        QVERIFY(QTest::qWaitFor([&] { return m_dana->client.store().isBlocked(m_frank.login.userId); }, 5000));
        clickMember(*m_dana, m_frank.login.userId);
        card = waitForCard(*m_dana, m_frank.login.userId);
        QVERIFY(card);
        QVERIFY(!card->findChild<QPushButton *>(QStringLiteral("profileMessage"))->isEnabled());
        auto *unblock = card->findChild<QPushButton *>(QStringLiteral("profileBlock"));
        QCOMPARE(unblock->text(), QStringLiteral("Unblock"));
        unblock->click();
        QVERIFY(QTest::qWaitFor([&] { return !m_dana->client.store().isBlocked(m_frank.login.userId); }, 5000));
    }

    void topicLevel_fromTheTopicMenu_quietsTheListAndTheCount()
    {
        goToParty(*m_dana);
        QListView *topics = m_dana->list("topicList");
        const QModelIndex routes = rowOf(*topics->model(), app::TopicListModel::TopicIdRole, m_routes);
        QVERIFY(routes.isValid());
        const int before = app::unreadForBadge(m_dana->client.store(), m_dana->preferences);

        // Nothing from #routes: its messages are not counted anywhere.
        chooseInNextMenu(QStringLiteral("levelNothing"));
        QMetaObject::invokeMethod(topics, "customContextMenuRequested", Q_ARG(QPoint, topics->visualRect(routes).center()));
        QVERIFY(QTest::qWaitFor([&] { return level(routes, app::TopicListModel::LevelRole) == int(protocol::NotifyLevel::Nothing); }, 3000));
        QCOMPARE(m_dana->preferences.topicLevel(QString::fromStdString(m_routes)), std::optional(protocol::NotifyLevel::Nothing));
        post(m_alice, m_routes, "quiet one");
        post(m_alice, m_routes, "@Dana even you");
        QVERIFY(QTest::qWaitFor([&] { return m_dana->client.store().readState(m_routes).unread >= 2; }, 5000));
        QCOMPARE(app::unreadForBadge(m_dana->client.store(), m_dana->preferences), before);

        // Mentions only: the mention counts, on the rail, in the tray and in the title.
        chooseInNextMenu(QStringLiteral("levelMentions"));
        QMetaObject::invokeMethod(topics, "customContextMenuRequested", Q_ARG(QPoint, topics->visualRect(routes).center()));
        QVERIFY(QTest::qWaitFor([&] { return level(routes, app::TopicListModel::LevelRole) == int(protocol::NotifyLevel::Mentions); }, 3000));
        QCOMPARE(app::unreadForBadge(m_dana->client.store(), m_dana->preferences), before + 1);
        QVERIFY(QTest::qWaitFor([&] { return m_dana->window.windowTitle().startsWith(QStringLiteral("(%1) ").arg(before + 1)); }, 3000));

        // Back to the party's default: all of them.
        chooseInNextMenu(QStringLiteral("levelDefault"));
        QMetaObject::invokeMethod(topics, "customContextMenuRequested", Q_ARG(QPoint, topics->visualRect(routes).center()));
        QVERIFY(QTest::qWaitFor([&] { return !m_dana->preferences.topicLevel(QString::fromStdString(m_routes)); }, 3000));
        QCOMPARE(app::unreadForBadge(m_dana->client.store(), m_dana->preferences), before + 2);
    }

    void partyLevel_fromTheRail()
    {
        QListView *rail = m_dana->list("partyRail");
        const QModelIndex climbing = rowOf(*rail->model(), app::PartyListModel::PartyIdRole, m_party.partyId);
        QVERIFY(climbing.isValid());
        chooseInNextMenu(QStringLiteral("levelMentions"));
        QMetaObject::invokeMethod(rail, "customContextMenuRequested", Q_ARG(QPoint, rail->visualRect(climbing).center()));
        QVERIFY(QTest::qWaitFor([&] { return level(climbing, app::PartyListModel::LevelRole) == int(protocol::NotifyLevel::Mentions); }, 3000));
        // The unread in #routes are not counted, the mention is.
        QCOMPARE(climbing.data(app::PartyListModel::UnreadRole).toLongLong(), 1);
        chooseInNextMenu(QStringLiteral("levelDefault"));
        QMetaObject::invokeMethod(rail, "customContextMenuRequested", Q_ARG(QPoint, rail->visualRect(climbing).center()));
        QVERIFY(QTest::qWaitFor([&] { return level(climbing, app::PartyListModel::LevelRole) == int(protocol::NotifyLevel::All); }, 3000));
    }

    void ownersDefault_fromPartySettings_reachesAMemberOnTheOtherInstance()
    {
        // Dana's own party, which Erin joins through the other instance.
        const json created = m_dana->call("party.create", {{"name", "Dana's Den"}});
        QVERIFY(created.contains("party"));
        const std::string den = created["party"]["id"];
        const std::string denTopic = created["party"]["topics"][0]["id"];
        const json invite = m_dana->call("invite.create", {{"partyId", den}});
        QVERIFY(m_erin->call("invite.join", {{"code", invite["invite"]["code"]}}).contains("party"));
        QVERIFY(QTest::qWaitFor([&] { return m_erin->client.store().party(den) != nullptr; }, 5000));
        m_erin->chat().goToTopic(QString::fromStdString(den), QString::fromStdString(denTopic));
        QVERIFY(QTest::qWaitFor([&] { return m_erin->client.currentPartyId().toStdString() == den; }, 5000));

        // Dana chooses mentions only for her members, in the party's settings.
        m_dana->chat().goToTopic(QString::fromStdString(den), QString::fromStdString(denTopic));
        QVERIFY(QTest::qWaitFor([&] { return m_dana->client.currentPartyId().toStdString() == den; }, 5000));
        m_dana->chat().openPartySettings();
        auto *settings = m_dana->waitForDialog<ui::PartySettingsDialog>();
        QVERIFY(settings);
        auto *combo = settings->findChild<QComboBox *>(QStringLiteral("notifyDefaultCombo"));
        QVERIFY(combo && combo->isVisible());
        combo->setFocus();
        QTest::keyClick(combo, Qt::Key_Down);   // All → Mentions only
        QCOMPARE(combo->currentData().toInt(), int(protocol::NotifyLevel::Mentions));

        // Erin's app follows, on the rail and in its topic list, without her choosing anything.
        QVERIFY(QTest::qWaitFor([&] { return m_erin->client.store().party(den)->notifyDefault == protocol::NotifyLevel::Mentions; }, 5000));
        QListView *topics = m_erin->list("topicList");
        const QModelIndex general = rowOf(*topics->model(), app::TopicListModel::TopicIdRole, denTopic);
        QVERIFY(QTest::qWaitFor([&] { return level(general, app::TopicListModel::LevelRole) == int(protocol::NotifyLevel::Mentions); }, 3000));
        const QModelIndex tile = rowOf(*m_erin->list("partyRail")->model(), app::PartyListModel::PartyIdRole, den);
        QCOMPARE(level(tile, app::PartyListModel::LevelRole), int(protocol::NotifyLevel::Mentions));
        // Her own choice beats it.
        m_erin->preferences.setPartyLevel(QString::fromStdString(den), protocol::NotifyLevel::All);
        QVERIFY(QTest::qWaitFor([&] { return level(general, app::TopicListModel::LevelRole) == int(protocol::NotifyLevel::All); }, 3000));
        // A member's settings show the default but cannot change it.
        m_erin->chat().openPartySettings();
        auto *hers = m_erin->waitForDialog<ui::PartySettingsDialog>();
        QVERIFY(hers);
        auto *herCombo = hers->findChild<QComboBox *>(QStringLiteral("notifyDefaultCombo"));
        QVERIFY(herCombo && !herCombo->isEnabled());
        QCOMPARE(herCombo->currentData().toInt(), int(protocol::NotifyLevel::Mentions));
        hers->reject();
        settings->reject();
    }
};

QTEST_MAIN(TestUiPeople)
#include "tst_ui_people.moc"
