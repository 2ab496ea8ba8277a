// With no database configured, the server runs its own PostgreSQL: created on first start,
// reused on the next, stopped with the server, and a clear word when PostgreSQL is missing.

#include "e2efixture.h"
#include "support/testidp.h"

#include <QDir>
#include <QProcess>
#include <QTemporaryDir>

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
