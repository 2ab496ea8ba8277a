// SPDX-License-Identifier: GPL-3.0-or-later
// Every dialog of the window, opened from the keyboard where it has a shortcut, filled in, and
// checked against what the server and the other members then see: parties, topics, invites,
// joining by link, party settings, the person's settings, the quick switcher and topic keys.

#include "uifixture.h"

#include "app/ui/dialogs/invitesdialog.h"
#include "app/ui/dialogs/joinpartydialog.h"
#include "app/ui/dialogs/namedialog.h"
#include "app/ui/dialogs/partysettingsdialog.h"
#include "app/ui/dialogs/quickswitcher.h"
#include "app/ui/dialogs/requestdialog.h"
#include "app/ui/dialogs/settingsdialog.h"

#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QLabel>
#include <QPushButton>
#include <QTabWidget>
#include <QTreeWidget>
#include <QWindow>

using namespace chatterbox;
using namespace chatterbox::test;

class TestUiDialogs : public QObject {
    Q_OBJECT

    Harness m_harness;
    std::unique_ptr<ui::Theme> m_theme;
    std::unique_ptr<UiApp> m_dana;
    Person m_alice, m_bob;
    QString m_crewId;
    QTemporaryDir m_config;   // XDG_CONFIG_HOME: where "start at login" writes

    app::Store &store() { return m_dana->client.store(); }

    void activate()
    {
        // A dialog that closed took the platform's focus window with it: ask for it back.
        m_dana->window.windowHandle()->requestActivate();
        QApplication::setActiveWindow(&m_dana->window);
        QVERIFY(QTest::qWaitForWindowActive(&m_dana->window));
    }

    void press(QKeyCombination keys)
    {
        activate();
        QTest::keyClick(&m_dana->window, keys.key(), keys.keyboardModifiers());
    }

    static QPushButton *ok(QDialog *dialog)
    {
        return dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    }

    static QString dialogError(QDialog *dialog)
    {
        auto *label = dialog->findChild<QLabel *>(QStringLiteral("dialogError"));
        return label && label->isVisible() ? label->text() : QString();
    }

    QStringList topicNames()
    {
        QStringList names;
        for (int row = 0; row < m_dana->client.topics().rowCount(); ++row)
            names << m_dana->client.topics().index(row).data(app::TopicListModel::NameRole).toString();
        return names;
    }

    QString currentTopicName()
    {
        const auto *topic = store().topic(m_dana->client.currentTopicId().toStdString());
        return topic ? QString::fromStdString(topic->name) : QString();
    }

    const protocol::Member *member(const QString &partyId, const std::string &userId)
    {
        const auto *party = store().party(partyId.toStdString());
        if (!party)
            return nullptr;
        for (const auto &m : party->members) {
            if (m.userId == userId)
                return &m;
        }
        return nullptr;
    }

private Q_SLOTS:
    void initTestCase()
    {
        qputenv("XDG_CONFIG_HOME", m_config.path().toLocal8Bit());
        QVERIFY(m_harness.start());
        m_theme = std::make_unique<ui::Theme>(*qApp);
        m_theme->setChoice(app::Preferences::Theme::Light);
        m_alice = m_harness.connect(QStringLiteral("Alice Moreau"));
        m_bob = m_harness.connect(QStringLiteral("Bob Okafor"));
        m_dana = std::make_unique<UiApp>(QStringLiteral("Dana Kim"), *m_theme);
        QVERIFY(m_dana->signIn(m_harness.server().httpUrl(QString())));
        // With no party yet, the window says what to do.
        QVERIFY(m_dana->window.findChild<QLabel *>(QStringLiteral("emptyState"))->text().contains(QStringLiteral("not in any party")));
    }

    void createParty_fromTheKeyboard()
    {
        press(Qt::CTRL | Qt::SHIFT | Qt::Key_N);
        auto *dialog = m_dana->waitForDialog<ui::NameDialog>();
        QVERIFY(dialog);
        QTest::keyClick(dialog->nameEdit(), Qt::Key_Return);
        QCOMPARE(dialogError(dialog), QStringLiteral("Type a name first."));
        QTest::keyClicks(dialog->nameEdit(), QStringLiteral("Climbing Crew"));
        QTest::keyClick(dialog->nameEdit(), Qt::Key_Return);
        QVERIFY(QTest::qWaitFor([&] { return !dialog->isVisible(); }, 5000));
        QVERIFY(QTest::qWaitFor([&] { return !m_dana->client.currentPartyId().isEmpty(); }, 5000));
        m_crewId = m_dana->client.currentPartyId();
        QCOMPARE(QString::fromStdString(store().party(m_crewId.toStdString())->name), QStringLiteral("Climbing Crew"));
        QVERIFY(QTest::qWaitFor([&] { return currentTopicName() == QStringLiteral("general"); }, 5000));
    }

