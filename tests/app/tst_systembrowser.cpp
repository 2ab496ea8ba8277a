// The sign-in page goes to the system's browser through QDesktopServices, and nothing but
// web addresses does.

#include "app/ui/systembrowser.h"

#include <QDesktopServices>
#include <QGuiApplication>
#include <QTest>

using namespace chatterbox::app;

class BrowserStandIn : public QObject {
    Q_OBJECT
public:
    QList<QUrl> opened;
public Q_SLOTS:
    void open(const QUrl &url) { opened << url; }
};

class TestSystemBrowser : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void signInUrl_goesToTheDesktopBrowser()
    {
        BrowserStandIn browser;
        // What the desktop would do for http(s) links, caught here instead of starting a browser.
        QDesktopServices::setUrlHandler(QStringLiteral("https"), &browser, "open");
        QDesktopServices::setUrlHandler(QStringLiteral("http"), &browser, "open");
        SystemBrowser system;
        const QUrl url(QStringLiteral("https://chat.example.org/oauth/authorize?provider=google"));
        QVERIFY(system.openUrl(url));
        QCOMPARE(browser.opened, QList<QUrl>{url});
        QVERIFY(!system.openUrl(QUrl(QStringLiteral("file:///etc/passwd"))));
        QVERIFY(!system.openUrl(QUrl(QStringLiteral("chatterbox://invite?code=x"))));
        QCOMPARE(browser.opened.size(), 1);
        QDesktopServices::unsetUrlHandler(QStringLiteral("https"));
        QDesktopServices::unsetUrlHandler(QStringLiteral("http"));
    }
};

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    TestSystemBrowser test;
    return QTest::qExec(&test, argc, argv);
}
#include "tst_systembrowser.moc"
