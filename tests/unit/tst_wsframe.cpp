// SPDX-License-Identifier: GPL-3.0-or-later
// The server's WebSocket framing and handshake (RFC 6455), byte for byte: what clients may send,
// what they may not, and what the server writes.

#include "server/ws/wsframe.h"
#include "server/ws/wshandshake.h"

#include <QTest>

using namespace chatterbox::ws;

namespace {

// A frame as a client sends it: masked, unless told otherwise.
QByteArray clientFrame(std::uint8_t opcode, const QByteArray &payload, bool fin = true, bool masked = true,
                       std::uint8_t extraBits = 0)
{
    QByteArray frame;
    frame.append(char((fin ? 0x80 : 0) | extraBits | opcode));
    const char maskBit = masked ? char(0x80) : char(0);
    const auto size = static_cast<std::uint64_t>(payload.size());
    if (size < 126) {
        frame.append(char(maskBit | char(size)));
    } else if (size <= 0xFFFF) {
        frame.append(char(maskBit | 126));
        frame.append(char(size >> 8));
        frame.append(char(size & 0xFF));
    } else {
        frame.append(char(maskBit | 127));
        for (int i = 7; i >= 0; --i)
            frame.append(char((size >> (8 * i)) & 0xFF));
    }
    const char key[4] = {0x12, 0x34, 0x56, 0x78};
    if (masked)
        frame.append(key, 4);
    for (qsizetype i = 0; i < payload.size(); ++i)
        frame.append(masked ? char(payload[i] ^ key[i % 4]) : payload[i]);
    return frame;
}

struct Read {
    std::vector<FrameReader::Message> messages;
    bool failed = false;
    std::uint16_t code = 0;
    std::size_t consumed = 0;
};

// Feeds `bytes` in pieces of `chunk` bytes, as a network might deliver them.
Read readAll(FrameReader &reader, const QByteArray &bytes, qsizetype chunk = 1 << 30)
{
    Read read;
    QByteArray pending;
    for (qsizetype at = 0; at < bytes.size(); at += chunk) {
        pending += bytes.mid(at, chunk);
        for (;;) {
            FrameReader::Message message;
            const auto step = reader.next(pending.constData(), static_cast<std::size_t>(pending.size()), message);
            pending.remove(0, static_cast<qsizetype>(step.consumed));
            read.consumed += step.consumed;
            if (step.status == FrameReader::Status::Failed) {
                read.failed = true;
                read.code = reader.failureCode();
                return read;
            }
            if (step.status == FrameReader::Status::NeedMore)
                break;
            read.messages.push_back(message);
        }
    }
    return read;
}

Read readAll(const QByteArray &bytes, qsizetype chunk = 1 << 30)
{
    FrameReader reader(64 * 1024, 64 * 1024);
    return readAll(reader, bytes, chunk);
}

QByteArray closePayload(std::uint16_t code, const QByteArray &reason = {})
{
    return QByteArray(1, char(code >> 8)) + char(code & 0xFF) + reason;
}

} // namespace

