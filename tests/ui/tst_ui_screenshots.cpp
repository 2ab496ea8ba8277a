// SPDX-License-Identifier: GPL-3.0-or-later
// Runs the app in a real X server (Xvfb) against the real server with a seeded party, and saves
// screenshots of the sign-in, the main window in both themes, and every dialog, for people to
// look at. Each picture is checked to show something (not one flat colour).

#include "uifixture.h"

#include "app/ui/dialogs/newmessagedialog.h"

#include "app/core/models/memberlistmodel.h"
#include "app/core/models/searchmodel.h"
#include "app/core/models/topiclistmodel.h"
#include "app/ui/profilecard.h"
#include "app/ui/searchpanel.h"

#include "app/ui/emojipicker.h"
#include "app/ui/messageactions.h"
#include "app/ui/topicpane.h"

#include "app/ui/dialogs/invitesdialog.h"
#include "app/ui/dialogs/picturecropdialog.h"
#include "app/ui/dialogs/joinpartydialog.h"
#include "app/ui/dialogs/namedialog.h"
#include "app/ui/dialogs/partysettingsdialog.h"
#include "app/ui/dialogs/quickswitcher.h"
#include "app/ui/dialogs/requestdialog.h"
#include "app/ui/dialogs/settingsdialog.h"
#include "support/filehttp.h"

#include <QBuffer>
#include <QComboBox>
#include <QDir>
#include <QMenu>
#include <QPainter>
#include <QPainterPath>
#include <QScreen>
#include <QTabWidget>
#include <QTimer>

using namespace chatterbox;
using namespace chatterbox::test;

namespace {

bool hasContent(const QImage &image)
{
    const QRgb first = image.pixel(0, 0);
    int different = 0;
    for (int y = 0; y < image.height(); y += 7) {
        for (int x = 0; x < image.width(); x += 7)
            different += image.pixel(x, y) != first;
    }
    return different > 50;
}

// A picture such as people choose: a figure on a soft background, square.
QImage portrait(const QColor &top, const QColor &bottom, const QColor &figure, int side = 256)
{
    QImage image(side, side, QImage::Format_ARGB32);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    QLinearGradient sky(0, 0, 0, side);
    sky.setColorAt(0, top);
    sky.setColorAt(1, bottom);
    painter.fillRect(image.rect(), sky);
    painter.setPen(Qt::NoPen);
    painter.setBrush(figure);
    painter.drawEllipse(QPointF(side * 0.5, side * 0.4), side * 0.18, side * 0.2);
    QPainterPath shoulders;
    shoulders.addEllipse(QPointF(side * 0.5, side * 1.02), side * 0.38, side * 0.36);
    painter.drawPath(shoulders);
    return image;
}

QByteArray png(const QImage &image)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return bytes;
}

} // namespace

class TestUiScreenshots : public QObject {
    Q_OBJECT

    Harness m_harness;
    std::unique_ptr<ui::Theme> m_theme;
    std::unique_ptr<UiApp> m_app;
    Person m_alice, m_bob, m_carol;
    Harness::PartyIds m_party;
    QDir m_out;

    bool shoot(const QString &name, QWidget *widget = nullptr)
    {
        QTest::qWait(300);   // let layouts, fetches and repaints settle
        QWidget *top = widget ? widget : &m_app->window;
        QImage image;
        if (QGuiApplication::platformName() == QLatin1String("xcb")) {
            const QRect area = top->frameGeometry();
            image = top->screen()->grabWindow(0, area.x(), area.y(), area.width(), area.height()).toImage();
        } else {
            image = top->grab().toImage();
        }
        const QString path = m_out.filePath(name + QStringLiteral(".png"));
        if (!image.save(path))
            return false;
        qInfo("saved %s (%dx%d)", qPrintable(path), image.width(), image.height());
        return hasContent(image);
    }

