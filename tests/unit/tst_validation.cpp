// SPDX-License-Identifier: GPL-3.0-or-later
// The field rules that app and server share.

#include "shared/limits.h"
#include "shared/validation.h"

#include <QTest>

using namespace chatterbox::protocol;

class TestValidation : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // Every emoji a picker offers passes as a reaction: with skin tones, ZWJ sequences,
    // flags, keycaps and the U+FE0F that asks a symbol to look like emoji.
    void emoji_realOnes_accepted_data()
    {
        QTest::addColumn<QByteArray>("emoji");
        QTest::newRow("thumbs up") << QByteArray("\xf0\x9f\x91\x8d");
        QTest::newRow("with a skin tone") << QByteArray("\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd");
        QTest::newRow("red heart") << QByteArray("\xe2\x9d\xa4\xef\xb8\x8f");
        QTest::newRow("flag") << QByteArray("\xf0\x9f\x87\xab\xf0\x9f\x87\xb7");
        QTest::newRow("keycap") << QByteArray("1\xef\xb8\x8f\xe2\x83\xa3");
        QTest::newRow("family") << QByteArray("\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7");
        QTest::newRow("copyright") << QByteArray("\xc2\xa9\xef\xb8\x8f");
    }
    void emoji_realOnes_accepted()
    {
        QFETCH(QByteArray, emoji);
        const auto error = chatterbox::protocol::checkEmoji(std::string_view(emoji.constData(), std::size_t(emoji.size())));
        QVERIFY2(!error, error ? error->message.c_str() : "");
    }

    void utf8_malformed_rejected_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<bool>("valid");
        QTest::newRow("ascii") << QByteArray("hello") << true;
        QTest::newRow("two-byte") << QByteArray("caf\xc3\xa9") << true;
        QTest::newRow("four-byte") << QByteArray("\xf0\x9f\x98\x80") << true;
        QTest::newRow("truncated two-byte") << QByteArray("caf\xc3") << false;
        QTest::newRow("truncated four-byte") << QByteArray("\xf0\x9f\x98") << false;
        QTest::newRow("lone continuation") << QByteArray("\x80") << false;
        QTest::newRow("overlong slash") << QByteArray("\xc0\xaf") << false;
        QTest::newRow("surrogate") << QByteArray("\xed\xa0\x80") << false;
        QTest::newRow("past U+10FFFF") << QByteArray("\xf4\x90\x80\x80") << false;
        QTest::newRow("ff byte") << QByteArray("\xff") << false;
    }
    void utf8_malformed_rejected()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(bool, valid);
        QCOMPARE(isValidUtf8(std::string_view(bytes.constData(), static_cast<std::size_t>(bytes.size()))), valid);
    }

    void codePoints_countCharactersNotBytes()
    {
        QCOMPARE(codePointCount("caf\xc3\xa9"), std::size_t(4));
        QCOMPARE(codePointCount("\xf0\x9f\x98\x80\xf0\x9f\x98\x80"), std::size_t(2));
    }

    void uuid_onlyCanonicalLowerCase()
    {
        QVERIFY(isUuid("0b7e4a0c-1f9e-4d44-8c27-7d1f5b2a9c30"));
        QVERIFY(!isUuid("0B7E4A0C-1F9E-4D44-8C27-7D1F5B2A9C30"));
        QVERIFY(!isUuid("0b7e4a0c1f9e4d448c277d1f5b2a9c30"));
        QVERIFY(!isUuid("0b7e4a0c-1f9e-4d44-8c27-7d1f5b2a9c3"));
        QVERIFY(!isUuid("0b7e4a0c-1f9e-4d44-8c27-7d1f5b2a9c3g"));
        QVERIFY(!isUuid(""));
    }

    void names_limits_enforced()
    {
        QVERIFY(!checkName("general", chatterbox::limits::kMaxNameChars, "topic name"));
        QVERIFY(!checkName(std::string(100, 'x'), chatterbox::limits::kMaxNameChars, "topic name"));
        QVERIFY(checkName(std::string(101, 'x'), chatterbox::limits::kMaxNameChars, "topic name"));
        // 100 characters of 4 bytes each is still 100 characters.
        std::string emoji;
        for (int i = 0; i < 100; ++i)
            emoji += "\xf0\x9f\x98\x80";
        QVERIFY(!checkName(emoji, chatterbox::limits::kMaxNameChars, "topic name"));
        QVERIFY(checkName("", chatterbox::limits::kMaxNameChars, "topic name"));
        QVERIFY(checkName("tab\there", chatterbox::limits::kMaxNameChars, "topic name"));
        QVERIFY(checkName("line\xe2\x80\xa8sep", chatterbox::limits::kMaxNameChars, "topic name"));
        const auto error = checkName(std::string(101, 'x'), chatterbox::limits::kMaxNameChars, "topic name");
        QCOMPARE(error->code, ErrorCode::InvalidRequest);
        QVERIFY(error->message.find("topic name") != std::string::npos);
    }

    void namesAndBodies_ofNothingVisible_refused_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("three zero-width spaces") << QByteArray("\xe2\x80\x8b\xe2\x80\x8b\xe2\x80\x8b");
        QTest::newRow("no-break spaces") << QByteArray("\xc2\xa0\xc2\xa0");
        QTest::newRow("ideographic space") << QByteArray("\xe3\x80\x80");
        QTest::newRow("byte order marks") << QByteArray("\xef\xbb\xbf\xef\xbb\xbf");
        QTest::newRow("bidi override and pop") << QByteArray("\xe2\x80\xae\xe2\x80\xac");
        QTest::newRow("joiners and marks") << QByteArray("\xe2\x80\x8d\xe2\x80\x8e\xe2\x80\x8f\xe2\x81\xa0");
        QTest::newRow("isolates") << QByteArray("\xe2\x81\xa6\xe2\x81\xa9");
        QTest::newRow("variation selector") << QByteArray("\xef\xb8\x8f");
        QTest::newRow("hangul filler") << QByteArray("\xe3\x85\xa4");
        QTest::newRow("tag characters") << QByteArray("\xf3\xa0\x80\x81\xf3\xa0\x81\xbf");
        QTest::newRow("soft hyphen and spaces") << QByteArray("\xc2\xad \xe2\x80\x83 ");
        QTest::newRow("braille blank") << QByteArray("\xe2\xa0\x80");
    }

    void namesAndBodies_ofNothingVisible_refused()
    {
        QFETCH(QByteArray, text);
        const auto name = checkName(text.toStdString(), chatterbox::limits::kMaxNameChars, "display name");
        QVERIFY(name);
        QCOMPARE(name->code, ErrorCode::InvalidRequest);
        QVERIFY(checkBody(text.toStdString()));
        // With one visible character among them, they are a name and a message.
        QVERIFY(!checkName(("A" + text).toStdString(), chatterbox::limits::kMaxNameChars, "display name"));
        QVERIFY(!checkBody((text + "!").toStdString()));
    }

    void trimmed_removesOuterWhitespaceOnly()
    {
        QCOMPARE(trimmed("  a b \n"), std::string("a b"));
        QCOMPARE(trimmed("   "), std::string());
    }
};

QTEST_GUILESS_MAIN(TestValidation)
#include "tst_validation.moc"
