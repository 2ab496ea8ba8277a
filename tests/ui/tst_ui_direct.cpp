// SPDX-License-Identifier: GPL-3.0-or-later
// Direct conversations in the real app, against two instances of the real server: started with
// "New Message", from a member's profile card and from the quick switcher; listed on the rail and in the
// sidebar on both sides with their unread count; and a block, from the member's menu, that
// hides the person's messages and closes the conversation. Names hold HTML, shown as text.

#include "uifixture.h"

#include "app/core/displaytext.h"

#include "app/core/models/memberlistmodel.h"
#include "app/core/models/partylistmodel.h"
#include "app/ui/dialogs/newmessagedialog.h"
#include "app/ui/dialogs/quickswitcher.h"
#include "app/ui/dialogs/requestdialog.h"
#include "app/ui/partyrail.h"
#include "app/ui/profilecard.h"
#include "app/ui/topiclistview.h"
#include "app/ui/topicpane.h"
#include "app/ui/topicsidebar.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QPushButton>
#include <QTimer>

using namespace chatterbox;
using namespace chatterbox::test;

namespace {

const QString kHostileName = QStringLiteral("<b>Frank</b> <img src=x>");

QString title(UiApp &app)
{
    return app.window.findChild<QLabel *>(QStringLiteral("topicTitle"))->text();
}

const protocol::Party *openParty(UiApp &app)
{
    return app.client.store().party(app.client.currentPartyId().toStdString());
}

bool inDirect(UiApp &app)
{
    const auto *party = openParty(app);
    return party && party->kind == protocol::PartyKind::Direct;
}

// Chooses an action of the context menu the next popup shows, by its object name.
void chooseInNextMenu(const QString &action)
{
    QTimer::singleShot(100, [action] {
        auto *menu = qobject_cast<QMenu *>(QApplication::activePopupWidget());
        if (!menu)
            return;
        for (QAction *a : menu->actions()) {
            if (a->objectName() == action)
                a->trigger();
        }
        menu->close();
    });
}

// The member list row of this person in the app's open party.
QModelIndex memberRow(UiApp &app, const std::string &userId)
{
    const auto &members = app.client.members();
    for (int row = 0; row < members.rowCount(); ++row) {
        if (members.index(row).data(app::MemberListModel::UserIdRole).toString().toStdString() == userId)
            return members.index(row);
    }
    return {};
}

} // namespace

class TestUiDirect : public QObject {
    Q_OBJECT

    Harness m_harness;
    std::unique_ptr<TestServer> m_second;
    std::unique_ptr<ui::Theme> m_theme;
    Person m_alice, m_frank;
    Harness::PartyIds m_party;
    std::unique_ptr<UiApp> m_dana, m_erin;

    std::string idOf(UiApp &app) { return app.client.store().me().id; }
    void goToParty(UiApp &app)
    {
        app.chat().goToTopic(QString::fromStdString(m_party.partyId), QString::fromStdString(m_party.topicId));
        QVERIFY(QTest::qWaitFor([&] { return app.client.currentTopicId().toStdString() == m_party.topicId; }, 5000));
    }
    void send(UiApp &app, const QString &text)
    {
        auto *composer = app.chat().composer();
        composer->setFocus();
        composer->setPlainText(text);
        QTest::keyClick(composer, Qt::Key_Return);
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
        QVERIFY(Harness::join(m_alice, m_party.partyId, m_frank));
        m_dana = std::make_unique<UiApp>(QStringLiteral("Dana"), *m_theme);
        m_erin = std::make_unique<UiApp>(QStringLiteral("Erin"), *m_theme);
        QVERIFY(m_dana->signIn(m_harness.server().httpUrl(QString())));
        QVERIFY(m_erin->signIn(m_second->httpUrl(QString())));
        for (UiApp *app : {m_dana.get(), m_erin.get()})
            QVERIFY(app->joinAndOpen(m_alice, m_party));
        // Dana has heard of Erin joining after her.
        QVERIFY(QTest::qWaitFor([&] { return m_dana->client.store().party(m_party.partyId)->members.size() == 4; }, 5000));
    }

