// SPDX-License-Identifier: GPL-3.0-or-later
// "@name" in a message body resolves to the members it names, and to nothing else.

#include "shared/mentions.h"

#include <QTest>

using namespace chatterbox::protocol;

class TestMentions : public QObject {
    Q_OBJECT

    const std::vector<MentionCandidate> m_members = {
        {"u-ann", "Ann"}, {"u-annlee", "Ann Lee"}, {"u-bob", "bob"}, {"u-zoe", "Zoë"}, {"u-dot", "j.doe"}};

    QStringList resolve(const char *body)
    {
        QStringList out;
        for (const auto &id : resolveMentions(body, m_members))
            out << QString::fromStdString(id);
        return out;
    }

private Q_SLOTS:
    void massMentions_asWordsOnly()
    {
        using chatterbox::protocol::MassMention;
        using chatterbox::protocol::massMentionIn;
        QCOMPARE(massMentionIn("@everyone look"), MassMention::Everyone);
        QCOMPARE(massMentionIn("hi @HERE."), MassMention::Here);
        QCOMPARE(massMentionIn("@here and @everyone"), MassMention::Everyone);
        QCOMPARE(massMentionIn("mail me@everyone.org"), MassMention::None);
        QCOMPARE(massMentionIn("@everyones"), MassMention::None);
        QCOMPARE(massMentionIn("@heres_the_thing"), MassMention::None);
        QCOMPARE(massMentionIn("everyone here"), MassMention::None);
    }

    void mentions_resolve_data()
    {
        QTest::addColumn<QString>("body");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("plain") << "hi @Bob" << QStringList{"u-bob"};
        QTest::newRow("case-insensitive") << "@BOB look" << QStringList{"u-bob"};
        QTest::newRow("longest wins") << "thanks @Ann Lee!" << QStringList{"u-annlee"};
        QTest::newRow("shorter when longer does not fit") << "@Ann Leeway" << QStringList{"u-ann"};
        QTest::newRow("word boundary") << "@Bobby is not bob" << QStringList{};
        QTest::newRow("email is not a mention") << "mail bob@bob.org" << QStringList{};
        QTest::newRow("punctuation after") << "@bob, @ann." << QStringList{"u-bob", "u-ann"};
        QTest::newRow("once each") << "@bob @bob @BOB" << QStringList{"u-bob"};
        QTest::newRow("non-ascii name") << "@Zoë hello" << QStringList{"u-zoe"};
        QTest::newRow("dot in name") << "cc @j.doe" << QStringList{"u-dot"};
        QTest::newRow("at end") << "bye @" << QStringList{};
        QTest::newRow("nobody") << "no mentions here" << QStringList{};
        QTest::newRow("stranger") << "@mallory hi" << QStringList{};
    }
    void mentions_resolve()
    {
        QFETCH(QString, body);
        QFETCH(QStringList, expected);
        QCOMPARE(resolve(body.toUtf8().constData()), expected);
    }
};

QTEST_GUILESS_MAIN(TestMentions)
#include "tst_mentions.moc"
