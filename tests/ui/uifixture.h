// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The whole desktop app as main() builds it (client, window, theme), signed in through the
// development provider's browser flow against the real server, for widget tests.

#include "e2e/appfixture.h"

#include "app/core/client.h"
#include "app/core/preferences.h"
#include "app/ui/chatpage.h"
#include "app/ui/composer.h"
#include "app/ui/mainwindow.h"
#include "app/ui/signinpage.h"
#include "app/ui/theme.h"
#include "app/ui/timelineview.h"

#include <QAbstractButton>
#include <QApplication>
#include <QDialog>
#include <QLineEdit>
#include <QListView>
#include <QTemporaryDir>

namespace chatterbox::test {

// One app window for one person; its settings and outbox live in a temporary directory.
struct UiApp {
    UiApp(const QString &name, ui::Theme &theme)
        : browser(name),
          preferences(dir.filePath(QStringLiteral("settings.ini"))),
          client(secrets, browser, dir.filePath(QStringLiteral("outbox.json"))),
          window(client, preferences, theme)
    {
        window.resize(1200, 760);
        client.setCacheDirectory(dir.path());   // fetched files stay with this test
    }

    // Types the server address, picks the development provider, and waits for the chat.
    bool signIn(const QUrl &server)
    {
        window.show();
        window.start();
        auto *address = window.findChild<QLineEdit *>(QStringLiteral("serverUrl"));
        if (!address)
            return false;
        address->setText(server.toString());
        QTest::keyClick(address, Qt::Key_Return);
        QAbstractButton *dev = nullptr;
        if (!QTest::qWaitFor([&] { return (dev = window.findChild<QAbstractButton *>(QStringLiteral("provider-dev"))) && dev->isVisible() && dev->isEnabled(); }, 10000))
            return false;
        dev->click();
        return online();
    }

    bool online(int timeoutMs = 20000)
    {
        return QTest::qWaitFor([&] { return client.connection().state() == app::Connection::State::Online
                                            && window.chatPage()->isVisible(); }, timeoutMs);
    }

    // The newest dialog of a type that is open on this window.
    template <typename Dialog>
    Dialog *waitForDialog(int timeoutMs = 5000)
    {
        Dialog *found = nullptr;
        (void)QTest::qWaitFor([&] {
            for (Dialog *d : window.findChildren<Dialog *>()) {
                if (d->isVisible())
                    found = d;
            }
            return found != nullptr;
        }, timeoutMs);
        return found;
    }

    // One request on the app's own connection, answered synchronously.
    json call(const std::string &type, json fields) { return callThrough(client.connection(), type, std::move(fields)); }

    // Joins the party through an invite the inviter makes, as a person with a link does, and
    // opens its topic in the window.
    bool joinAndOpen(Person &inviter, const Harness::PartyIds &party)
    {
        const json invite = inviter->request("invite.create", {{"partyId", party.partyId}});
        if (!isOk(invite) || !call("invite.join", {{"code", invite["result"]["invite"]["code"]}}).contains("party"))
            return false;
        if (!QTest::qWaitFor([&] { return client.store().party(party.partyId) != nullptr; }, 5000))
            return false;
        chat().goToTopic(QString::fromStdString(party.partyId), QString::fromStdString(party.topicId));
        return QTest::qWaitFor([&] { return client.currentTopicId().toStdString() == party.topicId; }, 5000);
    }

    ui::ChatPage &chat() { return *window.chatPage(); }
    QListView *list(const char *name) { return window.findChild<QListView *>(QString::fromLatin1(name)); }

    QTemporaryDir dir;
    MemorySecretStore secrets;
    DevBrowser browser;
    app::Preferences preferences;
    app::Client client;
    ui::MainWindow window;
};

} // namespace chatterbox::test