    void createTopic_andRenameIt_andRefusal()
    {
        press(Qt::CTRL | Qt::Key_T);
        auto *create = m_dana->waitForDialog<ui::NameDialog>();
        QVERIFY(create);
        QTest::keyClicks(create->nameEdit(), QStringLiteral("routes"));
        QTest::keyClick(create->nameEdit(), Qt::Key_Return);
        QVERIFY(QTest::qWaitFor([&] { return currentTopicName() == QStringLiteral("routes"); }, 5000));
        QCOMPARE(topicNames(), (QStringList{QStringLiteral("general"), QStringLiteral("routes")}));

        m_dana->chat().openRenameTopic();
        auto *rename = m_dana->waitForDialog<ui::NameDialog>();
        QVERIFY(rename);
        QCOMPARE(rename->nameEdit()->text(), QStringLiteral("routes"));
        // The server refuses a name with a control character; the dialog says why and stays.
        rename->nameEdit()->setText(QStringLiteral("bad\x01name"));
        ok(rename)->click();
        QVERIFY(QTest::qWaitFor([&] { return !dialogError(rename).isEmpty(); }, 5000));
        QVERIFY(rename->isVisible());
        QVERIFY2(dialogError(rename).contains(QStringLiteral("control")), qPrintable(dialogError(rename)));
        rename->nameEdit()->setText(QStringLiteral("crag-routes"));
        ok(rename)->click();
        QVERIFY(QTest::qWaitFor([&] { return topicNames().contains(QStringLiteral("crag-routes")); }, 5000));
        QVERIFY(!rename->isVisible());
    }

    void deleteTopic_asksFirst()
    {
        m_dana->chat().openDeleteTopic();
        auto *confirm = m_dana->waitForDialog<ui::ConfirmDialog>();
        QVERIFY(confirm);
        confirm->reject();
        QVERIFY(topicNames().contains(QStringLiteral("crag-routes")));
        m_dana->chat().openDeleteTopic();
        confirm = m_dana->waitForDialog<ui::ConfirmDialog>();
        ok(confirm)->click();
        QVERIFY(QTest::qWaitFor([&] { return !topicNames().contains(QStringLiteral("crag-routes")); }, 5000));
    }

    void invites_createCopyListRevoke()
    {
        press(Qt::CTRL | Qt::SHIFT | Qt::Key_I);
        auto *dialog = m_dana->waitForDialog<ui::InvitesDialog>();
        QVERIFY(dialog);
        auto *expiry = dialog->findChild<QComboBox *>(QStringLiteral("inviteExpiry"));
        auto *uses = dialog->findChild<QComboBox *>(QStringLiteral("inviteUses"));
        expiry->setCurrentIndex(expiry->findData(24 * 3600));
        uses->setCurrentIndex(uses->findData(5));
        dialog->findChild<QAbstractButton *>(QStringLiteral("createInvite"))->click();
        QVERIFY(QTest::qWaitFor([&] { return !dialog->lastLink().isEmpty(); }, 5000));
        const QString link = dialog->lastLink();
        QVERIFY(link.contains(QStringLiteral("/invite/")));
        dialog->findChild<QAbstractButton *>(QStringLiteral("copyInvite"))->click();
        QCOMPARE(QApplication::clipboard()->text(), link);
        auto *list = dialog->findChild<QTreeWidget *>(QStringLiteral("inviteList"));
        QVERIFY(QTest::qWaitFor([&] { return list->topLevelItemCount() == 1; }, 5000));
        QCOMPARE(list->topLevelItem(0)->text(0), link);
        QCOMPARE(list->topLevelItem(0)->text(1), QStringLiteral("0 of 5"));
        const std::string code = link.section(QLatin1Char('/'), -1).toStdString();
        QVERIFY(isOk(m_bob->request("invite.preview", {{"code", code}})));

        list->setCurrentItem(list->topLevelItem(0));
        dialog->findChild<QAbstractButton *>(QStringLiteral("revokeInvite"))->click();
        QVERIFY(QTest::qWaitFor([&] { return list->topLevelItemCount() == 0; }, 5000));
        QCOMPARE(errorCode(m_bob->request("invite.preview", {{"code", code}})), std::string("not_found"));
        dialog->reject();
    }

