// SPDX-License-Identifier: GPL-3.0-or-later
// The app's widget-level pieces on their own: message rendering (and what a hostile message
// cannot make it do), invite links as people paste them (and as attackers craft them), the
// composer's keys, the quick switcher's matching, and avatars (initials, colours that are the
// same in every process).

#include "app/core/invitelink.h"
#include "app/core/destinations.h"
#include "app/core/displaytext.h"
#include "app/core/models/partylistmodel.h"
#include "app/platform/autostart.h"
#include "app/ui/composer.h"
#include "app/ui/avatar.h"
#include "app/ui/emoji.h"
#include "app/ui/messagedocument.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QCompleter>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QSignalSpy>
#include <QTest>
#include <QTextBlock>
#include <QTextDocument>
#include <QTextFragment>
#include <QTextLayout>
#include <QTextFrame>
#include <QAbstractTextDocumentLayout>
#include <QFontDatabase>
#include <QPainter>
#include <QTextCursor>
#include <QtMath>

#include <cstdio>

using namespace chatterbox;

namespace {

struct Rendered {
    QFont font;
    QPalette palette;
    std::unique_ptr<QTextDocument> doc;
    static inline const QColor kCodeTint{0xee, 0xef, 0xf3};
    static inline const QColor kPill{0xe3, 0xdf, 0xff};
    static inline const QColor kMyPill{0xff, 0xe2, 0x8a};

    explicit Rendered(const QString &body, bool edited = false, const QStringList &mentioned = {})
    {
        ui::MessageStyle style{&font, &palette, QColor(Qt::gray), kCodeTint, kPill, kMyPill, mentioned, QStringLiteral("Dana Kim")};
        doc = ui::renderMessage(body, style, edited);
    }

    // The background of the characters of the first place text is found.
    QColor backgroundOf(const QString &text) const
    {
        QTextCursor found = doc->find(text);
        if (found.isNull())
            return {};
        QTextCursor one(doc.get());
        one.setPosition(found.selectionStart() + 1);
        const QBrush brush = one.charFormat().background();
        return brush.style() == Qt::NoBrush ? QColor() : brush.color();
    }

    template <typename Predicate>
    bool anyFragment(Predicate predicate) const
    {
        for (QTextBlock b = doc->begin(); b.isValid(); b = b.next()) {
            for (auto it = b.begin(); !it.atEnd(); ++it) {
                if (predicate(it.fragment()))
                    return true;
            }
        }
        return false;
    }

    QStringList anchors() const
    {
        QStringList out;
        anyFragment([&](const QTextFragment &f) {
            if (f.charFormat().isAnchor())
                out << f.charFormat().anchorHref();
            return false;
        });
        return out;
    }
};

const QString kCode = QStringLiteral("AbCdEfGhIjKlMnOpQrSt_-");   // 22 URL-safe base64 characters

} // namespace

