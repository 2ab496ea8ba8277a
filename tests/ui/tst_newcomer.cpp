// SPDX-License-Identifier: GPL-3.0-or-later
// A newcomer's first run, the way the README tells it, inside a desktop session of its own
// (tests/support/desktop-session.sh: Xvfb, openbox, a session bus, a notification daemon, a
// tray host): scripts/run.sh starts the server (with its own PostgreSQL), the demo party and the
// app. The newcomer presses "Continue with Development sign-in"; xdg-open hands the address to the
// browser ($BROWSER here passes it to headless Chromium, which the test drives like a person);
// the app asks to join the demo party and Enter joins; the newcomer writes, and a second person
// on the server reads it. Then the server dies by itself: run.sh says why and the app stays; with
// the server back the app reconnects; Ctrl+C stops everything. A screenshot of every step lands
// in $CHATTERBOX_SCREENSHOT_DIR.

#include "e2e/e2efixture.h"
#include "support/headlesschromium.h"
#include "support/testclient.h"
#include "support/testidp.h"
#include "support/xinput.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QRegularExpression>
#include <QScreen>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

#include <csignal>

using namespace chatterbox::test;
using nlohmann::json;

namespace {

quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

// The app's main window: visible windows of its class, but not the tray icon (a small window
// of the same class and title).
QStringList appWindows()
{
    const auto run = [](const QStringList &arguments) {
        QProcess xdotool;
        xdotool.start(QStringLiteral("xdotool"), arguments);
        xdotool.waitForFinished(5000);
        return QString::fromUtf8(xdotool.readAllStandardOutput());
    };
    QStringList windows;
    for (const QString &id : run({QStringLiteral("search"), QStringLiteral("--onlyvisible"), QStringLiteral("--class"), QStringLiteral("chatterbox")})
                                 .split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        const auto size = QRegularExpression(QStringLiteral("Geometry: (\\d+)x(\\d+)"))
                              .match(run({QStringLiteral("getwindowgeometry"), id}));
        if (size.hasMatch() && size.captured(1).toInt() > 200)
            windows << id;
    }
    return windows;
}

} // namespace

