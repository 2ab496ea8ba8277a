// SPDX-License-Identifier: GPL-3.0-or-later
// The app's window on a real X server with a window manager (run inside
// tests/support/desktop-session.sh), driven with real key presses and mouse moves (xdotool):
// where focus lands and what Enter and Escape do only show there. Dialogs take typing in their
// first field, Enter joins from an invite and Escape cancels, the composer's placeholder follows
// the topic on screen, Tab follows the layout with the focus visible, a narrow window hides the
// member list, and topics reorder by dragging. A screenshot of each step lands in
// $CHATTERBOX_SCREENSHOT_DIR.

#include "uifixture.h"

#include "app/core/displaytext.h"

#include "app/ui/dialogs/joinpartydialog.h"
#include "app/ui/dialogs/namedialog.h"
#include "app/ui/partyrail.h"
#include "app/ui/topiclistview.h"
#include "app/ui/topicsidebar.h"
#include "support/xinput.h"

#include <QDir>
#include <QPointer>
#include <QLabel>
#include <QPushButton>
#include <QScreen>
#include <QWindow>

using namespace chatterbox;
using namespace chatterbox::test;

class TestUiDesktop : public QObject {
    Q_OBJECT

    Harness m_harness;
    std::unique_ptr<ui::Theme> m_theme;
    std::unique_ptr<UiApp> m_dana;
    Person m_alice;

    app::Store &store() { return m_dana->client.store(); }

    // What the screen shows of a widget (not a fresh rendering of it).
    QImage onScreen(QWidget *widget)
    {
        QTest::qWait(100);
        const QPoint at = widget->mapToGlobal(QPoint(0, 0));
        return widget->screen()->grabWindow(0, at.x(), at.y(), widget->width(), widget->height()).toImage();
    }

    void keepScreenshot(const QString &name)
    {
        const QString dir = qEnvironmentVariable("CHATTERBOX_SCREENSHOT_DIR");
        if (dir.isEmpty())
            return;
        QDir().mkpath(dir);
        QTest::qWait(150);
        QGuiApplication::primaryScreen()->grabWindow(0).save(dir + QStringLiteral("/desktop-") + name + QStringLiteral(".png"));
    }

    bool activateWindow()
    {
        return xinput::activate(m_dana->window.winId()) && QTest::qWaitFor([&] { return m_dana->window.isActiveWindow(); }, 5000);
    }

    QString currentTopicName()
    {
        const auto *topic = store().topic(m_dana->client.currentTopicId().toStdString());
        return topic ? QString::fromStdString(topic->name) : QString();
    }

    void goToParty(const std::string &name)
    {
        for (const auto &p : store().parties()) {
            if (p.name == name)
                m_dana->chat().goToTopic(QString::fromStdString(p.id), {});
        }
    }

