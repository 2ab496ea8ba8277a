// SPDX-License-Identifier: GPL-3.0-or-later
// Token building blocks checked against published test vectors.

#include "server/auth/crypto.h"

#include <QTest>

using namespace chatterbox::server::crypto;

namespace {
QByteArray hex(const std::string &bytes)
{
    return QByteArray::fromStdString(bytes).toHex();
}
} // namespace

class TestCrypto : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void base64Url_rfc4648Vectors()
    {
        QCOMPARE(base64UrlEncode(""), std::string(""));
        QCOMPARE(base64UrlEncode("f"), std::string("Zg"));
        QCOMPARE(base64UrlEncode("fo"), std::string("Zm8"));
        QCOMPARE(base64UrlEncode("foo"), std::string("Zm9v"));
        QCOMPARE(base64UrlEncode("foob"), std::string("Zm9vYg"));
        QCOMPARE(base64UrlEncode("\xfb\xff"), std::string("-_8"));
        QCOMPARE(*base64UrlDecode("Zm9vYmFy"), std::string("foobar"));
        QCOMPARE(*base64UrlDecode("-_8"), std::string("\xfb\xff"));
    }

    void base64Url_badInput_rejected()
    {
        QVERIFY(!base64UrlDecode("Zm9v+"));
        QVERIFY(!base64UrlDecode("Zm9v="));
        QVERIFY(!base64UrlDecode("a"));
    }

    void hmacSha256_rfc4231Case2()
    {
        QCOMPARE(hex(hmacSha256("Jefe", "what do ya want for nothing?")),
                 QByteArray("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"));
    }

    void sha256_knownDigest()
    {
        QCOMPARE(hex(sha256("abc")), QByteArray("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    }

    void randomBytes_differ()
    {
        QCOMPARE(randomBytes(32).size(), std::size_t(32));
        QVERIFY(randomBytes(32) != randomBytes(32));
    }

    void constantTimeEquals_comparesAllBytes()
    {
        QVERIFY(constantTimeEquals("abc", "abc"));
        QVERIFY(!constantTimeEquals("abc", "abd"));
        QVERIFY(!constantTimeEquals("abc", "ab"));
    }
};

QTEST_GUILESS_MAIN(TestCrypto)
#include "tst_crypto.moc"
