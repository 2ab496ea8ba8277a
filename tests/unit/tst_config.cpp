// SPDX-License-Identifier: GPL-3.0-or-later
// The operator interface: options, their environment variables, and clear refusals.

#include "server/config.h"

#include <QTest>

using namespace chatterbox::server;

namespace {
ParsedConfig parse(std::vector<std::string> args, std::vector<std::pair<std::string, std::string>> env = {})
{
    args.insert(args.begin(), "chatterbox-server");
    return parseConfig(args, env);
}
} // namespace

class TestConfig : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void defaults_needOnlyADatabase()
    {
        const auto parsed = parse({"--database-url", "postgresql:///x"});
        QVERIFY(parsed.config);
        QCOMPARE(parsed.config->httpListen.host, std::string("127.0.0.1"));
        QCOMPARE(parsed.config->httpListen.port, std::uint16_t(8080));
        QVERIFY(!parsed.config->wsListen);
        QVERIFY(!parsed.config->dev);
    }

    void noDatabase_meansItsOwn()
    {
        const auto parsed = parse({}, {{"CHATTERBOX_DATA_DIR", "/srv/chat"}});
        QVERIFY(parsed.config);
        QVERIFY(parsed.config->databaseUrl.empty());
        QCOMPARE(parsed.config->dataDir, std::string("/srv/chat"));
    }

    void environment_usedWhenNoOption()
    {
        const auto parsed = parse({}, {{"CHATTERBOX_DATABASE_URL", "postgresql:///env"}, {"CHATTERBOX_LISTEN", "0.0.0.0:9000"},
                                       {"CHATTERBOX_WS_LISTEN", "[::1]:9100"}, {"CHATTERBOX_DEV", "1"}});
        QVERIFY(parsed.config);
        QCOMPARE(parsed.config->databaseUrl, std::string("postgresql:///env"));
        QCOMPARE(parsed.config->httpListen.port, std::uint16_t(9000));
        QCOMPARE(parsed.config->wsListen->host, std::string("::1"));
        QCOMPARE(parsed.config->wsListen->port, std::uint16_t(9100));
        QVERIFY(parsed.config->dev);
    }

    void fileLimits_defaultsOptionsAndEnvironment()
    {
        const auto defaults = parse({"--database-url", "x"}, {});
        QCOMPARE(defaults.config->maxFileBytes, 25LL * 1024 * 1024);
        QCOMPARE(defaults.config->fileQuotaBytes, 1024LL * 1024 * 1024);
        const auto set = parse({"--database-url", "x", "--max-file-bytes", "1000"}, {{"CHATTERBOX_FILE_QUOTA_BYTES", "5000"}});
        QCOMPARE(set.config->maxFileBytes, 1000LL);
        QCOMPARE(set.config->fileQuotaBytes, 5000LL);
        QVERIFY(!parse({"--database-url", "x", "--max-file-bytes", "-1"}, {}).config);
        QVERIFY(!parse({"--database-url", "x", "--file-quota-bytes", "lots"}, {}).config);
    }

    void commandLine_overridesEnvironment()
    {
        const auto parsed = parse({"--listen=127.0.0.1:7000"}, {{"CHATTERBOX_DATABASE_URL", "postgresql:///env"},
                                                                {"CHATTERBOX_LISTEN", "0.0.0.0:9000"}});
        QVERIFY(parsed.config);
        QCOMPARE(parsed.config->httpListen.port, std::uint16_t(7000));
    }

    void slowConsumer_timeAndCeiling()
    {
        const auto defaults = parse({"--database-url", "x"});
        QVERIFY(defaults.config);
        QCOMPARE(defaults.config->slowConsumerTimeout, std::chrono::seconds(30));
        QCOMPARE(defaults.config->maxSendQueueBytes, std::size_t(64) << 20);
        const auto set = parse({"--database-url", "x", "--slow-consumer-timeout", "5"}, {{"CHATTERBOX_MAX_SEND_QUEUE_BYTES", "33554432"}});
        QVERIFY(set.config);
        QCOMPARE(set.config->slowConsumerTimeout, std::chrono::seconds(5));
        QCOMPARE(set.config->maxSendQueueBytes, std::size_t(32) << 20);
        // Shorter than the idle timeout, which it must judge before (its pongs wait while it is
        // not read): halved with a short idle timeout unless set.
        const auto shortIdle = parse({"--database-url", "x", "--ping-interval", "1", "--idle-timeout", "10"});
        QVERIFY(shortIdle.config);
        QCOMPARE(shortIdle.config->slowConsumerTimeout, std::chrono::seconds(5));
    }

    void badInput_refusedWithMessage_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("empty data dir") << QStringList{"--data-dir", ""} << "--data-dir";
        QTest::newRow("bad listen") << QStringList{"--database-url", "x", "--listen", "nowhere"} << "--listen";
        QTest::newRow("port too big") << QStringList{"--database-url", "x", "--listen", "1.2.3.4:70000"} << "--listen";
        QTest::newRow("unbracketed v6") << QStringList{"--database-url", "x", "--ws-listen", "::1:80"} << "--ws-listen";
        QTest::newRow("unknown option") << QStringList{"--database-url", "x", "--frobnicate", "1"} << "--frobnicate";
        QTest::newRow("missing value") << QStringList{"--database-url"} << "needs a value";
        QTest::newRow("not a number") << QStringList{"--database-url", "x", "--db-readers", "many"} << "--db-readers";
        QTest::newRow("stray argument") << QStringList{"--database-url", "x", "serve"} << "serve";
        QTest::newRow("idle below ping") << QStringList{"--database-url", "x", "--ping-interval", "30", "--idle-timeout", "10"} << "--idle-timeout";
        // Below the largest snapshot a reply can be, a ceiling would drop clients that read.
        QTest::newRow("send queue too small") << QStringList{"--database-url", "x", "--max-send-queue-bytes", "65536"} << "--max-send-queue-bytes";
        QTest::newRow("slow consumer past idle") << QStringList{"--database-url", "x", "--slow-consumer-timeout", "60"} << "--slow-consumer-timeout";
        QTest::newRow("slow consumer zero") << QStringList{"--database-url", "x", "--slow-consumer-timeout", "0"} << "--slow-consumer-timeout";
        QTest::newRow("public url scheme") << QStringList{"--database-url", "x", "--public-url", "ftp://x"} << "--public-url";
    }
    void badInput_refusedWithMessage()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, mentions);
        std::vector<std::string> argv;
        for (const auto &a : args)
            argv.push_back(a.toStdString());
        const auto parsed = parse(argv);
        QVERIFY(!parsed.config);
        QCOMPARE(parsed.exitCode, 2);
        QVERIFY2(QString::fromStdString(parsed.output).contains(mentions), parsed.output.c_str());
    }

    void help_listsEveryOption()
    {
        const auto parsed = parse({"--help"});
        QVERIFY(!parsed.config);
        QCOMPARE(parsed.exitCode, 0);
        for (const char *option : {"--database-url", "--listen", "--ws-listen", "--dev", "CHATTERBOX_DATABASE_URL",
                                   "CHATTERBOX_LISTEN", "CHATTERBOX_WS_LISTEN", "CHATTERBOX_DEV"})
            QVERIFY2(parsed.output.find(option) != std::string::npos, option);
    }
};

QTEST_GUILESS_MAIN(TestConfig)
#include "tst_config.moc"
