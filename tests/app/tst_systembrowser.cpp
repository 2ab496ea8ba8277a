// SPDX-License-Identifier: GPL-3.0-or-later
// The sign-in page goes to the person's browser, and nothing but web addresses does. A launcher
// that is missing, fails, or finds no browser (xdg-open with a broken $BROWSER and no desktop) is
// reported, so the sign-in page can offer the address instead of waiting for ever.

#include "app/ui/systembrowser.h"

#include <QDesktopServices>
#include <QFile>
#include <QGuiApplication>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

using namespace chatterbox::app;

namespace {

struct Answer {
    bool opened = false;
    QString problem;
};

std::optional<Answer> open(SystemBrowser &browser, const QUrl &url, int timeoutMs = 10000)
{
    std::optional<Answer> answer;
    browser.openUrl(url, [&](bool opened, const QString &problem) { answer = Answer{opened, problem}; });
    (void)QTest::qWaitFor([&] { return answer.has_value(); }, timeoutMs);
    return answer;
}

} // namespace

class BrowserStandIn : public QObject {
    Q_OBJECT
public:
    QList<QUrl> opened;
public Q_SLOTS:
    void open(const QUrl &url) { opened << url; }
};

class TestSystemBrowser : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    const QUrl m_signIn{QStringLiteral("https://chat.example.org/oauth/authorize?provider=google&state=a%20b")};

    QString script(const QString &name, const QByteArray &body)
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return {};
        file.write("#!/bin/sh\n" + body);
        file.close();
        file.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        return path;
    }

private Q_SLOTS:
    void launcherThatOpens_getsTheExactAddress()
    {
        const QString record = m_dir.filePath(QStringLiteral("opened.txt"));
        SystemBrowser browser(script(QStringLiteral("opens"), "printf '%s' \"$1\" > '" + record.toUtf8() + "'\n"));
        const auto answer = open(browser, m_signIn);
        QVERIFY(answer);
        QVERIFY2(answer->opened, qPrintable(answer->problem));
        QFile file(record);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(QUrl(QString::fromUtf8(file.readAll()), QUrl::StrictMode), m_signIn);
    }

    void launcherThatFails_isReportedWithWhatItSaid()
    {
        SystemBrowser browser(script(QStringLiteral("fails"), "echo 'no method available for opening it' >&2\nexit 3\n"));
        const auto answer = open(browser, m_signIn);
        QVERIFY(answer);
        QVERIFY(!answer->opened);
        QCOMPARE(answer->problem, QStringLiteral("no method available for opening it"));
    }

    void missingLauncher_isReported()
    {
        SystemBrowser browser(m_dir.filePath(QStringLiteral("no-such-launcher")));
        const auto answer = open(browser, m_signIn);
        QVERIFY(answer);
        QVERIFY(!answer->opened);
        QVERIFY2(answer->problem.contains(QStringLiteral("could not be started")), qPrintable(answer->problem));
    }

    void launcherStillRunning_countsAsOpened()
    {
        // A browser started in the foreground: it runs on after the app has its answer.
        SystemBrowser browser(script(QStringLiteral("foreground"), "sleep 8\n"));
        const auto answer = open(browser, m_signIn, SystemBrowser::kSettleMs + 5000);
        QVERIFY(answer);
        QVERIFY(answer->opened);
    }

    void xdgOpenWithBrokenBrowser_noDesktop_isReported()
    {
        if (!QFile::exists(QStringLiteral("/usr/bin/xdg-open")))
            QSKIP("xdg-open is not installed (scripts/install-deps.sh installs it)");
        // A machine with no desktop and $BROWSER naming nothing that runs: what a server, a
        // container or a minimal install looks like.
        const QByteArray display = qgetenv("DISPLAY"), wayland = qgetenv("WAYLAND_DISPLAY"), was = qgetenv("BROWSER");
        qunsetenv("DISPLAY");
        qunsetenv("WAYLAND_DISPLAY");
        qputenv("BROWSER", m_dir.filePath(QStringLiteral("no-such-browser")).toLocal8Bit());
        SystemBrowser browser;   // xdg-open
        const auto answer = open(browser, m_signIn);
        qputenv("DISPLAY", display);
        qputenv("WAYLAND_DISPLAY", wayland);
        qputenv("BROWSER", was);
        QVERIFY(answer);
        QVERIFY(!answer->opened);
        QVERIFY(!answer->problem.isEmpty());
    }

    void onlyWebAddresses_areOpened()
    {
        const QString record = m_dir.filePath(QStringLiteral("refused.txt"));
        SystemBrowser browser(script(QStringLiteral("records"), "echo \"$1\" >> '" + record.toUtf8() + "'\n"));
        for (const char *url : {"file:///etc/passwd", "chatterbox://invite?code=x", "javascript:alert(1)"}) {
            const auto answer = open(browser, QUrl(QString::fromLatin1(url)));
            QVERIFY(answer);
            QVERIFY(!answer->opened);
        }
        QVERIFY(!QFile::exists(record));
    }

    void withoutLauncher_goesToTheDesktopServices()
    {
        // macOS and Windows: the system's own call, whose answer is honest there.
        BrowserStandIn standIn;
        QDesktopServices::setUrlHandler(QStringLiteral("https"), &standIn, "open");
        SystemBrowser browser{QString()};
        const auto answer = open(browser, m_signIn);
        QDesktopServices::unsetUrlHandler(QStringLiteral("https"));
        QVERIFY(answer);
        QVERIFY(answer->opened);
        QCOMPARE(standIn.opened, QList<QUrl>{m_signIn});
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
