// SPDX-License-Identifier: GPL-3.0-or-later
// chatterbox-bench against the real server and the real bare loop, briefly: that it speaks the
// protocol, counts what arrives, sweeps a list of rates and compares with the loop. Its numbers
// are not judged here (no timings in tests); that it measures something is.

#include "e2efixture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>

#include <cmath>

using namespace chatterbox;
using namespace chatterbox::test;

class TestE2eBench : public QObject {
    Q_OBJECT

    Harness m_harness;
    QTemporaryDir m_dir;

    // Runs the bench to its end with these arguments; returns its --json output (empty on failure).
    QJsonObject runBench(QStringList arguments)
    {
        const QString out = m_dir.filePath(QStringLiteral("bench.json"));
        QFile::remove(out);
        arguments << QStringLiteral("--server") << m_harness.server().httpUrl(QString()).toString()
                  << QStringLiteral("--source-addresses") << QStringLiteral("2") << QStringLiteral("--json") << out;
        QProcess bench;
        bench.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        bench.start(QStringLiteral(CHATTERBOX_BENCH_BINARY), arguments);
        if (!bench.waitForFinished(120000)) {
            bench.kill();
            qWarning("the bench did not finish");
            return {};
        }
        qInfo("%s", bench.readAllStandardOutput().constData());
        if (bench.exitStatus() != QProcess::NormalExit || bench.exitCode() != 0)
            return {};
        QFile file(out);
        if (!file.open(QIODevice::ReadOnly))
            return {};
        return QJsonDocument::fromJson(file.readAll()).object();
    }

    static quint16 freePort()
    {
        QTcpServer probe;
        probe.listen(QHostAddress::LocalHost, 0);
        return probe.serverPort();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(m_harness.start());
    }

    void fanout_sweepsRates_andComparesWithTheLoop()
    {
        const quint16 port = freePort();
        QProcess loop;
        loop.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        loop.start(QStringLiteral(CHATTERBOX_BENCH_REFERENCE_BINARY), {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:%1").arg(port)});
        QVERIFY(loop.waitForStarted(5000));
        QVERIFY(QTest::qWaitFor([&] {
            QTcpSocket probe;
            probe.connectToHost(QHostAddress::LocalHost, port);
            return probe.waitForConnected(200);
        }, 10000));

        const QJsonObject results = runBench({QStringLiteral("--scenario"), QStringLiteral("fanout"), QStringLiteral("--members"),
                                              QStringLiteral("12"), QStringLiteral("--senders"), QStringLiteral("3"),
                                              QStringLiteral("--rate"), QStringLiteral("10,20"), QStringLiteral("--seconds"),
                                              QStringLiteral("1"), QStringLiteral("--compare-reference"),
                                              QStringLiteral("ws://127.0.0.1:%1").arg(port)});
        loop.terminate();
        loop.waitForFinished(5000);
        QVERIFY2(!results.isEmpty(), "the bench failed");
        const QJsonArray steps = results.value(QStringLiteral("steps")).toArray();
        const QJsonArray loopSteps = results.value(QStringLiteral("referenceSteps")).toArray();
        QCOMPARE(steps.size(), 2);
        QCOMPARE(loopSteps.size(), 2);
        QCOMPARE(steps[1].toObject().value(QStringLiteral("rate")).toDouble(), 20.0);
        for (const auto &step : steps) {
            // Deliveries counted were message.created events carrying the bench's bodies.
            QVERIFY(step.toObject().value(QStringLiteral("deliveriesPerSecond")).toDouble() > 0);
            QVERIFY(step.toObject().value(QStringLiteral("frameBytes")).toDouble() > 200);
            QVERIFY(step.toObject().contains(QStringLiteral("ackP99Ms")));
        }
        // The loop's frames are padded to those of the server's best step, so both carry the same bytes.
        QJsonObject most;
        for (const auto &step : steps) {
            if (step.toObject().value(QStringLiteral("deliveriesPerSecond")).toDouble()
                > most.value(QStringLiteral("deliveriesPerSecond")).toDouble())
                most = step.toObject();
        }
        const double serverFrame = most.value(QStringLiteral("frameBytes")).toDouble();
        for (const auto &step : loopSteps) {
            QVERIFY(step.toObject().value(QStringLiteral("deliveriesPerSecond")).toDouble() > 0);
            QCOMPARE(step.toObject().value(QStringLiteral("frameBytes")).toDouble(), std::floor(serverFrame));
        }
        QVERIFY(results.value(QStringLiteral("shareOfReference")).toDouble() > 0);
    }

    void sends_acknowledged()
    {
        const QJsonObject results = runBench({QStringLiteral("--scenario"), QStringLiteral("sends"), QStringLiteral("--rate"),
                                              QStringLiteral("40"), QStringLiteral("--topics"), QStringLiteral("4"),
                                              QStringLiteral("--seconds"), QStringLiteral("1")});
        QVERIFY2(!results.isEmpty(), "the bench failed");
        QVERIFY(results.value(QStringLiteral("sendsPerSecond")).toDouble() > 0);
        QCOMPARE(results.value(QStringLiteral("refused")).toInt(), 0);
    }
};

QTEST_GUILESS_MAIN(TestE2eBench)
#include "tst_e2e_bench.moc"