    void join_byPastedLink_showsThePartyFirst()
    {
        const json garden = m_alice->request("party.create", {{"name", "Alice's Garden"}});
        QVERIFY(isOk(garden));
        const std::string gardenId = garden["result"]["party"]["id"];
        const json invite = m_alice->request("invite.create", {{"partyId", gardenId}});
        const QString url = QString::fromStdString(invite["result"]["invite"]["url"].get<std::string>());

        press(Qt::CTRL | Qt::SHIFT | Qt::Key_J);
        auto *dialog = m_dana->waitForDialog<ui::JoinPartyDialog>();
        QVERIFY(dialog);
        auto *edit = dialog->findChild<QLineEdit *>(QStringLiteral("inviteLinkEdit"));
        auto *preview = dialog->findChild<QLabel *>(QStringLiteral("invitePreview"));
        edit->setText(QStringLiteral("-platformpluginpath"));
        QVERIFY2(preview->text().contains(QStringLiteral("not an invite link")), qPrintable(preview->text()));
        QVERIFY(!ok(dialog)->isEnabled());
        edit->setText(QStringLiteral("-platformpluginpath /tmp"));
        QVERIFY2(preview->text().contains(QStringLiteral("no spaces")), qPrintable(preview->text()));
        QVERIFY(!ok(dialog)->isEnabled());
        edit->setText(QString(64 * 1024, QLatin1Char('x')));
        QVERIFY(preview->text().contains(QStringLiteral("too long")));
        QVERIFY(!ok(dialog)->isEnabled());
        const QString code = url.section(QLatin1Char('/'), -1);
        edit->setText(QStringLiteral("https://chat.elsewhere.example/invite/") + code);
        QVERIFY(preview->text().contains(QStringLiteral("another server")));
        QCOMPARE(ok(dialog)->text(), QStringLiteral("Sign In There"));

        edit->setText(url);
        QVERIFY(QTest::qWaitFor([&] { return ok(dialog)->isEnabled(); }, 5000));
        QVERIFY2(preview->text().contains(QStringLiteral("Alice's Garden")) && preview->text().contains(QStringLiteral("Alice Moreau")),
                 qPrintable(preview->text()));
        QVERIFY(store().party(gardenId) == nullptr);   // nothing joined by looking
        ok(dialog)->click();
        QVERIFY(QTest::qWaitFor([&] { return m_dana->client.currentPartyId().toStdString() == gardenId; }, 5000));
        // A plain member is not offered what only owners and admins may do.
        QVERIFY(!m_dana->chat().canManage());
        QVERIFY(!m_dana->window.findChild<QWidget *>(QStringLiteral("inviteButton"))->isVisible());
        QVERIFY(!m_dana->window.findChild<QWidget *>(QStringLiteral("createTopicButton"))->isVisible());
    }

