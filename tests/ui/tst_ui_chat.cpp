// SPDX-License-Identifier: GPL-3.0-or-later
// The chat window driven with keys and clicks against the real server, with other people on
// plain WebSocket clients: sending, multi-line, editing the last message, @-completion, typing,
// links, a refused send with Retry and Cancel, copying, older history that keeps the reader's
// place, opening at the first unread message, and the offline banner with sends that wait.

#include "uifixture.h"

#include "app/ui/timelinedelegate.h"

#include <QClipboard>
#include <QCompleter>
#include <QDesktopServices>
#include <QLabel>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTextBrowser>

using namespace chatterbox;
using namespace chatterbox::test;
using app::TimelineModel;

namespace {

// Receives the links the app hands to the desktop, instead of a browser.
class LinkCatcher final : public QObject {
    Q_OBJECT

public:
    QList<QUrl> opened;

public Q_SLOTS:
    void open(const QUrl &url) { opened << url; }
};

} // namespace

class TestUiChat : public QObject {
    Q_OBJECT

    Harness m_harness;
    std::unique_ptr<ui::Theme> m_theme;
    std::unique_ptr<UiApp> m_dana;
    Person m_alice, m_bob;
    Harness::PartyIds m_party;
    std::string m_historyTopic;

    TimelineModel &timeline() { return m_dana->client.timeline(); }
    ui::TimelineView &view() { return *m_dana->chat().timeline(); }
    ui::Composer &composer() { return *m_dana->chat().composer(); }

    // The timeline row of a message with this body, or -1.
    int rowWith(const QString &body)
    {
        for (int row = timeline().rowCount() - 1; row >= 0; --row) {
            if (timeline().index(row).data(TimelineModel::BodyRole).toString() == body)
                return row;
        }
        return -1;
    }

    bool delivered(const QString &body)
    {
        const int row = rowWith(body);
        return row >= 0 && timeline().index(row).data(TimelineModel::DeliveryStateRole).value<TimelineModel::DeliveryState>()
                               == TimelineModel::DeliveryState::Delivered;
    }

    void openTopic(const std::string &topicId)
    {
        m_dana->chat().goToTopic(QString::fromStdString(m_party.partyId), QString::fromStdString(topicId));
        QVERIFY(QTest::qWaitFor([&] { return m_dana->client.currentTopicId().toStdString() == topicId; }, 5000));
    }

    // Posts count messages from several connections of one person (each connection has its own
    // request budget), in order.
    void seed(Person &who, const std::string &topicId, int count, const std::string &prefix)
    {
        std::vector<Person> senders;
        for (int i = 0; i < (count + 49) / 50; ++i)
            senders.push_back(m_harness.reconnect(who));
        for (int i = 0; i < count; ++i)
            QVERIFY(isOk(senders[static_cast<std::size_t>(i / 50)]->request(
                "message.send", {{"topicId", topicId}, {"clientMsgId", uuid()}, {"body", prefix + " " + std::to_string(i + 1)}})));
    }

