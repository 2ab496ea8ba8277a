// SPDX-License-Identifier: GPL-3.0-or-later
// The sign-in screen against the real server: addresses people mistype, a server that is not
// there, the providers the server offers, the browser round trip, a remembered sign-in on the
// next start, giving up while the browser is open, no browser at all (the address to open by
// hand), and no keychain (signed in for this run, and told so).

#include "uifixture.h"

#include "app/core/keychainsecretstore.h"
#include "app/ui/dialogs/joinpartydialog.h"
#include "app/ui/noticebar.h"
#include "support/privatebus.h"

#include <QClipboard>
#include <QDirIterator>
#include <QLabel>
#include <QMessageBox>
#include <QTcpServer>
#include <QTcpSocket>

using namespace chatterbox;
using namespace chatterbox::test;

namespace {

// A browser that opens and is then left alone, as when a person walks away from it.
class IdleBrowser final : public app::UrlOpener {
public:
    void openUrl(const QUrl &, Done done) override { done(true, {}); }
};

// No browser: xdg-open found nothing to open the address with.
class MissingBrowser final : public app::UrlOpener {
public:
    int asked = 0;
    void openUrl(const QUrl &, Done done) override
    {
        ++asked;
        done(false, QStringLiteral("no method available for opening the address"));
    }
};

QString errorText(QWidget &window)
{
    auto *label = window.findChild<QLabel *>(QStringLiteral("signInError"));
    return label && label->isVisible() ? label->text() : QString();
}

} // namespace

class TestUiSignIn : public QObject {
    Q_OBJECT

    Harness m_harness;
    std::unique_ptr<ui::Theme> m_theme;
    QTemporaryDir m_dir;
    MemorySecretStore m_secrets;   // kept across "restarts" of the app, as the keychain is
    QTemporaryDir m_runtime;
    PrivateBus m_emptyBus;          // the session bus of a machine with no keychain

    QUrl base() { return m_harness.server().httpUrl(QString()); }

    // The development provider's button, once discovery has shown it.
    static QAbstractButton *devButton(QWidget &window)
    {
        QAbstractButton *dev = nullptr;
        (void)QTest::qWaitFor([&] { return (dev = window.findChild<QAbstractButton *>(QStringLiteral("provider-dev"))) && dev->isVisible(); }, 10000);
        return dev;
    }