    std::string say(Person &who, const std::string &topicId, const std::string &body, const std::string &replyTo = {})
    {
        json fields = {{"topicId", topicId}, {"clientMsgId", uuid()}, {"body", body}};
        if (!replyTo.empty())
            fields["replyTo"] = replyTo;
        const json sent = who->request("message.send", fields);
        if (!isOk(sent))
            qWarning("could not send %s", body.c_str());
        return sent["result"]["message"].value("id", std::string());
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString dir = qEnvironmentVariable("CHATTERBOX_SCREENSHOT_DIR", QDir::current().filePath(QStringLiteral("screenshots")));
        QVERIFY(QDir().mkpath(dir));
        m_out = QDir(dir);
        QVERIFY(m_harness.start());
        m_theme = std::make_unique<ui::Theme>(*qApp);
        m_theme->setChoice(app::Preferences::Theme::Light);

        m_alice = m_harness.connect(QStringLiteral("Alice Moreau"));
        m_bob = m_harness.connect(QStringLiteral("Bob Okafor"));
        m_carol = m_harness.connect(QStringLiteral("Carol Liu"));
        m_party = Harness::createParty(m_alice, "Book Club");
        QVERIFY(!m_party.partyId.empty());
        QVERIFY(Harness::join(m_alice, m_party.partyId, m_bob));
        QVERIFY(Harness::join(m_alice, m_party.partyId, m_carol));
        for (const char *name : {"reading-list", "off-topic", "meetups"})
            QVERIFY(isOk(m_alice->request("topic.create", {{"partyId", m_party.partyId}, {"name", name}})));
        const json other = m_bob->request("party.create", {{"name", "Climbing Crew"}});
        QVERIFY(isOk(other));
        // Alice and Carol have pictures; Bob shows his initials.
        Http http(m_harness.server());
        const auto setPicture = [&](Person &who, const QImage &image) {
            const std::string id = http.upload(who.login.accessToken, png(image).toStdString(),
                                               {{"name", "me.png"}, {"type", "image/png"}, {"width", image.width()}, {"height", image.height()}});
            return !id.empty() && isOk(who->request("profile.update", {{"avatarFileId", id}}));
        };
        QVERIFY(setPicture(m_alice, portrait(QColor(0xff, 0xd8, 0xa8), QColor(0xf0, 0x8c, 0x5a), QColor(0x5a, 0x2e, 0x1e))));
        QVERIFY(setPicture(m_carol, portrait(QColor(0xb8, 0xe0, 0xf0), QColor(0x4a, 0x90, 0xc8), QColor(0x1e, 0x32, 0x50))));
    }

    void signInPage()
    {
        m_app = std::make_unique<UiApp>(QStringLiteral("Dana Kim"), *m_theme);
        m_app->window.show();
        m_app->window.start();
        QVERIFY(QTest::qWaitForWindowExposed(&m_app->window));
        auto *address = m_app->window.findChild<QLineEdit *>(QStringLiteral("serverUrl"));
        address->setText(m_harness.server().httpUrl(QString()).toString());
        QTest::keyClick(address, Qt::Key_Return);
        QVERIFY(QTest::qWaitFor([&] { return m_app->window.findChild<QAbstractButton *>(QStringLiteral("provider-dev")) != nullptr; }, 10000));
        QVERIFY(shoot(QStringLiteral("01-sign-in")));
    }

