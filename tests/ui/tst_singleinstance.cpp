// SPDX-License-Identifier: GPL-3.0-or-later
// One app per user, with real processes: this test plays the running app (it holds the user's
// instance), starts the real chatterbox binary as a second start, and checks that what that
// start was given reaches it, that the second start leaves at once, that links never reach Qt's
// own option parsing, and that junk on the socket is dropped. And that the socket and its lock
// are the user's alone: a directory, lock or socket that someone else made first (or that is open
// to others) is not used, and a connection from another user is refused (those need root, to
// play the other user; they are skipped without it).

#include "app/core/invitelink.h"
#include "app/core/launcharguments.h"
#include "app/platform/privatefiles.h"
#include "app/platform/singleinstance.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <QCoreApplication>
#include <QLocalSocket>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <cstring>
#include <functional>
#include <thread>

using namespace chatterbox;

namespace {
const QString kLink = QStringLiteral("chatterbox://invite?server=http%3A%2F%2F127.0.0.1%3A8080&code=AbCdEfGhIjKlMnOpQrSt_-");
}

class TestSingleInstance : public QObject {
    Q_OBJECT

    QTemporaryDir m_home;
    QTemporaryDir m_runtime;   // the session's XDG_RUNTIME_DIR (mode 0700, as a session's is)
    std::unique_ptr<platform::SingleInstance> m_instance;

    static constexpr uid_t kSomeoneElse = 65534;   // nobody

    // Sets an environment variable (or unsets it, with a null value) until it goes out of scope.
    struct EnvironmentVariable {
        const char *name;
        QByteArray saved;
        bool wasSet;
        EnvironmentVariable(const char *n, const QByteArray &value) : name(n), saved(qgetenv(n)), wasSet(qEnvironmentVariableIsSet(n))
        {
            if (value.isNull())
                qunsetenv(name);
            else
                qputenv(name, value);
        }
        ~EnvironmentVariable()
        {
            if (wasSet)
                qputenv(name, saved);
            else
                qunsetenv(name);
        }
    };

    // A start in a runtime directory prepared by prepare(), as a fresh app would make it.
    QString startIn(const std::function<void(const QString &chatterboxDir)> &prepare, bool *goesOn = nullptr)
    {
        QTemporaryDir runtime, temp;
        const EnvironmentVariable xdg("XDG_RUNTIME_DIR", runtime.path().toLocal8Bit());
        const EnvironmentVariable tmp("TMPDIR", temp.path().toLocal8Bit());
        prepare(runtime.path() + QStringLiteral("/chatterbox"));
        platform::SingleInstance instance(QStringLiteral("probe"));
        const bool on = instance.claimOrHandOver({});
        if (goesOn)
            *goesOn = on;
        return instance.error();
    }

