// The sign-in screen against the real server: addresses people mistype, a server that is not
// there, the providers the server offers, the browser round trip, a remembered sign-in on the
// next start, and giving up while the browser is open.

#include "uifixture.h"

#include "app/ui/dialogs/joinpartydialog.h"

#include <QLabel>
#include <QMessageBox>

using namespace chatterbox;
using namespace chatterbox::test;

namespace {

// A browser that opens and is then left alone, as when a person walks away from it.
class IdleBrowser final : public app::UrlOpener {
public:
    bool openUrl(const QUrl &) override { return true; }
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
            QVERIFY(window.windowTitle().contains(base().host()));
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

        // A good one waits for the sign-in, which starts at the link's server.
        app.window.openLink(link);
        QCOMPARE(app.window.heldLink(), link);
        QCOMPARE(app.window.findChild<QLineEdit *>(QStringLiteral("serverUrl"))->text(), base().toString());
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
};

QTEST_MAIN(TestUiSignIn)
#include "tst_ui_signin.moc"
