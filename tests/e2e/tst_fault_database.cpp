// SPDX-License-Identifier: GPL-3.0-or-later
// PostgreSQL stopped as a crash stops it (immediate, no checkpoint) while people send: nothing
// is acknowledged while it is down, /healthz says 503, the server comes back by itself when the
// database does, the log says once that it went and once that it came back, and afterwards every
// message is stored exactly once with no gap in seq.

#include "faultaccounting.h"

#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>

using namespace chatterbox::test;

namespace {

// Runs scripts/postgres.sh; `out` gets what it printed (the URL for start), or why it failed.
bool postgres(const QString &command, const QString &dataDir, QByteArray *out = nullptr)
{
    QProcess script;
    // Somewhere the postgres user may enter when the tests run as root (the build directory may
    // not be); what it says about the directory goes to stderr, never into the URL.
    script.setWorkingDirectory(QFileInfo(dataDir).absolutePath());
    script.start(QStringLiteral(CHATTERBOX_POSTGRES_SCRIPT), {command, dataDir});
    const bool done = script.waitForFinished(60000) && script.exitStatus() == QProcess::NormalExit && script.exitCode() == 0;
    if (out)
        *out = done ? script.readAllStandardOutput().trimmed() : script.readAllStandardError().trimmed();
    return done;
}

} // namespace

class TestFaultDatabase : public QObject {
    Q_OBJECT

    // Under /tmp: when the tests run as root, the postgres user must reach it.
    QTemporaryDir m_root{QStringLiteral("/tmp/chatterbox-fault-XXXXXX")};
    QString m_data;
    std::string m_url;
    std::unique_ptr<TestServer> m_server;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_root.isValid());
        QFile::setPermissions(m_root.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                                                 | QFileDevice::ReadOther | QFileDevice::ExeOther | QFileDevice::ReadGroup
                                                 | QFileDevice::ExeGroup);
        m_data = m_root.filePath(QStringLiteral("data"));
        QByteArray url;
        QVERIFY2(postgres(QStringLiteral("start"), m_data, &url), url.constData());
        m_url = url.toStdString();
        m_server = std::make_unique<TestServer>(m_url);
        QVERIFY2(m_server->start(), qPrintable(m_server->output()));
    }

    void cleanupTestCase()
    {
        m_server.reset();
        postgres(QStringLiteral("stop"), m_data);
    }

    void immediateStop_nothingAcknowledgedWhileDown_recoversByItself()
    {
        const Login aliceLogin = m_server->login(QStringLiteral("alice"));
        TestClient owner;
        QVERIFY(owner.open(m_server->webSocketUrl(), aliceLogin.accessToken));
        QVERIFY(owner.hello().is_object());
        const json party = owner.request("party.create", {{"name", "Outage"}});
        QVERIFY(isOk(party));
        const std::string topicId = party["result"]["party"]["topics"][0]["id"];

        std::vector<Sender> senders(3);
        for (auto &s : senders) {
            s.person.login = aliceLogin;
            s.person.client = std::make_unique<TestClient>();
            QVERIFY(s.person->open(m_server->webSocketUrl(), aliceLogin.accessToken));
            QVERIFY(s.person->hello().is_object());
            s.person->replies.clear();
        }
        for (int i = 0; i < 20; ++i) {
            for (auto &s : senders)
                s.post(topicId, uuid());
        }
        QVERIFY(QTest::qWaitFor([&] { return std::all_of(senders.begin(), senders.end(), [](Sender &s) {
            return !s.person->replies.isEmpty(); }); }, 10000));

        QByteArray why;
        QVERIFY2(postgres(QStringLiteral("crash"), m_data, &why), why.constData());
        // Down: what is sent now is refused, never acknowledged, and the server says so.
        // (The first 20 each were answered, one way or the other, before the crash returned.)
        for (auto &s : senders) {
            QVERIFY(QTest::qWaitFor([&] { return s.collect() && s.inFlight.empty(); }, 15000));
            s.person->replies.clear();
            s.errors.clear();
        }
        std::vector<std::size_t> ackedBefore;
        for (auto &s : senders) {
            ackedBefore.push_back(s.acked.size());
            for (int i = 0; i < 10; ++i)
                s.post(topicId, uuid());
        }
        QVERIFY(QTest::qWaitFor([&] { return m_server->http("GET", QStringLiteral("/healthz")).first == 503; }, 15000));
        for (std::size_t i = 0; i < senders.size(); ++i) {
            Sender &s = senders[i];
            QVERIFY(QTest::qWaitFor([&] { return s.collect() && s.inFlight.empty(); }, 15000));
            QCOMPARE(s.acked.size(), ackedBefore[i]);
            QCOMPARE(s.errors.size(), std::size_t(10));
            for (const auto &code : s.errors)
                QCOMPARE(code, std::string("unavailable"));
        }

        // Back: the server finds it again by itself; the outbox sends what was not acknowledged.
        QVERIFY2(postgres(QStringLiteral("start"), m_data, &why), why.constData());
        QVERIFY(QTest::qWaitFor([&] { return m_server->http("GET", QStringLiteral("/healthz")).first == 200; }, 30000));
        for (auto &s : senders) {
            QVERIFY(QTest::qWaitFor([&] {
                if (!s.collect())
                    return false;
                const auto left = s.unacked();
                if (left.empty())
                    return true;
                if (s.inFlight.empty()) {
                    s.person->replies.clear();
                    for (const auto &id : left)
                        s.post(topicId, id);
                }
                return false;
            }, 30000));
        }

        const Stored db = stored(m_url, topicId);
        std::size_t sent = 0;
        for (const auto &s : senders) {
            sent += s.all.size();
            for (const auto &[clientMsgId, seq] : s.acked)
                QCOMPARE(db.seqByClientId.at(clientMsgId), seq);
        }
        QCOMPARE(std::size_t(db.rows), sent);
        for (std::size_t i = 0; i < db.seqs.size(); ++i)
            QCOMPARE(db.seqs[i], std::int64_t(i + 1));

        // One line when it went, one when it came back; not one per refused request.
        const QString log = m_server->output();
        for (const QString &line : log.split(QLatin1Char('\n'))) {
            if (line.contains(QLatin1String("database")))
                qInfo("server: %s", qPrintable(line));
        }
        QCOMPARE(log.count(QStringLiteral("the database is unreachable")), 1);
        QCOMPARE(log.count(QStringLiteral("the database is reachable again")), 1);
        QVERIFY2(log.count(QLatin1Char('\n')) < 60, qPrintable(log.right(3000)));
        const QByteArray metrics = m_server->http("GET", QStringLiteral("/metrics")).second;
        QVERIFY(metrics.contains("chatterbox_db_outages_total 1\n"));
        QVERIFY(metrics.contains("chatterbox_db_reachable 1\n"));
        QVERIFY(!metrics.contains("chatterbox_db_unavailable_total 0\n"));
    }
};

QTEST_GUILESS_MAIN(TestFaultDatabase)
#include "tst_fault_database.moc"
