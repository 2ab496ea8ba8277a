// SPDX-License-Identifier: GPL-3.0-or-later
// The server as a service manager runs it: it says when it is ready (sd_notify, Type=notify),
// a SIGHUP never ends it, and a port another process listens on is refused instead of shared.

#include "e2efixture.h"
#include "support/testidp.h"

#include <QNetworkAccessManager>
#include <QTcpServer>
#include <QTemporaryDir>

#include <csignal>
#include <cstring>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

using namespace chatterbox::test;

namespace {

// The service manager's end of $NOTIFY_SOCKET: a datagram socket in a scratch directory.
class NotifySocket {
public:
    explicit NotifySocket(const QString &path) : m_path(path.toStdString())
    {
        m_fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        std::strncpy(address.sun_path, m_path.c_str(), sizeof(address.sun_path) - 1);
        m_bound = m_fd >= 0 && ::bind(m_fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) == 0;
    }
    ~NotifySocket()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    bool isBound() const { return m_bound; }

    // The states received so far, in order.
    QStringList received()
    {
        char buffer[4096];
        for (;;) {
            const auto n = ::recv(m_fd, buffer, sizeof buffer, 0);
            if (n <= 0)
                break;
            m_states << QString::fromUtf8(buffer, n);
        }
        return m_states;
    }

private:
    std::string m_path;
    int m_fd = -1;
    bool m_bound = false;
    QStringList m_states;
};

} // namespace

class TestE2eProcess : public QObject {
    Q_OBJECT

