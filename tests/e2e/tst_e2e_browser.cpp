// SPDX-License-Identifier: GPL-3.0-or-later
// Sign-in and the server's pages in a real browser (headless Chromium), as people meet them: the
// app's own session listens on its loopback port and opens the browser; the browser goes through
// /oauth/authorize, the provider's pages (typed into and clicked like a person does), and back to
// the app. Once with the development provider and once with an OpenID Connect provider that has
// login and consent pages and gives profile claims only from userinfo. Every page the server
// serves is loaded too, with the browser's own verdict on its Content-Security-Policy.

#include "e2efixture.h"
#include "support/headlesschromium.h"
#include "support/testidp.h"

#include "app/core/secretstore.h"
#include "app/core/session.h"

#include <QDir>
#include <QFile>
#include <QNetworkAccessManager>
#include <QTimer>

#include <functional>

using namespace chatterbox;
using namespace chatterbox::test;

namespace {

// A person at the browser: the app hands it the sign-in address, and the person does what each
// page asks (typing a name, signing in at the provider, agreeing to share the profile).
class ChromiumPerson final : public app::UrlOpener {
public:
    using Steps = std::function<void(HeadlessChromium &)>;
    ChromiumPerson(HeadlessChromium &browser, Steps steps) : m_browser(browser), m_steps(std::move(steps)) {}

    void openUrl(const QUrl &url, Done done) override
    {
        done(true, {});
        QTimer::singleShot(0, [this, url] {
            if (!m_browser.navigate(url))
                qWarning("the browser did not load the sign-in address: %s", qPrintable(m_browser.error()));
            m_steps(m_browser);
        });
    }

private:
    HeadlessChromium &m_browser;
    Steps m_steps;
};

bool isAppLoopback(const QUrl &url)
{
    return url.host() == QStringLiteral("127.0.0.1") && url.path().startsWith(QStringLiteral("/chatterbox/"));
}

} // namespace

class TestE2eBrowser : public QObject {
    Q_OBJECT

    std::unique_ptr<TestIdentityProvider> m_oidc;
    std::unique_ptr<Harness> m_harness;
    HeadlessChromium m_chromium;
    QNetworkAccessManager m_network;
    app::MemorySecretStore m_secrets;

    QUrl base() { return m_harness->server().httpUrl(QString()); }

    void keepScreenshot(const QString &name)
    {
        const QString dir = qEnvironmentVariable("CHATTERBOX_SCREENSHOT_DIR");
        if (dir.isEmpty())
            return;
        QDir().mkpath(dir);
        QFile file(dir + QStringLiteral("/browser-") + name + QStringLiteral(".png"));
        if (file.open(QIODevice::WriteOnly))
            file.write(m_chromium.screenshot());
    }

    // The app's session signs in with the provider, the person doing the steps in the browser.
    // Returns the display name the server gave the account.
    QString signIn(const QString &provider, ChromiumPerson::Steps steps)
    {
        ChromiumPerson person(m_chromium, std::move(steps));
        app::Session session(m_network, m_secrets, person);
        session.setServer(base());
        if (!QTest::qWaitFor([&] { return !session.server().tokenUrl.isEmpty(); }, 10000))
            return QStringLiteral("(no discovery)");
        m_chromium.clearLog();
        session.signIn(provider);
        if (!QTest::qWaitFor([&] { return session.state() == app::Session::State::SignedIn; }, 30000)) {
            qWarning("sign-in stopped in state %d (%s); the browser is at %s showing: %s; it said: %s", static_cast<int>(session.state()),
                     qPrintable(session.lastError()), qPrintable(m_chromium.url().toString()), qPrintable(m_chromium.visibleText().left(300)),
                     qPrintable(m_chromium.problems().join(QStringLiteral(" | "))));
            return {};
        }
        TestClient client;
        if (!client.open(m_harness->server().webSocketUrl(), session.accessToken()))
            return QStringLiteral("(no connection)");
        const json ready = client.hello();
        return QString::fromStdString(ready.value("/me/displayName"_json_pointer, std::string("(no ready)")));
    }

