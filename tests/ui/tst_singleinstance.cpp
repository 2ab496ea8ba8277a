// One app per user, with real processes: this test plays the running app (it holds the user's
// instance), starts the real chatterbox binary as a second start, and checks that what that
// start was given reaches it, that the second start leaves at once, that links never reach Qt's
// own option parsing, and that junk on the socket is dropped.

#include "app/core/invitelink.h"
#include "app/core/launcharguments.h"
#include "app/platform/singleinstance.h"

#include <QCoreApplication>
#include <QLocalSocket>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace chatterbox;

namespace {
const QString kLink = QStringLiteral("chatterbox://invite?server=http%3A%2F%2F127.0.0.1%3A8080&code=AbCdEfGhIjKlMnOpQrSt_-");
}

class TestSingleInstance : public QObject {
    Q_OBJECT

    QTemporaryDir m_home;
    std::unique_ptr<platform::SingleInstance> m_instance;

    // Starts the real app as a second start; returns its exit code.
    int secondStart(const QStringList &arguments)
    {
        QProcess app;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HOME"), m_home.path());
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        app.setProcessEnvironment(env);
        app.start(QStringLiteral(CHATTERBOX_APP_BINARY), arguments);
        if (!app.waitForStarted(5000))
            return -1;
        // It must leave by itself: the running app has what it came with.
        if (!QTest::qWaitFor([&] { return app.state() == QProcess::NotRunning; }, 15000)) {
            app.kill();
            app.waitForFinished();
            return -2;
        }
        if (app.exitCode() != 0)
            qWarning("second start said: %s", app.readAllStandardError().constData());
        return app.exitStatus() == QProcess::NormalExit ? app.exitCode() : -3;
    }

private Q_SLOTS:
    void initTestCase()
    {
        // The same user and home as the app will have: the same instance name.
        qputenv("HOME", m_home.path().toLocal8Bit());
        m_instance = std::make_unique<platform::SingleInstance>();
        QVERIFY(m_instance->claimOrHandOver({}));
        QVERIFY2(m_instance->error().isEmpty(), qPrintable(m_instance->error()));
    }

    void secondStart_handsItsLinkOver_andLeaves()
    {
        QSignalSpy received(m_instance.get(), &platform::SingleInstance::received);
        QCOMPARE(secondStart({kLink}), 0);
        QVERIFY(QTest::qWaitFor([&] { return received.count() == 1; }, 5000));
        QCOMPARE(received.first().first().toStringList(), QStringList{kLink});
    }

    void secondStart_withAHugeLink_handsItOverToBeRefusedAsTooLong()
    {
        // 64 KB once made the hand-over too big, and the second start said the running app did
        // not answer. Now it goes over cut short, and the running app says it is too long.
        QSignalSpy received(m_instance.get(), &platform::SingleInstance::received);
        const QString huge = QStringLiteral("chatterbox://invite?server=http%3A%2F%2Fa&code=") + QString(64 * 1024, QLatin1Char('A'));
        QCOMPARE(secondStart({QStringLiteral("--"), huge}), 0);
        QVERIFY(QTest::qWaitFor([&] { return received.count() == 1; }, 5000));
        const QStringList links = received.first().first().toStringList();
        QCOMPARE(links.size(), 1);
        QVERIFY(huge.startsWith(links.first()));
        QCOMPARE(app::parseInviteLink(links.first()).error, app::InviteLink::tr("That is far too long to be an invite link."));
    }

    void secondStart_withHundredsOfLinks_handsOverAFew()
    {
        QSignalSpy received(m_instance.get(), &platform::SingleInstance::received);
        QStringList arguments{QStringLiteral("--")};
        for (int i = 0; i < 200; ++i)
            arguments << QStringLiteral("chatterbox://junk/%1").arg(i);
        QCOMPARE(secondStart(arguments), 0);
        QVERIFY(QTest::qWaitFor([&] { return received.count() == 1; }, 5000));
        QCOMPARE(received.first().first().toStringList().size(), app::kMaxLinksPerStart);
    }

    void secondStart_withoutLink_asksForTheWindow()
    {
        QSignalSpy received(m_instance.get(), &platform::SingleInstance::received);
        QCOMPARE(secondStart({}), 0);
        QVERIFY(QTest::qWaitFor([&] { return received.count() == 1; }, 5000));
        QVERIFY(received.first().first().toStringList().isEmpty());
    }

    void linksNeverReachQtOptions()
    {
        // The desktop file runs `chatterbox -- %u`. Were "-platform nowhere" read by Qt, the app
        // would die looking for that platform plugin before handing anything over.
        QSignalSpy received(m_instance.get(), &platform::SingleInstance::received);
        QCOMPARE(secondStart({QStringLiteral("--"), QStringLiteral("-platform"), QStringLiteral("nowhere")}), 0);
        QVERIFY(QTest::qWaitFor([&] { return received.count() == 1; }, 5000));
        const QStringList links = received.first().first().toStringList();
        QCOMPARE(links, (QStringList{QStringLiteral("-platform"), QStringLiteral("nowhere")}));
        // And the running app refuses them, before any network, with a reason.
        for (const QString &link : links)
            QVERIFY(!app::parseInviteLink(link).ok());
    }

    void junkOnTheSocket_isDropped()
    {
        QSignalSpy received(m_instance.get(), &platform::SingleInstance::received);
        QLocalSocket socket;
        socket.connectToServer(platform::SingleInstance::defaultName());
        QVERIFY(socket.waitForConnected(2000));
        socket.write(QByteArray(platform::SingleInstance::kMaxMessageBytes + 1024, 'x'));
        socket.flush();
        QVERIFY(QTest::qWaitFor([&] { return socket.state() == QLocalSocket::UnconnectedState; }, 5000));
        QCOMPARE(received.count(), 0);
        // And the next start is heard as before.
        QCOMPARE(secondStart({kLink}), 0);
        QVERIFY(QTest::qWaitFor([&] { return received.count() == 1; }, 5000));
    }

    void takeLinkArguments_stripsLinksBeforeQtSeesThem()
    {
        QByteArray a0("chatterbox"), a1("-reverse"), a2("CHATTERBOX://invite?x=1"), a3("--"), a4("-platformpluginpath"), a5("/tmp/evil");
        char *argv[] = {a0.data(), a1.data(), a2.data(), a3.data(), a4.data(), a5.data(), nullptr};
        int argc = 6;
        const QStringList links = app::takeLinkArguments(argc, argv);
        QCOMPARE(links, (QStringList{QStringLiteral("CHATTERBOX://invite?x=1"), QStringLiteral("-platformpluginpath"), QStringLiteral("/tmp/evil")}));
        QCOMPARE(argc, 2);
        QCOMPARE(QByteArray(argv[1]), QByteArray("-reverse"));
        QCOMPARE(argv[2], nullptr);
    }
};

QTEST_GUILESS_MAIN(TestSingleInstance)
#include "tst_singleinstance.moc"
