// SPDX-License-Identifier: GPL-3.0-or-later
// Search in the chat window against the real server: Ctrl+Shift+F and Ctrl+F, results grouped
// by topic with the matched words marked, filters as chips, errors in plain words, the search
// history, and Enter on a result opening it in its place in history.

#include "uifixture.h"

#include "app/core/models/searchmodel.h"
#include "app/ui/searchpanel.h"

#include <QAbstractItemView>
#include <QComboBox>
#include <QCompleter>
#include <QLabel>
#include <QToolButton>

using namespace chatterbox;
using namespace chatterbox::test;
using app::SearchModel;
using app::TimelineModel;

class TestUiSearch : public QObject {
    Q_OBJECT

    Harness m_harness;
    std::unique_ptr<ui::Theme> m_theme;
    std::unique_ptr<UiApp> m_dana;
    Person m_alice, m_bob;
    Harness::PartyIds m_party;
    std::string m_releases, m_long;

    ui::SearchPanel &panel() { return *m_dana->chat().searchPanel(); }
    SearchModel &results() { return panel().model(); }
    QString status() { return panel().findChild<QLabel *>(QStringLiteral("searchStatus"))->text(); }

    void say(Person &who, const std::string &topicId, const std::string &body)
    {
        QVERIFY(isOk(who->request("message.send", {{"topicId", topicId}, {"clientMsgId", uuid()}, {"body", body}})));
    }

    // Types a query into the field as a person would, and waits for its results.
    bool typeQuery(const QString &query)
    {
        panel().field()->clear();
        QTest::keyClicks(panel().field(), query);
        return QTest::qWaitFor([&] { return results().query() == query && !results().isLoading(); }, 5000);
    }

    QStringList snippets()
    {
        QStringList out;
        for (int row = 0; row < results().rowCount(); ++row) {
            const QModelIndex index = results().index(row);
            if (!index.data(SearchModel::IsHeaderRole).toBool())
                out << index.data(SearchModel::SnippetRole).toString();
        }
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_harness.start());
        m_theme = std::make_unique<ui::Theme>(*qApp);
        m_alice = m_harness.connect(QStringLiteral("Alice Moreau"));
        m_bob = m_harness.connect(QStringLiteral("Bob <b>Okafor</b>"));
        m_party = Harness::createParty(m_alice, "Rocketry");
        QVERIFY(Harness::join(m_alice, m_party.partyId, m_bob));
        m_releases = m_alice->request("topic.create", {{"partyId", m_party.partyId}, {"name", "releases"}})["result"]["topic"]["id"];
        m_long = m_alice->request("topic.create", {{"partyId", m_party.partyId}, {"name", "long"}})["result"]["topic"]["id"];
        say(m_alice, m_party.topicId, "The rocket is on the pad");
        say(m_bob, m_releases, "rocket launch moved to Friday");
        say(m_bob, m_party.topicId, "<b>rocket</b> <img src=x onerror=alert(1)> as plain text");
        say(m_alice, m_party.topicId, "nothing to see");
        // A needle far back in a long topic: the timeline has to load the history around it.
        std::vector<Person> senders;
        for (int i = 0; i < 4; ++i)
            senders.push_back(m_harness.reconnect(m_alice));
        for (int i = 1; i <= 160; ++i)
            say(senders[static_cast<std::size_t>(i / 50)], m_long, i == 3 ? "the needle in the haystack" : "hay " + std::to_string(i));

