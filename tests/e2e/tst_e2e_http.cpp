// SPDX-License-Identifier: GPL-3.0-or-later
// The HTTP side an app and an operator use: discovery, health, metrics, development sign-in,
// token refresh.

#include "e2efixture.h"

#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QUrlQuery>

using namespace chatterbox::test;

class TestE2eHttp : public QObject {
    Q_OBJECT

    Harness m_harness;

    static json parse(const QByteArray &body) { return json::parse(body.toStdString(), nullptr, false); }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_harness.start()); }

    void wellKnown_describesServer()
    {
        const auto [status, body] = m_harness.server().http("GET", QStringLiteral("/.well-known/chatterbox"));
        QCOMPARE(status, 200);
        const json j = parse(body);
        QCOMPARE(j["protocol"].get<int>(), 1);
        QCOMPARE(QUrl(QString::fromStdString(j["websocket"].get<std::string>())).port(), m_harness.server().webSocketUrl().port());
        QCOMPARE(j["providers"][0]["id"].get<std::string>(), std::string("dev"));
    }

    void health_andMetrics()
    {
        const auto [status, body] = m_harness.server().http("GET", QStringLiteral("/healthz"));
        QCOMPARE(status, 200);
        Person p = m_harness.connect(QStringLiteral("metered"));
        QVERIFY(p.ready.is_object());
        const auto [mstatus, metrics] = m_harness.server().http("GET", QStringLiteral("/metrics"));
        QCOMPARE(mstatus, 200);
        QVERIFY(metrics.contains("chatterbox_connections 1"));
        QVERIFY(metrics.contains("chatterbox_request_duration_seconds_bucket{le=\"+Inf\"}"));
        QVERIFY(metrics.contains("chatterbox_db_up 1"));
    }

    // What an operator watches: requests by type and result, closes by code, HTTP by route (a
    // pattern, not the path a client made up) and status, the database's latency, the process,
    // the version; sums printed exactly; and, where Prometheus is installed, promtool's check.
    void metrics_byTypeRouteAndCode_andProcess()
    {
        Person p = m_harness.connect(QStringLiteral("watched"));
        QVERIFY(isOk(p->request("party.list")));
        QVERIFY(!isOk(p->request("message.history", {{"topicId", "00000000-0000-0000-0000-000000000000"}})));
        p->close();
        for (int i = 0; i < 3; ++i)
            m_harness.server().http("GET", QStringLiteral("/made-up-%1").arg(i));
        const auto [status, metrics] = m_harness.server().http("GET", QStringLiteral("/metrics"));
        QCOMPARE(status, 200);
        for (const char *series : {"chatterbox_requests_by_type_total{type=\"party.list\",result=\"ok\"}",
                                   "chatterbox_requests_by_type_total{type=\"message.history\",result=\"not_found\"}",
                                   "chatterbox_requests_by_type_total{type=\"hello\",result=\"ok\"}",
                                   "chatterbox_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"}",
                                   "chatterbox_http_requests_total{method=\"GET\",route=\"(none)\",status=\"404\"} 3",
                                   "chatterbox_db_write_seconds_bucket{le=\"+Inf\"}", "chatterbox_db_read_seconds_count",
                                   "chatterbox_build_info{version=\"", "process_resident_memory_bytes ", "process_open_fds ",
                                   "process_max_fds ", "process_start_time_seconds ", "process_cpu_seconds_total "})
            QVERIFY2(metrics.contains(series), series);
        QVERIFY2(!metrics.contains("made-up"), "a path a client made up became a series");
        QTRY_VERIFY(m_harness.server().http("GET", QStringLiteral("/metrics")).second.contains("chatterbox_connections_closed_total{code=\"client\"}"));
        static const QRegularExpression sum(QStringLiteral("^chatterbox_request_duration_seconds_sum (\\S+)$"), QRegularExpression::MultilineOption);
        const auto match = sum.match(QString::fromUtf8(metrics));
        QVERIFY(match.hasMatch());
        QVERIFY2(!match.captured(1).contains(QLatin1Char('e')), qPrintable(match.captured(1)));
        const QString promtool = QStandardPaths::findExecutable(QStringLiteral("promtool"));
        if (promtool.isEmpty())
            return;   // Prometheus is not installed here: the format is checked by the lines above
        QProcess check;
        check.setProcessChannelMode(QProcess::MergedChannels);
        check.start(promtool, {QStringLiteral("check"), QStringLiteral("metrics")});
        check.write(metrics);
        check.closeWriteChannel();
        QVERIFY(check.waitForFinished(30000));
        QVERIFY2(check.exitCode() == 0, check.readAll().constData());
    }

    void devLogin_badInput_refused_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("not json") << QByteArray("name=alice");
        QTest::newRow("no name") << QByteArray("{}");
        QTest::newRow("empty name") << QByteArray("{\"name\":\"  \"}");
        QTest::newRow("long name") << QByteArray("{\"name\":\"" + QByteArray(65, 'a') + "\"}");
        QTest::newRow("control char") << QByteArray("{\"name\":\"a\\u0000b\"}");
        QTest::newRow("number") << QByteArray("{\"name\":5}");
    }
    void devLogin_badInput_refused()
    {
        QFETCH(QByteArray, body);
        const auto [status, reply] = m_harness.server().http("POST", QStringLiteral("/auth/dev"), body);
        QCOMPARE(status, 400);
        QCOMPARE(parse(reply)["error"].get<std::string>(), std::string("invalid_request"));
    }

    void devLogin_sameName_sameAccount()
    {
        const Login a = m_harness.server().login(QStringLiteral("dana"));
        const Login b = m_harness.server().login(QStringLiteral("dana"));
        QVERIFY(!a.userId.empty());
        QCOMPARE(a.userId, b.userId);
        QVERIFY(a.accessToken != b.accessToken);
    }

    void refresh_rotates_reuseRefused()
    {
        const Login login = m_harness.server().login(QStringLiteral("erin"));
        const auto refresh = [&](const QByteArray &token) {
            QUrlQuery form;
            form.addQueryItem(QStringLiteral("grant_type"), QStringLiteral("refresh_token"));
            form.addQueryItem(QStringLiteral("client_id"), QStringLiteral("chatterbox"));
            form.addQueryItem(QStringLiteral("refresh_token"), QString::fromLatin1(token));
            return m_harness.server().http("POST", QStringLiteral("/oauth/token"), form.toString(QUrl::FullyEncoded).toLatin1(),
                                           "application/x-www-form-urlencoded");
        };
        const auto [status, body] = refresh(login.refreshToken);
        QCOMPARE(status, 200);
        const json next = parse(body);
        QVERIFY(next["refresh_token"].get<std::string>() != login.refreshToken.toStdString());
        TestClient client;
        QVERIFY(client.open(m_harness.server().webSocketUrl(), QByteArray::fromStdString(next["access_token"].get<std::string>())));
        const auto [again, error] = refresh(login.refreshToken);
        QCOMPARE(again, 400);
        QCOMPARE(parse(error)["error"].get<std::string>(), std::string("invalid_grant"));
    }

    void withoutDev_devLoginIsNotFound()
    {
        TestDatabase db;
        TestServer server(db.url());
        // The harness passes --dev; an empty CHATTERBOX_DEV cannot turn it off, so start one by hand.
        QProcess process;
        process.setProcessChannelMode(QProcess::MergedChannels);
        process.start(QStringLiteral(CHATTERBOX_SERVER_BINARY),
                      {QStringLiteral("--database-url"), QString::fromStdString(db.url()), QStringLiteral("--listen"),
                       QStringLiteral("127.0.0.1:0"), QStringLiteral("--ws-listen"), QStringLiteral("127.0.0.1:0")});
        QVERIFY(process.waitForStarted());
        QByteArray out;
        QVERIFY(QTest::qWaitFor([&] { out += process.readAll(); return out.contains("listening on"); }, 15000));
        const QByteArray url = out.mid(out.indexOf("http://")).split(' ').first();
        QNetworkAccessManager manager;
        QNetworkRequest request(QUrl(QString::fromLatin1(url) + QStringLiteral("/auth/dev")));
        request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
        QNetworkReply *reply = manager.post(request, "{\"name\":\"x\"}");
        QVERIFY(QTest::qWaitFor([&] { return reply->isFinished(); }, 10000));
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 404);
        delete reply;
        process.terminate();
        QVERIFY(process.waitForFinished(10000));
        QCOMPARE(process.exitCode(), 0);
    }

    void databaseGone_healthReports503()
    {
        Harness own;
        QVERIFY(own.start());
        QCOMPARE(own.server().http("GET", QStringLiteral("/healthz")).first, 200);
        {
            // Take the database away under the running server.
            const std::string url = own.databaseUrl();
            const auto slash = url.rfind('/', url.find('?'));
            const std::string name = url.substr(slash + 1, url.find('?') - slash - 1);
            pqxx::connection admin(url.substr(0, slash + 1) + "postgres" + url.substr(url.find('?')));
            pqxx::nontransaction tx(admin);
            tx.exec0("DROP DATABASE " + tx.quote_name(name) + " WITH (FORCE)");
        }
        QCOMPARE(own.server().http("GET", QStringLiteral("/healthz")).first, 503);
    }
};

QTEST_GUILESS_MAIN(TestE2eHttp)
#include "tst_e2e_http.moc"
