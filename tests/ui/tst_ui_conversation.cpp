// SPDX-License-Identifier: GPL-3.0-or-later
// Replies, reactions, emoji, permalinks, pins and edit history in the chat window, driven with
// the mouse and keyboard against the real server while other people use plain WebSocket
// clients: each action from the message toolbar, the menu or a key, and what everyone sees.

#include "uifixture.h"

#include "app/core/messagelink.h"
#include "app/ui/emojipicker.h"
#include "app/ui/messageactions.h"
#include "app/ui/timelinedelegate.h"
#include "app/ui/topicpane.h"

#include <QClipboard>
#include <QCompleter>
#include <QLabel>
#include <QListWidget>
#include <QToolButton>

using namespace chatterbox;
using namespace chatterbox::test;
using app::TimelineModel;

class TestUiConversation : public QObject {
    Q_OBJECT

    Harness m_harness;
    std::unique_ptr<ui::Theme> m_theme;
    std::unique_ptr<UiApp> m_dana;
    Person m_alice, m_bob;
    Harness::PartyIds m_party;

    TimelineModel &timeline() { return m_dana->client.timeline(); }
    ui::TimelineView &view() { return *m_dana->chat().timeline(); }
    ui::Composer &composer() { return *m_dana->chat().composer(); }
    ui::TopicPane &pane() { return *m_dana->window.findChild<ui::TopicPane *>(); }

    int rowWith(const QString &body)
    {
        for (int row = timeline().rowCount() - 1; row >= 0; --row) {
            if (timeline().index(row).data(TimelineModel::BodyRole).toString() == body)
                return row;
        }
        return -1;
    }

    // Alice posts; Dana's window shows it. Returns the message as the server sent it.
    json postAsAlice(const std::string &body, const std::string &topicId = {})
    {
        const json sent = m_alice->request("message.send", {{"topicId", topicId.empty() ? m_party.topicId : topicId},
                                                            {"clientMsgId", uuid()}, {"body", body}});
        if (!QTest::qWaitFor([&] { return rowWith(QString::fromStdString(body)) >= 0; }, 5000))
            qWarning("Dana never saw %s", body.c_str());
        return sent["result"]["message"];
    }

    QModelIndex select(const QString &body)
    {
        const QModelIndex index = timeline().index(rowWith(body));
        // A popup of an earlier step (the emoji picker) may have taken the active window.
        QApplication::setActiveWindow(&m_dana->window);
        view().setFocus();
        view().scrollTo(index);
        view().setCurrentIndex(index);
        return index;
    }

    // Where a tool of a row's toolbar is, on screen, after hovering the row as a person would.
    QPoint hoverTool(const QModelIndex &index, ui::TimelineDelegate::Tool tool)
    {
        const QRect rect = view().visualRect(index);
        QTest::mouseMove(view().viewport(), rect.center());
        return view().timelineDelegate()->toolRect(rect, index, tool).center();
    }

    QVariantList reactions(const QString &body) { return timeline().index(rowWith(body)).data(TimelineModel::ReactionsRole).toList(); }