    void partySettings_renameRolesKickTransferLeave()
    {
        const json invite = m_dana->call("invite.create", {{"partyId", m_crewId.toStdString()}});
        const std::string code = invite["invite"]["code"];
        QVERIFY(isOk(m_alice->request("invite.join", {{"code", code}})));
        QVERIFY(isOk(m_bob->request("invite.join", {{"code", code}})));
        const std::string aliceId = m_alice.ready["me"]["id"];
        const std::string bobId = m_bob.ready["me"]["id"];
        m_dana->chat().goToTopic(m_crewId, {});
        QVERIFY(QTest::qWaitFor([&] { return member(m_crewId, bobId) != nullptr; }, 5000));

        m_dana->chat().openPartySettings();
        auto *dialog = m_dana->waitForDialog<ui::PartySettingsDialog>();
        QVERIFY(dialog);
        auto *name = dialog->findChild<QLineEdit *>(QStringLiteral("partyNameEdit"));
        name->setText(QStringLiteral("Climbing Crew 2027"));
        dialog->findChild<QAbstractButton *>(QStringLiteral("renameParty"))->click();
        QVERIFY(m_alice->waitForEvent("party.updated", [](const json &e) { return e["name"] == "Climbing Crew 2027"; }));

        dialog->findChild<QTabWidget *>()->setCurrentIndex(1);
        auto *members = dialog->findChild<QListView *>(QStringLiteral("partyMembers"));
        auto select = [&](const std::string &userId) {
            for (int row = 0; row < members->model()->rowCount(); ++row) {
                const QModelIndex index = members->model()->index(row, 0);
                if (index.data(app::MemberListModel::UserIdRole).toString().toStdString() == userId)
                    members->setCurrentIndex(index);
            }
        };
        select(aliceId);
        dialog->findChild<QAbstractButton *>(QStringLiteral("makeAdmin"))->click();
        QVERIFY(QTest::qWaitFor([&] { return member(m_crewId, aliceId)->role == protocol::Role::Admin; }, 5000));
        select(aliceId);
        dialog->findChild<QAbstractButton *>(QStringLiteral("makeMember"))->click();
        QVERIFY(QTest::qWaitFor([&] { return member(m_crewId, aliceId)->role == protocol::Role::Member; }, 5000));

        select(bobId);
        dialog->findChild<QAbstractButton *>(QStringLiteral("kickMember"))->click();
        auto *confirm = m_dana->waitForDialog<ui::ConfirmDialog>();
        QVERIFY(confirm);
        ok(confirm)->click();
        QVERIFY(QTest::qWaitFor([&] { return member(m_crewId, bobId) == nullptr; }, 5000));

        select(aliceId);
        dialog->findChild<QAbstractButton *>(QStringLiteral("transferOwnership"))->click();
        confirm = m_dana->waitForDialog<ui::ConfirmDialog>();
        ok(confirm)->click();
        QVERIFY(QTest::qWaitFor([&] { return store().party(m_crewId.toStdString())->ownerId == aliceId; }, 5000));
        QVERIFY(QTest::qWaitFor([&] { return !dialog->findChild<QWidget *>(QStringLiteral("deleteParty"))->isVisibleTo(dialog); }, 5000));

        dialog->findChild<QTabWidget *>()->setCurrentIndex(0);
        dialog->findChild<QAbstractButton *>(QStringLiteral("leaveParty"))->click();
        confirm = m_dana->waitForDialog<ui::ConfirmDialog>();
        ok(confirm)->click();
        QVERIFY(QTest::qWaitFor([&] { return store().party(m_crewId.toStdString()) == nullptr; }, 5000));
        QVERIFY(QTest::qWaitFor([&] { return !dialog->isVisible(); }, 5000));   // its party is gone
    }

    void deleteParty_byItsOwner()
    {
        const json mine = m_dana->call("party.create", {{"name", "Short-lived"}});
        const QString id = QString::fromStdString(mine["party"]["id"].get<std::string>());
        QVERIFY(QTest::qWaitFor([&] { return store().party(id.toStdString()) != nullptr; }, 5000));
        m_dana->chat().goToTopic(id, {});
        m_dana->chat().openPartySettings();
        auto *dialog = m_dana->waitForDialog<ui::PartySettingsDialog>();
        dialog->findChild<QAbstractButton *>(QStringLiteral("deleteParty"))->click();
        auto *confirm = m_dana->waitForDialog<ui::ConfirmDialog>();
        ok(confirm)->click();
        QVERIFY(QTest::qWaitFor([&] { return store().party(id.toStdString()) == nullptr; }, 5000));
    }

    void settings_themeAndDisplayName()
    {
        press(Qt::CTRL | Qt::Key_Comma);
        auto *dialog = m_dana->waitForDialog<ui::SettingsDialog>();
        QVERIFY(dialog);
        auto *theme = dialog->findChild<QComboBox *>(QStringLiteral("themeChoice"));
        theme->setCurrentIndex(theme->findData(static_cast<int>(app::Preferences::Theme::Dark)));
        QVERIFY(m_theme->isDark());
        QVERIFY(QApplication::palette().color(QPalette::Window).lightness() < 80);
        auto *name = dialog->findChild<QLineEdit *>(QStringLiteral("displayNameEdit"));
        name->setText(QStringLiteral("Dana K."));
        dialog->findChild<QCheckBox *>(QStringLiteral("notifyMessages"))->setChecked(false);
        dialog->findChild<QCheckBox *>(QStringLiteral("startAtLogin"))->setChecked(true);
        ok(dialog)->click();
        QVERIFY(QTest::qWaitFor([&] { return store().me().displayName == "Dana K."; }, 5000));
        QVERIFY(m_alice->waitForEvent("profile.updated", [](const json &e) { return e["user"]["displayName"] == "Dana K."; }));
        QCOMPARE(m_dana->preferences.theme(), app::Preferences::Theme::Dark);
        QVERIFY(!m_dana->preferences.notifyOnMessages());
        // Start at login is on: the desktop's autostart has an entry for the app.
        QVERIFY(QFile::exists(m_config.filePath(QStringLiteral("autostart/chatterbox.desktop"))));
        QCOMPARE(m_dana->window.findChild<QLabel *>(QStringLiteral("meLabel"))->text(), QStringLiteral("\u2068Dana K.\u2069"));

        // Cancel puts the theme back as it was.
        m_dana->chat().openSettings();
        dialog = m_dana->waitForDialog<ui::SettingsDialog>();
        theme = dialog->findChild<QComboBox *>(QStringLiteral("themeChoice"));
        theme->setCurrentIndex(theme->findData(static_cast<int>(app::Preferences::Theme::Light)));
        QVERIFY(!m_theme->isDark());
        dialog->reject();
        QVERIFY(m_theme->isDark());
        m_theme->setChoice(app::Preferences::Theme::Light);
    }

