// SPDX-License-Identifier: GPL-3.0-or-later
// The emoji table generated from Unicode's data, searched as the picker and :shortcode:
// completion search it, and message permalinks, parsed strictly as links from outside are.

#include "app/core/emoji/emojicatalog.h"
#include "app/core/messagelink.h"
#include "shared/validation.h"

#include <QTest>

using namespace chatterbox::app;

class TestEmojiAndLinks : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void catalog_isUnicodesWholeList()
    {
        const auto &catalog = EmojiCatalog::instance();
        QVERIFY(catalog.all().size() > 1800);   // Emoji 15.0 has 1870 without skin-tone forms
        QCOMPARE(catalog.groups().first(), QStringLiteral("Smileys & Emotion"));
        QCOMPARE(catalog.groups().last(), QStringLiteral("Flags"));
        QCOMPARE(catalog.all().front().text, QStringLiteral("\U0001F600"));
        const Emoji *thumbs = catalog.byShortcode(QStringLiteral("thumbs_up"));
        QVERIFY(thumbs);
        QCOMPARE(thumbs->text, QStringLiteral("\U0001F44D"));
        QCOMPARE(thumbs->tones.size(), 5);
        QCOMPARE(thumbs->withTone(3), QStringLiteral("\U0001F44D\U0001F3FD"));
        QCOMPARE(catalog.find(QStringLiteral("\U0001F44D\U0001F3FF")), thumbs);   // found in any tone
        QVERIFY(thumbs->keywords.contains(QStringLiteral("+1")));   // CLDR's keywords
        QVERIFY(catalog.byShortcode(QStringLiteral("red_heart")));
        QCOMPARE(catalog.byShortcode(QStringLiteral("red_heart"))->text, QStringLiteral("\u2764\uFE0F"));   // fully qualified
        QVERIFY(catalog.byShortcode(QStringLiteral("flag_france")));
        QVERIFY(catalog.byShortcode(QStringLiteral("grinning_face"))->tones.isEmpty());
        // Two-person forms with mixed tones are not separate entries.
        for (const auto &e : catalog.all())
            QVERIFY2(!e.name.contains(QStringLiteral("skin tone")), qPrintable(e.name));
    }

    // What the picker offers, the server accepts as a reaction: every emoji in every tone.
    void catalog_everyEmojiPassesTheServersCheck()
    {
        int checked = 0;
        for (const auto &e : EmojiCatalog::instance().all()) {
            QStringList forms{e.text};
            forms += e.tones;
            for (const QString &form : forms) {
                const QByteArray utf8 = form.toUtf8();
                const auto error = chatterbox::protocol::checkEmoji(std::string_view(utf8.constData(), std::size_t(utf8.size())));
                QVERIFY2(!error, qPrintable(e.name + QStringLiteral(": ") + QString::fromStdString(error ? error->message : std::string())));
                ++checked;
            }
        }
        QVERIFY(checked > 3000);
    }

    void search_shortcodeThenNameThenKeyword()
    {
        const auto &catalog = EmojiCatalog::instance();
        QCOMPARE(catalog.search(QStringLiteral("thumbs_u")).front()->text, QStringLiteral("\U0001F44D"));
        QCOMPARE(catalog.search(QStringLiteral("THUMBS up")).front()->text, QStringLiteral("\U0001F44D"));
        const auto joy = catalog.search(QStringLiteral("joy"));
        QVERIFY(!joy.empty());
        bool tears = false;
        for (const auto *e : joy)
            tears = tears || e->text == QStringLiteral("\U0001F602");
        QVERIFY(tears);   // "face with tears of joy", by its name
        QVERIFY(catalog.search(QStringLiteral("zzqqxx")).empty());
        QVERIFY(catalog.search(QString()).empty());
        QCOMPARE(int(catalog.search(QStringLiteral("a"), 5).size()), 5);
    }

    void messageLink_roundTripsBothForms()
    {
        MessageLink link;
        link.server = QUrl(QStringLiteral("https://chat.example.org/"));
        link.partyId = QStringLiteral("8a1c4a52-5e43-4c59-9a53-2f4a0d0b7e11");
        link.topicId = QStringLiteral("0b7e4a0c-1f9e-4d44-8c27-7d1f5b2a9c30");
        link.seq = 42;
        for (const QUrl &url : {link.appUrl(), link.pageUrl()}) {
            QVERIFY(looksLikeMessageLink(url.toString()));
            const MessageLink parsed = parseMessageLink(url.toString(QUrl::FullyEncoded));
            QVERIFY2(parsed.ok(), qPrintable(url.toString() + QStringLiteral(": ") + parsed.error));
            QCOMPARE(parsed.partyId, link.partyId);
            QCOMPARE(parsed.topicId, link.topicId);
            QCOMPARE(parsed.seq, qint64(42));
            QCOMPARE(parsed.server.host(), QStringLiteral("chat.example.org"));
        }
        QCOMPARE(link.pageUrl().toString(), QStringLiteral("https://chat.example.org/message/%1/%2/42").arg(link.partyId, link.topicId));
    }

    void messageLink_hostile_refusedWithAReason_data()
    {
        QTest::addColumn<QString>("text");
        const QString ids = QStringLiteral("party=8a1c4a52-5e43-4c59-9a53-2f4a0d0b7e11&topic=0b7e4a0c-1f9e-4d44-8c27-7d1f5b2a9c30");
        const QString server = QStringLiteral("server=https%3A%2F%2Fchat.example.org");
        QTest::newRow("javascript server") << QStringLiteral("chatterbox://message?server=javascript%3Aalert(1)&") + ids + QStringLiteral("&seq=1");
        QTest::newRow("no seq") << QStringLiteral("chatterbox://message?") + server + QLatin1Char('&') + ids;
        QTest::newRow("seq zero") << QStringLiteral("chatterbox://message?") + server + QLatin1Char('&') + ids + QStringLiteral("&seq=0");
        QTest::newRow("seq not a number") << QStringLiteral("chatterbox://message?") + server + QLatin1Char('&') + ids + QStringLiteral("&seq=1e9");
        QTest::newRow("seq huge") << QStringLiteral("chatterbox://message?") + server + QLatin1Char('&') + ids + QStringLiteral("&seq=99999999999999999999");
        QTest::newRow("party not an id") << QStringLiteral("chatterbox://message?") + server + QStringLiteral("&party=x&topic=0b7e4a0c-1f9e-4d44-8c27-7d1f5b2a9c30&seq=1");
        QTest::newRow("server with user") << QStringLiteral("chatterbox://message?server=https%3A%2F%2Fa%40evil.example&") + ids + QStringLiteral("&seq=1");
        QTest::newRow("page with dots") << QStringLiteral("https://chat.example.org/%2E%2E/message/8a1c4a52-5e43-4c59-9a53-2f4a0d0b7e11/0b7e4a0c-1f9e-4d44-8c27-7d1f5b2a9c30/1");
        QTest::newRow("page too short") << QStringLiteral("https://chat.example.org/message/8a1c4a52-5e43-4c59-9a53-2f4a0d0b7e11/1");
        QTest::newRow("page with query") << QStringLiteral("https://chat.example.org/message/8a1c4a52-5e43-4c59-9a53-2f4a0d0b7e11/0b7e4a0c-1f9e-4d44-8c27-7d1f5b2a9c30/1?x=1");
        QTest::newRow("spaces") << QStringLiteral("chatterbox://message?server=a b");
        QTest::newRow("far too long") << QStringLiteral("chatterbox://message?") + QString(5000, QLatin1Char('a'));
        QTest::newRow("ftp") << QStringLiteral("ftp://chat.example.org/message/a/b/1");
    }
    void messageLink_hostile_refusedWithAReason()
    {
        QFETCH(QString, text);
        const MessageLink link = parseMessageLink(text);
        QVERIFY(!link.ok());
        QVERIFY(!link.error.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestEmojiAndLinks)
#include "tst_emojiandlinks.moc"