class TestNewcomer : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QProcess m_run;
    QByteArray m_said;          // what run.sh printed
    QString m_listen;
    QUrl m_base;
    QString m_invite;
    QString m_browserLog;       // where $BROWSER writes the addresses it is asked to open
    HeadlessChromium m_chromium;
    QNetworkAccessManager m_network;
    std::unique_ptr<TestClient> m_sam;
    std::string m_samId;
    std::string m_partyId;
    std::string m_topicId;
    QProcess m_restarted;
    int m_step = 0;

    void screenshot(const QString &name)
    {
        const QString dir = qEnvironmentVariable("CHATTERBOX_SCREENSHOT_DIR");
        if (dir.isEmpty())
            return;
        QDir().mkpath(dir);
        QTest::qWait(300);
        QGuiApplication::primaryScreen()->grabWindow(0).save(
            dir + QStringLiteral("/newcomer-%1-%2.png").arg(++m_step, 2, 10, QLatin1Char('0')).arg(name));
    }

    bool waitForSaid(const QByteArray &text, int timeoutMs)
    {
        return QTest::qWaitFor([&] {
            m_said += m_run.readAll();
            return m_said.contains(text) || m_run.state() == QProcess::NotRunning;
        }, timeoutMs) && m_said.contains(text);
    }

    QString said() const { return QString::fromUtf8(m_said.right(4000)); }

    QUrl webSocketUrl()
    {
        const auto discovery = httpStep(m_network, "GET", m_base.resolved(QUrl(QStringLiteral("/.well-known/chatterbox"))));
        const auto answer = json::parse(discovery.body.toStdString(), nullptr, false);
        return QUrl(QString::fromStdString(answer.value("websocket", std::string())));
    }

    std::string devLogin(const QString &name, QByteArray *token)
    {
        const auto step = httpStep(m_network, "POST", m_base.resolved(QUrl(QStringLiteral("/auth/dev"))),
                                   QByteArray::fromStdString(json{{"name", name.toStdString()}}.dump()), "application/json");
        const auto answer = json::parse(step.body.toStdString(), nullptr, false);
        if (step.status != 200 || !answer.is_object())
            return {};
        *token = QByteArray::fromStdString(answer["access_token"].get<std::string>());
        return answer["user"]["id"].get<std::string>();
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!xinput::available())
            QFAIL("needs an X display and xdotool: run through ctest, which starts tests/support/desktop-session.sh");
        QVERIFY2(m_chromium.start(), qPrintable(m_chromium.error()));
        // As root, the server runs its PostgreSQL as another user, who must reach the data dir.
        QFile::setPermissions(m_dir.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadGroup
                                                | QFile::ExeGroup | QFile::ReadOther | QFile::ExeOther);
        // The person's default browser, set as a desktop sets one (a desktop entry and
        // mimeapps.list): xdg-open hands it the address, and it passes it on to the test.
        m_browserLog = m_dir.filePath(QStringLiteral("browser.log"));
        const QString browser = m_dir.filePath(QStringLiteral("browser"));
        QFile script(browser);
        QVERIFY(script.open(QIODevice::WriteOnly));
        script.write("#!/bin/sh\nprintf '%s\\n' \"$1\" >> '" + m_browserLog.toUtf8() + "'\n");
        script.close();
        script.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        QVERIFY(QDir().mkpath(m_dir.filePath(QStringLiteral("home/.local/share/applications"))));
        QVERIFY(QDir().mkpath(m_dir.filePath(QStringLiteral("home/.config"))));
        QFile entry(m_dir.filePath(QStringLiteral("home/.local/share/applications/newcomer-browser.desktop")));
        QVERIFY(entry.open(QIODevice::WriteOnly));
        entry.write("[Desktop Entry]\nType=Application\nName=Newcomer's Browser\nExec=" + browser.toUtf8()
                    + " %u\nMimeType=x-scheme-handler/http;x-scheme-handler/https;\n");
        entry.close();
        QFile defaults(m_dir.filePath(QStringLiteral("home/.config/mimeapps.list")));
        QVERIFY(defaults.open(QIODevice::WriteOnly));
        defaults.write("[Default Applications]\nx-scheme-handler/http=newcomer-browser.desktop\n"
                       "x-scheme-handler/https=newcomer-browser.desktop\n");
        defaults.close();

        m_listen = QStringLiteral("127.0.0.1:%1").arg(freePort());
        m_base = QUrl(QStringLiteral("http://") + m_listen);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("CHATTERBOX_SKIP_BUILD"), QStringLiteral("1"));
        env.insert(QStringLiteral("CHATTERBOX_BUILD_DIR"), QStringLiteral(CHATTERBOX_BUILD_ROOT));
        env.insert(QStringLiteral("CHATTERBOX_LISTEN"), m_listen);
        env.insert(QStringLiteral("CHATTERBOX_WS_LISTEN"), QStringLiteral("127.0.0.1:%1").arg(freePort()));
        env.insert(QStringLiteral("CHATTERBOX_DATA_DIR"), m_dir.filePath(QStringLiteral("postgres")));
        env.insert(QStringLiteral("HOME"), m_dir.filePath(QStringLiteral("home")));
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_dir.filePath(QStringLiteral("home/.config")));
        env.insert(QStringLiteral("XDG_DATA_HOME"), m_dir.filePath(QStringLiteral("home/.local/share")));
        env.remove(QStringLiteral("QT_QPA_PLATFORM"));
        m_run.setProcessEnvironment(env);
        m_run.setProcessChannelMode(QProcess::MergedChannels);
        m_run.start(QStringLiteral(CHATTERBOX_SOURCE_ROOT "/scripts/run.sh"));
        QVERIFY(m_run.waitForStarted(5000));
        QVERIFY2(waitForSaid("Press Ctrl+C to stop everything.", 120000), qPrintable(said()));
        const auto link = QRegularExpression(QStringLiteral("Invite someone else to the demo party with:\\s+(\\S+)")).match(said());
        QVERIFY2(link.hasMatch(), qPrintable(said()));
        m_invite = link.captured(1);
    }

    void runSh_opensTheAppAtTheSignIn()
    {
        QVERIFY2(QTest::qWaitFor([&] { return !appWindows().isEmpty(); }, 30000), qPrintable(said()));
        screenshot(QStringLiteral("sign-in"));
    }

    void continueWithDevelopmentSignIn_inTheBrowser()
    {
        // A second person on the server first, to see the newcomer arrive and to read them.
        QByteArray token;
        m_samId = devLogin(QStringLiteral("Second Sam"), &token);
        QVERIFY(!m_samId.empty());
        m_sam = std::make_unique<TestClient>();
        QVERIFY(m_sam->open(webSocketUrl(), token));
        QVERIFY(m_sam->hello().is_object());
        const QUrl invite(m_invite);
        const QString code = invite.hasQuery() ? QUrlQuery(invite).queryItemValue(QStringLiteral("code")) : invite.path().section(QLatin1Char('/'), -1);
        const json joined = m_sam->request("invite.join", {{"code", code.toStdString()}});
        QVERIFY2(isOk(joined), joined.dump().c_str());
        m_partyId = joined["result"]["party"]["id"];
        m_topicId = joined["result"]["party"]["topics"][0]["id"];

        // The sign-in page has the development provider's button with the keyboard on it.
        const QString window = appWindows().value(0);
        QVERIFY(xinput::activate(window.toULong()));
        QVERIFY(xinput::key(QStringLiteral("Return")));
        QVERIFY2(QTest::qWaitFor([&] { return QFile(m_browserLog).size() > 0; }, 15000), qPrintable(said()));
        QFile log(m_browserLog);
        QVERIFY(log.open(QIODevice::ReadOnly));
        const QUrl address(QString::fromUtf8(log.readAll()).trimmed().section(QLatin1Char('\n'), -1));
        QCOMPARE(address.path(), QStringLiteral("/oauth/authorize"));
        screenshot(QStringLiteral("waiting-for-browser"));
        QVERIFY2(m_chromium.navigate(address), qPrintable(m_chromium.error()));
        QVERIFY(m_chromium.waitFor(QStringLiteral("document.querySelector('input[name=name]')")));
        QVERIFY(m_chromium.type(QStringLiteral("input[name=name]"), QStringLiteral("Newcomer Nia")));
        QVERIFY(m_chromium.pressEnter());
        QVERIFY2(m_chromium.waitFor(QStringLiteral("document.body.innerText.includes('You are signed in')")), qPrintable(m_chromium.visibleText()));
        QVERIFY2(m_chromium.problems().isEmpty(), qPrintable(m_chromium.problems().join(QLatin1Char('\n'))));
        if (const QString dir = qEnvironmentVariable("CHATTERBOX_SCREENSHOT_DIR"); !dir.isEmpty()) {
            QFile page(dir + QStringLiteral("/newcomer-%1-browser-signed-in.png").arg(++m_step, 2, 10, QLatin1Char('0')));
            if (page.open(QIODevice::WriteOnly))
                page.write(m_chromium.screenshot());
        }
    }

    void joinTheDemoParty_withEnter()
    {
        // The app asks before joining and shows the party's name; Enter is Join.
        QTest::qWait(1500);
        screenshot(QStringLiteral("asked-to-join"));
        // The dialog has the keyboard as it opens (the window manager gave it focus).
        QVERIFY(xinput::key(QStringLiteral("Return")));
        const auto arrived = m_sam->waitForEvent("member.joined", [](const json &e) { return e["member"]["displayName"] == "Newcomer Nia"; }, 15000);
        QVERIFY2(arrived, qPrintable(said()));
        screenshot(QStringLiteral("joined"));
    }

    void firstMessage_isReadByTheOtherPerson()
    {
        QTest::qWait(500);
        QVERIFY(xinput::activate(appWindows().value(0).toULong()));
        QVERIFY(xinput::type(QStringLiteral("Hello, I am new here")));
        QVERIFY(xinput::key(QStringLiteral("Return")));
        const auto message = m_sam->waitForEvent("message.created", [](const json &e) { return e["message"]["body"] == "Hello, I am new here"; }, 15000);
        QVERIFY(message);
        QVERIFY(isOk(m_sam->request("message.send", {{"topicId", (*message)["message"]["topicId"]}, {"clientMsgId", uuid()}, {"body", "Welcome, Nia!"}})));
        screenshot(QStringLiteral("first-message"));
    }

    void serverExitsByItself_runShSaysWhy_appStays()
    {
        QProcess::execute(QStringLiteral("pkill"), {QStringLiteral("-KILL"), QStringLiteral("-f"), QStringLiteral("chatterbox-server --listen ") + m_listen});
        QVERIFY2(waitForSaid("The app stays open", 15000), qPrintable(said()));
        QVERIFY2(said().contains(QStringLiteral("chatterbox-server was stopped by signal KILL")), qPrintable(said()));
        QCOMPARE(m_run.state(), QProcess::Running);
        QTest::qWait(2000);
        QVERIFY(!appWindows().isEmpty());
        screenshot(QStringLiteral("server-gone"));
    }

    void serverBack_appReconnects()
    {
        // As run.sh says to: the same command again (its PostgreSQL is where it was).
        const auto command = QRegularExpression(QStringLiteral("Start the server again with:\\s+(\\S+) (.*)")).match(said());
        QVERIFY2(command.hasMatch(), qPrintable(said()));
        m_restarted.setProcessEnvironment(m_run.processEnvironment());
        m_restarted.setProcessChannelMode(QProcess::MergedChannels);
        m_restarted.start(command.captured(1), command.captured(2).trimmed().split(QLatin1Char(' '), Qt::SkipEmptyParts));
        QVERIFY(m_restarted.waitForStarted(5000));
        QVERIFY(QTest::qWaitFor([&] { return httpStep(m_network, "GET", m_base.resolved(QUrl(QStringLiteral("/healthz")))).status == 200; }, 60000));
        // Sam comes back too, and sees the newcomer online again once the app has reconnected.
        QByteArray token;
        QVERIFY(!devLogin(QStringLiteral("Second Sam"), &token).empty());
        m_sam = std::make_unique<TestClient>();
        QVERIFY(m_sam->open(webSocketUrl(), token));
        const json ready = m_sam->hello();
        std::string nia;
        for (const auto &party : ready["parties"])
            for (const auto &member : party["members"])
                if (member["displayName"] == "Newcomer Nia")
                    nia = member["userId"];
        QVERIFY(!nia.empty());
        const bool online = ready["presence"].value(nia, std::string()) == "online"
                            || m_sam->waitForEvent("presence.updated", [&](const json &e) { return e["userId"] == nia && e["status"] == "online"; }, 45000);
        QVERIFY2(online, qPrintable(said()));
        screenshot(QStringLiteral("reconnected"));
    }

    void ctrlC_stopsEverything()
    {
        ::kill(static_cast<pid_t>(m_run.processId()), SIGINT);
        QVERIFY2(m_run.waitForFinished(20000), qPrintable(said()));
        QVERIFY(QTest::qWaitFor([&] { return appWindows().isEmpty(); }, 10000));
    }

    void cleanupTestCase()
    {
        if (m_run.state() != QProcess::NotRunning) {
            ::kill(static_cast<pid_t>(m_run.processId()), SIGINT);
            m_run.waitForFinished(20000);
        }
        if (m_restarted.state() != QProcess::NotRunning) {
            m_restarted.terminate();   // and with it the PostgreSQL it runs
            m_restarted.waitForFinished(30000);
        }
    }
};

QTEST_MAIN(TestNewcomer)
#include "tst_newcomer.moc"
