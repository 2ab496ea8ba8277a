// SPDX-License-Identifier: GPL-3.0-or-later
// The window's three parts on their own, each over an app core that holds two parties: the party
// rail (a tile per party, choosing and stepping), the topic sidebar (the open party's name and
// topics, choosing and stepping, what only managers see) and the topic pane (the open topic's
// name and composer, or what to do when none is open).

#include "app/core/client.h"
#include "app/core/preferences.h"
#include "app/ui/composer.h"
#include "app/ui/partyrail.h"
#include "app/ui/theme.h"
#include "app/ui/topiclistview.h"
#include "app/ui/topicpane.h"
#include "app/ui/topicsidebar.h"

#include <QApplication>
#include <QLabel>
#include <QListView>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace chatterbox;

namespace {

class IdleBrowser final : public app::UrlOpener {
public:
    void openUrl(const QUrl &, Done done) override { done(true, {}); }
};

protocol::Ready twoParties()
{
    protocol::Ready ready;
    ready.me = {"me", "Dana", "", ""};
    protocol::Party club{"p1", "Book Club", "me", 0, {{"t1", "p1", "general", 0, 0, 0}, {"t2", "p1", "books", 1, 0, 0}}, {}};
    club.members = {{"me", "Dana", "", protocol::Role::Owner, 0, ""}};
    protocol::Party walks{"p2", "Walks", "other", 0, {{"t3", "p2", "routes", 0, 0, 0}}, {}};
    walks.members = {{"me", "Dana", "", protocol::Role::Member, 0, ""}, {"other", "Olu", "", protocol::Role::Owner, 0, ""}};
    ready.parties = {club, walks};
    return ready;
}

} // namespace

class TestWindowParts : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<ui::Theme> m_theme;
    app::MemorySecretStore m_secrets;
    IdleBrowser m_browser;
    std::unique_ptr<app::Preferences> m_preferences;
    std::unique_ptr<app::Client> m_client;

private Q_SLOTS:
    void initTestCase()
    {
        m_theme = std::make_unique<ui::Theme>(*qApp);
        m_preferences = std::make_unique<app::Preferences>(m_dir.filePath(QStringLiteral("settings.ini")));
        m_client = std::make_unique<app::Client>(m_secrets, m_browser, QString());
        m_client->store().applyReady(twoParties());
    }

    void partyRail_aTilePerParty_choosingAndStepping()
    {
        ui::PartyRail rail(*m_client, *m_preferences, *m_theme, nullptr);
        QCOMPARE(rail.list()->model()->rowCount(), 2);
        QSignalSpy chosen(&rail, &ui::PartyRail::partyChosen);
        rail.step(1);
        QCOMPARE(chosen.count(), 1);
        const QString first = chosen.takeFirst().at(0).toString();
        rail.step(1);
        const QString second = chosen.takeFirst().at(0).toString();
        QVERIFY(first != second);
        rail.step(1);   // wraps around
        QCOMPARE(chosen.takeFirst().at(0).toString(), first);
        QSignalSpy create(&rail, &ui::PartyRail::createPartyRequested);
        rail.findChild<QAbstractButton *>(QStringLiteral("createPartyButton"))->click();
        QCOMPARE(create.count(), 1);
    }

    void topicSidebar_theOpenPartysTopics_andWhatManagersSee()
    {
        ui::TopicSidebar sidebar(*m_client, *m_preferences, *m_theme);
        m_client->showParty(QStringLiteral("p1"));
        sidebar.refresh();
        QCOMPARE(sidebar.list()->model()->rowCount(), 2);
        QVERIFY(sidebar.findChild<QPushButton *>(QStringLiteral("partyHeader"))->text().contains(QStringLiteral("Book Club")));
        QSignalSpy chosen(&sidebar, &ui::TopicSidebar::topicChosen);
        sidebar.step(1);
        QCOMPARE(chosen.count(), 1);
        QVERIFY(chosen.takeFirst().at(0).toString().startsWith(QLatin1Char('t')));

        // In a party where Dana is a member, not a manager, the add-topic button is not there.
        m_client->showParty(QStringLiteral("p2"));
        sidebar.refresh();
        QCOMPARE(sidebar.list()->model()->rowCount(), 1);
        auto *addTopic = sidebar.findChild<QAbstractButton *>(QStringLiteral("createTopicButton"));
        QVERIFY(addTopic);
        QVERIFY(addTopic->isHidden());
        m_client->showParty(QStringLiteral("p1"));
        sidebar.refresh();
        QVERIFY(!addTopic->isHidden());
    }

    void topicPane_theOpenTopic_orWhatToDo()
    {
        ui::TopicPane pane(*m_client, *m_preferences, *m_theme);
        m_client->showParty(QStringLiteral("p1"));
        m_client->showTopic({});
        pane.refresh();
        auto *empty = pane.findChild<QLabel *>(QStringLiteral("emptyState"));
        QCOMPARE(empty->text(), QStringLiteral("Pick a topic on the left."));
        QVERIFY(!pane.composer()->isEnabled());

        m_client->showTopic(QStringLiteral("t2"));
        pane.topicOpened();
        QVERIFY(pane.findChild<QLabel *>(QStringLiteral("topicTitle"))->text().contains(QStringLiteral("books")));
        QVERIFY(pane.composer()->isEnabled());
        QVERIFY(!pane.loadProblem()->isVisible());
    }
};

QTEST_MAIN(TestWindowParts)
#include "tst_windowparts.moc"