    void mainWindow()
    {
        QVERIFY(m_app->signIn(m_harness.server().httpUrl(QString())));
        const json invite = m_alice->request("invite.create", {{"partyId", m_party.partyId}});
        QVERIFY(m_app->call("invite.join", {{"code", invite["result"]["invite"]["code"]}}).contains("party"));
        // Dana helps run the club: an admin sees every dialog.
        QVERIFY(isOk(m_alice->request("member.setRole", {{"partyId", m_party.partyId}, {"userId", m_app->client.store().me().id}, {"role", "admin"}})));
        const std::string general = m_party.topicId;
        const std::string welcome = say(m_alice, general, "Welcome to the **Book Club**! This month we read *The Left Hand of Darkness*.");
        say(m_alice, general, "Meeting notes are in the `#reading-list` topic.");
        const std::string finished = say(m_bob, general, "Finished it last night. The ending with Estraven got me.");
        say(m_bob, general, "Also: https://en.wikipedia.org/wiki/The_Left_Hand_of_Darkness has a good summary");
        say(m_carol, general, "I'm halfway through. No spoilers please!");
        const std::string thursday = say(m_carol, general, "@Dana Kim are you joining on Thursday?");
        say(m_alice, general, "Same here, it stays with you.", finished);
        say(m_alice, general, "Proposed next books:\n- *Piranesi*\n- *A Memory Called Empire*\n- *The Dispossessed*");
        say(m_bob, general, "> The only thing that makes life possible is permanent, intolerable uncertainty\n\nSo true 🙌 "
                            "I put the list in our sheet:\n\n```\n=SORT(A2:A20)\n```");
        QVERIFY(QTest::qWaitFor([&] { return m_app->client.store().party(m_party.partyId) != nullptr; }, 5000));
        m_app->chat().goToTopic(QString::fromStdString(m_party.partyId), QString::fromStdString(general));
        QVERIFY(QTest::qWaitFor([&] { return m_app->client.timeline().rowCount() >= 8; }, 10000));
        // Reactions (one of them Dana's), a pin, and Dana's answer as a reply.
        for (Person *p : {&m_alice, &m_bob, &m_carol})
            QVERIFY(isOk((*p)->request("reaction.add", {{"messageId", finished}, {"emoji", "\xf0\x9f\x91\x8d"}})));
        QVERIFY(isOk(m_carol->request("reaction.add", {{"messageId", finished}, {"emoji", "\xf0\x9f\x98\xad"}})));
        QVERIFY(isOk(m_alice->request("reaction.add", {{"messageId", welcome}, {"emoji", "\xf0\x9f\x93\x9a"}})));
        QVERIFY(!m_app->call("reaction.add", {{"messageId", welcome}, {"emoji", "\xf0\x9f\x93\x9a"}}).contains("error"));
        QVERIFY(isOk(m_alice->request("message.pin", {{"messageId", welcome}, {"pinned", true}})));
        m_app->client.send(QString::fromStdString(general), QStringLiteral("Yes! I'll bring snacks."), QString::fromStdString(thursday));
        QVERIFY(QTest::qWaitFor([&] { return m_app->client.outbox().entries().isEmpty(); }, 10000));
        QVERIFY(isOk(m_bob->request("typing.start", {{"topicId", general}})));
        QVERIFY(QTest::qWaitFor([&] { return !m_app->client.typing().summary().isEmpty(); }, 5000));
        QVERIFY(shoot(QStringLiteral("02-main-light")));

        m_theme->setChoice(app::Preferences::Theme::Dark);
        QVERIFY(isOk(m_bob->request("typing.start", {{"topicId", general}})));
        QVERIFY(shoot(QStringLiteral("03-main-dark")));
        m_theme->setChoice(app::Preferences::Theme::Light);

        // The emoji picker, opened from a message's toolbar.
        auto *pane = m_app->window.findChild<ui::TopicPane *>();
        const auto &timeline = m_app->client.timeline();
        const QModelIndex last = timeline.index(timeline.rowCount() - 1);
        pane->messageActions()->react(last, m_app->window.mapToGlobal(QPoint(m_app->window.width() / 2, 120)));
        QVERIFY(QTest::qWaitFor([&] { return pane->messageActions()->picker() && pane->messageActions()->picker()->isVisible(); }, 3000));
        QTest::keyClicks(pane->messageActions()->picker()->searchField(), QStringLiteral("heart"));
        QVERIFY(shoot(QStringLiteral("04-emoji-picker"), pane->messageActions()->picker()));
        pane->messageActions()->picker()->close();

        // Search everywhere, with a filter as a chip and the matched words marked.
        m_app->chat().openSearch(false);
        auto *search = m_app->chat().searchPanel();
        QTest::keyClicks(search->field(), QStringLiteral("the from:\"Bob Okafor\""));
        QVERIFY(QTest::qWaitFor([&] { return search->model().resultCount() >= 2; }, 5000));
        QVERIFY(shoot(QStringLiteral("05-search")));
        QTest::keyClick(search->field(), Qt::Key_Escape);

        // Direct conversations: Alice with Dana, and a group of Bob, Carol and Dana.
        const std::string dana = m_app->client.store().me().id;
        const json withAlice = m_alice->request("direct.open", {{"userIds", {dana}}});
        const json group = m_bob->request("direct.open", {{"userIds", {dana, m_carol.login.userId}}});
        QVERIFY(isOk(withAlice) && isOk(group));
        const std::string aliceTopic = withAlice["result"]["party"]["topics"][0]["id"];
        say(m_alice, aliceTopic, "Hi Dana! Could you pick up the books from the library on Thursday?");
        say(m_alice, aliceTopic, "They are under my name, three of them.");
        say(m_bob, group["result"]["party"]["topics"][0]["id"], "Shall we three do the snacks rota?");
        QVERIFY(QTest::qWaitFor([&] { return m_app->client.directs().rowCount() == 2; }, 5000));
        m_app->chat().goToTopic(QString::fromStdString(withAlice["result"]["party"]["id"]), {});
        QVERIFY(QTest::qWaitFor([&] { return m_app->client.timeline().rowCount() == 2; }, 5000));
        m_app->client.send(QString::fromStdString(aliceTopic), QStringLiteral("Sure, I'll be there after work."));
        QVERIFY(QTest::qWaitFor([&] { return m_app->client.outbox().entries().isEmpty(); }, 10000));
        QVERIFY(shoot(QStringLiteral("06-direct")));
        m_app->chat().goToTopic(QString::fromStdString(m_party.partyId), QString::fromStdString(general));
    }