class TestWsFrame : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // RFC 6455 §5.7: "A single-frame masked text message" containing "Hello".
    void rfcExample_maskedHello()
    {
        const QByteArray bytes = QByteArray::fromHex("818537fa213d7f9f4d5158");
        const Read read = readAll(bytes);
        QVERIFY(!read.failed);
        QCOMPARE(read.messages.size(), 1u);
        QCOMPARE(read.messages[0].opcode, Opcode::Text);
        QCOMPARE(read.messages[0].payload, QByteArray("Hello"));
        QCOMPARE(read.consumed, std::size_t(bytes.size()));
    }

    void anyLength_anySplit_readsTheSame()
    {
        for (const qsizetype size : {0, 1, 125, 126, 127, 65535, 65536 - 14}) {
            QByteArray payload(size, 'x');
            for (qsizetype i = 0; i < size; ++i)
                payload[i] = char('a' + i % 26);
            const QByteArray bytes = clientFrame(0x1, payload) + clientFrame(0x1, "next");
            for (const qsizetype chunk : {qsizetype(1), qsizetype(3), qsizetype(1000), qsizetype(1) << 30}) {
                if (chunk == 1 && size > 1000)
                    continue;
                const Read read = readAll(bytes, chunk);
                QVERIFY(!read.failed);
                QCOMPARE(read.messages.size(), 2u);
                QCOMPARE(read.messages[0].payload, payload);
                QCOMPARE(read.messages[1].payload, QByteArray("next"));
            }
        }
    }

    // Fragments are put back together; control frames may come between them (§5.4).
    void fragments_withPingBetween()
    {
        const QByteArray bytes = clientFrame(0x1, "Hel", false) + clientFrame(0x9, "are you there") + clientFrame(0x0, "lo ", false)
                                 + clientFrame(0x0, "world");
        for (const qsizetype chunk : {qsizetype(1), qsizetype(1) << 30}) {
            const Read read = readAll(bytes, chunk);
            QVERIFY(!read.failed);
            QCOMPARE(read.messages.size(), 2u);
            QCOMPARE(read.messages[0].opcode, Opcode::Ping);
            QCOMPARE(read.messages[0].payload, QByteArray("are you there"));
            QCOMPARE(read.messages[1].opcode, Opcode::Text);
            QCOMPARE(read.messages[1].payload, QByteArray("Hello world"));
        }
    }

    void closeFrame_codeAndReason()
    {
        Read read = readAll(clientFrame(0x8, closePayload(4001, "bye")));
        QVERIFY(!read.failed);
        QCOMPARE(read.messages[0].opcode, Opcode::Close);
        QCOMPARE(read.messages[0].closeCode, std::uint16_t(4001));
        QCOMPARE(read.messages[0].payload, QByteArray("bye"));
        read = readAll(clientFrame(0x8, {}));
        QVERIFY(!read.failed);
        QCOMPARE(read.messages[0].closeCode, closecode::NoStatus);
    }

    void forbidden_failWithTheRightCode_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("code");
        QTest::newRow("unmasked") << clientFrame(0x1, "hi", true, false) << 1002;
        QTest::newRow("reserved bit") << clientFrame(0x1, "hi", true, true, 0x40) << 1002;
        QTest::newRow("unknown opcode") << clientFrame(0x3, "hi") << 1002;
        QTest::newRow("control too long") << clientFrame(0x9, QByteArray(126, 'p')) << 1002;
        QTest::newRow("fragmented control") << clientFrame(0x9, "p", false) << 1002;
        QTest::newRow("continuation first") << clientFrame(0x0, "lo") << 1002;
        QTest::newRow("text inside a message") << clientFrame(0x1, "a", false) + clientFrame(0x1, "b") << 1002;
        QTest::newRow("frame over the limit") << clientFrame(0x1, QByteArray(64 * 1024 + 1, 'a')) << 1009;
        QTest::newRow("message over the limit")
            << clientFrame(0x1, QByteArray(40000, 'a'), false) + clientFrame(0x0, QByteArray(40000, 'a')) << 1009;
        QTest::newRow("text not UTF-8") << clientFrame(0x1, "caf\xc3") << 1007;
        QTest::newRow("fragments not UTF-8") << clientFrame(0x1, "\xe2\x82", false) + clientFrame(0x0, "x") << 1007;
        QTest::newRow("close with one byte") << clientFrame(0x8, "\x03") << 1002;
        QTest::newRow("close 1005") << clientFrame(0x8, closePayload(1005)) << 1002;
        QTest::newRow("close 999") << clientFrame(0x8, closePayload(999)) << 1002;
        QTest::newRow("close 5000") << clientFrame(0x8, closePayload(5000)) << 1002;
        QTest::newRow("close reason not UTF-8") << clientFrame(0x8, closePayload(1000, "\xff")) << 1007;
        QByteArray huge = QByteArray::fromHex("81ff8000000000000000");   // 64-bit length with the top bit set
        QTest::newRow("length top bit") << huge << 1002;
    }

    void forbidden_failWithTheRightCode()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, code);
        FrameReader reader(64 * 1024, 64 * 1024);
        const Read read = readAll(reader, bytes);
        QVERIFY(read.failed);
        QCOMPARE(int(read.code), code);
        // Nothing more is read after a failure.
        FrameReader::Message message;
        const QByteArray good = clientFrame(0x1, "fine");
        QCOMPARE(reader.next(good.constData(), std::size_t(good.size()), message).status, FrameReader::Status::Failed);
    }

    // An oversized frame is refused at its header, before its payload is waited for.
    void oversized_refusedAtTheHeader()
    {
        const QByteArray header = QByteArray::fromHex("81ff000000004000000012345678");   // 1 GiB, masked
        const Read read = readAll(header);
        QVERIFY(read.failed);
        QCOMPARE(read.code, closecode::TooBig);
    }

    void utf8_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<bool>("valid");
        QTest::newRow("ascii") << QByteArray("plain text, long enough for the fast path") << true;
        QTest::newRow("two bytes") << QByteArray("caf\xc3\xa9") << true;
        QTest::newRow("three bytes") << QByteArray("\xe2\x82\xac") << true;
        QTest::newRow("four bytes") << QByteArray("\xf0\x9f\x98\x80 smile") << true;
        QTest::newRow("U+10FFFF") << QByteArray("\xf4\x8f\xbf\xbf") << true;
        QTest::newRow("overlong slash") << QByteArray("\xc0\xaf") << false;
        QTest::newRow("overlong three") << QByteArray("\xe0\x80\xaf") << false;
        QTest::newRow("surrogate") << QByteArray("\xed\xa0\x80") << false;
        QTest::newRow("above U+10FFFF") << QByteArray("\xf4\x90\x80\x80") << false;
        QTest::newRow("cut short") << QByteArray("abc\xe2\x82") << false;
        QTest::newRow("lone continuation") << QByteArray("abcdefgh\x80") << false;
        QTest::newRow("0xFF") << QByteArray("\xff") << false;
    }

    void utf8()
    {
        QFETCH(QByteArray, text);
        QFETCH(bool, valid);
        QCOMPARE(isValidUtf8({text.constData(), std::size_t(text.size())}), valid);
    }

    void serverFrames_unmaskedWithShortestLength()
    {
        QCOMPARE(textFrame("Hello").bytes, QByteArray::fromHex("810548656c6c6f"));
        QCOMPARE(textFrame(std::string(125, 'a')).bytes.left(2), QByteArray::fromHex("817d"));
        QCOMPARE(textFrame(std::string(126, 'a')).bytes.left(4), QByteArray::fromHex("817e007e"));
        QCOMPARE(textFrame(std::string(65535, 'a')).bytes.left(4), QByteArray::fromHex("817effff"));
        QCOMPARE(textFrame(std::string(65536, 'a')).bytes.left(10), QByteArray::fromHex("817f0000000000010000"));
        QCOMPARE(textFrame(std::string(65536, 'a')).bytes.size(), 65546);
        QCOMPARE(pingFrame().bytes, QByteArray::fromHex("8900"));
        QCOMPARE(pongFrame("abc").bytes, QByteArray::fromHex("8a03616263"));
        QCOMPARE(closeFrame(1009, "big").bytes, QByteArray::fromHex("880503f1626967"));
    }

    // A close reason is cut to fit a control frame without cutting a character in two.
    void closeReason_cutAtACharacter()
    {
        std::string reason;
        for (int i = 0; i < 60; ++i)
            reason += "\xc3\xa9";   // é, two bytes each: 120 bytes
        reason = "x" + reason + reason;
        const QByteArray frame = closeFrame(4000, reason).bytes;
        const int length = frame[1];
        QVERIFY(length <= 125);
        const QByteArray text = frame.mid(4);
        QVERIFY(isValidUtf8({text.constData(), std::size_t(text.size())}));
        QCOMPARE(text.size(), 123);
    }

    // RFC 6455 §1.3's example.
    void acceptKey_rfcExample()
    {
        QCOMPARE(acceptKey("dGhlIHNhbXBsZSBub25jZQ=="), QByteArray("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
        QVERIFY(switchingProtocols("dGhlIHNhbXBsZSBub25jZQ==").contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"));
    }

    void upgradeRequest_read()
    {
        const QByteArray request = "GET /chat HTTP/1.1\r\nhost: example\r\nupgrade: WebSocket\r\nConnection: keep-alive, Upgrade\r\n"
                                   "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nsec-websocket-version: 13\r\n"
                                   "Authorization:  Bearer abc \r\n\r\nframes follow";
        const UpgradeParse parse = parseUpgradeRequest(request, 8192);
        QCOMPARE(parse.status, UpgradeParse::Status::Complete);
        QCOMPARE(parse.headBytes, std::size_t(request.indexOf("frames follow")));
        QCOMPARE(parse.request.target, QByteArray("/chat"));
        QCOMPARE(parse.request.header("AUTHORIZATION"), QByteArray("Bearer abc"));
        QCOMPARE(parse.request.key, QByteArray("dGhlIHNhbXBsZSBub25jZQ=="));
        // Every prefix is incomplete, never an error.
        for (qsizetype n = 0; n < request.indexOf("\r\n\r\n") + 3; ++n)
            QCOMPARE(parseUpgradeRequest(request.left(n), 8192).status, UpgradeParse::Status::Incomplete);
    }

    void upgradeRequest_refused_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<int>("status");
        const QByteArray rest = "Host: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
        const int malformed = int(UpgradeParse::Status::Malformed);
        QTest::newRow("POST") << "POST / HTTP/1.1\r\n" + rest + "Sec-WebSocket-Version: 13\r\n\r\n" << malformed;
        QTest::newRow("HTTP/1.0") << "GET / HTTP/1.0\r\n" + rest + "Sec-WebSocket-Version: 13\r\n\r\n" << malformed;
        QTest::newRow("no upgrade") << QByteArray("GET / HTTP/1.1\r\nHost: h\r\n\r\n") << malformed;
        QTest::newRow("no host") << QByteArray("GET / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                               "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                                 << malformed;
        QTest::newRow("short key") << QByteArray("GET / HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                                 "Sec-WebSocket-Key: c2hvcnQ=\r\nSec-WebSocket-Version: 13\r\n\r\n")
                                   << malformed;
        QTest::newRow("folded header") << "GET / HTTP/1.1\r\n" + rest + " folded\r\nSec-WebSocket-Version: 13\r\n\r\n" << malformed;
        QTest::newRow("version 8") << "GET / HTTP/1.1\r\n" + rest + "Sec-WebSocket-Version: 8\r\n\r\n"
                                   << int(UpgradeParse::Status::WrongVersion);
        QTest::newRow("too large") << "GET / HTTP/1.1\r\n" + rest + "X: " + QByteArray(9000, 'a') << int(UpgradeParse::Status::TooLarge);
        QTest::newRow("too large, complete") << "GET / HTTP/1.1\r\n" + rest + "X: " + QByteArray(9000, 'a') + "\r\n\r\n"
                                             << int(UpgradeParse::Status::TooLarge);
        QTest::newRow("binary junk") << QByteArray("\x16\x03\x01\x02\x00\r\n\r\n", 9) << malformed;
    }

    void upgradeRequest_refused()
    {
        QFETCH(QByteArray, request);
        QFETCH(int, status);
        QCOMPARE(int(parseUpgradeRequest(request, 8192).status), status);
    }

    void refusal_isACompleteHttpResponse()
    {
        const QByteArray response = httpRefusal(426, "Upgrade Required", "v13 only\n", "Sec-WebSocket-Version: 13\r\n");
        QVERIFY(response.startsWith("HTTP/1.1 426 Upgrade Required\r\nSec-WebSocket-Version: 13\r\n"));
        QVERIFY(response.contains("Content-Length: 9\r\n"));
        QVERIFY(response.contains("Connection: close\r\n"));
        QVERIFY(response.endsWith("\r\n\r\nv13 only\n"));
    }
};

QTEST_GUILESS_MAIN(TestWsFrame)
#include "tst_wsframe.moc"
