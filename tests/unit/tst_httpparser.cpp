// SPDX-License-Identifier: GPL-3.0-or-later
// The HTTP side's request parser and client address on their own: whole requests only, every
// split of the bytes, forms and queries decoded, and X-Forwarded-For believed of trusted proxies
// alone (the e2e suite sends the malformed requests to the real server).

#include "server/http/clientaddress.h"
#include "server/http/httpparser.h"

#include <QTest>

using namespace chatterbox::server::http;

class TestHttpParser : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void wholeRequest_atEverySplit()
    {
        const std::string bytes = "POST /oauth/token?x=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"
                                  "Content-Type: application/x-www-form-urlencoded; charset=utf-8\r\nContent-Length: 47\r\n\r\n"
                                  "grant_type=refresh_token&refresh_token=a%2Bb+c%";
        for (std::size_t cut = 0; cut < bytes.size(); ++cut)
            QCOMPARE(parseRequest(std::string_view(bytes).substr(0, cut), {}).status, Parse::Status::Incomplete);
        const Parse parse = parseRequest(bytes + "GET / HTTP/1.1\r\n", {});
        QCOMPARE(parse.status, Parse::Status::Complete);
        QCOMPARE(parse.consumed, bytes.size());
        QCOMPARE(parse.request.method, std::string("POST"));
        QCOMPARE(parse.request.path, std::string("/oauth/token"));
        QCOMPARE(parse.request.param("x"), std::string("1"));
        QCOMPARE(parse.request.param("grant_type"), std::string("refresh_token"));
        // A broken escape drops its pair rather than guessing.
        QVERIFY(!parse.request.hasParam("refresh_token"));
        QCOMPARE(parse.request.mediaType(), std::string("application/x-www-form-urlencoded"));
        QCOMPARE(parse.request.header("HOST"), std::string("127.0.0.1:8080"));
    }

    void forms_decodePlusAndPercent()
    {
        const auto form = parseForm("a=b+c&d=%41%2b&&e&f=");
        QCOMPARE(form.find("a")->second, std::string("b c"));
        QCOMPARE(form.find("d")->second, std::string("A+"));
        QCOMPARE(form.find("e")->second, std::string());
        QCOMPARE(form.count("f"), std::size_t(1));
    }

    void limits_refuseEarly()
    {
        ParseLimits small;
        small.maxHeadBytes = 64;
        QCOMPARE(parseRequest(std::string(100, 'G'), small).status, Parse::Status::HeadTooLarge);
        QCOMPARE(parseRequest("\x16\x03\x01", {}).status, Parse::Status::Malformed);
        QCOMPARE(parseRequest("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 999999\r\n\r\n", {}).status, Parse::Status::BodyTooLarge);
    }

    void largeBodies_onlyWhereAllowed_continueAsked()
    {
        ParseLimits limits;
        limits.largeBodies.push_back({"PATCH", "/files/", 30000});
        const std::string body(20000, 'x');
        const auto request = [&](const std::string &method, const std::string &path, const std::string &extra = {}) {
            return method + " " + path + " HTTP/1.1\r\nHost: a\r\n" + extra + "Content-Length: 20000\r\n\r\n";
        };
        QCOMPARE(parseRequest(request("PATCH", "/files/x") + body, limits).status, Parse::Status::Complete);
        QCOMPARE(parseRequest(request("POST", "/files/x") + body, limits).status, Parse::Status::BodyTooLarge);
        QCOMPARE(parseRequest(request("PATCH", "/oauth/token") + body, limits).status, Parse::Status::BodyTooLarge);
        QCOMPARE(limits.largestBody(), std::size_t(30000));
        // A large body that says it is a form is not read as one.
        const Parse piece = parseRequest(request("PATCH", "/files/x", "Content-Type: application/x-www-form-urlencoded\r\n") + "a=b" + std::string(19997, 'x'), limits);
        QCOMPARE(piece.status, Parse::Status::Complete);
        QVERIFY(piece.request.params.empty());
        // Waiting for the body: whether the client waits to be told to send it.
        QVERIFY(parseRequest(request("PATCH", "/files/x", "Expect: 100-Continue\r\n"), limits).expectsContinue);
        QVERIFY(!parseRequest(request("PATCH", "/files/x"), limits).expectsContinue);
        QVERIFY(!parseRequest(request("PATCH", "/files/x", "Expect: 100-continue\r\n") + body, limits).expectsContinue);
    }

    void clientAddress_believesOnlyTrustedProxies()
    {
        const std::set<std::string> trusted{"127.0.0.1"};
        QCOMPARE(clientAddressFor("127.0.0.1", "203.0.113.7, 10.0.0.5", trusted), std::string("10.0.0.5"));
        QCOMPARE(clientAddressFor("127.0.0.1", " 2001:db8::1 ", trusted), std::string("2001:db8::1"));
        QCOMPARE(clientAddressFor("127.0.0.1", "::ffff:10.1.2.3", trusted), std::string("10.1.2.3"));
        QCOMPARE(clientAddressFor("127.0.0.1", "not an address", trusted), std::string("127.0.0.1"));
        QCOMPARE(clientAddressFor("127.0.0.1", "", trusted), std::string("127.0.0.1"));
        // Anyone else's claim is just a header.
        QCOMPARE(clientAddressFor("192.0.2.9", "10.0.0.5", trusted), std::string("192.0.2.9"));
    }
};

QTEST_GUILESS_MAIN(TestHttpParser)
#include "tst_httpparser.moc"
