// SPDX-License-Identifier: GPL-3.0-or-later
// Names that hold HTML, everywhere the window shows names: a party, a topic and members named
// with <img src=file:…>, <img src=http:…>, <style> and <a href=javascript:…>, seen by a member
// who joins, opens the party and goes through every page and dialog. Every label that shows one
// shows it as plain text, literally; nothing is drawn from the file (a pure red picture), no
// request reaches the address in the name, and tooltips are escaped.

#include "uifixture.h"

#include "app/core/models/searchmodel.h"
#include "app/ui/searchpanel.h"
#include "app/ui/topicpane.h"

#include "app/ui/dialogs/invitesdialog.h"
#include "app/ui/dialogs/joinpartydialog.h"
#include "app/ui/dialogs/partysettingsdialog.h"
#include "app/ui/dialogs/quickswitcher.h"
#include "app/ui/dialogs/requestdialog.h"
#include "app/ui/topicsidebar.h"

#include <QDialogButtonBox>
#include <QImage>
#include <QLabel>
#include <QListView>
#include <QMessageBox>
#include <QPushButton>
#include <QTcpServer>

using namespace chatterbox;
using namespace chatterbox::test;

class TestUiHostile : public QObject {
    Q_OBJECT

    Harness m_harness;
    std::unique_ptr<ui::Theme> m_theme;
    std::unique_ptr<UiApp> m_dana;
    Person m_alice, m_mallory;
    QTemporaryDir m_dir{QStringLiteral("/tmp/hXXXXXX")};   // short: names have a length limit
    QTcpServer m_tracker;   // where a name's remote image would be fetched from
    int m_fetches = 0;
    QString m_redFile;
    std::string m_partyName, m_topicName, m_memberName;
    Harness::PartyIds m_party;

    // Every visible label of a window that shows one of the hostile names shows it as plain text,
    // with the characters it has; the window has no pixel of the red picture.
    void checkShownPlainly(QWidget *window, const char *where)
    {
        QTest::qWait(150);
        int shown = 0;
        for (QLabel *label : window->findChildren<QLabel *>()) {
            if (!label->isVisible() || !label->text().contains(QLatin1Char('<')))
                continue;
            ++shown;
            QVERIFY2(label->textFormat() == Qt::PlainText,
                     qPrintable(QStringLiteral("%1: label \"%2\" may show rich text").arg(QString::fromLatin1(where), label->text())));
        }
        const QImage picture = window->grab().toImage().convertToFormat(QImage::Format_RGB32);
        for (int y = 0; y < picture.height(); ++y) {
            const QRgb *line = reinterpret_cast<const QRgb *>(picture.constScanLine(y));
            for (int x = 0; x < picture.width(); ++x)
                QVERIFY2(qRed(line[x]) < 250 || qGreen(line[x]) > 5 || qBlue(line[x]) > 5,
                         qPrintable(QStringLiteral("%1: a red pixel at %2,%3: the file in a name was drawn").arg(QString::fromLatin1(where)).arg(x).arg(y)));
        }
        QCOMPARE(m_fetches, 0);
        Q_UNUSED(shown);
    }

    template <typename Dialog>
    QPointer<Dialog> openDialog()
    {
        return m_dana->waitForDialog<Dialog>();
    }

private Q_SLOTS:
    void initTestCase()
    {
        // A picture nobody should see, and an address nobody should be asked for.
        m_redFile = m_dir.filePath(QStringLiteral("r.png"));
        QImage red(64, 64, QImage::Format_RGB32);
        red.fill(QColor(255, 0, 0));
        QVERIFY(red.save(m_redFile));
        QVERIFY(m_tracker.listen(QHostAddress::LocalHost, 0));
        connect(&m_tracker, &QTcpServer::newConnection, this, [this] { ++m_fetches; });
        const std::string file = "<img src=\"file://" + m_redFile.toStdString() + "\">";
        const std::string remote = "<img src=\"http://127.0.0.1:" + std::to_string(m_tracker.serverPort()) + "/pixel.png\">";
        m_partyName = file + " Club";
        m_topicName = "<b>bold</b><style>*{color:#ff0000}</style>" + remote;
        m_memberName = "<a href=\"javascript:alert(1)\">Mal</a>";

        QVERIFY(m_harness.start());
        m_theme = std::make_unique<ui::Theme>(*qApp);
        m_theme->setChoice(app::Preferences::Theme::Light);
        m_alice = m_harness.connect(QString::fromStdString(file + "Alice"));
        m_mallory = m_harness.connect(QString::fromStdString(m_memberName));
        QVERIFY(m_alice.ready.is_object() && m_mallory.ready.is_object());
        m_party = Harness::createParty(m_alice, m_partyName);
        QVERIFY(!m_party.partyId.empty());
        QVERIFY(isOk(m_alice->request("topic.rename", {{"topicId", m_party.topicId}, {"name", m_topicName}})));
        QVERIFY(Harness::join(m_alice, m_party.partyId, m_mallory));
        QVERIFY(isOk(m_mallory->request("message.send", {{"topicId", m_party.topicId}, {"clientMsgId", uuid()}, {"body", file + " look"}})));
        m_dana = std::make_unique<UiApp>(QStringLiteral("Dana Kim"), *m_theme);
        QVERIFY(m_dana->signIn(m_harness.server().httpUrl(QString())));
    }