    void people()
    {
        // Carol's status, for an afternoon; Dana hears only mentions from #off-topic and nothing from #meetups.
        const qint64 later = QDateTime::currentDateTime().addSecs(2 * 3600).toMSecsSinceEpoch();
        QVERIFY(isOk(m_carol->request("profile.update", {{"statusText", "Reading on the balcony \xf0\x9f\x93\x9a"}, {"statusExpiresAt", later}})));
        const std::string carol = m_carol.login.userId;
        QVERIFY(QTest::qWaitFor([&] { return !m_app->client.store().statusOf(carol).text.empty(); }, 5000));
        const auto &topics = m_app->client.topics();
        for (int row = 0; row < topics.rowCount(); ++row) {
            const QString name = topics.index(row).data(app::TopicListModel::NameRole).toString();
            const QString id = topics.index(row).data(app::TopicListModel::TopicIdRole).toString();
            if (name == QLatin1String("off-topic"))
                m_app->preferences.setTopicLevel(id, protocol::NotifyLevel::Mentions);
            if (name == QLatin1String("meetups"))
                m_app->preferences.setTopicLevel(id, protocol::NotifyLevel::Nothing);
        }
        say(m_bob, m_party.topicId, "Carol, which chapter are you on?");

        // Her card, from the member list.
        QListView *members = m_app->chat().memberList();
        for (int row = 0; row < members->model()->rowCount(); ++row) {
            const QModelIndex index = members->model()->index(row, 0);
            if (index.data(app::MemberListModel::UserIdRole).toString().toStdString() == carol)
                QTest::mouseClick(members->viewport(), Qt::LeftButton, {}, members->visualRect(index).center());
        }
        QVERIFY(QTest::qWaitFor([&] { return m_app->chat().profileCard() && m_app->chat().profileCard()->isVisible(); }, 3000));
        QVERIFY(shoot(QStringLiteral("07-profile")));
        m_app->chat().profileCard()->close();

        // A topic's notification levels, from its menu.
        QListView *topicList = m_app->list("topicList");
        bool shot = false;
        QTimer::singleShot(200, [&] {
            auto *menu = qobject_cast<QMenu *>(QApplication::activePopupWidget());
            if (!menu)
                return;
            if (auto *levels = menu->findChild<QMenu *>(QStringLiteral("notificationLevels"))) {
                menu->setActiveAction(levels->menuAction());
                levels->popup(menu->mapToGlobal(menu->actionGeometry(levels->menuAction()).topRight()));
                QTest::qWait(300);
                shot = shoot(QStringLiteral("08-levels"));
            }
            QApplication::activePopupWidget()->close();
            menu->close();
        });
        QMetaObject::invokeMethod(topicList, "customContextMenuRequested", Q_ARG(QPoint, topicList->visualRect(topics.index(2)).center()));
        QVERIFY(QTest::qWaitFor([&] { return shot; }, 3000));
    }