    // A process of another user writes a hand-over to the socket at path; returns its exit code
    // (0: it connected and wrote).
    static int connectAsSomeoneElse(const QString &path, const QByteArray &message)
    {
        const QByteArray native = QFile::encodeName(path);
        const pid_t child = ::fork();
        if (child == 0) {
            if (::setgid(kSomeoneElse) != 0 || ::setuid(kSomeoneElse) != 0)
                ::_exit(10);
            const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
            sockaddr_un address{};
            address.sun_family = AF_UNIX;
            std::memcpy(address.sun_path, native.constData(), std::min<std::size_t>(native.size(), sizeof address.sun_path - 1));
            if (::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0)
                ::_exit(11);
            if (::write(fd, message.constData(), static_cast<std::size_t>(message.size())) != message.size())
                ::_exit(12);
            char answer[8];
            [[maybe_unused]] const auto got = ::read(fd, answer, sizeof answer);   // until the app closes it
            ::_exit(0);
        }
        int status = 0;
        ::waitpid(child, &status, 0);
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }

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
        // The same user and home as the app will have: the same instance name. The session's
        // runtime directory is the test's own, so that a desktop's running app is not met.
        qputenv("HOME", m_home.path().toLocal8Bit());
        qputenv("XDG_RUNTIME_DIR", m_runtime.path().toLocal8Bit());
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
        socket.connectToServer(m_instance->serverName());
        QVERIFY(socket.waitForConnected(2000));
        socket.write(QByteArray(platform::SingleInstance::kMaxMessageBytes + 1024, 'x'));
        socket.flush();
        QVERIFY(QTest::qWaitFor([&] { return socket.state() == QLocalSocket::UnconnectedState; }, 5000));
        QCOMPARE(received.count(), 0);
        // And the next start is heard as before.
        QCOMPARE(secondStart({kLink}), 0);
        QVERIFY(QTest::qWaitFor([&] { return received.count() == 1; }, 5000));
    }

    void socketAndLock_areInTheUsersOwnRuntimeDirectory()
    {
        const QString dir = m_runtime.path() + QStringLiteral("/chatterbox");
        QCOMPARE(QFileInfo(m_instance->serverName()).absolutePath(), dir);
        QVERIFY(QFileInfo::exists(m_instance->serverName()));
        QVERIFY(QFileInfo::exists(m_instance->serverName() + QStringLiteral(".lock")));
        struct stat st {};
        QCOMPARE(::lstat(QFile::encodeName(dir).constData(), &st), 0);
        QCOMPARE(st.st_mode & 07777, mode_t(0700));
        QCOMPARE(st.st_uid, ::geteuid());
    }

    void directoryOpenToOthers_orALink_isNotUsed_andTheAppSaysSo()
    {
        bool goesOn = false;
        QString error = startIn([](const QString &dir) {
            QVERIFY(QDir().mkpath(dir));
            QVERIFY(QFile::setPermissions(dir, QFileDevice::Permissions(0x7777)));   // rwx for all
        }, &goesOn);
        QVERIFY(goesOn);   // the app starts all the same
        QVERIFY2(error.contains(QStringLiteral("is open to other users")), qPrintable(error));

        QTemporaryDir elsewhere;
        error = startIn([&](const QString &dir) { QVERIFY(QFile::link(elsewhere.path(), dir)); }, &goesOn);
        QVERIFY(goesOn);
        QVERIFY2(error.contains(QStringLiteral("is a symbolic link")), qPrintable(error));
        QVERIFY(QDir(elsewhere.path()).isEmpty());   // nothing was made where it points
    }

    void withoutXdgRuntimeDir_aDirectoryOfItsOwnInTemp_thenTheHome()
    {
        QTemporaryDir temp;
        const QString dir = temp.path() + QStringLiteral("/chatterbox-") + QString::number(::geteuid());
        {
            const EnvironmentVariable xdg("XDG_RUNTIME_DIR", QByteArray());
            const EnvironmentVariable tmp("TMPDIR", temp.path().toLocal8Bit());
            const platform::PrivateDirectory own = platform::privateRuntimeDirectory();
            QCOMPARE(own.path, dir);
            QVERIFY2(own.problem.isEmpty(), qPrintable(own.problem));
        }
        {
            // A relative XDG_RUNTIME_DIR is ignored, as the XDG spec says.
            const EnvironmentVariable xdg("XDG_RUNTIME_DIR", QByteArrayLiteral("relative/run"));
            const EnvironmentVariable tmp("TMPDIR", temp.path().toLocal8Bit());
            const platform::PrivateDirectory own = platform::privateRuntimeDirectory();
            QCOMPARE(own.path, dir);
            QVERIFY2(own.problem.contains(QStringLiteral("is not an absolute path")), qPrintable(own.problem));
        }
        // Made first, with a mode that lets others in: passed over for one in the home.
        QVERIFY(QDir().rmdir(dir));
        QVERIFY(QDir().mkdir(dir));
        QVERIFY(QFile::setPermissions(dir, QFileDevice::Permissions(0x7755)));
        const EnvironmentVariable xdg("XDG_RUNTIME_DIR", QByteArray());
        const EnvironmentVariable tmp("TMPDIR", temp.path().toLocal8Bit());
        const platform::PrivateDirectory own = platform::privateRuntimeDirectory();
        QVERIFY2(own.problem.contains(QStringLiteral("is open to other users")), qPrintable(own.problem));
        QCOMPARE(own.path, QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + QStringLiteral("/run"));
        // And a temp directory others may write to without the sticky bit is not used at all.
        QVERIFY(QFile::setPermissions(dir, QFileDevice::Permissions(0x7000)));
        QVERIFY(QFile::setPermissions(temp.path(), QFileDevice::Permissions(0x7777)));
        const QString problem = platform::privateRuntimeDirectory().problem;
        QVERIFY(QFile::setPermissions(temp.path(), QFileDevice::Permissions(0x7000)));
        QVERIFY2(problem.contains(QStringLiteral("no sticky bit")), qPrintable(problem));
    }

    void madeFirstByAnotherUser_isNotUsed()
    {
        if (::geteuid() != 0)
            QSKIP("playing another user needs root");
        bool goesOn = false;
        // The directory.
        QString error = startIn([](const QString &dir) {
            QVERIFY(QDir().mkpath(dir));
            QVERIFY(QFile::setPermissions(dir, QFileDevice::Permissions(0x7000)));
            QCOMPARE(::chown(QFile::encodeName(dir).constData(), kSomeoneElse, kSomeoneElse), 0);
        }, &goesOn);
        QVERIFY(goesOn);
        QVERIFY2(error.contains(QStringLiteral("belongs to another user")), qPrintable(error));
        // The lock, or a socket left in the user's own directory (by a crashed start of theirs).
        for (const char *file : {"probe.lock", "probe"}) {
            error = startIn([&](const QString &dir) {
                QVERIFY(QDir().mkpath(dir));
                QVERIFY(QFile::setPermissions(dir, QFileDevice::Permissions(0x7000)));
                const QString path = dir + QLatin1Char('/') + QLatin1String(file);
                QFile f(path);
                QVERIFY(f.open(QIODevice::WriteOnly));
                f.close();
                QCOMPARE(::chown(QFile::encodeName(path).constData(), kSomeoneElse, kSomeoneElse), 0);
            }, &goesOn);
            QVERIFY(goesOn);
            QVERIFY2(error.contains(QStringLiteral("belongs to another user")), qPrintable(error));
        }
    }

    void linksFromAnotherUser_areRefused()
    {
        if (::geteuid() != 0)
            QSKIP("playing another user needs root");
        // Were the directory open to them, another user's links would still not be taken.
        const QString dir = QFileInfo(m_instance->serverName()).absolutePath();
        QVERIFY(QFile::setPermissions(m_runtime.path(), QFileDevice::Permissions(0x7711)));
        QVERIFY(QFile::setPermissions(dir, QFileDevice::Permissions(0x7777)));
        QVERIFY(QFile::setPermissions(m_instance->serverName(), QFileDevice::Permissions(0x7777)));
        QByteArray message;
        QDataStream out(&message, QIODevice::WriteOnly);
        out << QByteArrayLiteral("chatterbox-links-1") << QStringList{kLink};
        QSignalSpy received(m_instance.get(), &platform::SingleInstance::received);
        std::atomic<int> code = -1;
        std::thread child([&] { code = connectAsSomeoneElse(m_instance->serverName(), message); });
        QVERIFY(QTest::qWaitFor([&] { return code != -1; }, 10000));
        child.join();
        QVERIFY(QFile::setPermissions(dir, QFileDevice::Permissions(0x7000)));
        QVERIFY(QFile::setPermissions(m_runtime.path(), QFileDevice::Permissions(0x7000)));
        QCOMPARE(code.load(), 0);   // it got through to the socket,
        QTest::qWait(300);
        QCOMPARE(received.count(), 0);   // and was not heard
        // The user's own next start still is.
        QCOMPARE(secondStart({kLink}), 0);
        QVERIFY(QTest::qWaitFor([&] { return received.count() == 1; }, 5000));
    }

    void peerCheck_tellsTheUserApart()
    {
        int pair[2];
        QCOMPARE(::socketpair(AF_UNIX, SOCK_STREAM, 0, pair), 0);
        QString who;
        QVERIFY(platform::peerIsThisUser(pair[0], platform::PipeEnd::Server, &who));
        QVERIFY2(who.contains(QString::number(::geteuid())), qPrintable(who));
        ::close(pair[0]);
        ::close(pair[1]);
        QVERIFY(!platform::peerIsThisUser(-1, platform::PipeEnd::Client));   // no socket: not trusted
    }

    void aSocketOfAnotherUser_isNotHandedLinks()
    {
        if (::geteuid() != 0)
            QSKIP("playing another user needs root");
        // Another user's process listens; the check a second start makes before it writes its
        // links says no.
        QTemporaryDir open;
        QVERIFY(QFile::setPermissions(open.path(), QFileDevice::Permissions(0x7777)));
        const QByteArray path = QFile::encodeName(open.path() + QStringLiteral("/theirs"));
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        std::memcpy(address.sun_path, path.constData(), static_cast<std::size_t>(path.size()));
        int ready[2];
        QCOMPARE(::pipe(ready), 0);
        const pid_t child = ::fork();
        if (child == 0) {
            if (::setgid(kSomeoneElse) != 0 || ::setuid(kSomeoneElse) != 0)
                ::_exit(10);
            const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
            if (::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0 || ::listen(fd, 1) != 0)
                ::_exit(11);
            [[maybe_unused]] const auto sent = ::write(ready[1], "r", 1);
            const int peer = ::accept(fd, nullptr, nullptr);
            char byte;
            while (::read(peer, &byte, 1) > 0) {
            }
            ::_exit(0);
        }
        ::close(ready[1]);
        char byte = 0;
        QCOMPARE(::read(ready[0], &byte, 1), ssize_t(1));
        ::close(ready[0]);
        const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
        QCOMPARE(::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address), 0);
        QString who;
        const bool same = platform::peerIsThisUser(fd, platform::PipeEnd::Client, &who);
        ::close(fd);
        int status = 0;
        ::waitpid(child, &status, 0);
        QVERIFY(!same);
        QVERIFY2(who.contains(QStringLiteral("uid 65534")), qPrintable(who));
    }

    void newFiles_areTheOwnersAlone()
    {
        const mode_t before = ::umask(022);   // what a desktop session usually has
        platform::restrictNewFilesToOwner();
        QTemporaryDir dir;
        QFile settings(dir.filePath(QStringLiteral("Chatterbox.conf")));
        QVERIFY(settings.open(QIODevice::WriteOnly));
        settings.close();
        QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("data")));
        struct stat file {}, folder {};
        QCOMPARE(::stat(QFile::encodeName(settings.fileName()).constData(), &file), 0);
        QCOMPARE(::stat(QFile::encodeName(dir.filePath(QStringLiteral("data"))).constData(), &folder), 0);
        ::umask(before);
        QCOMPARE(file.st_mode & 0777, mode_t(0600));
        QCOMPARE(folder.st_mode & 0777, mode_t(0700));

        // Files an earlier version left readable by all are made the owner's alone.
        QVERIFY(QFile::setPermissions(settings.fileName(), QFileDevice::Permissions(0x6644)));
        QFile outbox(dir.filePath(QStringLiteral("data/outbox.json")));
        QVERIFY(outbox.open(QIODevice::WriteOnly));
        outbox.close();
        QVERIFY(QFile::setPermissions(outbox.fileName(), QFileDevice::Permissions(0x6644)));
        QVERIFY(QFile::setPermissions(dir.filePath(QStringLiteral("data")), QFileDevice::Permissions(0x7755)));
        platform::restrictToOwner(settings.fileName());
        platform::restrictToOwner(dir.filePath(QStringLiteral("data")));
        QCOMPARE(::stat(QFile::encodeName(settings.fileName()).constData(), &file), 0);
        QCOMPARE(file.st_mode & 0777, mode_t(0600));
        QCOMPARE(::stat(QFile::encodeName(outbox.fileName()).constData(), &file), 0);
        QCOMPARE(file.st_mode & 0777, mode_t(0600));
        QCOMPARE(::stat(QFile::encodeName(dir.filePath(QStringLiteral("data"))).constData(), &folder), 0);
        QCOMPARE(folder.st_mode & 0777, mode_t(0700));
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