    // Loads a page of the server and checks what a person sees of it: it rendered with its
    // style, the browser reported nothing, and its text says what it should.
    void checkPage(const QUrl &url, const QString &expectedText, const QString &screenshot)
    {
        m_chromium.clearLog();
        QVERIFY2(m_chromium.navigate(url), qPrintable(m_chromium.error()));
        const QString text = m_chromium.visibleText();
        QVERIFY2(text.contains(expectedText), qPrintable(text));
        // The inline style applies (the policy allows it) and draws the card.
        const auto radius = m_chromium.evaluate(QStringLiteral("getComputedStyle(document.querySelector('main')).borderRadius"));
        QVERIFY(radius);
        QCOMPARE(radius->toString(), QStringLiteral("12px"));
        QVERIFY2(m_chromium.problems().isEmpty(), qPrintable(m_chromium.problems().join(QLatin1Char('\n'))));
        keepScreenshot(screenshot);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_chromium.start(), qPrintable(m_chromium.error()));
        m_oidc = std::make_unique<TestIdentityProvider>(TestIdentityProvider::Kind::OidcWithPages, QStringLiteral("chatterbox-browser"),
                                                        QStringLiteral("browser-secret"));
        QVERIFY2(m_oidc->start(), qPrintable(m_oidc->error()));
        m_harness = std::make_unique<Harness>(QStringList{
            QStringLiteral("--provider"),
            QStringLiteral("type=oidc,id=pages,name=Pages SSO,issuer=%1,client-id=chatterbox-browser,client-secret=browser-secret").arg(m_oidc->url())});
        QVERIFY(m_harness->start());
        QVERIFY(m_oidc->control(QStringLiteral("client"),
                                {{"redirect_uris", {(base().toString() + QStringLiteral("/oauth/callback/pages")).toStdString()}}}));
    }

    void devProvider_signsInThroughTheRealBrowser()
    {
        const QString name = signIn(QStringLiteral("dev"), [this](HeadlessChromium &browser) {
            if (!browser.waitFor(QStringLiteral("document.querySelector('input[name=name]')")))
                return qWarning("no name field on the development sign-in page");
            keepScreenshot(QStringLiteral("dev-pick"));
            browser.type(QStringLiteral("input[name=name]"), QStringLiteral("Chromium Carla"));
            browser.pressEnter();
        });
        QCOMPARE(name, QStringLiteral("Chromium Carla"));
        // The browser went the whole way, ended on the app's page, and refused nothing on it.
        const auto documents = m_chromium.documents();
        QVERIFY(!documents.isEmpty());
        QCOMPARE(documents.first().path(), QStringLiteral("/oauth/authorize"));
        QVERIFY(std::any_of(documents.begin(), documents.end(), [](const QUrl &u) { return u.path() == QStringLiteral("/auth/dev/pick"); }));
        QVERIFY2(isAppLoopback(documents.last()), qPrintable(documents.last().toString()));
        QVERIFY(m_chromium.waitFor(QStringLiteral("document.body.innerText.includes('You are signed in')")));
        QVERIFY2(m_chromium.problems().isEmpty(), qPrintable(m_chromium.problems().join(QLatin1Char('\n'))));
        keepScreenshot(QStringLiteral("dev-signed-in"));
    }

    void oidcProvider_signsInThroughItsPages_nameFromUserinfo()
    {
        // The provider's ID token carries only "sub"; the name is in userinfo.
        QVERIFY(m_oidc->control(QStringLiteral("account"), {{"login", "grace"}, {"name", "Grace Hopper"}, {"email", "grace@example.org"}}));
        const QString name = signIn(QStringLiteral("pages"), [this](HeadlessChromium &browser) {
            if (!browser.waitFor(QStringLiteral("document.querySelector('input[name=login]')")))
                return qWarning("no login form at the provider: %s", qPrintable(browser.visibleText().left(300)));
            keepScreenshot(QStringLiteral("oidc-login"));
            browser.type(QStringLiteral("input[name=login]"), QStringLiteral("grace"));
            browser.type(QStringLiteral("input[name=password]"), QStringLiteral("any password"));
            browser.pressEnter();
            // Consent: the provider asks to share the profile with Chatterbox.
            if (!browser.waitFor(QStringLiteral("location.pathname.startsWith('/interaction/') && !document.querySelector('input[name=login]')"
                                                " && document.querySelector('button[type=submit]')")))
                return qWarning("no consent page at the provider: %s", qPrintable(browser.visibleText().left(300)));
            keepScreenshot(QStringLiteral("oidc-consent"));
            browser.click(QStringLiteral("button[type=submit]"));
        });
        QCOMPARE(name, QStringLiteral("Grace Hopper"));
        QVERIFY(isAppLoopback(m_chromium.documents().last()));
        QVERIFY(m_chromium.waitFor(QStringLiteral("document.body.innerText.includes('You are signed in')")));
        keepScreenshot(QStringLiteral("oidc-signed-in"));
    }

    void serverPages_renderWithNothingRefused()
    {
        Person owner = m_harness->connect(QStringLiteral("owner"));
        const auto party = Harness::createParty(owner, "Browser Club");
        const json invite = owner->request("invite.create", {{"partyId", party.partyId}});
        const QString code = QString::fromStdString(invite["result"]["invite"]["code"].get<std::string>());

        checkPage(m_harness->server().httpUrl(QStringLiteral("/invite/") + code), QStringLiteral("You have been invited"),
                  QStringLiteral("invite"));
        const auto href = m_chromium.evaluate(QStringLiteral("document.querySelector('a.button').href"));
        QVERIFY(href && href->toString().startsWith(QStringLiteral("chatterbox://invite?server=")));

        QUrl badRedirect = m_harness->server().httpUrl(QStringLiteral("/oauth/authorize"));
        badRedirect.setQuery(QStringLiteral("provider=dev&redirect_uri=https%3A%2F%2Fevil.example%2F&state=s"));
        checkPage(badRedirect, QStringLiteral("Sign-in could not start"), QStringLiteral("error-authorize"));
        QUrl badCallback = m_harness->server().httpUrl(QStringLiteral("/oauth/callback/pages"));
        badCallback.setQuery(QStringLiteral("state=no-such-attempt&code=x"));
        checkPage(badCallback, QStringLiteral("Sign-in did not finish"), QStringLiteral("error-callback"));
        QUrl staleAttempt = m_harness->server().httpUrl(QStringLiteral("/auth/dev/pick"));
        staleAttempt.setQuery(QStringLiteral("attempt=no-such-attempt"));
        checkPage(staleAttempt, QStringLiteral("expired or was already used"), QStringLiteral("error-dev-attempt"));
    }

    void devPickPage_refusedName_staysUsable()
    {
        // A name that is refused shows the page again with the reason; the next one goes through.
        const QString name = signIn(QStringLiteral("dev"), [this](HeadlessChromium &browser) {
            if (!browser.waitFor(QStringLiteral("document.querySelector('input[name=name]')")))
                return qWarning("no name field");
            browser.type(QStringLiteral("input[name=name]"), QStringLiteral("   "));
            browser.pressEnter();
            if (!browser.waitFor(QStringLiteral("document.body.innerText.includes('That name does not work')")))
                return qWarning("the refused name was not explained: %s", qPrintable(browser.visibleText().left(300)));
            keepScreenshot(QStringLiteral("dev-refused-name"));
            browser.type(QStringLiteral("input[name=name]"), QStringLiteral("Second Try"));
            browser.pressEnter();
        });
        QCOMPARE(name, QStringLiteral("Second Try"));
        QVERIFY2(m_chromium.problems().isEmpty(), qPrintable(m_chromium.problems().join(QLatin1Char('\n'))));
    }
};

QTEST_GUILESS_MAIN(TestE2eBrowser)
#include "tst_e2e_browser.moc"
