// SPDX-License-Identifier: GPL-3.0-or-later
// The tray icon in a real X server (Xvfb) with a real tray host (trayer): the icon appears, shows
// the unread count, its menu mutes everything for a while, and closing the window with
// "keep running in the tray" hides it instead of quitting; the tray brings it back.

#include "app/core/client.h"
#include "app/core/preferences.h"
#include "app/ui/mainwindow.h"
#include "app/ui/theme.h"
#include "app/ui/trayicon.h"

#include <QApplication>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace chatterbox;

namespace {

class IdleBrowser final : public app::UrlOpener {
public:
    void openUrl(const QUrl &, Done done) override { done(true, {}); }
};

protocol::Ready readyWithUnread(std::int64_t unread)
{
    protocol::Ready ready;
    ready.me = {"me", "Dana", "", ""};
    protocol::Party party{"p1", "Book Club", "me", 0, {{"t1", "p1", "general", 0, 10, 10}, {"t2", "p1", "books", 1, 5, 5}}, {}};
    party.members = {{"me", "Dana", "", protocol::Role::Owner, 0, ""}};
    ready.parties = {party};
    ready.readStates = {{"t1", 10 - unread, unread, 0}, {"t2", 5, 0, 0}};
    return ready;
}

QImage imageOf(const QIcon &icon)
{
    return icon.pixmap(32, 32).toImage();
}

} // namespace

class TestTray : public QObject {
    Q_OBJECT

    QProcess m_trayHost;
    QTemporaryDir m_dir;
    std::unique_ptr<ui::Theme> m_theme;

private Q_SLOTS:
    void initTestCase()
    {
        QCOMPARE(QGuiApplication::platformName(), QStringLiteral("xcb"));
        m_theme = std::make_unique<ui::Theme>(*qApp);
        m_trayHost.start(QStringLiteral("trayer"), {QStringLiteral("--edge"), QStringLiteral("top"), QStringLiteral("--widthtype"),
                                                   QStringLiteral("request"), QStringLiteral("--SetDockType"), QStringLiteral("false")});
        QVERIFY2(m_trayHost.waitForStarted(5000), "trayer (the tray host) did not start");
        QVERIFY2(QTest::qWaitFor([] { return QSystemTrayIcon::isSystemTrayAvailable(); }, 10000), "no system tray appeared");
    }

    void icon_showsTheUnreadCount()
    {
        app::Store store;
        app::Preferences preferences(m_dir.filePath(QStringLiteral("count.ini")));
        store.applyReady(readyWithUnread(0));
        ui::TrayIcon tray(store, preferences);
        tray.tray().show();
        QVERIFY(QTest::qWaitFor([&] { return tray.tray().isVisible(); }, 5000));
        QCOMPARE(tray.unread(), 0);
        const QImage quiet = imageOf(tray.tray().icon());

        store.applyReady(readyWithUnread(7));
        QTRY_COMPARE(tray.unread(), 7);
        QVERIFY(tray.tray().toolTip().contains(QStringLiteral("7 unread")));
        const QImage busy = imageOf(tray.tray().icon());
        QVERIFY(quiet != busy);
        QCOMPARE(busy, imageOf(ui::TrayIcon::iconFor(7)));
        QVERIFY(imageOf(ui::TrayIcon::iconFor(7)) != imageOf(ui::TrayIcon::iconFor(8)));
        QVERIFY(imageOf(ui::TrayIcon::iconFor(150)) == imageOf(ui::TrayIcon::iconFor(999)));   // both "99+"
    }

    void menu_mutesAllForAWhile()
    {
        app::Store store;
        app::Preferences preferences(m_dir.filePath(QStringLiteral("mute.ini")));
        ui::TrayIcon tray(store, preferences);
        QStringList texts;
        QMenu *mute = nullptr;
        for (QAction *a : tray.menu().actions()) {
            texts << a->text();
            if (a->menu())
                mute = a->menu();
        }
        QCOMPARE(texts, (QStringList{QStringLiteral("Open Chatterbox"), QStringLiteral("Do Not Disturb"), QString(), QStringLiteral("Quit Chatterbox")}));
        QVERIFY(mute);
        const auto muteActions = mute->actions();
        QCOMPARE(muteActions.size(), 3);
        muteActions[0]->trigger();   // for 1 hour
        const qint64 seconds = QDateTime::currentDateTime().secsTo(preferences.muteAllUntil());
        QVERIFY2(seconds > 3500 && seconds <= 3600, qPrintable(QString::number(seconds)));
        QVERIFY(tray.tray().toolTip().contains(QStringLiteral("Do not disturb until")));
        muteActions[1]->trigger();   // until tomorrow
        QCOMPARE(preferences.muteAllUntil().date(), QDate::currentDate().addDays(1));
        muteActions[2]->trigger();   // off
        QVERIFY(!preferences.muteAllUntil().isValid());
        QSignalSpy quit(&tray, &ui::TrayIcon::quitRequested);
        tray.menu().actions().last()->trigger();
        QCOMPARE(quit.count(), 1);
    }

    void closeToTray_hidesAndTheTrayBringsItBack()
    {
        app::MemorySecretStore secrets;
        IdleBrowser browser;
        app::Preferences preferences(m_dir.filePath(QStringLiteral("window.ini")));
        app::Client client(secrets, browser, QString());
        ui::MainWindow window(client, preferences, *m_theme);
        ui::TrayIcon tray(client.store(), preferences);
        tray.tray().show();
        window.setTrayShown(true);
        connect(&tray, &ui::TrayIcon::openRequested, &window, &ui::MainWindow::showAndRaise);
        preferences.setCloseToTray(true);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        // close() is false when the window refused to close: it hid, and the app goes on.
        QVERIFY(!window.close());
        QVERIFY(!window.isVisible());
        Q_EMIT tray.tray().activated(QSystemTrayIcon::Trigger);
        QVERIFY(QTest::qWaitFor([&] { return window.isVisible(); }, 5000));

        // Without the option, the window really closes, and with it the app.
        preferences.setCloseToTray(false);
        QVERIFY(window.close());
        QVERIFY(!window.isVisible());
    }

    void cleanupTestCase()
    {
        m_trayHost.terminate();
        m_trayHost.waitForFinished(5000);
    }
};

int main(int argc, char *argv[])
{
    // The tray host here speaks the X11 tray protocol; keep Qt from looking for a D-Bus one.
    qunsetenv("DBUS_SESSION_BUS_ADDRESS");
    QApplication app(argc, argv);
    app.setQuitOnLastWindowClosed(false);
    TestTray test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_tray.moc"