    void dialogs()
    {
        m_app->chat().openCreateParty();
        auto *create = m_app->waitForDialog<ui::NameDialog>();
        QVERIFY(create);
        QVERIFY(shoot(QStringLiteral("10-create-party"), create));
        create->reject();

        m_app->chat().openCreateTopic();
        auto *topic = m_app->waitForDialog<ui::NameDialog>();
        QVERIFY(topic);
        QVERIFY(shoot(QStringLiteral("11-new-topic"), topic));
        topic->reject();

        m_app->chat().openDeleteTopic();
        auto *confirm = m_app->waitForDialog<ui::ConfirmDialog>();
        QVERIFY(confirm);
        QVERIFY(shoot(QStringLiteral("12-delete-topic"), confirm));
        confirm->reject();

        m_app->chat().openInvites();
        auto *invites = m_app->waitForDialog<ui::InvitesDialog>();
        QVERIFY(invites);
        invites->findChild<QAbstractButton *>(QStringLiteral("createInvite"))->click();
        QVERIFY(QTest::qWaitFor([&] { return !invites->lastLink().isEmpty(); }, 5000));
        QVERIFY(shoot(QStringLiteral("13-invites"), invites));
        invites->reject();

        m_app->chat().openPartySettings();
        auto *settings = m_app->waitForDialog<ui::PartySettingsDialog>();
        QVERIFY(settings);
        QVERIFY(shoot(QStringLiteral("14-party-settings"), settings));
        settings->findChild<QTabWidget *>()->setCurrentIndex(1);
        QVERIFY(shoot(QStringLiteral("15-party-members"), settings));
        settings->reject();

        const json invite = m_bob->request("invite.create", {{"partyId", m_bob->request("party.list", json::object())["result"]["parties"][1]["id"]}});
        m_app->chat().openJoinParty(QString::fromStdString(invite["result"]["invite"]["url"].get<std::string>()));
        auto *join = m_app->waitForDialog<ui::JoinPartyDialog>();
        QVERIFY(join);
        QTest::qWait(500);
        QVERIFY(shoot(QStringLiteral("16-join-party"), join));
        join->reject();

        m_app->chat().openSettings();
        auto *prefs = m_app->waitForDialog<ui::SettingsDialog>();
        QVERIFY(prefs);
        QVERIFY(shoot(QStringLiteral("17-settings"), prefs));
        QTemporaryDir chosen;
        const QString photo = chosen.filePath(QStringLiteral("portrait.png"));
        QVERIFY(portrait(QColor(0xe0, 0xf0, 0xd0), QColor(0x6a, 0xa8, 0x5a), QColor(0x2a, 0x40, 0x20), 900)
                    .copy(0, 0, 900, 600).save(photo));
        prefs->cropPicture(photo);
        auto *crop = m_app->waitForDialog<ui::PictureCropDialog>();
        QVERIFY(crop);
        QVERIFY(shoot(QStringLiteral("19-picture-crop"), crop));
        crop->reject();
        prefs->reject();

        m_app->chat().openQuickSwitcher();
        auto *switcher = m_app->waitForDialog<ui::QuickSwitcher>();
        QVERIFY(switcher);
        QTest::keyClicks(switcher->findChild<QLineEdit *>(), QStringLiteral("re"));
        QVERIFY(shoot(QStringLiteral("18-quick-switcher"), switcher));
        switcher->reject();
        m_app->chat().openNewMessage();
        auto *newMessage = m_app->waitForDialog<ui::NewMessageDialog>();
        QVERIFY(newMessage);
        QTest::keyClicks(newMessage->filterEdit(), QStringLiteral("o"));
        QVERIFY(shoot(QStringLiteral("20-new-message"), newMessage));
        newMessage->reject();
    }

    void cleanupTestCase()
    {
        m_app.reset();
    }
};

QTEST_MAIN(TestUiScreenshots)
#include "tst_ui_screenshots.moc"
