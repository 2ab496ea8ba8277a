// SPDX-License-Identifier: GPL-3.0-or-later
// Files through the real server over HTTP, as an app sends and reads them: an upload in pieces
// and one resumed after its connection was cut, sent in a message and read by the party's members
// (and nobody else, and nobody once it is deleted), the limits, hostile declarations, the headers
// that keep a file from acting as a page of the server, and two instances sharing the files.

#include "e2efixture.h"
#include "support/filehttp.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTcpSocket>

#include <random>

using namespace chatterbox::test;

namespace {

std::string randomBytes(std::size_t size, std::uint64_t seed)
{
    std::mt19937_64 random(seed);
    std::string bytes(size, '\0');
    for (auto &b : bytes)
        b = static_cast<char>(random());
    return bytes;
}

QByteArray bytesOf(const std::string &s)
{
    return QByteArray(s.data(), static_cast<qsizetype>(s.size()));
}

} // namespace

class TestE2EFiles : public QObject {
    Q_OBJECT

    Harness m_harness;
    std::unique_ptr<Http> m_http;
    Person m_alice, m_bob, m_carol;
    Harness::PartyIds m_party;

    json sendWithFiles(Person &who, const std::vector<std::string> &files, const std::string &body = "")
    {
        return who->request("message.send", {{"topicId", m_party.topicId}, {"clientMsgId", uuid()}, {"body", body}, {"files", files}});
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_harness.start());
        m_http = std::make_unique<Http>(m_harness.server());
        m_alice = m_harness.connect(QStringLiteral("alice"));
        m_bob = m_harness.connect(QStringLiteral("bob"));
        m_carol = m_harness.connect(QStringLiteral("carol"));   // in no party of theirs
        m_party = Harness::createParty(m_alice, "Holiday");
        QVERIFY(!m_party.topicId.empty());
        QVERIFY(Harness::join(m_alice, m_party.partyId, m_bob));
    }

    void upload_inPieces_sentAndReadByMembers()
    {
        const std::string bytes = randomBytes(9'000'000, 1);   // three pieces
        const std::string png = "\x89PNG\r\n\x1a\n" + std::string(40, 'p');
        const std::string id = m_http->upload(m_alice.login.accessToken, bytes,
                                              {{"name", "<img src=x onerror=alert(1)> day.png"}, {"type", "image/png"}, {"width", 4000}, {"height", 3000},
                                               {"thumbnail", QByteArray::fromStdString(png).toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals).toStdString()},
                                               {"thumbnailType", "image/png"}});
        QVERIFY(!id.empty());
        const Reply status = m_http->download(m_alice.login.accessToken, id, QStringLiteral("/upload"));
        QCOMPARE(status.status, 200);
        QCOMPARE(status.data()["offset"].get<std::int64_t>(), 9'000'000LL);
        QVERIFY(status.data()["complete"].get<bool>());

        const json sent = sendWithFiles(m_alice, {id}, "the beach");
        QVERIFY2(isOk(sent), sent.dump().c_str());
        const json file = sent["result"]["message"]["files"][0];
        QCOMPARE(file["name"].get<std::string>(), std::string("<img src=x onerror=alert(1)> day.png"));
        QCOMPARE(file["type"].get<std::string>(), std::string("image/png"));
        QCOMPARE(file["size"].get<std::int64_t>(), 9'000'000LL);
        QCOMPARE(file["width"].get<int>(), 4000);
        QCOMPARE(file["height"].get<int>(), 3000);
        QVERIFY(file["thumbnail"].get<bool>());
        // Bob sees it arrive, and in history.
        const auto arrived = m_bob->waitForEvent("message.created", [&](const json &e) { return e["message"]["id"] == sent["result"]["message"]["id"]; });
        QVERIFY(arrived);
        QCOMPARE((*arrived)["message"]["files"][0]["id"].get<std::string>(), id);
        const json history = m_bob->request("message.history", {{"topicId", m_party.topicId}});
        QCOMPARE(history["result"]["messages"].back()["files"][0]["id"].get<std::string>(), id);

        const Reply fetched = m_http->download(m_bob.login.accessToken, id);
        QCOMPARE(fetched.status, 200);
        QVERIFY(fetched.body == bytesOf(bytes));
        QCOMPARE(fetched.headers.value("content-type"), QByteArray("image/png"));
        QCOMPARE(fetched.headers.value("content-disposition"),
                 QByteArray("attachment; filename=\"<img src=x onerror=alert(1)> day.png\"; filename*=UTF-8''")
                     + QUrl::toPercentEncoding(QStringLiteral("<img src=x onerror=alert(1)> day.png")));
        QCOMPARE(fetched.headers.value("x-content-type-options"), QByteArray("nosniff"));
        QVERIFY(fetched.headers.value("content-security-policy").startsWith("sandbox; default-src 'none'"));
        QVERIFY(fetched.headers.value("cache-control").contains("no-store"));

        const Reply thumbnail = m_http->download(m_bob.login.accessToken, id, QStringLiteral("/thumbnail"));
        QCOMPARE(thumbnail.status, 200);
        QVERIFY(thumbnail.body == bytesOf(png));
        QCOMPARE(thumbnail.headers.value("content-type"), QByteArray("image/png"));

        // A range, to resume a download.
        const Reply range = m_http->send("GET", QStringLiteral("/files/") + QString::fromStdString(id), m_bob.login.accessToken, {},
                                         {{"Range", "bytes=4194300-4194309"}});
        QCOMPARE(range.status, 206);
        QVERIFY(range.body == bytesOf(bytes.substr(4194300, 10)));
        QCOMPARE(range.headers.value("content-range"), QByteArray("bytes 4194300-4194309/9000000"));
    }

    void upload_cutConnection_resumesWhereItStopped()
    {
        const QByteArray &token = m_alice.login.accessToken;
        const std::string bytes = randomBytes(6'000'000, 2);
        const Reply begun = m_http->declare(token, {{"name", "video.mp4"}, {"type", "video/mp4"}, {"size", bytes.size()}});
        QCOMPARE(begun.status, 201);
        const std::string id = begun.data()["id"];
        QCOMPARE(m_http->piece(token, id, 0, std::string_view(bytes).substr(0, 4'194'304)).status, 200);

        // The second piece: half of it, then the connection is gone.
        QTcpSocket socket;
        socket.connectToHost(m_harness.server().httpUrl().host(), static_cast<quint16>(m_harness.server().httpUrl().port()));
        QVERIFY(socket.waitForConnected(5000));
        const std::string rest = bytes.substr(4'194'304);
        const QByteArray head = "PATCH /files/" + QByteArray::fromStdString(id) + " HTTP/1.1\r\nHost: "
                                + m_harness.server().httpUrl().authority().toLatin1() + "\r\nAuthorization: Bearer " + token
                                + "\r\nUpload-Offset: 4194304\r\nContent-Length: " + QByteArray::number(static_cast<qint64>(rest.size())) + "\r\n\r\n";
        socket.write(head + bytesOf(rest.substr(0, rest.size() / 2)));
        QVERIFY(socket.waitForBytesWritten(5000));
        QTest::qWait(200);
        socket.abort();

        // The app asks where the upload stands, and goes on from there.
        const Reply status = m_http->download(token, id, QStringLiteral("/upload"));
        QCOMPARE(status.data()["offset"].get<std::int64_t>(), 4'194'304LL);
        QVERIFY(!status.data()["complete"].get<bool>());
        const Reply wrong = m_http->piece(token, id, 0, std::string_view(bytes).substr(0, 100));
        QCOMPARE(wrong.status, 409);
        QCOMPARE(wrong.data()["error"].get<std::string>(), std::string("wrong_offset"));
        QCOMPARE(wrong.data()["offset"].get<std::int64_t>(), 4'194'304LL);
        const Reply done = m_http->piece(token, id, 4'194'304, rest);
        QCOMPARE(done.status, 200);
        QVERIFY(done.data()["complete"].get<bool>());
        QVERIFY(m_http->download(token, id).body == bytesOf(bytes));
    }

    void readers_memberYes_strangerKickedAndDeletedNo()
    {
        const QByteArray &alice = m_alice.login.accessToken;
        const std::string id = m_http->upload(alice, randomBytes(1000, 3), {{"name", "plan.pdf"}, {"type", "application/pdf"}});
        QVERIFY(!id.empty());
        const Reply madeUp = m_http->download(alice, uuid());
        QCOMPARE(madeUp.status, 404);
        // Not sent yet: its uploader's alone.
        QCOMPARE(m_http->download(alice, id).status, 200);
        QCOMPARE(m_http->download(m_bob.login.accessToken, id).body, madeUp.body);
        // Nobody without a valid token.
        const Reply anonymous = m_http->download({}, id);
        QCOMPARE(anonymous.status, 401);
        QCOMPARE(anonymous.headers.value("www-authenticate"), QByteArray("Bearer"));
        QCOMPARE(m_http->download("not-a-token", id).status, 401);
        // Someone else's file cannot be sent.
        QCOMPARE(errorCode(sendWithFiles(m_bob, {id})), std::string("not_found"));

        const json sent = sendWithFiles(m_alice, {id}, "the plan");
        QVERIFY(isOk(sent));
        QCOMPARE(m_http->download(m_bob.login.accessToken, id).status, 200);
        const Reply stranger = m_http->download(m_carol.login.accessToken, id);
        QCOMPARE(stranger.status, 404);
        QCOMPARE(stranger.body, madeUp.body);
        QCOMPARE(m_http->download(m_carol.login.accessToken, id, QStringLiteral("/upload")).status, 404);
        // Sent once: not again.
        QCOMPARE(errorCode(sendWithFiles(m_alice, {id})), std::string("not_found"));

        // Bob is kicked: no more.
        QVERIFY(isOk(m_alice->request("member.kick", {{"partyId", m_party.partyId}, {"userId", m_bob.login.userId}})));
        QCOMPARE(m_http->download(m_bob.login.accessToken, id).body, madeUp.body);
        // Deleted: nobody, and its history says no more of it.
        QVERIFY(isOk(m_alice->request("message.delete", {{"messageId", sent["result"]["message"]["id"]}})));
        QCOMPARE(m_http->download(alice, id).body, madeUp.body);
        const json history = m_alice->request("message.history", {{"topicId", m_party.topicId}});
        QVERIFY(!history["result"]["messages"].back().contains("files"));
        QVERIFY(Harness::join(m_alice, m_party.partyId, m_bob));
    }

    void oneFile_twoSendsAtOnce_oneWins()
    {
        // Twenty rounds: two connections of Alice's send the same new file at the same moment.
        Person second = m_harness.reconnect(m_alice);
        for (int round = 0; round < 20; ++round) {
            const std::string id = m_http->upload(m_alice.login.accessToken, randomBytes(100, 100 + static_cast<std::uint64_t>(round)));
            QVERIFY(!id.empty());
            const std::int64_t a = m_alice->post("message.send", {{"topicId", m_party.topicId}, {"clientMsgId", uuid()}, {"body", ""}, {"files", {id}}});
            const std::int64_t b = second->post("message.send", {{"topicId", m_party.topicId}, {"clientMsgId", uuid()}, {"body", ""}, {"files", {id}}});
            const json first = replyTo(*m_alice.client, a);
            const json other = replyTo(*second.client, b);
            QCOMPARE(int(isOk(first)) + int(isOk(other)), 1);
        }
    }

    void limits_sizePieceAndHostileDeclarations()
    {
        const QByteArray &token = m_alice.login.accessToken;
        const auto refused = [&](json file) {
            const Reply r = m_http->declare(token, file);
            return std::to_string(r.status) + " " + r.data().value("error", std::string());
        };
        const json ok{{"name", "a.png"}, {"type", "image/png"}, {"size", 10}};
        QCOMPARE(refused(ok), std::string("201 "));
        QCOMPARE(refused({{"name", "a.png"}, {"type", "image/png"}, {"size", 25LL * 1024 * 1024 + 1}}), std::string("413 file_too_large"));
        for (const json &name : {json("../../etc/passwd"), json("a\\b"), json(""), json("  "), json("a\u0001b"), json(".."),
                                json(std::string(256, 'x')), json(12)})
            QCOMPARE(refused({{"name", name}, {"type", "image/png"}, {"size", 10}}), std::string("400 invalid_request"));
        for (const json &type : {json("Text/HTML"), json("text/html; charset=utf-8"), json("image"), json("/png"), json("image/"),
                                json(std::string(200, 'a') + "/b")})
            QCOMPARE(refused({{"name", "a"}, {"type", type}, {"size", 10}}), std::string("400 invalid_request"));
        for (const json &size : {json(-1), json("10"), json(1.5), json(nullptr)})
            QCOMPARE(refused({{"name", "a"}, {"type", "image/png"}, {"size", size}}), std::string("400 invalid_request"));
        QCOMPARE(refused({{"name", "a"}, {"type", "image/png"}, {"size", 10}, {"width", 10}}), std::string("400 invalid_request"));
        QCOMPARE(refused({{"name", "a"}, {"type", "image/png"}, {"size", 10}, {"width", 0}, {"height", 10}}), std::string("400 invalid_request"));
        QCOMPARE(refused({{"name", "a"}, {"type", "image/png"}, {"size", 10}, {"width", 60000}, {"height", 70000}}), std::string("400 invalid_request"));
        // A thumbnail that is not the image its type says (an HTML page), or not base64url.
        const std::string html = QByteArray("<html><script>alert(1)</script>").toBase64(QByteArray::Base64UrlEncoding).toStdString();
        QCOMPARE(refused({{"name", "a"}, {"type", "image/png"}, {"size", 10}, {"thumbnail", html}, {"thumbnailType", "image/png"}}),
                 std::string("400 invalid_request"));
        QCOMPARE(refused({{"name", "a"}, {"type", "image/png"}, {"size", 10}, {"thumbnail", "%%%"}, {"thumbnailType", "image/png"}}),
                 std::string("400 invalid_request"));
        QCOMPARE(m_http->send("POST", QStringLiteral("/files"), token, "{not json").status, 400);
        QCOMPARE(m_http->send("POST", QStringLiteral("/files"), token, "{\"name\":\"\xff\xfe\",\"type\":\"image/png\",\"size\":1}").status, 400);
        QCOMPARE(m_http->send("POST", QStringLiteral("/files"), token, "[1,2]").status, 400);

        // Pieces: too large for one request, past the declared size, without or with a bad offset,
        // for an upload that is not there.
        const std::string id = m_http->declare(token, {{"name", "a"}, {"type", "image/png"}, {"size", 5'000'000}}).data()["id"];
        {
            // Refused by its head while its body is still coming: the answer arrives all the same
            // (the server reads and drops the rest before it closes). Over a plain socket, since
            // QNetworkAccessManager gives up on an upload the server has stopped reading.
            QTcpSocket socket;
            socket.connectToHost(m_harness.server().httpUrl().host(), static_cast<quint16>(m_harness.server().httpUrl().port()));
            QVERIFY(socket.waitForConnected(5000));
            const QByteArray tooMuch(4 * 1024 * 1024 + 1, 'x');
            socket.write("PATCH /files/" + QByteArray::fromStdString(id) + " HTTP/1.1\r\nHost: " + m_harness.server().httpUrl().authority().toLatin1()
                         + "\r\nAuthorization: Bearer " + token + "\r\nUpload-Offset: 0\r\nContent-Length: "
                         + QByteArray::number(tooMuch.size()) + "\r\n\r\n" + tooMuch);
            QVERIFY(QTest::qWaitFor([&] { return socket.canReadLine() || socket.state() != QAbstractSocket::ConnectedState; }, 10000));
            QCOMPARE(socket.readLine().trimmed(), QByteArray("HTTP/1.1 413 Content Too Large"));
        }
        const std::string small = m_http->declare(token, ok).data()["id"];
        QCOMPARE(m_http->piece(token, small, 0, std::string(11, 'x')).status, 400);
        QCOMPARE(m_http->send("PATCH", QStringLiteral("/files/") + QString::fromStdString(small), token, "x").status, 400);
        QCOMPARE(m_http->send("PATCH", QStringLiteral("/files/") + QString::fromStdString(small), token, "x", {{"Upload-Offset", "-1"}}).status, 400);
        QCOMPARE(m_http->send("PATCH", QStringLiteral("/files/") + QString::fromStdString(small), token, "x", {{"Upload-Offset", "0x0"}}).status, 400);
        QCOMPARE(m_http->piece(token, uuid(), 0, "x").status, 404);
        QCOMPARE(m_http->piece(m_bob.login.accessToken, small, 0, "x").status, 404);
        // Not complete: not sendable, not readable.
        QCOMPARE(errorCode(sendWithFiles(m_alice, {id})), std::string("not_found"));
        QCOMPARE(m_http->download(token, id).status, 404);
        // message.send's files: too many, twice the same, not ids.
        std::vector<std::string> eleven(11);
        for (auto &f : eleven)
            f = uuid();
        QCOMPARE(errorCode(sendWithFiles(m_alice, eleven)), std::string("invalid_request"));
        QCOMPARE(errorCode(sendWithFiles(m_alice, {small, small})), std::string("invalid_request"));
        QCOMPARE(errorCode(sendWithFiles(m_alice, {"../x"})), std::string("invalid_request"));
        QCOMPARE(errorCode(m_alice->request("message.send", {{"topicId", m_party.topicId}, {"clientMsgId", uuid()}, {"body", ""}})),
                 std::string("invalid_request"));
    }

    void served_neverAsAPage()
    {
        // An HTML page declared as such, and one declared as a PNG: neither is served as HTML.
        const std::string page = "<!doctype html><script>fetch('/files')</script>";
        const std::string asHtml = m_http->upload(m_alice.login.accessToken, page, {{"name", "page.html"}, {"type", "text/html"}});
        const std::string asPng = m_http->upload(m_alice.login.accessToken, page, {{"name", "cat.png"}, {"type", "image/png"}});
        for (const auto &id : {asHtml, asPng}) {
            const Reply r = m_http->download(m_alice.login.accessToken, id);
            QCOMPARE(r.status, 200);
            QVERIFY(r.headers.value("content-type") != "text/html");
            QVERIFY(r.headers.value("content-disposition").startsWith("attachment;"));
            QCOMPARE(r.headers.value("x-content-type-options"), QByteArray("nosniff"));
            QVERIFY(r.headers.value("content-security-policy").contains("sandbox"));
        }
        QCOMPARE(m_http->download(m_alice.login.accessToken, asHtml).headers.value("content-type"), QByteArray("application/octet-stream"));
        // And a zero-byte file is a file.
        const std::string empty = m_http->upload(m_alice.login.accessToken, std::string(), {{"name", "empty.txt"}, {"type", "text/plain"}});
        QVERIFY(!empty.empty());
        const Reply r = m_http->download(m_alice.login.accessToken, empty);
        QCOMPARE(r.status, 200);
        QVERIFY(r.body.isEmpty());
    }

    void largeBodies_refusedByTheirHead_andHeldWithinBounds()
    {
        const auto connectRaw = [&](QTcpSocket &socket) {
            socket.connectToHost(m_harness.server().httpUrl().host(), static_cast<quint16>(m_harness.server().httpUrl().port()));
            return socket.waitForConnected(5000);
        };
        const QByteArray host = "Host: " + m_harness.server().httpUrl().authority().toLatin1() + "\r\n";
        const auto statusLine = [](QTcpSocket &socket) {
            (void)QTest::qWaitFor([&] { return socket.canReadLine() || socket.state() != QAbstractSocket::ConnectedState; }, 5000);
            return socket.readLine().trimmed();
        };
        // No token: 401 at the head, before any of the 4 MiB is sent (nothing is held for it).
        {
            QTcpSocket socket;
            QVERIFY(connectRaw(socket));
            socket.write("PATCH /files/" + QByteArray::fromStdString(uuid()) + " HTTP/1.1\r\n" + host
                         + "Upload-Offset: 0\r\nContent-Length: 4194304\r\n\r\n");
            QCOMPARE(statusLine(socket), QByteArray("HTTP/1.1 401 Unauthorized"));
        }
        // Signed in: 16 MiB of large bodies may be on their way from one address at once; the
        // fifth 4 MiB piece is told to come back.
        const QByteArray &token = m_alice.login.accessToken;
        const std::string id = m_http->declare(token, {{"name", "a"}, {"type", "image/png"}, {"size", 20'000'000}}).data()["id"];
        std::vector<std::unique_ptr<QTcpSocket>> pending;
        for (int i = 0; i < 4; ++i) {
            pending.push_back(std::make_unique<QTcpSocket>());
            QVERIFY(connectRaw(*pending.back()));
            pending.back()->write("PATCH /files/" + QByteArray::fromStdString(id) + " HTTP/1.1\r\n" + host + "Authorization: bearer " + token
                                  + "\r\nUpload-Offset: 0\r\nExpect: 100-continue\r\nContent-Length: 4194304\r\n\r\n");
            QCOMPARE(statusLine(*pending.back()), QByteArray("HTTP/1.1 100 Continue"));   // the scheme in any case
        }
        QTcpSocket fifth;
        QVERIFY(connectRaw(fifth));
        fifth.write("PATCH /files/" + QByteArray::fromStdString(id) + " HTTP/1.1\r\n" + host + "Authorization: Bearer " + token
                    + "\r\nUpload-Offset: 0\r\nContent-Length: 4194304\r\n\r\n");
        QCOMPARE(statusLine(fifth), QByteArray("HTTP/1.1 503 Service Unavailable"));
        pending.clear();   // gone: their room is given back
        QTest::qWait(300);
        QCOMPARE(m_http->piece(token, id, 0, std::string(4 * 1024 * 1024, 'x')).status, 200);
    }

    void downloads_heldWithinBounds_headAndRangesReadNothingExtra()
    {
        const QByteArray &token = m_alice.login.accessToken;
        const std::string bytes = randomBytes(25 * 1024 * 1024, 9);
        const std::string id = m_http->upload(token, bytes, {{"name", "big.bin"}, {"type", "application/zip"}});
        QVERIFY(!id.empty());
        // HEAD: the length, no body.
        const Reply head = m_http->send("HEAD", QStringLiteral("/files/") + QString::fromStdString(id), token);
        QCOMPARE(head.status, 200);
        QCOMPARE(head.headers.value("content-length"), QByteArray::number(25 * 1024 * 1024));
        QVERIFY(head.body.isEmpty());
        // Ranges that are not one satisfiable range: the whole file, or 416 past the end.
        const auto rangeStatus = [&](const QByteArray &range) {
            return m_http->send("GET", QStringLiteral("/files/") + QString::fromStdString(id), token, {}, {{"Range", range}}).status;
        };
        QCOMPARE(rangeStatus("bytes=99999999999999999999-"), 200);
        QCOMPARE(rangeStatus("bytes=5-3"), 200);
        QCOMPARE(rangeStatus("bytes=0--1"), 200);
        QCOMPARE(rangeStatus("bytes=26214400-"), 416);
        QCOMPARE(rangeStatus("bytes=26214399-"), 206);
        // Two downloads of 25 MiB that are not being read hold 50 MiB of the 64 an address may:
        // a third waits its turn.
        const QByteArray request = "GET /files/" + QByteArray::fromStdString(id) + " HTTP/1.1\r\nHost: "
                                   + m_harness.server().httpUrl().authority().toLatin1() + "\r\nAuthorization: Bearer " + token + "\r\n\r\n";
        std::vector<std::unique_ptr<QTcpSocket>> slow;
        for (int i = 0; i < 2; ++i) {
            slow.push_back(std::make_unique<QTcpSocket>());
            slow.back()->setReadBufferSize(4096);
            slow.back()->connectToHost(m_harness.server().httpUrl().host(), static_cast<quint16>(m_harness.server().httpUrl().port()));
            QVERIFY(slow.back()->waitForConnected(5000));
            slow.back()->write(request);
            QVERIFY(QTest::qWaitFor([&] { return slow.back()->bytesAvailable() > 0; }, 10000));
        }
        const Reply third = m_http->download(token, id);
        QCOMPARE(third.status, 503);
        QVERIFY(third.headers.contains("retry-after"));
        slow.clear();
        QVERIFY(QTest::qWaitFor([&] { return m_http->download(token, id).status == 200; }, 10000));
    }

    void names_thatShowAsAnother_refused()
    {
        const Reply r = m_http->declare(m_alice.login.accessToken, {{"name", "\u202egnp.exe"}, {"type", "image/png"}, {"size", 1}});
        QCOMPARE(r.status, 400);
        QVERIFY(r.data()["message"].get<std::string>().find("bidirectional") != std::string::npos);
    }

    void quota_holdsAgainstUploadsBegunAtOnce()
    {
        // A server with small limits: 1 MB a file, 3 MB a person.
        Harness small({QStringLiteral("--max-file-bytes"), QStringLiteral("1000000"), QStringLiteral("--file-quota-bytes"),
                       QStringLiteral("3000000")});
        QVERIFY(small.start());
        Http http(small.server());
        for (int round = 0; round < 5; ++round) {
            const Login who = small.server().login(QStringLiteral("uploader-%1").arg(round));
            std::vector<QNetworkReply *> pending;
            for (int i = 0; i < 6; ++i)
                pending.push_back(http.start("POST", QStringLiteral("/files"), who.accessToken,
                                             QByteArray::fromStdString(json{{"name", "a"}, {"type", "image/png"}, {"size", 1'000'000}}.dump())));
            int begun = 0, overQuota = 0;
            for (auto *reply : pending) {
                const Reply r = Http::finish(reply);
                begun += r.status == 201;
                overQuota += r.status == 413 && r.data()["error"] == "quota_exceeded";
            }
            QCOMPARE(begun, 3);
            QCOMPARE(overQuota, 3);
        }
        const Login other = small.server().login(QStringLiteral("other"));
        QCOMPARE(http.declare(other.accessToken, {{"name", "a"}, {"type", "image/png"}, {"size", 1'000'001}}).status, 413);
    }

    void twoInstances_shareTheFiles()
    {
        TestServer second(m_harness.databaseUrl());
        QVERIFY2(second.start(), qPrintable(second.output()));
        Http other(second);
        const std::string bytes = randomBytes(5'000'000, 4);
        // Uploaded half through one instance and half through the other, sent, read on the second.
        const Reply begun = m_http->declare(m_alice.login.accessToken, {{"name", "both.bin"}, {"type", "application/zip"}, {"size", bytes.size()}});
        const std::string id = begun.data()["id"];
        QCOMPARE(m_http->piece(m_alice.login.accessToken, id, 0, std::string_view(bytes).substr(0, 4'194'304)).status, 200);
        QCOMPARE(other.piece(m_alice.login.accessToken, id, 4'194'304, std::string_view(bytes).substr(4'194'304)).status, 200);
        QVERIFY(isOk(sendWithFiles(m_alice, {id}, "from both")));
        const Reply fetched = other.download(m_bob.login.accessToken, id);
        QCOMPARE(fetched.status, 200);
        QVERIFY(fetched.body == bytesOf(bytes));
    }
};

QTEST_GUILESS_MAIN(TestE2EFiles)
#include "tst_e2e_files.moc"