    void joinDialog_showsTheNamesAsText()
    {
        const json invite = m_alice->request("invite.create", {{"partyId", m_party.partyId}});
        m_dana->window.openLink(QString::fromStdString(invite["result"]["invite"]["url"].get<std::string>()));
        QPointer<ui::JoinPartyDialog> join = openDialog<ui::JoinPartyDialog>();
        QVERIFY(join);
        auto *preview = join->findChild<QLabel *>(QStringLiteral("invitePreview"));
        QVERIFY(QTest::qWaitFor([&] { return preview->text().contains(QString::fromStdString(m_partyName)); }, 5000));
        QVERIFY(preview->text().contains(QStringLiteral("Alice")));
        checkShownPlainly(join, "join dialog");
        auto *ok = join->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
        QVERIFY(ok->text().contains(QString::fromStdString(m_partyName)));
        ok->click();
        QVERIFY(QTest::qWaitFor([&] { return m_dana->client.store().party(m_party.partyId) != nullptr; }, 5000));
        // Made an admin, to see what admins see.
        QVERIFY(isOk(m_alice->request("member.setRole", {{"partyId", m_party.partyId}, {"userId", m_dana->client.store().me().id}, {"role", "admin"}})));
        QVERIFY(QTest::qWaitFor([&] { return m_dana->client.canManage(QString::fromStdString(m_party.partyId)); }, 5000));
    }

    void chatPage_listsTimelineTitleAndTyping()
    {
        m_dana->chat().goToTopic(QString::fromStdString(m_party.partyId), QString::fromStdString(m_party.topicId));
        QVERIFY(QTest::qWaitFor([&] { return m_dana->client.timeline().rowCount() >= 1; }, 5000));
        QVERIFY(isOk(m_mallory->request("typing.start", {{"topicId", m_party.topicId}})));
        QVERIFY(QTest::qWaitFor([&] { return !m_dana->client.typing().summary().isEmpty(); }, 5000));
        m_dana->window.resize(1200, 760);
        checkShownPlainly(&m_dana->window, "chat page");
        auto *title = m_dana->window.findChild<QLabel *>(QStringLiteral("topicTitle"));
        QVERIFY(title->text().contains(QString::fromStdString(m_topicName)));
        QVERIFY(m_dana->window.windowTitle().contains(QString::fromStdString(m_topicName)));
        // A tooltip that names the party is escaped, so Qt cannot take it for HTML.
        auto *header = m_dana->window.findChild<QPushButton *>(QStringLiteral("partyHeader"));
        QVERIFY(header->toolTip().isEmpty() || header->toolTip().contains(QStringLiteral("&lt;img")));
    }

    void searchPanel_showsResultsNamesAndErrorsAsText()
    {
        m_dana->chat().openSearch(false);
        auto *search = m_dana->chat().searchPanel();
        QTest::keyClicks(search->field(), QStringLiteral("look"));
        QVERIFY(QTest::qWaitFor([&] { return search->model().resultCount() == 1; }, 5000));
        // The topic's and party's names head the group, Mallory's name and body are the result.
        QVERIFY(search->model().index(0).data().toString().contains(QString::fromStdString(m_topicName)));
        QCOMPARE(search->model().index(1).data(app::SearchModel::AuthorNameRole).toString(), QString::fromStdString(m_memberName));
        checkShownPlainly(&m_dana->window, "search results");
        // The server's refusal quotes what was typed: as text.
        search->field()->setText(QString::fromStdString("has:" + m_topicName));
        QVERIFY(QTest::qWaitFor([&] { return !search->model().error().isEmpty(); }, 5000));
        QVERIFY(search->findChild<QLabel *>(QStringLiteral("searchStatus"))->text().contains(QStringLiteral("<b>bold</b>")));
        checkShownPlainly(&m_dana->window, "search error");
        QTest::keyClick(search->field(), Qt::Key_Escape);
    }