    TestDatabase m_db;
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_db.isValid(), qPrintable(m_db.error()));
        QVERIFY(m_dir.isValid());
    }

    // READY=1 comes once both ports listen, so a unit ordered after this one finds it serving;
    // SIGHUP is answered with RELOADING=1 then READY=1 and the server goes on; SIGTERM says
    // STOPPING=1 and the server exits 0.
    void notify_readyOnceListening_hupKeepsServing()
    {
        const QString socketPath = m_dir.filePath(QStringLiteral("notify"));
        NotifySocket manager(socketPath);
        QVERIFY(manager.isBound());
        qputenv("NOTIFY_SOCKET", socketPath.toLocal8Bit());
        TestServer server(m_db.url());
        const bool started = server.start();
        qunsetenv("NOTIFY_SOCKET");
        QVERIFY2(started, qPrintable(server.output()));

        QTRY_VERIFY_WITH_TIMEOUT(manager.received().contains(QStringLiteral("READY=1")), 10000);
        QCOMPARE(server.http("GET", QStringLiteral("/healthz")).first, 200);

        for (int round = 0; round < 3; ++round) {
            QCOMPARE(::kill(static_cast<pid_t>(server.processId()), SIGHUP), 0);
            QTRY_VERIFY_WITH_TIMEOUT(manager.received().count(QStringLiteral("READY=1")) == round + 2, 10000);
            QVERIFY2(server.isRunning(), qPrintable(server.output()));
            QCOMPARE(server.http("GET", QStringLiteral("/healthz")).first, 200);
        }
        QCOMPARE(manager.received().count(QStringLiteral("RELOADING=1")), 3);
        QTRY_VERIFY_WITH_TIMEOUT(server.output().contains(QStringLiteral("SIGHUP")), 5000);
        // A person signs in and talks after the reloads as before them.
        const Login login = server.login(QStringLiteral("after-hup"));
        QVERIFY(!login.accessToken.isEmpty());

        QVERIFY2(server.terminateAndWait(15000), qPrintable(server.output()));
        QVERIFY(manager.received().contains(QStringLiteral("STOPPING=1")));
    }

    // Without $NOTIFY_SOCKET (any other supervisor, a terminal) nothing is sent and nothing fails.
    void noNotifySocket_startsAsBefore()
    {
        qunsetenv("NOTIFY_SOCKET");
        TestServer server(m_db.url());
        QVERIFY2(server.start(), qPrintable(server.output()));
        QCOMPARE(server.http("GET", QStringLiteral("/healthz")).first, 200);
    }

    // A database a newer server migrated is refused at start, naming the migration, exit 1.
    void newerSchema_refusedAtStart()
    {
        TestDatabase db;
        QVERIFY2(db.isValid(), qPrintable(db.error()));
        QVERIFY(db.migrate());
        {
            pqxx::connection c(db.url());
            pqxx::work tx(c);
            tx.exec0("INSERT INTO schema_migrations (version, name) VALUES (99999, '99999_from_the_future.sql')");
            tx.commit();
        }
        QProcess server;
        server.setProcessChannelMode(QProcess::MergedChannels);
        server.start(QStringLiteral(CHATTERBOX_SERVER_BINARY), {QStringLiteral("--database-url"), QString::fromStdString(db.url()),
                                                                 QStringLiteral("--dev"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")});
        QVERIFY(server.waitForFinished(30000));
        const QString output = QString::fromUtf8(server.readAll());
        QCOMPARE(server.exitCode(), 1);
        QVERIFY2(output.contains(QStringLiteral("newer than this chatterbox-server")) && output.contains(QStringLiteral("99999_from_the_future.sql")),
                 qPrintable(output));
    }

    // --metrics-listen: /metrics and /healthz on their own address, and /metrics no longer on
    // the public HTTP side.
    void metricsListen_ownAddress()
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 port = probe.serverPort();
        probe.close();
        TestServer server(m_db.url(), {QStringLiteral("--metrics-listen"), QStringLiteral("127.0.0.1:%1").arg(port)});
        QVERIFY2(server.start(), qPrintable(server.output()));
        QCOMPARE(server.http("GET", QStringLiteral("/metrics")).first, 404);
        QNetworkAccessManager net;
        const auto metrics = httpStep(net, "GET", QUrl(QStringLiteral("http://127.0.0.1:%1/metrics").arg(port)));
        QCOMPARE(metrics.status, 200);
        QVERIFY(metrics.body.contains("chatterbox_connections "));
        QCOMPARE(httpStep(net, "GET", QUrl(QStringLiteral("http://127.0.0.1:%1/healthz").arg(port))).status, 200);
        QCOMPARE(httpStep(net, "GET", QUrl(QStringLiteral("http://127.0.0.1:%1/.well-known/chatterbox").arg(port))).status, 404);
    }

    // A port another process listens on is refused with a message naming it, for HTTP and for
    // the WebSocket port, and the server exits non-zero instead of splitting traffic with it.
    void portInUse_refusedWithMessage_data()
    {
        QTest::addColumn<bool>("webSocketPort");
        QTest::newRow("http") << false;
        QTest::newRow("websocket") << true;
    }
    void portInUse_refusedWithMessage()
    {
        QFETCH(bool, webSocketPort);
        QTcpServer other;
        QVERIFY(other.listen(QHostAddress::LocalHost, 0));
        const QString taken = QStringLiteral("127.0.0.1:%1").arg(other.serverPort());
        QProcess server;
        server.setProcessChannelMode(QProcess::MergedChannels);
        const QStringList args = {QStringLiteral("--database-url"), QString::fromStdString(m_db.url()), QStringLiteral("--dev"),
                                  QStringLiteral("--listen"), webSocketPort ? QStringLiteral("127.0.0.1:0") : taken,
                                  QStringLiteral("--ws-listen"), webSocketPort ? taken : QStringLiteral("127.0.0.1:0")};
        server.start(QStringLiteral(CHATTERBOX_SERVER_BINARY), args);
        QVERIFY(server.waitForFinished(30000));
        const QString output = QString::fromUtf8(server.readAll());
        QVERIFY2(server.exitCode() != 0, qPrintable(output));
        QVERIFY2(output.contains(QStringLiteral("cannot listen")) && output.contains(taken), qPrintable(output));
        QVERIFY(other.isListening());
    }
};

QTEST_GUILESS_MAIN(TestE2eProcess)
#include "tst_e2e_process.moc"