    // A point of the timeline's viewport over the given link of a row.
    QPoint pointOnLink(int row, const QString &href)
    {
        const QModelIndex index = timeline().index(row);
        const QRect rect = view().visualRect(index);
        const QRect body = view().timelineDelegate()->bodyRect(rect, index);
        for (int y = body.top() + 2; y < body.bottom(); y += 3) {
            for (int x = body.left(); x < body.right(); x += 3) {
                if (view().timelineDelegate()->linkAt(rect, index, {x, y}) == href)
                    return {x, y};
            }
        }
        return {-1, -1};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_harness.start());
        m_theme = std::make_unique<ui::Theme>(*qApp);
        m_alice = m_harness.connect(QStringLiteral("Alice Moreau"));
        m_bob = m_harness.connect(QStringLiteral("Bob Okafor"));
        m_party = Harness::createParty(m_alice, "Book Club");
        QVERIFY(Harness::join(m_alice, m_party.partyId, m_bob));
        m_dana = std::make_unique<UiApp>(QStringLiteral("Dana Kim"), *m_theme);
        QVERIFY(m_dana->signIn(m_harness.server().httpUrl(QString())));
        const json invite = m_alice->request("invite.create", {{"partyId", m_party.partyId}});
        QVERIFY(m_dana->call("invite.join", {{"code", invite["result"]["invite"]["code"]}}).contains("party"));
        QVERIFY(QTest::qWaitFor([&] { return m_dana->client.store().party(m_party.partyId) != nullptr; }, 5000));
        openTopic(m_party.topicId);
        QApplication::setActiveWindow(&m_dana->window);
        QVERIFY(QTest::qWaitForWindowActive(&m_dana->window));
    }

    void enterSends_andOthersReceiveIt()
    {
        composer().setFocus();
        QTest::keyClicks(&composer(), QStringLiteral("hello book club"));
        QTest::keyClick(&composer(), Qt::Key_Return);
        QVERIFY(composer().toPlainText().isEmpty());
        QVERIFY(rowWith(QStringLiteral("hello book club")) >= 0);   // shown at once
        QVERIFY(QTest::qWaitFor([&] { return delivered(QStringLiteral("hello book club")); }, 5000));
        QVERIFY(m_alice->waitForEvent("message.created", [](const json &e) { return e["message"]["body"] == "hello book club"; }));
    }

    void shiftEnter_breaksTheLine()
    {
        QTest::keyClicks(&composer(), QStringLiteral("first line"));
        QTest::keyClick(&composer(), Qt::Key_Return, Qt::ShiftModifier);
        QTest::keyClicks(&composer(), QStringLiteral("second line"));
        QTest::keyClick(&composer(), Qt::Key_Return);
        QVERIFY(m_alice->waitForEvent("message.created", [](const json &e) { return e["message"]["body"] == "first line\nsecond line"; }));
    }

    void up_editsTheLastOwnMessage()
    {
        QTest::keyClick(&composer(), Qt::Key_Up);
        QVERIFY(composer().isEditing());
        QCOMPARE(composer().toPlainText(), QStringLiteral("first line\nsecond line"));
        QVERIFY(m_dana->window.findChild<QWidget *>(QStringLiteral("editBar"))->isVisible());
        composer().selectAll();
        QTest::keyClicks(&composer(), QStringLiteral("one line after all"));
        QTest::keyClick(&composer(), Qt::Key_Return);
        QVERIFY(!composer().isEditing());
        QVERIFY(m_alice->waitForEvent("message.updated", [](const json &e) { return e["message"]["body"] == "one line after all"; }));
        QVERIFY(QTest::qWaitFor([&] {
            const int row = rowWith(QStringLiteral("one line after all"));
            return row >= 0 && timeline().index(row).data(TimelineModel::EditedRole).toBool();
        }, 5000));
    }

    void at_completesMemberNames_andMentions()
    {
        QTest::keyClicks(&composer(), QStringLiteral("thanks @Bo"));
        QVERIFY(QTest::qWaitFor([&] { return composer().completer()->popup()->isVisible(); }, 2000));
        QTest::keyClick(composer().completer()->popup(), Qt::Key_Return);
        QCOMPARE(composer().toPlainText(), QStringLiteral("thanks @Bob Okafor "));
        QTest::keyClick(&composer(), Qt::Key_Return);
        const std::string bobId = m_bob.ready["me"]["id"];
        const auto created = m_bob->waitForEvent("message.created", [](const json &e) { return e["message"]["body"] == "thanks @Bob Okafor"; });
        QVERIFY(created);
        QVERIFY((*created)["message"]["mentions"] == json::array({bobId}));
    }

    void typing_showsUnderTheTimeline()
    {
        auto *label = m_dana->window.findChild<QLabel *>(QStringLiteral("typingLabel"));
        QVERIFY(isOk(m_bob->request("typing.start", {{"topicId", m_party.topicId}})));
        QVERIFY(QTest::qWaitFor([&] { return label->text() == QStringLiteral("\u2068Bob Okafor\u2069 is typing…"); }, 5000));
        QVERIFY(isOk(m_bob->request("message.send", {{"topicId", m_party.topicId}, {"clientMsgId", uuid()}, {"body", "done typing"}})));
        QVERIFY(QTest::qWaitFor([&] { return label->text().isEmpty(); }, 5000));
    }

    void links_openOnlyWebLinks()
    {
        LinkCatcher catcher;
        for (const char *scheme : {"https", "file"})
            QDesktopServices::setUrlHandler(QString::fromLatin1(scheme), &catcher, "open");
        const QString body = QStringLiteral("docs at https://example.org/guide and [notes](file:///etc/passwd)");
        QVERIFY(isOk(m_alice->request("message.send", {{"topicId", m_party.topicId}, {"clientMsgId", uuid()}, {"body", body.toStdString()}})));
        QVERIFY(QTest::qWaitFor([&] { return rowWith(body) >= 0; }, 5000));
        view().scrollToBottom();
        QTest::qWait(50);
        const int row = rowWith(body);
        const QPoint web = pointOnLink(row, QStringLiteral("https://example.org/guide"));
        const QPoint file = pointOnLink(row, QStringLiteral("file:///etc/passwd"));
        QVERIFY(web.x() >= 0 && file.x() >= 0);
        QTest::mouseClick(view().viewport(), Qt::LeftButton, {}, file);
        QTest::mouseClick(view().viewport(), Qt::LeftButton, {}, web);
        QCOMPARE(catcher.opened, QList<QUrl>{QUrl(QStringLiteral("https://example.org/guide"))});
        for (const char *scheme : {"https", "file"})
            QDesktopServices::unsetUrlHandler(QString::fromLatin1(scheme));
    }

    void refusedSend_showsWhy_retryAndCancel()
    {
        const QString bad = QStringLiteral("ring the bell \x07 now");
        composer().setPlainText(bad);
        QTest::keyClick(&composer(), Qt::Key_Return);
        auto failedRow = [&] {
            const int row = rowWith(bad);
            return row >= 0 && timeline().index(row).data(TimelineModel::DeliveryStateRole).value<TimelineModel::DeliveryState>()
                                   == TimelineModel::DeliveryState::Failed ? row : -1;
        };
        QVERIFY(QTest::qWaitFor([&] { return failedRow() >= 0; }, 5000));
        QVERIFY(timeline().index(failedRow()).data(TimelineModel::ErrorRole).toString().contains(QStringLiteral("control characters")));
        view().scrollToBottom();
        QTest::qWait(50);
        auto *delegate = view().timelineDelegate();
        QModelIndex index = timeline().index(failedRow());
        QRect retry = delegate->retryRect(view().visualRect(index), index);
        QVERIFY(!retry.isEmpty());
        QTest::mouseClick(view().viewport(), Qt::LeftButton, {}, retry.center());
        // Sent again, refused again: still there, still saying why.
        QVERIFY(QTest::qWaitFor([&] { return failedRow() >= 0; }, 5000));
        index = timeline().index(failedRow());
        const QRect cancel = delegate->cancelRect(view().visualRect(index), index);
        QTest::mouseClick(view().viewport(), Qt::LeftButton, {}, cancel.center());
        QVERIFY(QTest::qWaitFor([&] { return rowWith(bad) < 0; }, 2000));
        QVERIFY(m_dana->client.outbox().entries().isEmpty());
    }

    void message_canBeCopiedAndSelected()
    {
        const int row = rowWith(QStringLiteral("hello book club"));
        QVERIFY(row >= 0);
        view().setFocus();
        view().setCurrentIndex(timeline().index(row));
        QTest::keyClick(&view(), Qt::Key_C, Qt::ControlModifier);
        QCOMPARE(QApplication::clipboard()->text(), QStringLiteral("hello book club"));
        view().scrollTo(timeline().index(row));
        const QModelIndex index = timeline().index(row);
        const QRect body = view().timelineDelegate()->bodyRect(view().visualRect(index), index);
        QTest::mouseDClick(view().viewport(), Qt::LeftButton, {}, body.center());
        QTextBrowser *text = nullptr;
        QVERIFY(QTest::qWaitFor([&] { return (text = view().findChild<QTextBrowser *>(QStringLiteral("messageText"))) && text->isVisible(); }, 2000));
        QCOMPARE(text->toPlainText(), QStringLiteral("hello book club"));
        text->selectAll();
        text->copy();
        QCOMPARE(QApplication::clipboard()->text(), QStringLiteral("hello book club"));
    }

    void olderHistory_loadsOnScroll_andKeepsThePlace()
    {
        const json topic = m_alice->request("topic.create", {{"partyId", m_party.partyId}, {"name", "history"}});
        QVERIFY(isOk(topic));
        m_historyTopic = topic["result"]["topic"]["id"];
        seed(m_alice, m_historyTopic, 150, "page line");
        QVERIFY(QTest::qWaitFor([&] { return m_dana->client.store().topic(m_historyTopic) && m_dana->client.store().topic(m_historyTopic)->lastSeq == 150; }, 10000));
        // Read on another device: nothing unread, so the topic opens at its newest page.
        m_dana->client.markRead(QString::fromStdString(m_historyTopic));
        QVERIFY(QTest::qWaitFor([&] { return m_dana->client.store().readState(m_historyTopic).unread == 0; }, 5000));
        openTopic(m_historyTopic);
        QVERIFY(QTest::qWaitFor([&] { return timeline().rowCount() >= 50; }, 5000));
        QTest::qWait(100);
        const int loaded = timeline().rowCount();
        QVERIFY(loaded < 150);   // a page, not everything
        QVERIFY(view().isAtBottom());

        view().verticalScrollBar()->setValue(0);
        // What the reader sees is the text: it must stay where it is while a page arrives above.
        auto textTop = [&](const QModelIndex &index) {
            return view().timelineDelegate()->bodyRect(view().visualRect(index), index).top();
        };
        const QModelIndex top = view().indexAt(QPoint(20, 10));
        const QString anchorBody = top.data(TimelineModel::BodyRole).toString();
        const int anchorY = textTop(top);
        QVERIFY(QTest::qWaitFor([&] { return timeline().rowCount() > loaded; }, 5000));
        QTest::qWait(100);
        const QModelIndex again = timeline().index(rowWith(anchorBody));
        QVERIFY(again.row() > 0);
        QVERIFY2(qAbs(textTop(again) - anchorY) <= 2,
                 qPrintable(QStringLiteral("%1 moved from %2 to %3").arg(anchorBody).arg(anchorY).arg(textTop(again))));
    }

    void topic_opensAtTheFirstUnreadMessage()
    {
        // Dana reads "history" to its end: at the bottom of it, in the active window.
        view().scrollToBottom();
        QApplication::setActiveWindow(&m_dana->window);
        QVERIFY(QTest::qWaitFor([&] { return m_dana->client.store().readState(m_historyTopic).lastReadSeq == 150; }, 5000));
        openTopic(m_party.topicId);
        seed(m_alice, m_historyTopic, 40, "unread line");
        QVERIFY(QTest::qWaitFor([&] { return m_dana->client.store().readState(m_historyTopic).unread == 40; }, 10000));
        openTopic(m_historyTopic);
        QVERIFY(QTest::qWaitFor([&] { return timeline().firstUnreadRow() >= 0 && rowWith(QStringLiteral("unread line 40")) >= 0; }, 5000));
        QTest::qWait(100);
        const QModelIndex first = timeline().index(timeline().firstUnreadRow());
        QCOMPARE(first.data(TimelineModel::BodyRole).toString(), QStringLiteral("unread line 1"));
        QVERIFY(first.data(TimelineModel::FirstUnreadRole).toBool());
        const QRect rect = view().visualRect(first);
        QVERIFY2(view().viewport()->rect().contains(rect.topLeft()), qPrintable(QStringLiteral("first unread at y=%1").arg(rect.top())));
        QVERIFY(!view().isAtBottom());
    }

    void hundredsUnread_openAtTheFirst_andOnlyReadingMarksThemRead()
    {
        // Dana has read "history" to its end; then more than five pages arrive while she is elsewhere.
        view().jumpToNewest();
        QApplication::setActiveWindow(&m_dana->window);
        QVERIFY(QTest::qWaitFor([&] { return m_dana->client.store().readState(m_historyTopic).unread == 0; }, 5000));
        openTopic(m_party.topicId);
        seed(m_alice, m_historyTopic, 260, "backlog");
        QVERIFY(QTest::qWaitFor([&] { return m_dana->client.store().readState(m_historyTopic).unread == 260; }, 20000));
        openTopic(m_historyTopic);
        QVERIFY(QTest::qWaitFor([&] { return timeline().firstUnreadRow() >= 0 && !timeline().isSeekingFirstUnread(); }, 10000));
        QTest::qWait(200);
        const QModelIndex first = timeline().index(timeline().firstUnreadRow());
        QCOMPARE(first.data(TimelineModel::BodyRole).toString(), QStringLiteral("backlog 1"));
        QVERIFY(view().viewport()->rect().contains(view().visualRect(first).topLeft()));
        auto *toNewest = view().findChild<QAbstractButton *>(QStringLiteral("jumpToNewest"));
        auto *toUnread = view().findChild<QAbstractButton *>(QStringLiteral("jumpToFirstUnread"));
        QVERIFY(toNewest->isVisible());
        QVERIFY(!toUnread->isVisible());
        // Opening is not reading.
        QTest::qWait(500);
        QCOMPARE(m_dana->client.store().readState(m_historyTopic).unread, 260);
        // Reading to the end is.
        toNewest->click();
        QVERIFY(QTest::qWaitFor([&] { return m_dana->client.store().readState(m_historyTopic).unread == 0; }, 5000));
        QVERIFY(!toNewest->isVisible());
        QVERIFY(toUnread->isVisible());
        toUnread->click();
        QTest::qWait(100);
        QVERIFY(view().viewport()->rect().contains(view().visualRect(timeline().index(timeline().firstUnreadRow())).topLeft()));
        QVERIFY(!toUnread->isVisible());
    }

    void neverOpenedTopic_opensAtItsFirstMessage()
    {
        const json topic = m_alice->request("topic.create", {{"partyId", m_party.partyId}, {"name", "fresh"}});
        QVERIFY(isOk(topic));
        const std::string fresh = topic["result"]["topic"]["id"];
        seed(m_alice, fresh, 120, "fresh");
        QVERIFY(QTest::qWaitFor([&] { return m_dana->client.store().readState(fresh).unread == 120; }, 20000));
        openTopic(fresh);
        QVERIFY(QTest::qWaitFor([&] { return timeline().firstUnreadRow() == 0 && !timeline().isSeekingFirstUnread(); }, 10000));
        QTest::qWait(200);
        const QModelIndex first = timeline().index(0);
        QCOMPARE(first.data(TimelineModel::BodyRole).toString(), QStringLiteral("fresh 1"));
        QVERIFY(first.data(TimelineModel::FirstUnreadRole).toBool());
        QVERIFY(view().viewport()->rect().contains(view().visualRect(first).topLeft()));
        QTest::qWait(300);
        QCOMPARE(m_dana->client.store().readState(fresh).unread, 120);
    }

    void offline_bannerShows_andSendsWait()
    {
        openTopic(m_party.topicId);
        auto *banner = m_dana->window.findChild<QWidget *>(QStringLiteral("connectionBanner"));
        QVERIFY(!banner->isVisible());
        m_harness.server().stop();
        QVERIFY(QTest::qWaitFor([&] { return banner->isVisible(); }, 10000));
        auto *bannerText = m_dana->window.findChild<QLabel *>(QStringLiteral("connectionBannerText"));
        QVERIFY(bannerText->text().contains(QStringLiteral("Offline")));
        // A narrow window wraps the reason rather than cutting it off.
        const QSize wide = m_dana->window.size();
        m_dana->window.resize(720, 600);
        QTest::qWait(100);
        QVERIFY(bannerText->wordWrap());
        QVERIFY2(bannerText->height() >= 2 * bannerText->fontMetrics().height(), qPrintable(QString::number(bannerText->height())));
        QVERIFY(bannerText->geometry().right() <= banner->width());
        m_dana->window.resize(wide);
        QTest::keyClicks(&composer(), QStringLiteral("written while offline"));
        QTest::keyClick(&composer(), Qt::Key_Return);
        QVERIFY(rowWith(QStringLiteral("written while offline")) >= 0);
        QVERIFY(!delivered(QStringLiteral("written while offline")));
        QVERIFY(m_harness.server().start());
        m_dana->window.findChild<QAbstractButton *>(QStringLiteral("reconnectNow"))->click();
        QVERIFY(QTest::qWaitFor([&] { return !banner->isVisible(); }, 20000));
        QVERIFY(QTest::qWaitFor([&] { return delivered(QStringLiteral("written while offline")); }, 10000));
    }
};

QTEST_MAIN(TestUiChat)
#include "tst_ui_chat.moc"