    void confirmDialogs_nameThePartyAndTopicAsText()
    {
        m_dana->chat().openDeleteTopic();
        QPointer<ui::ConfirmDialog> confirm = openDialog<ui::ConfirmDialog>();
        QVERIFY(confirm);
        QVERIFY(confirm->findChild<QLabel *>(QStringLiteral("confirmQuestion"))->text().contains(QString::fromStdString(m_topicName)));
        checkShownPlainly(confirm, "delete topic");
        confirm->reject();
        QVERIFY(QTest::qWaitFor([&] { return !confirm; }, 3000));

        m_dana->chat().openInvites();
        QPointer<ui::InvitesDialog> invites = openDialog<ui::InvitesDialog>();
        QVERIFY(invites);
        checkShownPlainly(invites, "invites");
        invites->reject();
        QVERIFY(QTest::qWaitFor([&] { return !invites; }, 3000));
    }

    void partySettings_andRemovingAMember()
    {
        m_dana->chat().openPartySettings();
        QPointer<ui::PartySettingsDialog> settings = openDialog<ui::PartySettingsDialog>();
        QVERIFY(settings);
        checkShownPlainly(settings, "party settings");
        // Pick the member with the link for a name, and ask to remove them.
        auto *members = settings->findChild<QListView *>(QStringLiteral("partyMembers"));
        QVERIFY(members);
        for (int row = 0; row < members->model()->rowCount(); ++row) {
            if (members->model()->index(row, 0).data(app::MemberListModel::UserIdRole).toString().toStdString() == m_mallory.login.userId)
                members->setCurrentIndex(members->model()->index(row, 0));
        }
        auto *remove = settings->findChild<QPushButton *>(QStringLiteral("kickMember"));
        QVERIFY(remove);
        remove->click();
        QPointer<ui::ConfirmDialog> confirm;
        QVERIFY(QTest::qWaitFor([&] {
            for (auto *d : settings->findChildren<ui::ConfirmDialog *>())
                if (d->isVisible())
                    confirm = d;
            return confirm;
        }, 3000));
        QVERIFY(confirm->windowTitle().contains(QStringLiteral("javascript")) || confirm->findChild<QLabel *>(QStringLiteral("confirmQuestion"))->text().contains(QStringLiteral("javascript")));
        checkShownPlainly(confirm, "remove member");
        confirm->reject();
        settings->reject();
        QVERIFY(QTest::qWaitFor([&] { return !settings; }, 3000));
    }

    void quickSwitcher_listsTheNamesAsText()
    {
        m_dana->chat().openQuickSwitcher();
        QPointer<ui::QuickSwitcher> switcher = openDialog<ui::QuickSwitcher>();
        QVERIFY(switcher);
        QTest::keyClicks(switcher->findChild<QLineEdit *>(QStringLiteral("switcherQuery")), QStringLiteral("<"));
        checkShownPlainly(switcher, "quick switcher");
        switcher->reject();
    }

    void refusedLink_saysWhyAsText()
    {
        m_dana->window.openLink(QStringLiteral("chatterbox://invite?server=") + QString::fromLatin1(QUrl::toPercentEncoding(QStringLiteral("<img src=\"file://") + m_redFile + QStringLiteral("\">")))
                                + QStringLiteral("&code=AbCdEfGhIjKlMnOpQrSt_-"));
        QPointer<QMessageBox> box = m_dana->waitForDialog<QMessageBox>();
        QVERIFY(box);
        QCOMPARE(box->textFormat(), Qt::PlainText);
        checkShownPlainly(box, "refused link");
        box->close();
    }

    // What stopped a topic from loading is shown as text (it carries the server's words, and
    // here the topic's name), with Try Again, which asks again and puts the strip away.
    void loadProblem_saysWhyAsText_andRetries()
    {
        m_dana->chat().goToTopic(QString::fromStdString(m_party.partyId), QString::fromStdString(m_party.topicId));
        ui::TopicPane *pane = m_dana->chat().pane();
        QVERIFY(!pane->loadProblem()->isVisible());
        const QString why = QStringLiteral("Could not catch up with new messages in ") + QString::fromStdString(m_topicName);
        Q_EMIT m_dana->client.connection().topicLoadFailed(m_dana->client.currentTopicId(), why);
        QVERIFY(pane->loadProblem()->isVisible());
        QCOMPARE(pane->loadProblem()->findChild<QLabel *>(QStringLiteral("loadProblemText"))->text(), why);
        checkShownPlainly(&m_dana->window, "load problem");
        pane->loadProblem()->findChild<QPushButton *>(QStringLiteral("loadRetryButton"))->click();
        QVERIFY(!pane->loadProblem()->isVisible());
        QVERIFY(m_dana->client.timeline().rowCount() >= 1);
    }
};

QTEST_MAIN(TestUiHostile)
#include "tst_ui_hostile.moc"