    QString inviteLinkTo(const char *partyName)
    {
        const auto party = Harness::createParty(m_alice, partyName);
        const json invite = m_alice->request("invite.create", {{"partyId", party.partyId}});
        return QStringLiteral("chatterbox://invite?server=") + QString::fromLatin1(QUrl::toPercentEncoding(m_harness.server().httpUrl(QString()).toString()))
               + QStringLiteral("&code=") + QString::fromStdString(invite["result"]["invite"]["code"].get<std::string>());
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!xinput::available())
            QFAIL("needs an X display and xdotool: run through ctest, which starts tests/support/desktop-session.sh");
        QCOMPARE(QGuiApplication::platformName(), QStringLiteral("xcb"));
        QApplication::setCursorFlashTime(0);   // a steady caret, so that two pictures of one screen are alike
        QVERIFY(m_harness.start());
        m_theme = std::make_unique<ui::Theme>(*qApp);
        m_theme->setChoice(app::Preferences::Theme::Light);
        m_alice = m_harness.connect(QStringLiteral("Alice Moreau"));
        m_dana = std::make_unique<UiApp>(QStringLiteral("Dana Kim"), *m_theme);
        QVERIFY(m_dana->signIn(m_harness.server().httpUrl(QString())));
        QVERIFY(activateWindow());
        keepScreenshot(QStringLiteral("01-signed-in"));
    }

    void signInPage_keyboardIsOnTheFirstProvider_enterContinues()
    {
        // Someone new: the server's address is filled in (from --server or a link).
        UiApp erin(QStringLiteral("Erin Tanaka"), *m_theme);
        erin.preferences.setServerUrl(m_harness.server().httpUrl(QString()).toString());
        erin.window.show();
        erin.window.start();
        QAbstractButton *dev = nullptr;
        QVERIFY(QTest::qWaitFor([&] { return (dev = erin.window.findChild<QAbstractButton *>(QStringLiteral("provider-dev"))) && dev->isVisible() && dev->isEnabled(); }, 10000));
        QVERIFY(xinput::activate(erin.window.winId()));
        QVERIFY(QTest::qWaitFor([&] { return QApplication::focusWidget() == dev; }, 3000));
        keepScreenshot(QStringLiteral("00-sign-in"));
        QVERIFY(xinput::key(QStringLiteral("Return")));
        QVERIFY(erin.online());
        QCOMPARE(QString::fromStdString(erin.client.store().me().displayName), QStringLiteral("Erin Tanaka"));
        erin.window.hide();
        QVERIFY(activateWindow());
    }

    void createParty_typedTextLandsInTheField_enterCreates()
    {
        QVERIFY(xinput::key(QStringLiteral("ctrl+shift+n")));
        QPointer<ui::NameDialog> dialog = m_dana->waitForDialog<ui::NameDialog>();
        QVERIFY(dialog);
        QVERIFY(QTest::qWaitFor([&] { return QApplication::focusWidget() == dialog->nameEdit(); }, 3000));
        QVERIFY(xinput::type(QStringLiteral("Desk Club")));
        QCOMPARE(dialog->nameEdit()->text(), QStringLiteral("Desk Club"));
        keepScreenshot(QStringLiteral("02-create-party"));
        QVERIFY(xinput::key(QStringLiteral("Return")));
        QVERIFY(QTest::qWaitFor([&] { return !dialog || !dialog->isVisible(); }, 5000));
        QVERIFY(QTest::qWaitFor([&] { return currentTopicName() == QStringLiteral("general"); }, 5000));
        QCOMPARE(QString::fromStdString(store().party(m_dana->client.currentPartyId().toStdString())->name), QStringLiteral("Desk Club"));
    }

    void createAndRenameTopic_fromTheKeyboard()
    {
        QVERIFY(xinput::key(QStringLiteral("ctrl+t")));
        auto *dialog = m_dana->waitForDialog<ui::NameDialog>();
        QVERIFY(dialog);
        QVERIFY(QTest::qWaitFor([&] { return QApplication::focusWidget() == dialog->nameEdit(); }, 3000));
        QVERIFY(xinput::type(QStringLiteral("announcements")));
        QVERIFY(xinput::key(QStringLiteral("Return")));
        QVERIFY(QTest::qWaitFor([&] { return currentTopicName() == QStringLiteral("announcements"); }, 5000));
        // Rename: the old name is there, selected, so typing replaces it.
        m_dana->chat().openRenameTopic();
        dialog = m_dana->waitForDialog<ui::NameDialog>();
        QVERIFY(dialog);
        QVERIFY(QTest::qWaitFor([&] { return QApplication::focusWidget() == dialog->nameEdit(); }, 3000));
        QCOMPARE(dialog->nameEdit()->selectedText(), QStringLiteral("announcements"));
        QVERIFY(xinput::type(QStringLiteral("news")));
        QVERIFY(xinput::key(QStringLiteral("Return")));
        QVERIFY(QTest::qWaitFor([&] { return currentTopicName() == QStringLiteral("news"); }, 5000));
    }

    void joinFromLink_enterJoins_escapeCancels()
    {
        m_dana->window.openLink(inviteLinkTo("Porch Club"));
        QPointer<ui::JoinPartyDialog> join = m_dana->waitForDialog<ui::JoinPartyDialog>();
        QVERIFY(join);
        auto *preview = join->findChild<QLabel *>(QStringLiteral("invitePreview"));
        QVERIFY(QTest::qWaitFor([&] { return preview->text().contains(QStringLiteral("Porch Club")); }, 5000));
        keepScreenshot(QStringLiteral("03-join"));
        QVERIFY(xinput::key(QStringLiteral("Return")));
        QVERIFY(QTest::qWaitFor([&] {
            const auto *p = store().party(m_dana->client.currentPartyId().toStdString());
            return p && p->name == "Porch Club";
        }, 5000));

        m_dana->window.openLink(inviteLinkTo("Attic Club"));
        join = m_dana->waitForDialog<ui::JoinPartyDialog>();
        QVERIFY(join);
        preview = join->findChild<QLabel *>(QStringLiteral("invitePreview"));
        QVERIFY(QTest::qWaitFor([&] { return preview->text().contains(QStringLiteral("Attic Club")); }, 5000));
        QVERIFY(xinput::key(QStringLiteral("Escape")));
        QVERIFY(QTest::qWaitFor([&] { return !join || !join->isVisible(); }, 3000));
        QTest::qWait(300);
        for (const auto &p : store().parties())
            QVERIFY(p.name != "Attic Club");
    }

    void composerPlaceholder_onScreen_followsTheTopic()
    {
        ui::Composer *composer = m_dana->chat().composer();
        goToParty("Desk Club");
        QVERIFY(activateWindow());
        const QString first = currentTopicName();
        const QImage before = onScreen(composer);
        QVERIFY(xinput::key(QStringLiteral("alt+Down")));
        QVERIFY(QTest::qWaitFor([&] { return currentTopicName() != first; }, 3000));
        QCOMPARE(composer->placeholderText(), QStringLiteral("Message #") + app::isolated(currentTopicName()));
        // The screen shows the new placeholder (it used to keep drawing the old one).
        QVERIFY(onScreen(composer) != before);
        QCOMPARE(onScreen(composer), composer->grab().toImage().convertToFormat(onScreen(composer).format()));
    }

    void tab_followsTheColumns_andShowsWhereFocusIs()
    {
        QVERIFY(activateWindow());
        ui::ChatPage &chat = m_dana->chat();
        QWidget *rail = chat.rail()->list();
        QWidget *topics = chat.sidebar()->list();
        QWidget *timeline = chat.timeline();
        QWidget *composer = chat.composer();
        QWidget *members = chat.memberList();
        QVERIFY(members->isVisible());
        // Something in the timeline to be on.
        composer->setFocus(Qt::TabFocusReason);
        QVERIFY(xinput::type(QStringLiteral("first words here")));
        QVERIFY(xinput::key(QStringLiteral("Return")));
        QVERIFY(QTest::qWaitFor([&] { return m_dana->client.timeline().rowCount() == 1; }, 5000));
        rail->setFocus(Qt::TabFocusReason);
        QVERIFY(QTest::qWaitFor([&] { return rail->hasFocus(); }, 2000));
        QList<QWidget *> visited{rail};
        for (int i = 0; i < 30 && !(visited.size() > 1 && QApplication::focusWidget() == rail); ++i) {
            QVERIFY(xinput::key(QStringLiteral("Tab")));
            visited << QApplication::focusWidget();
        }
        const auto at = [&](QWidget *w) { return visited.indexOf(w); };
        QVERIFY2(at(rail) >= 0 && at(topics) > at(rail) && at(timeline) > at(topics) && at(composer) > at(timeline) && at(members) > at(composer),
                 qPrintable(QStringLiteral("Tab visited %1, %2, %3, %4, %5 at %6 %7 %8 %9 %10").arg(rail->objectName(), topics->objectName(),
                     timeline->objectName(), composer->objectName(), members->objectName()).arg(at(rail)).arg(at(topics)).arg(at(timeline)).arg(at(composer)).arg(at(members))));
        // Each list draws where the keyboard is in it: with focus it looks different than without.
        for (QWidget *list : {rail, topics, timeline, members}) {
            composer->setFocus(Qt::TabFocusReason);
            const QImage unfocused = onScreen(list);
            list->setFocus(Qt::TabFocusReason);
            QVERIFY(QTest::qWaitFor([&] { return list->hasFocus(); }, 2000));
            QVERIFY2(onScreen(list) != unfocused, qPrintable(list->objectName() + QStringLiteral(" shows no focus")));
        }
        chat.sidebar()->list()->setFocus(Qt::TabFocusReason);
        keepScreenshot(QStringLiteral("04-focus-on-topics"));
    }

    void narrowWindow_hidesMembers_andElidesTheParty()
    {
        // A long party name of Dana's own.
        QVERIFY(m_dana->call("party.rename", {{"partyId", m_dana->client.currentPartyId().toStdString()},
                                              {"name", "The Extraordinarily Long Name Of A Reading Circle"}}).is_object());
        ui::ChatPage &chat = m_dana->chat();
        QVERIFY(chat.memberList()->isVisible());
        m_dana->window.resize(800, 600);
        QVERIFY(QTest::qWaitFor([&] { return !chat.memberList()->isVisible(); }, 3000));
        auto *header = m_dana->window.findChild<QPushButton *>(QStringLiteral("partyHeader"));
        // Too long for the column: drawn elided before the arrow, the whole name in the tooltip.
        QVERIFY(QTest::qWaitFor([&] { return header->toolTip() == app::plainToolTip(QStringLiteral("The Extraordinarily Long Name Of A Reading Circle")); }, 3000));
        QVERIFY(QFontMetrics(header->font()).horizontalAdvance(header->text()) > header->width() - 36);
        // Nothing of the name is drawn where the arrow is: that strip looks as it does with no name.
        const QImage withName = onScreen(header);
        const QString name = header->text();
        header->setText(QString());
        const QImage without = onScreen(header);
        header->setText(name);
        QCOMPARE(withName.copy(withName.width() - 36, 0, 36, withName.height()), without.copy(without.width() - 36, 0, 36, without.height()));
        QVERIFY(withName != without);
        keepScreenshot(QStringLiteral("05-narrow"));
        m_dana->window.resize(1200, 760);
        QVERIFY(QTest::qWaitFor([&] { return chat.memberList()->isVisible(); }, 3000));
        // Hidden on purpose stays hidden when the window grows.
        chat.toggleMembers();
        m_dana->window.resize(1300, 800);
        QTest::qWait(200);
        QVERIFY(!chat.memberList()->isVisible());
        chat.toggleMembers();
        QVERIFY(chat.memberList()->isVisible());
    }

    void dragTopic_reorders()
    {
        QVERIFY(activateWindow());
        ui::TopicListView *list = m_dana->chat().sidebar()->list();
        const auto order = [&] {
            QStringList names;
            for (const auto &t : store().party(m_dana->client.currentPartyId().toStdString())->topics)
                names << QString::fromStdString(t.name);
            return names;
        };
        const QStringList before = order();
        QCOMPARE(before.size(), 2);   // general, news
        const QRect first = list->visualRect(list->model()->index(0, 0));
        const QRect second = list->visualRect(list->model()->index(1, 0));
        QVERIFY(xinput::drag(list->viewport()->mapToGlobal(first.center()),
                             list->viewport()->mapToGlobal(QPoint(second.center().x(), second.bottom() - 2))));
        QVERIFY2(QTest::qWaitFor([&] { return order() == QStringList{before.at(1), before.at(0)}; }, 5000), qPrintable(order().join(QLatin1Char(','))));
        keepScreenshot(QStringLiteral("06-reordered"));
        // And back from the keyboard.
        m_dana->chat().goToTopic(m_dana->client.currentPartyId(), QString::fromStdString(store().party(m_dana->client.currentPartyId().toStdString())->topics.back().id));
        list->setFocus(Qt::TabFocusReason);
        QVERIFY(xinput::key(QStringLiteral("ctrl+shift+Up")));
        QVERIFY(QTest::qWaitFor([&] { return order() == before; }, 5000));
    }
};

QTEST_MAIN(TestUiDesktop)
#include "tst_ui_desktop.moc"