class TestUiUnits : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void markdown_rendersEmphasisCodeAndLinks()
    {
        Rendered r(QStringLiteral("**bold** and `code` and https://example.org/page"));
        QCOMPARE(r.doc->toPlainText(), QStringLiteral("bold and code and https://example.org/page"));
        QVERIFY(r.anyFragment([](const QTextFragment &f) { return f.text() == QLatin1String("bold") && f.charFormat().fontWeight() >= QFont::Bold; }));
        QVERIFY(r.anyFragment([](const QTextFragment &f) {
            return f.text() == QLatin1String("code") && f.charFormat().fontFixedPitch() && f.charFormat().background().style() != Qt::NoBrush;
        }));
        QCOMPARE(r.anchors(), QStringList{QStringLiteral("https://example.org/page")});
    }

    void markdown_codeBlocksSitInATintedMonospaceBox()
    {
        Rendered r(QStringLiteral("Try this:\n\n```cpp\nint answer = 42;\nreturn answer;\n```\n\nand `inline` too"));
        const QString mono = QFontDatabase::systemFont(QFontDatabase::FixedFont).family();
        // The two lines of the block share one box with the tint, apart from the rest.
        const QTextCursor line = r.doc->find(QStringLiteral("int answer"));
        QVERIFY(!line.isNull());
        QTextFrame *box = line.currentFrame();
        QVERIFY(box && box != r.doc->rootFrame());
        QCOMPARE(box->frameFormat().background().color(), Rendered::kCodeTint);
        QVERIFY(box->frameFormat().padding() > 0);
        QCOMPARE(r.doc->find(QStringLiteral("return answer")).currentFrame(), box);
        QCOMPARE(r.doc->find(QStringLiteral("Try this")).currentFrame(), r.doc->rootFrame());
        QCOMPARE(QTextCursor(r.doc->find(QStringLiteral("int answer"))).charFormat().fontFamilies().toStringList().value(0), mono);
        // Inline code: tinted, monospace, in the text's colour, not boxed.
        QCOMPARE(r.backgroundOf(QStringLiteral("inline")), Rendered::kCodeTint);
        QCOMPARE(r.doc->find(QStringLiteral("inline")).currentFrame(), r.doc->rootFrame());
    }

    void markdown_quotesHaveABar()
    {
        Rendered r(QStringLiteral("> someone said\n>> and before that\n\nmy answer"));
        QTextBlock quote = r.doc->find(QStringLiteral("someone said")).block();
        QCOMPARE(quote.blockFormat().intProperty(QTextFormat::BlockQuoteLevel), 1);
        QVERIFY(quote.blockFormat().leftMargin() >= 8 && quote.blockFormat().leftMargin() <= 20);
        r.doc->setTextWidth(400);
        QImage image(400, qCeil(r.doc->size().height()), QImage::Format_ARGB32);
        image.fill(Qt::white);
        QPainter painter(&image);
        ui::paintQuoteBars(painter, *r.doc, Qt::blue);
        painter.end();
        const int quoteY = qRound(r.doc->documentLayout()->blockBoundingRect(quote).center().y());
        const int answerY = qRound(r.doc->documentLayout()->blockBoundingRect(r.doc->find(QStringLiteral("my answer")).block()).center().y());
        QCOMPARE(image.pixelColor(1, quoteY), QColor(Qt::blue));
        QCOMPARE(image.pixelColor(1, answerY), QColor(Qt::white));
    }

    void mentions_areHighlighted_mineMoreStrongly()
    {
        Rendered r(QStringLiteral("@Ann Lee and @Dana Kim, not @Anne or @Bob"), false,
                   {QStringLiteral("Ann Lee"), QStringLiteral("Dana Kim"), QStringLiteral("Ann")});
        QCOMPARE(r.backgroundOf(QStringLiteral("@Ann Lee")), Rendered::kPill);
        QCOMPARE(r.backgroundOf(QStringLiteral("@Dana Kim")), Rendered::kMyPill);
        QCOMPARE(r.backgroundOf(QStringLiteral("@Anne")), QColor());   // "@Ann" is a mention, "@Anne" another word
        QCOMPARE(r.backgroundOf(QStringLiteral("@Bob")), QColor());    // not someone the message mentions
        // Markdown messages too.
        Rendered md(QStringLiteral("**hey** @Dana Kim, see `this`"), false, {QStringLiteral("Dana Kim")});
        QCOMPARE(md.backgroundOf(QStringLiteral("@Dana Kim")), Rendered::kMyPill);
    }

    void names_inABidiIsolate_cannotReorderWhatFollows()
    {
        // A name that starts a right-to-left override and never ends it.
        const QString name = QStringLiteral("\u202Eevil");
        const auto firstWordAfter = [](const QString &line) {
            QTextLayout layout(line, QApplication::font());
            layout.beginLayout();
            QTextLine textLine = layout.createLine();
            textLine.setLineWidth(2000);
            layout.endLayout();
            const int is = static_cast<int>(line.indexOf(QStringLiteral("is typing")));
            qreal nameRight = 0;
            for (int i = 0; i < is - 1; ++i)
                nameRight = std::max(nameRight, textLine.cursorToX(i));
            // Where "is" starts, against the farthest right edge of the name's letters.
            return textLine.cursorToX(is) - nameRight;
        };
        // Without an isolate the override reverses the rest of the line too ...
        QVERIFY(firstWordAfter(QStringLiteral("%1 is typing").arg(name)) < 0);
        // ... inside one, the words after the name stay after it, left to right.
        QVERIFY(firstWordAfter(QStringLiteral("%1 is typing").arg(app::isolated(name))) > 0);
        QCOMPARE(app::isolated(QStringLiteral("Ann")), QStringLiteral("\u2068Ann\u2069"));
        QCOMPARE(app::withoutMnemonics(QStringLiteral("Tom & Jerry")), QStringLiteral("Tom && Jerry"));
        QVERIFY(app::plainToolTip(QStringLiteral("<img src=x>")).contains(QStringLiteral("&lt;img src=x&gt;")));
    }

    void emoji_findsSequences_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("emoji");
        QTest::newRow("face") << QStringLiteral("hi 😀 there") << QStringList{QStringLiteral("😀")};
        QTest::newRow("skin tone") << QStringLiteral("👍🏽 ok") << QStringList{QStringLiteral("👍🏽")};
        QTest::newRow("zwj family") << QStringLiteral("👩‍👩‍👧!") << QStringList{QStringLiteral("👩‍👩‍👧")};
        QTest::newRow("flag") << QStringLiteral("go 🇳🇿🇫🇷") << QStringList{QStringLiteral("🇳🇿"), QStringLiteral("🇫🇷")};
        QTest::newRow("heart with VS16") << QStringLiteral("❤️ and ❤") << QStringList{QStringLiteral("❤️")};
        QTest::newRow("keycap") << QStringLiteral("press 1️⃣ then 2") << QStringList{QStringLiteral("1️⃣")};
        QTest::newRow("none") << QStringLiteral("plain ASCII #1, (c) 2026") << QStringList{};
    }

    void emoji_findsSequences()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, emoji);
        QStringList found;
        for (const auto &[start, end] : ui::emojiRanges(text))
            found << text.mid(start, end - start);
        QCOMPARE(found, emoji);
    }

    void emoji_drawnFromTheColourFont()
    {
        // install-deps brings fonts-noto-color-emoji; the app package depends on it.
        QCOMPARE(ui::colorEmojiFamily(), QStringLiteral("Noto Color Emoji"));
        Rendered r(QStringLiteral("party ❤️ 🎉 time"));
        QTextCursor heart = r.doc->find(QStringLiteral("❤️"));
        QVERIFY(!heart.isNull());
        QTextCursor inside(r.doc.get());
        inside.setPosition(heart.selectionStart() + 1);
        QCOMPARE(inside.charFormat().fontFamilies().toStringList().value(0), QStringLiteral("Noto Color Emoji"));
        QTextCursor word(r.doc.get());
        word.setPosition(r.doc->find(QStringLiteral("party")).selectionStart() + 1);
        QVERIFY(!word.charFormat().fontFamilies().toStringList().contains(QStringLiteral("Noto Color Emoji")));
    }

    void markdown_plainTextStaysPlain()
    {
        Rendered r(QStringLiteral("just a line, nothing special"));
        QCOMPARE(r.doc->toPlainText(), QStringLiteral("just a line, nothing special"));
    }

    void hostile_htmlIsShownAsText()
    {
        const QString body = QStringLiteral("<b>not bold</b> <img src=\"file:///etc/passwd\"> <script>alert(1)</script>");
        Rendered r(body);
        QVERIFY2(r.doc->toPlainText().contains(QStringLiteral("<b>not bold</b>")), qPrintable(r.doc->toPlainText()));
        QVERIFY(r.doc->toPlainText().contains(QStringLiteral("<script>alert(1)</script>")));
        QVERIFY(!r.anyFragment([](const QTextFragment &f) { return f.charFormat().isImageFormat(); }));
        QVERIFY(!r.anyFragment([](const QTextFragment &f) { return f.charFormat().fontWeight() >= QFont::Bold; }));
    }

    void hostile_imagesAreNeverLoaded_data()
    {
        QTest::addColumn<QString>("body");
        QTest::addColumn<QString>("shown");
        QTest::addColumn<QStringList>("links");
        const QString passwd = QStringLiteral("file:///etc/passwd");
        const QString pixel = QStringLiteral("https://tracker.example/pixel.png");
        QTest::newRow("two") << QStringLiteral("![secret](file:///etc/passwd) ![remote](https://tracker.example/pixel.png)")
                             << QStringLiteral("secret remote") << QStringList{passwd, pixel};
        // Found by fuzzing: the sender's own backslash used to undo the app's escape of "![".
        QTest::newRow("escaped by the sender") << QStringLiteral("\\![remote](https://tracker.example/pixel.png)")
                                               << QStringLiteral("!remote") << QStringList{pixel};
        QTest::newRow("adjacent") << QStringLiteral("![a](https://tracker.example/pixel.png)![b](file:///etc/passwd)")
                                  << QStringLiteral("ab") << QStringList{pixel, passwd};
        QTest::newRow("reference") << QStringLiteral("![ref][r]\n\n[r]: https://tracker.example/pixel.png")
                                   << QStringLiteral("ref") << QStringList{pixel};
        QTest::newRow("in code, as written") << QStringLiteral("`![x](y)`") << QStringLiteral("![x](y)") << QStringList{};
    }

    void hostile_imagesAreNeverLoaded()
    {
        QFETCH(QString, body);
        QFETCH(QString, shown);
        QFETCH(QStringList, links);
        Rendered r(body);
        QVERIFY(!r.anyFragment([](const QTextFragment &f) { return f.charFormat().isImageFormat(); }));
        QCOMPARE(r.doc->toPlainText(), shown);
        QCOMPARE(r.anchors(), links);
        // The document itself refuses to load anything a message names.
        QVERIFY(!r.doc->resource(QTextDocument::ImageResource, QUrl(QStringLiteral("file:///etc/passwd"))).isValid());
    }

    void hostile_linksToFilesAndProgramsAreNotOpenable()
    {
        Rendered r(QStringLiteral("[click](file:///etc/passwd) [run](javascript:alert(1)) [ok](https://example.org)"));
        for (const QString &href : r.anchors()) {
            const bool web = href.startsWith(QLatin1String("https://"));
            QCOMPARE(ui::isOpenableLink(QUrl(href)), web);
        }
        QVERIFY(ui::isOpenableLink(QUrl(QStringLiteral("mailto:someone@example.org"))));
        QVERIFY(ui::isOpenableLink(QUrl(QStringLiteral("chatterbox://invite?server=https://a.example&code=") + kCode)));
        for (const char *bad : {"file:///etc/passwd", "javascript:alert(1)", "smb://host/share", "ssh://host", "", "data:text/html,hi"})
            QVERIFY2(!ui::isOpenableLink(QUrl(QString::fromLatin1(bad))), bad);
    }

    void hostile_hugeAndDeeplyNestedMarkdownRenders()
    {
        Rendered nested(QString(2000, QLatin1Char('>')) + QStringLiteral(" deep") + QString(2000, QLatin1Char('*')));
        QVERIFY(nested.doc->characterCount() > 0);
        Rendered wide(QString(4000, QLatin1Char('[')) + QString(4000, QLatin1Char(']')));
        QVERIFY(wide.doc->characterCount() > 0);
    }

    void edited_addsMarker()
    {
        Rendered r(QStringLiteral("changed my mind"), true);
        QVERIFY(r.doc->toPlainText().endsWith(QStringLiteral("(edited)")));
    }

    void inviteLink_acceptsBothForms()
    {
        auto page = app::parseInviteLink(QStringLiteral("https://chat.example.org/invite/") + kCode);
        QVERIFY2(page.ok(), qPrintable(page.error));
        QCOMPARE(page.server, QUrl(QStringLiteral("https://chat.example.org")));
        QCOMPARE(page.code, kCode);

        auto sub = app::parseInviteLink(QStringLiteral("  https://example.org/chat/invite/") + kCode + QStringLiteral("\n"));
        QVERIFY2(sub.ok(), qPrintable(sub.error));
        QCOMPARE(sub.server, QUrl(QStringLiteral("https://example.org/chat")));

        auto app = app::parseInviteLink(QStringLiteral("chatterbox://invite?server=http%3A%2F%2F127.0.0.1%3A8080&code=") + kCode);
        QVERIFY2(app.ok(), qPrintable(app.error));
        QCOMPARE(app.server, QUrl(QStringLiteral("http://127.0.0.1:8080")));
        QCOMPARE(app.code, kCode);
    }

    // Found by fuzzing: the server's path was decoded and encoded again, so %2F became a
    // separator and a broken escape became U+FFFD, naming a server the link did not name.
    void inviteLink_keepsTheServersPathAsWritten_data()
    {
        QTest::addColumn<QString>("server");
        QTest::newRow("encoded slash") << QStringLiteral("https://chat.example.org/a%2Fb");
        QTest::newRow("broken escape") << QStringLiteral("https://chat.example.org/a/%1E%E2");
        QTest::newRow("encoded space") << QStringLiteral("https://chat.example.org/my%20chat");
    }

    void inviteLink_keepsTheServersPathAsWritten()
    {
        QFETCH(QString, server);
        const auto link = app::parseInviteLink(server + QStringLiteral("/invite/") + kCode);
        QVERIFY2(link.ok(), qPrintable(link.error));
        QCOMPARE(link.server.toString(QUrl::FullyEncoded), server);
        const auto again = app::parseInviteLink(link.server.toString(QUrl::FullyEncoded) + QStringLiteral("/invite/") + kCode);
        QVERIFY2(again.ok(), qPrintable(again.error));
        QCOMPARE(again.server, link.server);
    }

    void inviteLink_refusesHostileInput_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("empty") << QString();
        QTest::newRow("qt option") << QStringLiteral("-platformpluginpath /tmp/evil");
        QTest::newRow("qt option as url") << QStringLiteral("chatterbox://invite?server=-platformpluginpath&code=") + kCode;
        QTest::newRow("file server") << QStringLiteral("chatterbox://invite?server=file:///etc&code=") + kCode;
        QTest::newRow("traversal") << QStringLiteral("https://chat.example.org/../invite/") + kCode;
        QTest::newRow("traversal in server") << QStringLiteral("chatterbox://invite?server=https://a.example/../../x&code=") + kCode;
        QTest::newRow("user info") << QStringLiteral("https://user:pass@chat.example.org/invite/") + kCode;
        QTest::newRow("query") << QStringLiteral("https://chat.example.org/invite/") + kCode + QStringLiteral("?x=1");
        QTest::newRow("64 KB") << QStringLiteral("https://chat.example.org/invite/") + QString(64 * 1024, QLatin1Char('A'));
        QTest::newRow("space") << QStringLiteral("https://chat.example.org/invite/AbCd EfGhIjKlMnOpQrSt_-");
        QTest::newRow("unicode") << QStringLiteral("https://chat.example.org/invite/AbCdEfGhIjKlMnOpQrSt_\u00e9");
        QTest::newRow("control") << QStringLiteral("https://chat.example.org/invite/\x01") + kCode;
        QTest::newRow("short code") << QStringLiteral("https://chat.example.org/invite/AbCd");
        QTest::newRow("bad code chars") << QStringLiteral("https://chat.example.org/invite/AbCdEfGhIjKlMnOpQrSt%2F");
        QTest::newRow("other scheme") << QStringLiteral("javascript:alert(1)");
        QTest::newRow("not an invite") << QStringLiteral("chatterbox://settings?x=1");
        QTest::newRow("no server") << QStringLiteral("chatterbox://invite?code=") + kCode;
        QTest::newRow("web page") << QStringLiteral("https://chat.example.org/about");
    }

    void inviteLink_refusesHostileInput()
    {
        QFETCH(QString, text);
        const auto link = app::parseInviteLink(text);
        QVERIFY2(!link.ok(), qPrintable(text.left(80)));
        QVERIFY(!link.error.isEmpty());
        QVERIFY(link.code.isEmpty() || link.server.isEmpty() || !link.ok());
    }

    void composer_enterSendsShiftEnterBreaksLine()
    {
        ui::Composer composer;
        QSignalSpy submitted(&composer, &ui::Composer::submitted);
        composer.show();
        QTest::keyClicks(&composer, QStringLiteral("line one"));
        QTest::keyClick(&composer, Qt::Key_Return, Qt::ShiftModifier);
        QTest::keyClicks(&composer, QStringLiteral("line two"));
        QTest::keyClick(&composer, Qt::Key_Return);
        QCOMPARE(submitted.count(), 1);
        QCOMPARE(submitted.at(0).at(0).toString(), QStringLiteral("line one\nline two"));
        QVERIFY(composer.toPlainText().isEmpty());
        QTest::keyClick(&composer, Qt::Key_Return);   // nothing to send
        QCOMPARE(submitted.count(), 1);
    }

    void composer_upEditsLastAndEscapeCancels()
    {
        ui::Composer composer;
        QSignalSpy editLast(&composer, &ui::Composer::editLastRequested);
        QSignalSpy edited(&composer, &ui::Composer::editSubmitted);
        composer.show();
        QTest::keyClick(&composer, Qt::Key_Up);
        QCOMPARE(editLast.count(), 1);
        composer.beginEdit(QStringLiteral("m1"), QStringLiteral("old text"));
        QVERIFY(composer.isEditing());
        QTest::keyClick(&composer, Qt::Key_Escape);
        QVERIFY(!composer.isEditing());
        QVERIFY(composer.toPlainText().isEmpty());
        composer.beginEdit(QStringLiteral("m1"), QStringLiteral("old text"));
        QTest::keyClicks(&composer, QStringLiteral(", new"));
        QTest::keyClick(&composer, Qt::Key_Return);
        QCOMPARE(edited.count(), 1);
        QCOMPARE(edited.at(0).at(1).toString(), QStringLiteral("old text, new"));
    }

    void composer_atCompletesMemberNames()
    {
        ui::Composer composer;
        composer.setMemberNames({QStringLiteral("Bob Okafor"), QStringLiteral("Carol Liu")});
        composer.show();
        QVERIFY(QTest::qWaitForWindowExposed(&composer));
        QTest::keyClicks(&composer, QStringLiteral("hi @bo"));
        QVERIFY(composer.completer()->popup()->isVisible());
        QTest::keyClick(composer.completer()->popup(), Qt::Key_Return);
        QCOMPARE(composer.toPlainText(), QStringLiteral("hi @Bob Okafor "));
        // An e-mail address is not a mention.
        composer.clear();
        QTest::keyClicks(&composer, QStringLiteral("mail bob@ca"));
        QVERIFY(!composer.completer()->popup()->isVisible());
    }

    void composer_refusesTooLongWithAReason()
    {
        ui::Composer composer;
        QSignalSpy submitted(&composer, &ui::Composer::submitted);
        QSignalSpy problem(&composer, &ui::Composer::problem);
        composer.setPlainText(QString(4001, QLatin1Char('x')));
        QTest::keyClick(&composer, Qt::Key_Return);
        QCOMPARE(submitted.count(), 0);
        QCOMPARE(problem.count(), 1);
        QVERIFY(problem.at(0).at(0).toString().contains(QStringLiteral("4000")));
        QCOMPARE(composer.toPlainText().size(), 4001);   // nothing the person wrote is lost
    }

    void composer_typingIsThrottled()
    {
        ui::Composer composer;
        QSignalSpy typing(&composer, &ui::Composer::typing);
        QTest::keyClicks(&composer, QStringLiteral("hello there"));
        QCOMPARE(typing.count(), 1);
    }

    void autostart_writesAndRemovesTheXdgEntry()
    {
        QTemporaryDir config;
        qputenv("XDG_CONFIG_HOME", config.path().toLocal8Bit());
        const QString entry = config.filePath(QStringLiteral("autostart/chatterbox.desktop"));
        QVERIFY(!platform::startsAtLogin());
        QCOMPARE(platform::setStartAtLogin(true, true), QString());
        QVERIFY(platform::startsAtLogin());
        QFile file(entry);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(file.readAll());
        QVERIFY(text.startsWith(QStringLiteral("[Desktop Entry]\n")));
        QVERIFY2(text.contains(QStringLiteral("Exec=\"") + QCoreApplication::applicationFilePath() + QStringLiteral("\" --minimized\n")), qPrintable(text));
        QCOMPARE(platform::setStartAtLogin(false, false), QString());
        QVERIFY(!QFile::exists(entry));
        qunsetenv("XDG_CONFIG_HOME");
    }

    void avatarColours_sameInAnotherProcess()
    {
        const QStringList ids{QStringLiteral("8a1c4a52-0b7e-4a0c-9d1e-5d2f8b1e0001"), QStringLiteral("5d2f8b1e-1111-2222-3333-444455556666"),
                              QStringLiteral("0b7e4a0c-aaaa-bbbb-cccc-ddddeeeeffff"), QStringLiteral("a"), QStringLiteral("Bücher")};
        QStringList here;
        for (const QString &id : ids)
            here << ui::colorFor(id).name();
        QProcess other;
        other.start(QCoreApplication::applicationFilePath(), QStringList{QStringLiteral("--print-colours")} + ids);
        QVERIFY(other.waitForFinished(10000));
        QCOMPARE(QString::fromUtf8(other.readAllStandardOutput()).split(QLatin1Char('\n'), Qt::SkipEmptyParts), here);
        // And they differ between ids, so people are told apart.
        QVERIFY(QSet<QString>(here.begin(), here.end()).size() >= 3);
    }

    void initials_fromLetters_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("initials");
        QTest::newRow("two words") << QStringLiteral("Book Club") << QStringLiteral("BC");
        QTest::newRow("punctuation") << QStringLiteral("Ada (demo)") << QStringLiteral("AD");
        QTest::newRow("one word") << QStringLiteral("general") << QStringLiteral("G");
        QTest::newRow("three words") << QStringLiteral("the rock climbing crew") << QStringLiteral("TR");
        QTest::newRow("emoji first") << QStringLiteral("🎉 Launch party") << QStringLiteral("LP");
        QTest::newRow("accented") << QStringLiteral("élan vital") << QStringLiteral("ÉV");
        QTest::newRow("other script") << QStringLiteral("Ωmega лук") << QStringLiteral("ΩЛ");
        QTest::newRow("astral letter") << QStringLiteral("𝒜da") << QStringLiteral("𝒜");
        QTest::newRow("only emoji") << QStringLiteral("🎉🎉") << QStringLiteral("🎉");
        QTest::newRow("extra spaces") << QStringLiteral("  Ada   Lovelace ") << QStringLiteral("AL");
        QTest::newRow("empty") << QString() << QStringLiteral("?");
    }

    void initials_fromLetters()
    {
        QFETCH(QString, name);
        QFETCH(QString, initials);
        QCOMPARE(app::PartyListModel::initials(name), initials);
    }

    void quickSwitcher_matchQuality_ranksHowANameMatches()
    {
        const auto q = [](const char *query, const char *text) {
            return app::matchQuality(QString::fromUtf8(query), QString::fromUtf8(text));
        };
        QVERIFY(q("general", "General") > q("gen", "general"));      // the name itself
        QVERIFY(q("gen", "general") > q("gen", "big-generators"));   // starts with it
        QVERIFY(q("gen", "big-generators") > q("gen", "oxygen"));    // a word starts with it
        QVERIFY(q("gen", "oxygen") > q("gnrl", "general"));          // inside it
        QVERIFY(q("gnrl", "general") > 0);                           // its letters in order
        QCOMPARE(q("lrg", "general"), 0);
        QVERIFY(q("help", "helpDesk") > q("desk", "helpDesk") - 1);  // camel case words
        QVERIFY(q("", "anything") > 0);
    }
};

// `tst_uiunits --print-colours ID...` prints each id's avatar colour: another process, as another
// launch or another person's app is.
int main(int argc, char *argv[])
{
    if (argc > 1 && qstrcmp(argv[1], "--print-colours") == 0) {
        for (int i = 2; i < argc; ++i)
            std::printf("%s\n", qPrintable(ui::colorFor(QString::fromUtf8(argv[i])).name()));
        return 0;
    }
    QApplication app(argc, argv);
    TestUiUnits test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}
#include "tst_uiunits.moc"