        m_dana = std::make_unique<UiApp>(QStringLiteral("Dana Kim"), *m_theme);
        QVERIFY(m_dana->signIn(m_harness.server().httpUrl(QString())));
        const json invite = m_alice->request("invite.create", {{"partyId", m_party.partyId}});
        QVERIFY(m_dana->call("invite.join", {{"code", invite["result"]["invite"]["code"]}}).contains("party"));
        QVERIFY(QTest::qWaitFor([&] { return m_dana->client.store().party(m_party.partyId) != nullptr; }, 5000));
        m_dana->chat().goToTopic(QString::fromStdString(m_party.partyId), QString::fromStdString(m_party.topicId));
        QVERIFY(QTest::qWaitFor([&] { return m_dana->client.currentTopicId().toStdString() == m_party.topicId; }, 5000));
        QApplication::setActiveWindow(&m_dana->window);
        QVERIFY(QTest::qWaitForWindowActive(&m_dana->window));
    }

    void ctrlShiftF_searchesEverywhere_groupedByTopic_wordsMarked()
    {
        QVERIFY(!panel().isVisible());
        QTest::keyClick(&m_dana->window, Qt::Key_F, Qt::ControlModifier | Qt::ShiftModifier);
        QVERIFY(QTest::qWaitFor([&] { return panel().isVisible() && panel().field()->hasFocus(); }, 3000));
        QCOMPARE(panel().findChild<QComboBox *>(QStringLiteral("searchScope"))->currentIndex(), 1);
        QVERIFY(typeQuery(QStringLiteral("rocket")));
        QCOMPARE(results().resultCount(), 3);
        // Two groups: general (its newest result first), then releases.
        QVERIFY(results().index(0).data(SearchModel::IsHeaderRole).toBool());
        QVERIFY(results().index(0).data().toString().startsWith(QStringLiteral("#general")));
        QCOMPARE(results().index(1).data(SearchModel::SnippetRole).toString(), QStringLiteral("<b>rocket</b> <img src=x onerror=alert(1)> as plain text"));
        const QPoint mark = results().index(1).data(SearchModel::HighlightsRole).toList().value(0).toPoint();
        QCOMPARE(results().index(1).data(SearchModel::SnippetRole).toString().mid(mark.x(), mark.y()), QStringLiteral("rocket"));
        QCOMPARE(results().index(1).data(SearchModel::AuthorNameRole).toString(), QStringLiteral("Bob <b>Okafor</b>"));
        QCOMPARE(snippets().size(), 3);
        QVERIFY(results().index(3).data(SearchModel::IsHeaderRole).toBool());
        QVERIFY(results().index(3).data().toString().startsWith(QStringLiteral("#releases")));
        QCOMPARE(status(), QStringLiteral("3 result(s)"));
        QCOMPARE(panel().findChild<QLabel *>(QStringLiteral("searchStatus"))->textFormat(), Qt::PlainText);
    }

    void filters_showAsChips_andAChipTakesItsFilterOut()
    {
        QVERIFY(typeQuery(QStringLiteral("rocket in:#releases ")));
        QCOMPARE(snippets(), QStringList{"rocket launch moved to Friday"});
        const auto chips = panel().findChildren<QToolButton *>(QStringLiteral("searchChip"));
        QCOMPARE(chips.size(), 1);
        QVERIFY(chips.front()->text().startsWith(QStringLiteral("in: #releases")));
        chips.front()->click();
        QCOMPARE(panel().field()->text(), QStringLiteral("rocket "));
        QVERIFY(QTest::qWaitFor([&] { return results().resultCount() == 3 && !results().isLoading(); }, 5000));
    }

    void badQuery_saysWhatIsWrong()
    {
        QVERIFY(typeQuery(QStringLiteral("\"rocket")));
        QVERIFY2(status().contains(QStringLiteral("quote is not closed")), qPrintable(status()));
        QCOMPARE(results().resultCount(), 0);
        QVERIFY(typeQuery(QStringLiteral("rocket on:2026-02-30")));
        QVERIFY2(status().contains(QStringLiteral("is not a date")), qPrintable(status()));
    }

    void ctrlF_searchesTheOpenTopicOnly()
    {
        QTest::keyClick(&m_dana->window, Qt::Key_Escape);
        QTest::keyClick(panel().field(), Qt::Key_Escape);
        QVERIFY(QTest::qWaitFor([&] { return !panel().isVisible(); }, 3000));
        QTest::keyClick(&m_dana->window, Qt::Key_F, Qt::ControlModifier);
        QVERIFY(QTest::qWaitFor([&] { return panel().isVisible(); }, 3000));
        QCOMPARE(panel().findChild<QComboBox *>(QStringLiteral("searchScope"))->currentIndex(), 0);
        QVERIFY(typeQuery(QStringLiteral("rocket")));
        QCOMPARE(snippets(), (QStringList{"<b>rocket</b> <img src=x onerror=alert(1)> as plain text", "The rocket is on the pad"}));
    }

    void enterOnAResult_opensItInItsPlaceInHistory_andIsRemembered()
    {
        panel().findChild<QComboBox *>(QStringLiteral("searchScope"))->setCurrentIndex(1);
        QVERIFY(typeQuery(QStringLiteral("needle")));
        QCOMPARE(snippets(), QStringList{"the needle in the haystack"});
        QTest::keyClick(panel().field(), Qt::Key_Return);       // runs it now, and remembers it
        QTest::keyClick(panel().field(), Qt::Key_Down);         // to the first result
        QVERIFY(panel().results()->hasFocus());
        QTest::keyClick(panel().results(), Qt::Key_Return);
        QVERIFY(QTest::qWaitFor([&] { return m_dana->client.currentTopicId().toStdString() == m_long; }, 5000));
        auto &view = *m_dana->chat().timeline();
        QVERIFY(QTest::qWaitFor([&] { return view.highlighted().isValid(); }, 5000));
        QCOMPARE(view.highlighted().data(TimelineModel::BodyRole).toString(), QStringLiteral("the needle in the haystack"));
        QVERIFY(m_dana->client.timeline().hasNewer());   // opened where it is, not at the end
        QCOMPARE(m_dana->preferences.recentSearches().value(0), QStringLiteral("needle"));

        // With the field empty, focusing it offers the last searches.
        panel().field()->clear();
        view.setFocus();
        panel().field()->setFocus();
        auto *history = panel().findChild<QCompleter *>();
        QVERIFY(QTest::qWaitFor([&] { return history->popup()->isVisible(); }, 3000));
        QCOMPARE(history->popup()->model()->index(0, 0).data().toString(), QStringLiteral("needle"));
        QTest::keyClick(history->popup(), Qt::Key_Escape);
    }

    void leavingAParty_takesItsResultsAway()
    {
        QVERIFY(typeQuery(QStringLiteral("rocket")));
        QCOMPARE(results().resultCount(), 3);
        m_dana->call("party.leave", {{"partyId", m_party.partyId}});
        QVERIFY(QTest::qWaitFor([&] { return m_dana->client.store().party(m_party.partyId) == nullptr; }, 5000));
        QVERIFY(QTest::qWaitFor([&] { return results().resultCount() == 0 && results().rowCount() == 0; }, 3000));
    }
};

QTEST_MAIN(TestUiSearch)
#include "tst_ui_search.moc"