    template <typename Widget>
    Widget *visibleChild(const QString &name, int timeoutMs = 5000)
    {
        Widget *found = nullptr;
        (void)QTest::qWaitFor([&] {
            for (auto *w : QApplication::allWidgets()) {
                if (w->objectName() == name && w->isVisible() && (found = qobject_cast<Widget *>(w)))
                    return true;
            }
            return false;
        }, timeoutMs);
        return found;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_harness.start());
        m_theme = std::make_unique<ui::Theme>(*qApp);
        m_alice = m_harness.connect(QStringLiteral("Alice Moreau"));
        m_bob = m_harness.connect(QStringLiteral("Bob <b>Okafor</b>"));
        m_party = Harness::createParty(m_alice, "Book Club");
        QVERIFY(Harness::join(m_alice, m_party.partyId, m_bob));
        m_dana = std::make_unique<UiApp>(QStringLiteral("Dana Kim"), *m_theme);
        QVERIFY(m_dana->signIn(m_harness.server().httpUrl(QString())));
        const json invite = m_alice->request("invite.create", {{"partyId", m_party.partyId}});
        QVERIFY(m_dana->call("invite.join", {{"code", invite["result"]["invite"]["code"]}}).contains("party"));
        QVERIFY(QTest::qWaitFor([&] { return m_dana->client.store().party(m_party.partyId) != nullptr; }, 5000));
        m_dana->chat().goToTopic(QString::fromStdString(m_party.partyId), QString::fromStdString(m_party.topicId));
        QVERIFY(QTest::qWaitFor([&] { return m_dana->client.currentTopicId().toStdString() == m_party.topicId; }, 5000));
        QApplication::setActiveWindow(&m_dana->window);
        QVERIFY(QTest::qWaitForWindowActive(&m_dana->window));
    }

    void toolbar_reactWithThePicker_andClickToTakeItBack()
    {
        const json message = postAsAlice("Who has read chapter one?");
        const QModelIndex index = select(QStringLiteral("Who has read chapter one?"));
        QTest::mouseClick(view().viewport(), Qt::LeftButton, {}, hoverTool(index, ui::TimelineDelegate::Tool::React));
        ui::EmojiPicker *picker = nullptr;
        QVERIFY(QTest::qWaitFor([&] { return (picker = pane().messageActions()->picker()) && picker->isVisible(); }, 3000));
        QTest::keyClicks(picker->searchField(), QStringLiteral("thumbs up"));
        QVERIFY(picker->list()->currentItem());
        QCOMPARE(picker->list()->currentItem()->text(), QStringLiteral("\U0001F44D"));
        QTest::keyClick(picker->searchField(), Qt::Key_Return);
        const auto added = m_alice->waitForEvent("reaction.added", [&](const json &d) { return d["messageId"] == message["id"]; });
        QVERIFY(added);
        QCOMPARE((*added)["emoji"].get<std::string>(), std::string("\xf0\x9f\x91\x8d"));
        QVERIFY(QTest::qWaitFor([&] { return reactions(QStringLiteral("Who has read chapter one?")).size() == 1; }, 3000));
        const QVariantMap chip = reactions(QStringLiteral("Who has read chapter one?")).first().toMap();
        QCOMPARE(chip.value(QLatin1String(TimelineModel::kReactionCountKey)).toInt(), 1);
        QVERIFY(chip.value(QLatin1String(TimelineModel::kReactionMineKey)).toBool());
        // The picker remembers it, first among the recent ones.
        QCOMPARE(m_dana->preferences.recentEmoji().value(0), QStringLiteral("\U0001F44D"));

        // Clicking the chip takes it back.
        const QModelIndex again = timeline().index(rowWith(QStringLiteral("Who has read chapter one?")));
        const auto chips = view().timelineDelegate()->reactionChips(view().visualRect(again), again);
        QCOMPARE(int(chips.size()), 2);   // the reaction, and "+"
        QTest::mouseClick(view().viewport(), Qt::LeftButton, {}, chips.front().rect.center());
        QVERIFY(m_alice->waitForEvent("reaction.removed", [&](const json &d) { return d["messageId"] == message["id"]; }));
        QVERIFY(QTest::qWaitFor([&] { return reactions(QStringLiteral("Who has read chapter one?")).isEmpty(); }, 3000));
    }

    void othersReactions_countAndWhoAsPlainText()
    {
        const json message = postAsAlice("Meeting on Friday");
        QVERIFY(isOk(m_bob->request("reaction.add", {{"messageId", message["id"]}, {"emoji", "\xf0\x9f\x8e\x89"}})));
        QVERIFY(isOk(m_alice->request("reaction.add", {{"messageId", message["id"]}, {"emoji", "\xf0\x9f\x8e\x89"}})));
        QVERIFY(QTest::qWaitFor([&] {
            const auto r = reactions(QStringLiteral("Meeting on Friday"));
            return r.size() == 1 && r.first().toMap().value(QLatin1String(TimelineModel::kReactionCountKey)).toInt() == 2;
        }, 3000));
        const QModelIndex index = timeline().index(rowWith(QStringLiteral("Meeting on Friday")));
        view().scrollTo(index);
        const auto chips = view().timelineDelegate()->reactionChips(view().visualRect(index), index);
        QVERIFY(!chips.front().mine);
        const QString tip = view().timelineDelegate()->toolTipAt(view().visualRect(index), index, chips.front().rect.center());
        QVERIFY2(tip.contains(QStringLiteral("Bob <b>Okafor</b>, Alice Moreau")), qPrintable(tip));   // the name as typed, markup and all
        QVERIFY(tip.contains(QStringLiteral("party popper")));
    }

    void reply_fromTheKeyboard_quotesTheOriginal_andItsQuoteJumpsThere()
    {
        postAsAlice("Which edition do you have?");
        select(QStringLiteral("Which edition do you have?"));
        QTest::keyClick(&view(), Qt::Key_R);
        auto *bar = m_dana->window.findChild<QWidget *>(QStringLiteral("replyBar"));
        QVERIFY(bar && bar->isVisible());
        QVERIFY(m_dana->window.findChild<QLabel *>(QStringLiteral("replyText"))->text().contains(QStringLiteral("Alice Moreau")));
        QVERIFY(composer().hasFocus());
        QTest::keyClicks(&composer(), QStringLiteral("The second one"));
        QTest::keyClick(&composer(), Qt::Key_Return);
        QVERIFY(!bar->isVisible());
        const auto created = m_alice->waitForEvent("message.created", [](const json &d) { return d["message"]["body"] == "The second one"; });
        QVERIFY(created);
        QCOMPARE((*created)["message"]["replyTo"]["excerpt"].get<std::string>(), std::string("Which edition do you have?"));
        QVERIFY(QTest::qWaitFor([&] {
            const int row = rowWith(QStringLiteral("The second one"));
            return row >= 0 && timeline().index(row).data(TimelineModel::DeliveryStateRole).value<TimelineModel::DeliveryState>()
                                   == TimelineModel::DeliveryState::Delivered;
        }, 5000));

        // A click on the quote goes to the original and highlights it.
        QTest::keyClicks(&composer(), QStringLiteral("spacer"));
        QTest::keyClick(&composer(), Qt::Key_Return);
        const QModelIndex reply = timeline().index(rowWith(QStringLiteral("The second one")));
        view().scrollTo(reply);
        const QRect rect = view().visualRect(reply);
        QPoint onQuote;
        for (int y = rect.top(); y < rect.bottom() && onQuote.isNull(); y += 2) {
            const QPoint p(rect.left() + ui::timeline::kTextLeft + 20, y);
            if (view().timelineDelegate()->actionAt(rect, reply, p).kind == ui::PartAction::Kind::JumpTo)
                onQuote = p;
        }
        QVERIFY(!onQuote.isNull());
        QTest::mouseClick(view().viewport(), Qt::LeftButton, {}, onQuote);
        QVERIFY(QTest::qWaitFor([&] { return view().highlighted().isValid(); }, 3000));
        QCOMPARE(view().highlighted().data(TimelineModel::BodyRole).toString(), QStringLiteral("Which edition do you have?"));
        QCOMPARE(view().currentIndex().data(TimelineModel::BodyRole).toString(), QStringLiteral("Which edition do you have?"));
    }

    // The original is far back, not loaded: the quote loads the history around it, and Jump
    // to Newest goes back to the present.
    void quoteOfAnOldMessage_loadsTheHistoryAroundIt()
    {
        const json topic = m_alice->request("topic.create", {{"partyId", m_party.partyId}, {"name", "long"}});
        const std::string topicId = topic["result"]["topic"]["id"];
        std::vector<Person> senders;
        for (int i = 0; i < 4; ++i)
            senders.push_back(m_harness.reconnect(m_alice));
        std::string firstId;
        for (int i = 1; i <= 160; ++i) {
            const json sent = senders[static_cast<std::size_t>(i / 50)]->request(
                "message.send", {{"topicId", topicId}, {"clientMsgId", uuid()}, {"body", "old " + std::to_string(i)}});
            if (i == 3)
                firstId = sent["result"]["message"]["id"];
        }
        QVERIFY(isOk(m_bob->request("message.send", {{"topicId", topicId}, {"clientMsgId", uuid()}, {"body", "about the third"}, {"replyTo", firstId}})));
        m_dana->chat().goToTopic(QString::fromStdString(m_party.partyId), QString::fromStdString(topicId));
        QVERIFY(QTest::qWaitFor([&] { return rowWith(QStringLiteral("about the third")) >= 0; }, 5000));
        QCOMPARE(rowWith(QStringLiteral("old 3")), -1);   // not loaded
        const QModelIndex reply = timeline().index(rowWith(QStringLiteral("about the third")));
        QCOMPARE(reply.data(TimelineModel::ReplyRole).toMap().value(QLatin1String(TimelineModel::kReplyTextKey)).toString(), QStringLiteral("old 3"));
        Q_EMIT view().timelineDelegate()->jumpRequested(3);   // what a click on its quote does
        QVERIFY(QTest::qWaitFor([&] { return view().highlighted().isValid(); }, 5000));
        QCOMPARE(view().highlighted().data(TimelineModel::BodyRole).toString(), QStringLiteral("old 3"));
        QVERIFY(timeline().hasNewer());
        QVERIFY(view().visualRect(view().highlighted()).intersects(view().viewport()->rect()));

        QTest::keyClick(&view(), Qt::Key_End);
        QVERIFY(QTest::qWaitFor([&] { return !timeline().hasNewer() && rowWith(QStringLiteral("about the third")) >= 0; }, 5000));
        QVERIFY(QTest::qWaitFor([&] { return view().isAtBottom(); }, 3000));
        m_dana->chat().goToTopic(QString::fromStdString(m_party.partyId), QString::fromStdString(m_party.topicId));
    }

    void copyLink_andOpeningIt_goesToTheMessage()
    {
        postAsAlice("Link to me");
        const QModelIndex index = select(QStringLiteral("Link to me"));
        const qint64 seq = index.data(TimelineModel::SeqRole).toLongLong();
        QTest::keyClick(&view(), Qt::Key_L);
        const QString copied = QApplication::clipboard()->text();
        const app::MessageLink link = app::parseMessageLink(copied);
        QVERIFY2(link.ok(), qPrintable(copied + QStringLiteral(": ") + link.error));
        QCOMPARE(link.topicId.toStdString(), m_party.topicId);
        QCOMPARE(link.partyId.toStdString(), m_party.partyId);
        QCOMPARE(link.seq, seq);
        // And the server's page form of it parses to the same message.
        const app::MessageLink page = app::parseMessageLink(link.pageUrl().toString());
        QVERIFY2(page.ok(), qPrintable(page.error));
        QCOMPARE(page.seq, seq);

        // Opened from elsewhere (another topic is open): the app goes there and highlights it.
        const json other = m_alice->request("topic.create", {{"partyId", m_party.partyId}, {"name", "elsewhere"}});
        const std::string otherId = other["result"]["topic"]["id"];
        QVERIFY(QTest::qWaitFor([&] { return m_dana->client.store().topic(otherId) != nullptr; }, 3000));
        m_dana->chat().goToTopic(QString::fromStdString(m_party.partyId), QString::fromStdString(otherId));
        m_dana->window.openLink(copied);
        QVERIFY(QTest::qWaitFor([&] { return m_dana->client.currentTopicId().toStdString() == m_party.topicId; }, 3000));
        QVERIFY(QTest::qWaitFor([&] { return view().highlighted().isValid(); }, 3000));
        QCOMPARE(view().highlighted().data(TimelineModel::SeqRole).toLongLong(), seq);

        // A link to a topic Dana cannot see says so, and changes nothing.
        const json secret = m_bob->request("party.create", {{"name", "Secret"}});
        app::MessageLink stranger = link;
        stranger.partyId = QString::fromStdString(secret["result"]["party"]["id"].get<std::string>());
        stranger.topicId = QString::fromStdString(secret["result"]["party"]["topics"][0]["id"].get<std::string>());
        stranger.seq = 1;
        m_dana->window.openLink(stranger.appUrl().toString(QUrl::FullyEncoded));
        auto *problem = m_dana->window.findChild<QLabel *>(QStringLiteral("composerProblem"));
        QVERIFY(QTest::qWaitFor([&] { return problem->isVisible(); }, 3000));
        QVERIFY(problem->text().contains(QStringLiteral("not in its party")));
        QCOMPARE(m_dana->client.currentTopicId().toStdString(), m_party.topicId);
    }

    void pin_fromTheMenu_countInTheHeader_andTheListJumps()
    {
        // Members may not pin; Dana becomes an admin first.
        QVERIFY(isOk(m_alice->request("member.setRole", {{"partyId", m_party.partyId}, {"userId", m_dana->client.store().me().id}, {"role", "admin"}})));
        QVERIFY(QTest::qWaitFor([&] { return m_dana->client.canManage(QString::fromStdString(m_party.partyId)); }, 3000));
        postAsAlice("Pin this schedule");
        select(QStringLiteral("Pin this schedule"));
        QTest::keyClick(&view(), Qt::Key_P);
        QVERIFY(m_bob->waitForEvent("pin.changed", [](const json &d) { return d["message"]["body"] == "Pin this schedule"; }));
        auto *pins = m_dana->window.findChild<QToolButton *>(QStringLiteral("pinsButton"));
        QVERIFY(QTest::qWaitFor([&] { return pins->text() == QStringLiteral("1"); }, 3000));
        QVERIFY(QTest::qWaitFor([&] { return timeline().index(rowWith(QStringLiteral("Pin this schedule"))).data(TimelineModel::PinnedRole).toBool(); }, 3000));

        view().scrollToTop();
        pins->click();
        auto *list = visibleChild<QListWidget>(QStringLiteral("pinnedDialog"), 0);
        QDialog *dialog = nullptr;
        QVERIFY(QTest::qWaitFor([&] {
            dialog = m_dana->window.findChild<QDialog *>(QStringLiteral("pinnedDialog"));
            return dialog && dialog->isVisible();
        }, 3000));
        (void)list;
        auto *items = dialog->findChild<QListWidget *>();
        QCOMPARE(items->count(), 1);
        QVERIFY(items->item(0)->text().contains(QStringLiteral("Pin this schedule")));
        Q_EMIT items->itemActivated(items->item(0));
        QVERIFY(QTest::qWaitFor([&] { return view().highlighted().isValid(); }, 3000));
        QCOMPARE(view().highlighted().data(TimelineModel::BodyRole).toString(), QStringLiteral("Pin this schedule"));
    }

    // Dana is an admin by now: "@" offers everyone and here; Alice's @everyone mentions her.
    void massMentions_offeredToThoseAllowed_andCountedAsMentions()
    {
        m_dana->chat().goToTopic(QString::fromStdString(m_party.partyId), QString::fromStdString(m_party.topicId));
        QApplication::setActiveWindow(&m_dana->window);
        composer().setFocus();
        composer().clear();
        QTest::keyClicks(&composer(), QStringLiteral("@ever"));
        QVERIFY(QTest::qWaitFor([&] { return composer().completer()->popup()->isVisible(); }, 2000));
        QCOMPARE(composer().completer()->popup()->currentIndex().data().toString(), QStringLiteral("everyone"));
        composer().completer()->popup()->hide();
        composer().clear();

        const json sent = postAsAlice("@everyone vote closes tonight");
        QCOMPARE(sent["massMention"].get<std::string>(), std::string("everyone"));
        const QModelIndex index = timeline().index(rowWith(QStringLiteral("@everyone vote closes tonight")));
        QVERIFY(index.data(TimelineModel::MentionsMeRole).toBool());
        QVERIFY(index.data(TimelineModel::MentionNamesRole).toStringList().contains(QStringLiteral("everyone")));
    }

    void editedMark_opensTheEarlierVersions()
    {
        QTest::keyClicks(&composer(), QStringLiteral("first tkae"));
        QTest::keyClick(&composer(), Qt::Key_Return);
        QVERIFY(QTest::qWaitFor([&] {
            const int row = rowWith(QStringLiteral("first tkae"));
            return row >= 0 && !timeline().index(row).data(TimelineModel::MessageIdRole).toString().isEmpty();
        }, 5000));
        const QString id = timeline().index(rowWith(QStringLiteral("first tkae"))).data(TimelineModel::MessageIdRole).toString();
        QVERIFY(m_dana->call("message.edit", {{"messageId", id.toStdString()}, {"body", "first take"}}).contains("message"));
        QVERIFY(QTest::qWaitFor([&] { return rowWith(QStringLiteral("first take")) >= 0; }, 3000));
        select(QStringLiteral("first take"));
        QTest::keyClick(&view(), Qt::Key_H);
        QDialog *dialog = nullptr;
        QVERIFY(QTest::qWaitFor([&] {
            dialog = m_dana->window.findChild<QDialog *>(QStringLiteral("editHistoryDialog"));
            return dialog && dialog->isVisible();
        }, 3000));
        auto *items = dialog->findChild<QListWidget *>();
        QCOMPARE(items->count(), 2);
        QVERIFY(items->item(0)->text().endsWith(QStringLiteral("first tkae")));
        QVERIFY(items->item(1)->text().endsWith(QStringLiteral("first take")));
        dialog->close();
    }

    void shortcodes_completeLikeNames_andCloseIntoEmoji()
    {
        composer().setFocus();
        composer().clear();
        QTest::keyClicks(&composer(), QStringLiteral("nice :thumbs_u"));
        QVERIFY(QTest::qWaitFor([&] { return composer().completer()->popup()->isVisible(); }, 2000));
        QVERIFY(composer().completer()->popup()->currentIndex().data().toString().contains(QStringLiteral(":thumbs_up:")));
        QTest::keyClick(composer().completer()->popup(), Qt::Key_Return);
        QCOMPARE(composer().toPlainText(), QStringLiteral("nice \U0001F44D"));
        QTest::keyClicks(&composer(), QStringLiteral(" and :red_heart:"));
        QCOMPARE(composer().toPlainText(), QStringLiteral("nice \U0001F44D and \u2764\uFE0F"));
        // A time or a web address keeps its colons.
        composer().clear();
        QTest::keyClicks(&composer(), QStringLiteral("at 12:30 see http://x"));
        QVERIFY(!composer().completer()->popup()->isVisible());
        QCOMPARE(composer().toPlainText(), QStringLiteral("at 12:30 see http://x"));
        composer().clear();
    }
};

QTEST_MAIN(TestUiConversation)
#include "tst_ui_conversation.moc"