    void quickSwitcher_andTopicKeys()
    {
        const json topic = m_alice->request("topic.create", {{"partyId", store().parties().front().id}, {"name", "seedlings"}});
        QVERIFY(isOk(topic));
        QVERIFY(QTest::qWaitFor([&] { return store().topic(topic["result"]["topic"]["id"]) != nullptr; }, 5000));
        m_dana->chat().goToTopic(QString::fromStdString(store().parties().front().id), {});
        QVERIFY(QTest::qWaitFor([&] { return currentTopicName() == QStringLiteral("general"); }, 5000));

        press(Qt::CTRL | Qt::Key_K);
        auto *switcher = m_dana->waitForDialog<ui::QuickSwitcher>();
        QVERIFY(switcher);
        QTest::keyClicks(switcher->findChild<QLineEdit *>(QStringLiteral("switcherQuery")), QStringLiteral("sdlg"));
        QTest::keyClick(switcher->findChild<QLineEdit *>(QStringLiteral("switcherQuery")), Qt::Key_Return);
        QVERIFY(QTest::qWaitFor([&] { return currentTopicName() == QStringLiteral("seedlings"); }, 5000));

        press(Qt::ALT | Qt::Key_Up);
        QVERIFY(QTest::qWaitFor([&] { return currentTopicName() == QStringLiteral("general"); }, 5000));
        press(Qt::ALT | Qt::Key_Down);
        QVERIFY(QTest::qWaitFor([&] { return currentTopicName() == QStringLiteral("seedlings"); }, 5000));

        // The best match first: "hel" is #help, not #general (whose letters are in order too).
        const json help = m_alice->request("topic.create", {{"partyId", store().parties().front().id}, {"name", "help"}});
        QVERIFY(isOk(help));
        QVERIFY(QTest::qWaitFor([&] { return store().topic(help["result"]["topic"]["id"]) != nullptr; }, 5000));
        const auto switchTo = [&](const QString &query) {
            press(Qt::CTRL | Qt::Key_K);
            auto *dialog = m_dana->waitForDialog<ui::QuickSwitcher>();
            QVERIFY(dialog);
            auto *field = dialog->findChild<QLineEdit *>(QStringLiteral("switcherQuery"));
            QTest::keyClicks(field, query);
            QTest::keyClick(field, Qt::Key_Return);
            QVERIFY(QTest::qWaitFor([&] { return !dialog->isVisible(); }, 5000));
        };
        switchTo(QStringLiteral("hel"));
        QVERIFY(QTest::qWaitFor([&] { return currentTopicName() == QStringLiteral("help"); }, 5000));
        // A person: the direct conversation with them, started for the purpose.
        switchTo(QStringLiteral("alice mo"));
        QVERIFY(QTest::qWaitFor([&] {
            const auto *party = store().party(m_dana->client.currentPartyId().toStdString());
            return party && party->kind == protocol::PartyKind::Direct && store().conversationName(*party) == QStringLiteral("Alice Moreau");
        }, 5000));
    }

    void everyControl_hasAnAccessibleName()
    {
        QStringList unnamed;
        for (QWidget *w : m_dana->window.findChildren<QWidget *>()) {
            if (!w->isVisible() || !(qobject_cast<QAbstractButton *>(w) || qobject_cast<QLineEdit *>(w)
                                     || qobject_cast<QAbstractItemView *>(w) || qobject_cast<QComboBox *>(w)
                                     || qobject_cast<QPlainTextEdit *>(w)))
                continue;
            auto *button = qobject_cast<QAbstractButton *>(w);
            if (w->accessibleName().isEmpty() && (!button || button->text().isEmpty()))
                unnamed << QString::fromLatin1(w->metaObject()->className()) + QLatin1Char(' ') + w->objectName();
        }
        QVERIFY2(unnamed.isEmpty(), qPrintable(unnamed.join(QStringLiteral(", "))));
    }
};

QTEST_MAIN(TestUiDialogs)
#include "tst_ui_dialogs.moc"