    void newMessage_startsTheConversation_listedOnBothSides()
    {
        QListView *danaRail = m_dana->chat().rail()->directList();
        QVERIFY(!danaRail->isVisible());   // no conversations yet: no section
        m_dana->window.findChild<QAbstractButton *>(QStringLiteral("newMessageButton"))->click();
        auto *dialog = m_dana->waitForDialog<ui::NewMessageDialog>();
        QVERIFY(dialog);
        // Everyone of the party but Dana, names as text; typing narrows it to Erin.
        QStringList names;
        for (int row = 0; row < dialog->peopleList()->count(); ++row)
            names << dialog->peopleList()->item(row)->text();
        QCOMPARE(names.size(), 3);
        QVERIFY2(names.contains(kHostileName), qPrintable(names.join(QLatin1Char('|'))));
        QTest::keyClicks(dialog->filterEdit(), QStringLiteral("eri"));
        QTest::keyClick(dialog->filterEdit(), Qt::Key_Return);
        QVERIFY(QTest::qWaitFor([&] { return inDirect(*m_dana); }, 5000));
        QVERIFY(!dialog->isVisible() || QTest::qWaitFor([&] { return !dialog->isVisible(); }, 2000));
        QCOMPARE(title(*m_dana), QStringLiteral("@ ") + app::isolated(QStringLiteral("Erin")));
        // The window's title names the conversation by its people too.
        QVERIFY(QTest::qWaitFor([&] { return m_dana->window.windowTitle().startsWith(app::isolated(QStringLiteral("Erin"))); }, 3000));
        // The rail has its tile and the sidebar lists it under Direct Messages.
        QVERIFY(danaRail->isVisible());
        QCOMPARE(m_dana->client.directs().rowCount(), 1);
        QVERIFY(m_dana->chat().sidebar()->directList()->isVisible());
        QVERIFY(!m_dana->chat().sidebar()->list()->isVisible());

        send(*m_dana, QStringLiteral("Saturday at the crag?"));
        // Erin, on the other instance, sees it on her rail with one unread, and opens it there.
        QListView *erinRail = m_erin->chat().rail()->directList();
        QVERIFY(QTest::qWaitFor([&] {
            return m_erin->client.directs().rowCount() == 1
                   && m_erin->client.directs().index(0).data(app::PartyListModel::UnreadRole).toLongLong() == 1;
        }, 10000));
        QVERIFY(erinRail->isVisible());
        QCOMPARE(m_erin->client.directs().index(0).data(app::PartyListModel::NameRole).toString(), QStringLiteral("Dana"));
        // What is on screen in the active window is read.
        m_erin->window.activateWindow();
        QApplication::setActiveWindow(&m_erin->window);
        QTest::mouseClick(erinRail->viewport(), Qt::LeftButton, {}, erinRail->visualRect(m_erin->client.directs().index(0)).center());
        QVERIFY(QTest::qWaitFor([&] { return inDirect(*m_erin); }, 5000));
        QCOMPARE(title(*m_erin), QStringLiteral("@ ") + app::isolated(QStringLiteral("Dana")));
        QVERIFY(QTest::qWaitFor([&] {
            const auto &timeline = m_erin->client.timeline();
            return timeline.rowCount() == 1
                   && timeline.index(0).data(app::TimelineModel::BodyRole).toString() == QStringLiteral("Saturday at the crag?");
        }, 5000));
        QVERIFY(QTest::qWaitFor([&] {
            return m_erin->client.directs().index(0).data(app::PartyListModel::UnreadRole).toLongLong() == 0;
        }, 5000));
    }

    void memberRow_opensTheSameConversation()
    {
        goToParty(*m_erin);
        const QModelIndex dana = memberRow(*m_erin, idOf(*m_dana));
        QVERIFY(dana.isValid());
        QListView *members = m_erin->chat().memberList();
        members->setCurrentIndex(dana);
        QTest::keyClick(members, Qt::Key_Return);   // the profile card, as a click on the row opens it
        QVERIFY(QTest::qWaitFor([&] { return m_erin->chat().profileCard() && m_erin->chat().profileCard()->isVisible(); }, 5000));
        auto *message = m_erin->chat().profileCard()->findChild<QPushButton *>(QStringLiteral("profileMessage"));
        QVERIFY(message && message->hasFocus());
        QTest::keyClick(message, Qt::Key_Space);
        QVERIFY(QTest::qWaitFor([&] { return inDirect(*m_erin); }, 5000));
        QCOMPARE(m_erin->client.directs().rowCount(), 1);   // the one there is, not another
    }

    void quickSwitcher_person_startsAConversation_namesAsText()
    {
        m_dana->chat().openQuickSwitcher();
        auto *switcher = m_dana->waitForDialog<ui::QuickSwitcher>();
        QVERIFY(switcher);
        auto *query = switcher->findChild<QLineEdit *>(QStringLiteral("switcherQuery"));
        QTest::keyClicks(query, QStringLiteral("frank"));
        auto *results = switcher->findChild<QListWidget *>(QStringLiteral("switcherResults"));
        QVERIFY(QTest::qWaitFor([&] { return results->count() > 0; }, 2000));
        QVERIFY2(results->item(0)->text().contains(kHostileName), qPrintable(results->item(0)->text()));
        QTest::keyClick(query, Qt::Key_Return);
        QVERIFY(QTest::qWaitFor([&] { return inDirect(*m_dana) && m_dana->client.directs().rowCount() == 2; }, 5000));
        // The title shows the name as the characters it is.
        auto *titleLabel = m_dana->window.findChild<QLabel *>(QStringLiteral("topicTitle"));
        QCOMPARE(titleLabel->textFormat(), Qt::PlainText);
        QVERIFY2(title(*m_dana).contains(kHostileName), qPrintable(title(*m_dana)));
        // Frank hears of it; a raw client sees the conversation of the two.
        QVERIFY(m_frank->waitForEvent("party.created", [](const json &d) { return d["party"]["kind"] == "direct"; }));
    }

