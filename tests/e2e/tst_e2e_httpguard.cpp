// SPDX-License-Identifier: GPL-3.0-or-later
// The HTTP side under attack, against the real server: a hundred slow clients from several
// loopback addresses (sending a request head a byte at a time) leave sign-in, token refresh and
// /healthz answering at once, and are dropped at their deadline; one address gets only its share
// of connections; a Host header cannot steer the URLs the server makes; the development sign-in
// takes only JSON; malformed requests get their RFC status codes and change nothing.

#include "e2efixture.h"
#include "support/testidp.h"

#include <QElapsedTimer>
#include <QTcpSocket>
#include <QUrlQuery>

using namespace chatterbox::test;

namespace {

// A raw request, written at once; the whole answer (until the server closes or the answer's
// Content-Length is in), or what came within the time.
QByteArray rawExchange(quint16 port, const QByteArray &request, int timeoutMs = 5000, const QHostAddress &from = QHostAddress::LocalHost)
{
    QTcpSocket socket;
    if (from != QHostAddress::LocalHost)
        socket.bind(from);
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(2000))
        return {};
    socket.write(request);
    QByteArray answer;
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs) {
        if (socket.bytesAvailable() == 0 && !socket.waitForReadyRead(100)) {
            if (socket.state() != QAbstractSocket::ConnectedState)
                break;
            continue;
        }
        answer += socket.readAll();
        const auto headEnd = answer.indexOf("\r\n\r\n");
        if (headEnd >= 0) {
            const auto lengthAt = answer.toLower().indexOf("content-length: ");
            if (lengthAt >= 0) {
                const int length = answer.mid(lengthAt + 16, answer.indexOf("\r\n", lengthAt) - lengthAt - 16).toInt();
                if (answer.size() >= headEnd + 4 + length)
                    break;
            }
        }
    }
    return answer;
}

int statusOf(const QByteArray &answer)
{
    return answer.startsWith("HTTP/1.1 ") ? answer.mid(9, 3).toInt() : 0;
}

} // namespace

class TestE2eHttpGuard : public QObject {
    Q_OBJECT

    Harness m_harness;
    QNetworkAccessManager m_net;

    quint16 port() { return static_cast<quint16>(m_harness.server().httpUrl().port()); }
    QByteArray host() { return "127.0.0.1:" + QByteArray::number(port()); }

