// SPDX-License-Identifier: GPL-3.0-or-later
// With no database configured, the server runs its own PostgreSQL: created on first start,
// reused on the next, stopped with the server, and a clear word when PostgreSQL is missing.
// It is careful with what it finds: one server per data directory, no chown of a directory it
// did not make, the PostgreSQL major that made the cluster, and an exit when its cluster dies.

#include "e2efixture.h"
#include "support/testidp.h"

#include <QDir>
#include <QProcess>
#include <QTemporaryDir>

#include <csignal>

#include <sys/stat.h>
#include <unistd.h>

using namespace chatterbox::test;

namespace {

struct OwnServer {
    QProcess process;
    QUrl http;
    QUrl ws;

    bool start(const QString &dataDir, const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
    {
        process.setProcessChannelMode(QProcess::MergedChannels);
        process.setProcessEnvironment(env);
        process.start(QStringLiteral(CHATTERBOX_SERVER_BINARY),
                      {QStringLiteral("--data-dir"), dataDir, QStringLiteral("--dev"), QStringLiteral("--listen"),
                       QStringLiteral("127.0.0.1:0"), QStringLiteral("--ws-listen"), QStringLiteral("127.0.0.1:0")});
        QByteArray out;
        const bool up = QTest::qWaitFor([&] {
            out += process.readAll();
            return out.contains("listening on") || process.state() == QProcess::NotRunning;
        }, 120000);
        output = out;
        if (!up || !out.contains("listening on"))
            return false;
        const QList<QByteArray> words = out.mid(out.indexOf("listening on")).split(' ');
        http = QUrl(QString::fromLatin1(words.value(2)));
        ws = QUrl(QString::fromLatin1(words.value(4)).remove(QLatin1Char(')')));
        return true;
    }
    int stop()
    {
        process.terminate();
        if (!process.waitForFinished(30000))
            process.kill();
        output += process.readAll();
        return process.exitCode();
    }
    QByteArray output;
};

} // namespace

class TestE2eOwnPostgres : public QObject {
    Q_OBJECT

    QTemporaryDir m_root{QStringLiteral("/tmp/chatterbox-own-XXXXXX")};

    QString dataDir() const { return m_root.filePath(QStringLiteral("pg")); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_root.isValid());
        // When the tests run as root, the postgres user must be able to reach the directory.
        QFile::setPermissions(m_root.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                                                 | QFileDevice::ReadOther | QFileDevice::ExeOther | QFileDevice::ReadGroup
                                                 | QFileDevice::ExeGroup);
    }

    void firstStart_createsAndServes_thenStops()
    {
        OwnServer server;
        QVERIFY2(server.start(dataDir()), server.output.constData());
        QVERIFY(QFile::exists(dataDir() + QStringLiteral("/PG_VERSION")));
        QNetworkAccessManager net;
        QCOMPARE(httpStep(net, "GET", server.http.resolved(QUrl(QStringLiteral("/healthz")))).status, 200);
        const auto login = httpStep(net, "POST", server.http.resolved(QUrl(QStringLiteral("/auth/dev"))), "{\"name\":\"keeper\"}",
                                    "application/json");
        const json tokens = json::parse(login.body.toStdString());
        TestClient client;
        QVERIFY(client.open(server.ws, QByteArray::fromStdString(tokens["access_token"])));
        QVERIFY(client.hello().is_object());
        QVERIFY(isOk(client.request("party.create", {{"name", "Kept across restarts"}})));
        client.close();
        QCOMPARE(server.stop(), 0);
        // Its PostgreSQL went with it.
        QVERIFY(QTest::qWaitFor([&] { return !QFile::exists(dataDir() + QStringLiteral("/postmaster.pid")); }, 10000));
    }

    void secondStart_reusesTheData()
    {
        OwnServer server;
        QVERIFY2(server.start(dataDir()), server.output.constData());
        QNetworkAccessManager net;
        const auto login = httpStep(net, "POST", server.http.resolved(QUrl(QStringLiteral("/auth/dev"))), "{\"name\":\"keeper\"}",
                                    "application/json");
        TestClient client;
        QVERIFY(client.open(server.ws, QByteArray::fromStdString(json::parse(login.body.toStdString())["access_token"])));
        const json ready = client.hello();
        QCOMPARE(ready["parties"][0]["name"].get<std::string>(), std::string("Kept across restarts"));
        client.close();
        QCOMPARE(server.stop(), 0);
    }