    void conversation_canBeLeft_fromTheSidebarMenu()
    {
        m_dana->chat().openDirect({QString::fromStdString(idOf(*m_erin)), QString::fromStdString(m_frank.login.userId)});
        QVERIFY(QTest::qWaitFor([&] { return inDirect(*m_dana) && openParty(*m_dana)->members.size() == 3; }, 5000));
        const std::string groupId = openParty(*m_dana)->id;
        auto *leave = m_dana->window.findChild<QAction *>(QStringLiteral("leaveConversation"));
        QVERIFY(leave && leave->isVisible());
        leave->trigger();
        auto *confirm = m_dana->waitForDialog<ui::ConfirmDialog>();
        QVERIFY(confirm);
        confirm->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();
        QVERIFY(QTest::qWaitFor([&] { return m_dana->client.store().party(groupId) == nullptr; }, 5000));
        QVERIFY(m_frank->waitForEvent("member.left", [&](const json &d) { return d["partyId"] == groupId; }));
        // Back in a party, the action is gone.
        goToParty(*m_dana);
        QVERIFY(!leave->isVisible());
    }

    void block_fromTheMemberMenu_hidesMessages_andClosesTheConversation()
    {
        goToParty(*m_erin);
        goToParty(*m_dana);
        send(*m_dana, QStringLiteral("in the party"));
        QVERIFY(QTest::qWaitFor([&] {
            const auto &timeline = m_erin->client.timeline();
            return timeline.rowCount() > 0
                   && timeline.index(timeline.rowCount() - 1).data(app::TimelineModel::BodyRole).toString() == QStringLiteral("in the party");
        }, 10000));

        // Erin blocks Dana from her row's menu, and confirms.
        QListView *members = m_erin->chat().memberList();
        const QModelIndex dana = memberRow(*m_erin, idOf(*m_dana));
        chooseInNextMenu(QStringLiteral("blockMember"));
        QMetaObject::invokeMethod(members, "customContextMenuRequested", Q_ARG(QPoint, members->visualRect(dana).center()));
        auto *confirm = m_erin->waitForDialog<ui::ConfirmDialog>();
        QVERIFY(confirm);
        confirm->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();
        QVERIFY(QTest::qWaitFor([&] { return m_erin->client.store().isBlocked(idOf(*m_dana)); }, 5000));

        // Dana's message in the party now shows as blocked, in Erin's window only.
        const auto &timeline = m_erin->client.timeline();
        const QModelIndex last = timeline.index(timeline.rowCount() - 1);
        QVERIFY(last.data(app::TimelineModel::BlockedRole).toBool());
        QVERIFY(!m_dana->client.timeline().index(m_dana->client.timeline().rowCount() - 1).data(app::TimelineModel::BlockedRole).toBool());
        // The conversation's tile says so, and Dana's next message in it is refused, in words.
        QVERIFY(m_erin->client.directs().index(0).data(app::PartyListModel::BlockedRole).toBool());
        const auto *conversation = m_dana->client.store().directWith({idOf(*m_erin)});
        QVERIFY(conversation);
        m_dana->chat().goToTopic(QString::fromStdString(conversation->id), {});
        QVERIFY(QTest::qWaitFor([&] { return inDirect(*m_dana); }, 5000));
        send(*m_dana, QStringLiteral("are you there?"));
        QVERIFY(QTest::qWaitFor([&] {
            const auto &mine = m_dana->client.timeline();
            const QModelIndex row = mine.index(mine.rowCount() - 1);
            return row.data(app::TimelineModel::DeliveryStateRole).value<app::TimelineModel::DeliveryState>()
                       == app::TimelineModel::DeliveryState::Failed
                   && row.data(app::TimelineModel::ErrorRole).toString().contains(QStringLiteral("cannot write"));
        }, 10000));

        // Unblocked from the same menu: her messages show again.
        chooseInNextMenu(QStringLiteral("unblockMember"));
        QMetaObject::invokeMethod(members, "customContextMenuRequested", Q_ARG(QPoint, members->visualRect(dana).center()));
        QVERIFY(QTest::qWaitFor([&] { return !m_erin->client.store().isBlocked(idOf(*m_dana)); }, 5000));
        QVERIFY(!timeline.index(timeline.rowCount() - 1).data(app::TimelineModel::BlockedRole).toBool());
    }
};

QTEST_MAIN(TestUiDirect)
#include "tst_ui_direct.moc"