    void enterServer(ui::MainWindow &window, const QString &text)
    {
        auto *address = window.findChild<QLineEdit *>(QStringLiteral("serverUrl"));
        QVERIFY(address);
        address->clear();
        QTest::keyClicks(address, text);
        QTest::keyClick(address, Qt::Key_Return);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_emptyBus.start(), qPrintable(m_emptyBus.error()));
        leaveDesktopSession(m_emptyBus, m_runtime.path());
        QVERIFY(m_harness.start());
        m_theme = std::make_unique<ui::Theme>(*qApp);
    }

    void badAddress_saysWhatToDo()
    {
        UiApp app(QStringLiteral("erin"), *m_theme);
        app.window.show();
        app.window.start();
        enterServer(app.window, QStringLiteral("not an address ::"));
        QVERIFY2(errorText(app.window).contains(QStringLiteral("is not a server address")), qPrintable(errorText(app.window)));
        enterServer(app.window, QString());
        QVERIFY(errorText(app.window).contains(QStringLiteral("Enter your server's address")));
    }

    void unreachableServer_saysWhatToDo()
    {
        UiApp app(QStringLiteral("erin"), *m_theme);
        app.window.show();
        app.window.start();
        enterServer(app.window, QStringLiteral("http://127.0.0.1:9"));
        QVERIFY(QTest::qWaitFor([&] { return !errorText(app.window).isEmpty(); }, 15000));
        QVERIFY2(errorText(app.window).contains(QStringLiteral("Check the address")), qPrintable(errorText(app.window)));
        // The person can correct it and go on.
        QVERIFY(app.window.findChild<QLineEdit *>(QStringLiteral("serverUrl"))->isEnabled());
    }

    void signIn_showsProvidersThenChat_andRemembersServer()
    {
        const QString ini = m_dir.filePath(QStringLiteral("remembered.ini"));
        {
            DevBrowser browser(QStringLiteral("frank"));
            app::Preferences preferences(ini);
            app::Client client(m_secrets, browser, QString());
            ui::MainWindow window(client, preferences, *m_theme);
            window.show();
            window.start();
            enterServer(window, base().toString());
            QAbstractButton *dev = devButton(window);
            QVERIFY(dev);
            QCOMPARE(dev->text(), QStringLiteral("Continue with Development sign-in"));
            dev->click();
            QVERIFY(QTest::qWaitFor([&] { return window.chatPage()->isVisible() && client.connection().state() == app::Connection::State::Online; }, 20000));
            QCOMPARE(QString::fromStdString(client.store().me().displayName), QStringLiteral("frank"));
            QCOMPARE(app::normalizeServerUrl(preferences.serverUrl()), base());
            QCOMPARE(window.windowTitle(), QStringLiteral("Chatterbox"));   // in no party yet
        }
        // The next start goes straight in: the server is remembered and the sign-in is in the keychain.
        IdleBrowser idle;
        app::Preferences preferences(ini);
        app::Client client(m_secrets, idle, QString());
        ui::MainWindow window(client, preferences, *m_theme);
        window.show();
        window.start();
        QVERIFY(QTest::qWaitFor([&] { return window.chatPage()->isVisible() && client.connection().state() == app::Connection::State::Online; }, 20000));
        QCOMPARE(QString::fromStdString(client.store().me().displayName), QStringLiteral("frank"));
    }

    void coldStartLink_isHeldUntilSignedIn_thenAsksToJoin()
    {
        Person alice = m_harness.connect(QStringLiteral("alice"));
        const auto party = Harness::createParty(alice, "Held Link Club");
        const json invite = alice->request("invite.create", {{"partyId", party.partyId}});
        const QString code = QString::fromStdString(invite["result"]["invite"]["code"].get<std::string>());
        const QString link = QStringLiteral("chatterbox://invite?server=") + QString::fromLatin1(QUrl::toPercentEncoding(base().toString()))
                             + QStringLiteral("&code=") + code;

        UiApp app(QStringLiteral("gina"), *m_theme);
        app.window.show();
        app.window.start();
        // A link that is not one: refused at once with the reason, nothing fetched.
        app.window.openLink(QStringLiteral("chatterbox://invite?server=file:///etc&code=") + code);
        auto *refusal = app.waitForDialog<QMessageBox>();
        QVERIFY(refusal);
        QCOMPARE(refusal->objectName(), QStringLiteral("linkRefused"));
        QVERIFY(refusal->informativeText().contains(QStringLiteral("server address")));
        refusal->close();

        // A good one waits for the sign-in, which is offered at the link's server: Continue.
        app.window.openLink(link);
        QCOMPARE(app.window.heldLink(), link);
        QCOMPARE(app.window.findChild<QLineEdit *>(QStringLiteral("serverUrl"))->text(), base().toString());
        app.window.findChild<QAbstractButton *>(QStringLiteral("continueButton"))->click();
        QAbstractButton *dev = devButton(app.window);
        QVERIFY(dev);
        dev->click();
        QVERIFY(app.online());
        auto *join = app.waitForDialog<ui::JoinPartyDialog>(10000);
        QVERIFY(join);
        auto *preview = join->findChild<QLabel *>(QStringLiteral("invitePreview"));
        QVERIFY(QTest::qWaitFor([&] { return preview->text().contains(QStringLiteral("Held Link Club")); }, 5000));
        QVERIFY(app.client.store().party(party.partyId) == nullptr);   // asked, not joined
    }

    void manyBadLinks_oneBoxListsThem()
    {
        UiApp app(QStringLiteral("jo"), *m_theme);
        app.window.show();
        app.window.start();
        QStringList junk;
        for (int i = 0; i < 200; ++i)
            junk << QStringLiteral("chatterbox://invite?server=nowhere&code=%1").arg(i);
        app.window.openLinks(junk);
        app.window.openLink(QStringLiteral("not a link at all"));
        QTest::qWait(300);
        QList<QMessageBox *> boxes;
        for (auto *box : app.window.findChildren<QMessageBox *>())
            if (box->isVisible())
                boxes << box;
        QCOMPARE(boxes.size(), 1);
        QVERIFY2(boxes.first()->text().contains(QStringLiteral("201 links")), qPrintable(boxes.first()->text()));
        QVERIFY(boxes.first()->informativeText().contains(QStringLiteral("and 193 more")));
    }

    void coldStartLink_nothingIsAskedOfItsServerBeforeYes()
    {
        // A server named in a link that someone sent: it must not hear from this app (that the
        // link was opened, from where) until the person has seen its address and said yes.
        QTcpServer elsewhere;
        QVERIFY(elsewhere.listen(QHostAddress::LocalHost, 0));
        int contacted = 0;
        connect(&elsewhere, &QTcpServer::newConnection, this, [&] {
            ++contacted;
            while (QTcpSocket *s = elsewhere.nextPendingConnection())
                s->abort();
        });
        const QString server = QStringLiteral("http://127.0.0.1:%1").arg(elsewhere.serverPort());
        UiApp app(QStringLiteral("ivy"), *m_theme);
        app.window.show();
        app.window.start();
        app.window.openLink(QStringLiteral("chatterbox://invite?server=") + QString::fromLatin1(QUrl::toPercentEncoding(server))
                            + QStringLiteral("&code=AbCdEfGhIjKlMnOpQrSt_-"));
        QTest::qWait(1500);
        QCOMPARE(contacted, 0);
        // The whole address is on the page, scheme and port too, and Continue has the keyboard.
        QCOMPARE(app.window.findChild<QLineEdit *>(QStringLiteral("serverUrl"))->text(), server);
        auto *status = app.window.findChild<QLabel *>(QStringLiteral("signInStatus"));
        QVERIFY2(status->isVisible() && status->text().contains(server), qPrintable(status->text()));
        auto *continueButton = app.window.findChild<QAbstractButton *>(QStringLiteral("continueButton"));
        QVERIFY(continueButton->isVisible() && continueButton->hasFocus());
        continueButton->click();
        QVERIFY(QTest::qWaitFor([&] { return contacted > 0; }, 5000));
    }

    void waitingForBrowser_canBeCancelled()
    {
        IdleBrowser idle;
        MemorySecretStore secrets;
        app::Preferences preferences(m_dir.filePath(QStringLiteral("cancel.ini")));
        app::Client client(secrets, idle, QString());
        ui::MainWindow window(client, preferences, *m_theme);
        window.show();
        window.start();
        enterServer(window, base().toString());
        QAbstractButton *dev = devButton(window);
        QVERIFY(dev);
        dev->click();
        auto *cancel = window.findChild<QAbstractButton *>(QStringLiteral("cancelSignIn"));
        QVERIFY(QTest::qWaitFor([&] { return cancel->isVisible(); }, 5000));
        QVERIFY(window.findChild<QLabel *>(QStringLiteral("signInStatus"))->text().contains(QStringLiteral("browser")));
        QVERIFY(!dev->isEnabled());
        cancel->click();
        QVERIFY(QTest::qWaitFor([&] { return !cancel->isVisible() && dev->isEnabled(); }, 5000));
        QCOMPARE(client.session().state(), app::Session::State::SignedOut);
    }

    void noBrowser_showsTheAddress_andFinishesWhenOpenedByHand()
    {
        MissingBrowser missing;
        MemorySecretStore secrets;
        app::Preferences preferences(m_dir.filePath(QStringLiteral("nobrowser.ini")));
        app::Client client(secrets, missing, QString());
        ui::MainWindow window(client, preferences, *m_theme);
        window.show();
        window.start();
        enterServer(window, base().toString());
        QAbstractButton *dev = devButton(window);
        QVERIFY(dev);
        dev->click();
        auto *manual = window.findChild<QWidget *>(QStringLiteral("manualSignIn"));
        QVERIFY(QTest::qWaitFor([&] { return manual->isVisible(); }, 5000));
        const QString said = window.findChild<QLabel *>(QStringLiteral("manualSignInText"))->text();
        QVERIFY2(said.contains(QStringLiteral("did not open")) && said.contains(QStringLiteral("no method available")), qPrintable(said));
        auto *address = window.findChild<QLineEdit *>(QStringLiteral("signInAddress"));
        QCOMPARE(QUrl(address->text()), client.session().signInUrl());
        QVERIFY(address->text().startsWith(base().toString() + QStringLiteral("/oauth/authorize?")));

        // Copy, and try the browser once more: it is asked again, and the address stays.
        window.findChild<QAbstractButton *>(QStringLiteral("copySignInAddress"))->click();
        QCOMPARE(QGuiApplication::clipboard()->text(), address->text());
        window.findChild<QAbstractButton *>(QStringLiteral("retryBrowser"))->click();
        QCOMPARE(missing.asked, 2);
        QVERIFY(manual->isVisible());
        QVERIFY(window.findChild<QAbstractButton *>(QStringLiteral("cancelSignIn"))->isVisible());

        // The person pastes it into a browser of their own; the app was listening all along.
        DevBrowser byHand(QStringLiteral("hannah"));
        byHand.openUrl(QUrl(QGuiApplication::clipboard()->text()), [](bool, const QString &) {});
        QVERIFY(QTest::qWaitFor([&] { return window.chatPage()->isVisible() && client.connection().state() == app::Connection::State::Online; }, 20000));
        QCOMPARE(QString::fromStdString(client.store().me().displayName), QStringLiteral("hannah"));
    }

    void noBrowser_cancelReturnsToTheStart()
    {
        MissingBrowser missing;
        MemorySecretStore secrets;
        app::Preferences preferences(m_dir.filePath(QStringLiteral("nobrowser-cancel.ini")));
        app::Client client(secrets, missing, QString());
        ui::MainWindow window(client, preferences, *m_theme);
        window.show();
        window.start();
        enterServer(window, base().toString());
        QAbstractButton *dev = devButton(window);
        QVERIFY(dev);
        dev->click();
        auto *manual = window.findChild<QWidget *>(QStringLiteral("manualSignIn"));
        QVERIFY(QTest::qWaitFor([&] { return manual->isVisible(); }, 5000));
        window.findChild<QAbstractButton *>(QStringLiteral("cancelSignIn"))->click();
        QVERIFY(!manual->isVisible());
        QVERIFY(dev->isVisible() && dev->isEnabled());
        QCOMPARE(client.session().state(), app::Session::State::SignedOut);
        // The address of the cancelled sign-in leads nowhere now.
        QVERIFY(client.session().signInUrl().isEmpty());
    }

    void noKeychain_signsInForThisRun_andSaysSo()
    {
        // The real keychain code on a session bus with no Secret Service or KWallet on it.
        app::KeychainSecretStore keychain(QStringLiteral("chatterbox-test"));
        DevBrowser browser(QStringLiteral("ivan"));
        QTemporaryDir home;
        app::Preferences preferences(home.filePath(QStringLiteral("settings.ini")));
        app::Client client(keychain, browser, home.filePath(QStringLiteral("outbox.json")));
        ui::MainWindow window(client, preferences, *m_theme);
        window.show();
        window.start();
        enterServer(window, base().toString());
        QAbstractButton *dev = devButton(window);
        QVERIFY(dev);
        QVERIFY2(errorText(window).isEmpty(), qPrintable(errorText(window)));   // nothing to restore is no error
        dev->click();
        QVERIFY2(QTest::qWaitFor([&] { return window.chatPage()->isVisible() && client.connection().state() == app::Connection::State::Online; }, 20000),
                 qPrintable(errorText(window)));
        QVERIFY(client.session().isKeptInMemoryOnly());
        auto *notice = window.findChild<ui::NoticeBar *>(QStringLiteral("noticeBar"));
        QVERIFY(notice && notice->isVisible());
        QVERIFY2(notice->text().contains(QStringLiteral("sign in again after you quit")) && notice->text().contains(QStringLiteral("GNOME Keyring")),
                 qPrintable(notice->text()));
        // The refresh token works from memory, and reaches no file.
        std::optional<bool> refreshed;
        client.session().refresh([&](bool ok) { refreshed = ok; });
        QVERIFY(QTest::qWaitFor([&] { return refreshed.has_value(); }, 10000));
        QVERIFY(*refreshed);
        preferences.settings().sync();
        QDirIterator files(home.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (files.hasNext()) {
            QFile f(files.next());
            QVERIFY(f.open(QIODevice::ReadOnly));
            QVERIFY2(!f.readAll().contains(client.session().accessToken()), qPrintable(f.fileName()));
        }
        // Said once: a second refresh that the keychain refuses again says nothing new.
        window.findChild<QAbstractButton *>(QStringLiteral("dismissNotice"))->click();
        refreshed.reset();
        client.session().refresh([&](bool ok) { refreshed = ok; });
        QVERIFY(QTest::qWaitFor([&] { return refreshed.has_value(); }, 10000));
        QVERIFY(!notice->isVisible());
    }
};

QTEST_MAIN(TestUiSignIn)
#include "tst_ui_signin.moc"