    // A second server on the same data directory is refused, naming the first; the first serves on.
    void secondServerOnSameDataDir_refused()
    {
        OwnServer first;
        QVERIFY2(first.start(dataDir()), first.output.constData());
        OwnServer second;
        QVERIFY(!second.start(dataDir()));
        QVERIFY(second.process.state() == QProcess::NotRunning || second.process.waitForFinished(10000));
        QCOMPARE(second.process.exitCode(), 1);
        QVERIFY2(second.output.contains("another chatterbox-server (process " + QByteArray::number(first.process.processId()) + ")"),
                 second.output.constData());
        QNetworkAccessManager net;
        QCOMPARE(httpStep(net, "GET", first.http.resolved(QUrl(QStringLiteral("/healthz")))).status, 200);
        QVERIFY(QFile::exists(dataDir() + QStringLiteral("/postmaster.pid")));
        QCOMPARE(first.stop(), 0);
    }

    // Its PostgreSQL killed under it: the server says so and exits non-zero (3) for a
    // supervisor to start both again; the next start serves from the same data.
    void ownPostgresDies_serverExitsNonZero()
    {
        OwnServer server;
        QVERIFY2(server.start(dataDir()), server.output.constData());
        QFile pidFile(dataDir() + QStringLiteral("/postmaster.pid"));
        QVERIFY(pidFile.open(QIODevice::ReadOnly));
        const auto postmaster = static_cast<pid_t>(pidFile.readLine().trimmed().toLongLong());
        QVERIFY(postmaster > 0);
        QCOMPARE(::kill(postmaster, SIGKILL), 0);
        QVERIFY2(server.process.waitForFinished(20000), "the server went on without its PostgreSQL");
        server.output += server.process.readAll();
        QCOMPARE(server.process.exitCode(), 3);
        QVERIFY2(server.output.contains("own PostgreSQL stopped"), server.output.constData());
        // PostgreSQL's children notice their postmaster is gone and leave; then it starts again.
        OwnServer again;
        QVERIFY2(QTest::qWaitFor([&] { return again.start(dataDir()); }, 60000), again.output.constData());
        QCOMPARE(again.stop(), 0);
    }

    // A cluster made by a PostgreSQL major that is not installed is not started with another:
    // the message names the major and the ways on.
    void clusterOfMissingMajor_namesIt()
    {
        const QString dir = m_root.filePath(QStringLiteral("old-major"));
        QVERIFY(QDir().mkpath(dir));
        QFile::setPermissions(dir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        if (::geteuid() == 0)
            QCOMPARE(QProcess::execute(QStringLiteral("chown"), {QStringLiteral("postgres:postgres"), dir}), 0);
        QFile version(dir + QStringLiteral("/PG_VERSION"));
        QVERIFY(version.open(QIODevice::WriteOnly));
        version.write("9\n");
        version.close();
        OwnServer server;
        QVERIFY(!server.start(dir));
        QVERIFY(server.process.state() == QProcess::NotRunning || server.process.waitForFinished(10000));
        QCOMPARE(server.process.exitCode(), 1);
        QVERIFY2(server.output.contains("made by PostgreSQL 9, which is not installed"), server.output.constData());
        QVERIFY2(server.output.contains("pg_upgrade"), server.output.constData());
    }

    // As root, a data directory that is there and belongs to another user (a service's) is
    // refused and left as it was, never chowned to postgres.
    void rootRun_leavesAnotherUsersDirectory()
    {
        if (::geteuid() != 0)
            QSKIP("only a root run gives directories to the postgres user");
        const QString dir = m_root.filePath(QStringLiteral("service-owned"));
        QVERIFY(QDir().mkpath(dir));
        QCOMPARE(QProcess::execute(QStringLiteral("chown"), {QStringLiteral("nobody"), dir}), 0);
        struct stat before {};
        QCOMPARE(::stat(QFile::encodeName(dir).constData(), &before), 0);
        OwnServer server;
        QVERIFY(!server.start(dir));
        QVERIFY(server.process.state() == QProcess::NotRunning || server.process.waitForFinished(10000));
        QCOMPARE(server.process.exitCode(), 1);
        QVERIFY2(server.output.contains("belongs to nobody") && server.output.contains("left as it is"), server.output.constData());
        struct stat after {};
        QCOMPARE(::stat(QFile::encodeName(dir).constData(), &after), 0);
        QCOMPARE(after.st_uid, before.st_uid);
        QCOMPARE(after.st_gid, before.st_gid);
    }

    void postgresMissing_saysWhatToInstall()
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("CHATTERBOX_POSTGRES_BIN"), QStringLiteral("/nonexistent/bin"));
        OwnServer server;
        QVERIFY(!server.start(m_root.filePath(QStringLiteral("other")), env));
        QVERIFY(server.process.state() == QProcess::NotRunning || server.process.waitForFinished(10000));
        QCOMPARE(server.process.exitCode(), 1);
        QVERIFY2(server.output.contains("apt-get install postgresql"), server.output.constData());
    }
};

QTEST_GUILESS_MAIN(TestE2eOwnPostgres)
#include "tst_e2e_ownpostgres.moc"