    // A request through Qt's client with its own deadline: the status, or 0 when it did not
    // answer in time.
    int statusWithin(const QByteArray &method, const QString &path, int ms, const QByteArray &body = {},
                     const QByteArray &type = "application/x-www-form-urlencoded")
    {
        QNetworkRequest request(m_harness.server().httpUrl(path));
        request.setTransferTimeout(ms);
        if (!body.isEmpty())
            request.setHeader(QNetworkRequest::ContentTypeHeader, type);
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
        QNetworkReply *reply = m_net.sendCustomRequest(request, method, body);
        const bool done = QTest::qWaitFor([&] { return reply->isFinished(); }, ms + 500);
        const int status = done ? reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() : 0;
        reply->deleteLater();
        return status;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_harness.start()); }

    void slowClients_holdNoThread_andTheRestStillAnswers()
    {
        // 100 connections from ten addresses, each starting a request and then sending one
        // byte every two seconds: what took the server down when each held a thread.
        std::vector<std::unique_ptr<QTcpSocket>> slow;
        for (int i = 0; i < 100; ++i) {
            auto socket = std::make_unique<QTcpSocket>();
            QVERIFY(socket->bind(QHostAddress(QStringLiteral("127.0.0.%1").arg(2 + i / 10))));
            socket->connectToHost(QHostAddress::LocalHost, port());
            QVERIFY(socket->waitForConnected(2000));
            socket->write("GET /healthz HTTP/1.1\r\nHost: " + host() + "\r\nX-Slow: ");
            slow.push_back(std::move(socket));
        }
        const Login login = m_harness.server().login(QStringLiteral("patient"));
        QVERIFY(!login.refreshToken.isEmpty());
        for (int round = 0; round < 3; ++round) {
            for (auto &socket : slow)
                socket->write("x");
            QCOMPARE(statusWithin("GET", QStringLiteral("/healthz"), 1000), 200);
            QCOMPARE(statusWithin("POST", QStringLiteral("/auth/dev"), 1000, R"({"name":"newcomer"})", "application/json"), 200);
            QCOMPARE(statusWithin("GET", QStringLiteral("/.well-known/chatterbox"), 1000), 200);
            QTest::qWait(1500);
        }
        QCOMPARE(statusWithin("POST", QStringLiteral("/oauth/token"), 1000,
                              "grant_type=refresh_token&client_id=chatterbox&refresh_token=" + QUrl::toPercentEncoding(QString::fromLatin1(login.refreshToken))),
                 200);
        // Their deadline (a few seconds for a whole request) passes: each is told and closed.
        QVERIFY(QTest::qWaitFor([&] {
            return std::all_of(slow.begin(), slow.end(), [](const auto &s) { return s->state() != QAbstractSocket::ConnectedState; });
        }, 15000));
        int told = 0;
        for (auto &socket : slow)
            told += socket->readAll().startsWith("HTTP/1.1 408") ? 1 : 0;
        QVERIFY2(told >= 90, qPrintable(QString::number(told)));
    }

    void oneAddress_getsItsShareOfConnections()
    {
        std::vector<std::unique_ptr<QTcpSocket>> open;
        int refused = 0;
        for (int i = 0; i < 48; ++i) {
            auto socket = std::make_unique<QTcpSocket>();
            QVERIFY(socket->bind(QHostAddress(QStringLiteral("127.0.0.50"))));
            socket->connectToHost(QHostAddress::LocalHost, port());
            QVERIFY(socket->waitForConnected(2000));
            open.push_back(std::move(socket));
        }
        QTest::qWait(500);
        for (auto &socket : open) {
            socket->waitForReadyRead(10);
            refused += socket->readAll().startsWith("HTTP/1.1 429") ? 1 : 0;
        }
        QCOMPARE(refused, 48 - 32);
        // Another address is not affected.
        QCOMPARE(statusOf(rawExchange(port(), "GET /healthz HTTP/1.1\r\nHost: " + host() + "\r\n\r\n", 2000,
                                      QHostAddress(QStringLiteral("127.0.0.51")))),
                 200);
    }

    void hostHeader_cannotSteerTheUrls()
    {
        const QByteArray authorize = "/oauth/authorize?provider=dev&client_id=chatterbox&response_type=code"
                                     "&redirect_uri=http%3A%2F%2F127.0.0.1%3A49999%2Fcb&state=s&code_challenge="
                                     "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256";
        const QByteArray steered = rawExchange(port(), "GET " + authorize + " HTTP/1.1\r\nHost: evil.example\r\n\r\n");
        QCOMPARE(statusOf(steered), 421);
        QVERIFY(!steered.toLower().contains("location:"));
        QCOMPARE(statusOf(rawExchange(port(), "GET /.well-known/chatterbox HTTP/1.1\r\nHost: evil.example:8080\r\n\r\n")), 421);
        // The server's own address, and localhost for a loopback server, are it.
        const QByteArray ok = rawExchange(port(), "GET " + authorize + " HTTP/1.1\r\nHost: " + host() + "\r\n\r\n");
        QCOMPARE(statusOf(ok), 302);
        QVERIFY2(ok.contains("Location: http://" + host() + "/auth/dev/pick?"), ok.constData());
        QCOMPARE(statusOf(rawExchange(port(), "GET /healthz HTTP/1.1\r\nHost: localhost:" + QByteArray::number(port()) + "\r\n\r\n")), 200);
        const QByteArray discovery = rawExchange(port(), "GET /.well-known/chatterbox HTTP/1.1\r\nHost: localhost:" + QByteArray::number(port()) + "\r\n\r\n");
        QVERIFY2(discovery.contains("\"websocket\":\"ws://127.0.0.1:"), discovery.constData());
    }

    void devSignIn_takesOnlyJson()
    {
        // A form from a web page elsewhere is text/plain or urlencoded: refused, no account made.
        const QByteArray json = R"({"name":"rebound"})";
        for (const QByteArray &type : {QByteArray("text/plain"), QByteArray("application/x-www-form-urlencoded"), QByteArray()}) {
            QByteArray request = "POST /auth/dev HTTP/1.1\r\nHost: " + host() + "\r\nContent-Length: " + QByteArray::number(json.size()) + "\r\n";
            if (!type.isEmpty())
                request += "Content-Type: " + type + "\r\n";
            QCOMPARE(statusOf(rawExchange(port(), request + "\r\n" + json)), 415);
        }
        pqxx::connection c(m_harness.databaseUrl());
        pqxx::work tx(c);
        QCOMPARE(tx.exec1("SELECT count(*) FROM users WHERE display_name = 'rebound'")[0].as<int>(), 0);
        QCOMPARE(statusWithin("POST", QStringLiteral("/auth/dev"), 2000, json, "application/json; charset=utf-8"), 200);
    }

    void malformedRequests_getTheirStatus_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<int>("status");
        const QByteArray h = "Host: 127.0.0.1\r\n";
        QTest::newRow("bare LF") << QByteArray("GET /healthz HTTP/1.1\nHost: x\n\n\r\n\r\n") << 400;
        QTest::newRow("no Host") << QByteArray("GET /healthz HTTP/1.1\r\n\r\n") << 400;
        QTest::newRow("two Hosts") << QByteArray("GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n") << 400;
        QTest::newRow("two lengths") << QByteArray("POST /oauth/token HTTP/1.1\r\n" + h + "Content-Length: 1\r\nContent-Length: 2\r\n\r\nab") << 400;
        QTest::newRow("chunked") << QByteArray("POST /oauth/token HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n") << 411;
        QTest::newRow("folded header") << QByteArray("GET /healthz HTTP/1.1\r\n" + h + "X-A: 1\r\n  2\r\n\r\n") << 400;
        QTest::newRow("huge head") << QByteArray("GET /healthz HTTP/1.1\r\n" + h + "X-Big: " + QByteArray(9000, 'a') + "\r\n\r\n") << 431;
        QTest::newRow("huge body") << QByteArray("POST /oauth/token HTTP/1.1\r\n" + h + "Content-Length: 100000\r\n\r\n") << 413;
        QTest::newRow("HTTP/2 preface") << QByteArray("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") << 505;
        QTest::newRow("TLS hello") << QByteArray("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11) << 400;
        QTest::newRow("absolute target") << QByteArray("GET http://evil/healthz HTTP/1.1\r\n" + h + "\r\n") << 400;
        QTest::newRow("NUL in path") << QByteArray("GET /health%00z HTTP/1.1\r\n" + h + "\r\n") << 400;
        QTest::newRow("HTTP/3") << QByteArray("GET /healthz HTTP/3.0\r\n" + h + "\r\n") << 505;
        QTest::newRow("unknown path") << QByteArray("GET /nope HTTP/1.1\r\nHost: %HOST%\r\n\r\n") << 404;
        QTest::newRow("wrong method") << QByteArray("DELETE /healthz HTTP/1.1\r\nHost: %HOST%\r\n\r\n") << 405;
    }

    void malformedRequests_getTheirStatus()
    {
        QFETCH(QByteArray, request);
        QFETCH(int, status);
        request.replace("%HOST%", host());
        const QByteArray answer = rawExchange(port(), request, 3000);
        QVERIFY2(statusOf(answer) == status, answer.left(200).constData());
        // And the server goes on.
        QCOMPARE(statusWithin("GET", QStringLiteral("/healthz"), 2000), 200);
    }

    void keepAlive_and_pipelinedRequests_answeredInOrder()
    {
        const QByteArray one = "GET /healthz HTTP/1.1\r\nHost: " + host() + "\r\n\r\n";
        const QByteArray two = "GET /nope HTTP/1.1\r\nHost: " + host() + "\r\nConnection: close\r\n\r\n";
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, port());
        QVERIFY(socket.waitForConnected(2000));
        socket.write(one + two);
        QByteArray answers;
        QVERIFY(QTest::qWaitFor([&] {
            answers += socket.readAll();
            return socket.state() != QAbstractSocket::ConnectedState || answers.count("HTTP/1.1 ") == 2;
        }, 5000));
        QVERIFY(answers.startsWith("HTTP/1.1 200"));
        QVERIFY2(answers.indexOf("HTTP/1.1 404") > answers.indexOf("ok\n"), answers.constData());
    }
};

QTEST_GUILESS_MAIN(TestE2eHttpGuard)
#include "tst_e2e_httpguard.moc"
