// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/ui/mainwindow.h"

#include "app/core/messagelink.h"
#include "app/core/serverinfo.h"

#include "app/core/client.h"
#include "app/core/displaytext.h"
#include "app/core/invitelink.h"
#include "app/core/preferences.h"
#include "app/core/unreadcount.h"
#include "app/platform/autostart.h"
#include "app/ui/chatpage.h"
#include "app/ui/dialogs/dialogparts.h"
#include "app/ui/icons.h"
#include "app/ui/signinpage.h"
#include "app/ui/timelineview.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QLoggingCategory>
#include <QMenuBar>
#include <QMessageBox>
#include <QStackedWidget>

#include <algorithm>

// When the window was first usable: what the start-up benchmark reads (off unless
// QT_LOGGING_RULES="chatterbox.startup.info=true").
Q_LOGGING_CATEGORY(lcStartup, "chatterbox.startup", QtWarningMsg)

namespace chatterbox::ui {

using app::Session;

MainWindow::MainWindow(app::Client &client, app::Preferences &preferences, Theme &theme, QWidget *parent)
    : QMainWindow(parent), m_client(client), m_preferences(preferences)
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Chatterbox"));
    setWindowIcon(icon(QStringLiteral("chatterbox")));
    resize(1200, 760);
    setMinimumSize(720, 480);
    m_pages = new QStackedWidget(this);
    m_signIn = new SignInPage(client.session(), preferences, theme, m_pages);
    m_chat = new ChatPage(client, preferences, theme, m_pages);
    m_pages->addWidget(m_signIn);
    m_pages->addWidget(m_chat);
    setCentralWidget(m_pages);
    buildMenus();

    connect(&client.session(), &Session::signedIn, this, [this] {
        m_resuming = false;
        m_resumeRetry.stop();
        showChat();
    });
    connect(&client.session(), &Session::stateChanged, this, [this](Session::State state) {
        if (state == Session::State::SignedOut && m_pages->currentWidget() == m_chat && !m_resuming)
            showSignIn();
    });
    connect(&client.session(), &Session::serverReady, this, [this] { m_resumeReachedServer = true; });
    connect(&client.session(), &Session::failed, this, &MainWindow::resumeFailed);
    connect(&client.session(), &Session::nothingToRestore, this, [this] {
        if (m_resuming)
            endResume();
    });
    m_resumeRetry.setSingleShot(true);
    connect(&m_resumeRetry, &QTimer::timeout, this, [this] {
        m_resumeReachedServer = false;
        m_signIn->start(m_preferences.serverUrl());
    });
    if (lcStartup().isInfoEnabled()) {
        m_signIn->installEventFilter(this);
        m_chat->timeline()->viewport()->installEventFilter(this);
    }
    connect(m_chat, &ChatPage::otherServerRequested, this, &MainWindow::switchServer);
    connect(m_chat, &ChatPage::startupChanged, this, &MainWindow::applyStartup);
    connect(&client, &app::Client::currentTopicChanged, this, &MainWindow::reportOnScreen);
    // The title names where the person is and what waits: "(3) #general · Book Club · Chatterbox".
    m_titleTimer.setSingleShot(true);
    m_titleTimer.setInterval(0);
    connect(&m_titleTimer, &QTimer::timeout, this, &MainWindow::updateTitle);
    const auto retitle = [this] { m_titleTimer.start(); };
    connect(&client, &app::Client::currentTopicChanged, this, retitle);
    connect(&client, &app::Client::currentPartyChanged, this, retitle);
    connect(&client.store(), &app::Store::readStateChanged, this, retitle);
    connect(&client.store(), &app::Store::partyChanged, this, retitle);
    connect(&client.store(), &app::Store::topicsChanged, this, retitle);
    connect(&client.store(), &app::Store::partiesReset, this, retitle);
    connect(&preferences, &app::Preferences::levelsChanged, this, retitle);
    connect(&client.connection(), &app::Connection::ready, this, [this] {
        if (m_heldLink.isEmpty())
            return;
        if (app::looksLikeMessageLink(m_heldLink))
            return openLinks({std::exchange(m_heldLink, {})});
        m_chat->openJoinParty(std::exchange(m_heldLink, {}));
    });
}

void MainWindow::buildMenus()
{
    QMenu *app = menuBar()->addMenu(tr("&Chatterbox"));
    app->addAction(tr("&Settings…"), QKeySequence(Qt::CTRL | Qt::Key_Comma), m_chat, &ChatPage::openSettings);
    app->addAction(tr("Sign &Out"), this, [this] {
        m_client.signOut();
        showSignIn();
    });
    app->addSeparator();
    QAction *quit = app->addAction(tr("&Quit"), QKeySequence::Quit, qApp, &QApplication::quit);
    quit->setMenuRole(QAction::QuitRole);

    QMenu *party = menuBar()->addMenu(tr("&Party"));
    party->addAction(tr("&Create Party…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N), m_chat, &ChatPage::openCreateParty);
    party->addAction(tr("&Join Party…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_J), m_chat, [this] { m_chat->openJoinParty(); });
    party->addAction(tr("&Invite People…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_I), m_chat, &ChatPage::openInvites);
    party->addAction(tr("Party &Settings…"), m_chat, &ChatPage::openPartySettings);

    QAction *invite = party->actions().at(2);

    QMenu *topic = menuBar()->addMenu(tr("&Topic"));
    topic->addAction(tr("&New Topic…"), QKeySequence(Qt::CTRL | Qt::Key_T), m_chat, &ChatPage::openCreateTopic);
    topic->addAction(tr("&Rename Topic…"), m_chat, &ChatPage::openRenameTopic);
    topic->addAction(tr("&Delete Topic…"), m_chat, &ChatPage::openDeleteTopic);
    topic->addSeparator();
    topic->addAction(m_chat->moveTopicUpAction());
    topic->addAction(m_chat->moveTopicDownAction());
    // What only owners and admins may do is greyed out for the others.
    auto updateManaging = [this, invite, topic] {
        const bool manager = m_chat->canManage();
        invite->setEnabled(manager);
        for (QAction *action : topic->actions())
            action->setEnabled(manager);
    };
    connect(party, &QMenu::aboutToShow, this, updateManaging);
    connect(topic, &QMenu::aboutToShow, this, updateManaging);

    QMenu *go = menuBar()->addMenu(tr("&Go"));
    go->addAction(tr("&Quick Switcher…"), QKeySequence(Qt::CTRL | Qt::Key_K), m_chat, &ChatPage::openQuickSwitcher);
    go->addAction(tr("&Find in Topic…"), QKeySequence(Qt::CTRL | Qt::Key_F), m_chat, [this] { m_chat->openSearch(true); });
    go->addAction(tr("&Search Everywhere…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F), m_chat, [this] { m_chat->openSearch(false); });
    go->addAction(tr("&Previous Topic"), QKeySequence(Qt::ALT | Qt::Key_Up), m_chat, [this] { m_chat->stepTopic(-1); });
    go->addAction(tr("&Next Topic"), QKeySequence(Qt::ALT | Qt::Key_Down), m_chat, [this] { m_chat->stepTopic(1); });
    go->addAction(tr("Previous P&arty"), QKeySequence(Qt::ALT | Qt::SHIFT | Qt::Key_Up), m_chat, [this] { m_chat->stepParty(-1); });
    go->addAction(tr("Next Pa&rty"), QKeySequence(Qt::ALT | Qt::SHIFT | Qt::Key_Down), m_chat, [this] { m_chat->stepParty(1); });
    go->addAction(tr("&Members"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M), m_chat, &ChatPage::toggleMembers);

    // Menus that act on the chat are only there once someone is signed in.
    for (QMenu *menu : {party, topic, go})
        menu->menuAction()->setVisible(false);
    connect(m_pages, &QStackedWidget::currentChanged, this, [this, party, topic, go, app] {
        const bool chat = m_pages->currentWidget() == m_chat;
        for (QMenu *menu : {party, topic, go})
            menu->menuAction()->setVisible(chat);
        app->actions().at(0)->setEnabled(chat);
        app->actions().at(1)->setEnabled(chat);
    });
    app->actions().at(0)->setEnabled(false);
    app->actions().at(1)->setEnabled(false);
}

void MainWindow::start()
{
    const QString server = m_preferences.serverUrl();
    if (server.isEmpty() || !m_client.openStore(app::normalizeServerUrl(server))) {
        showSignIn();
        return;
    }
    // What the app kept shows at once; the sign-in and the connection catch up behind it.
    m_resuming = true;
    m_resumeReachedServer = false;
    m_resumeWait = 0;
    showChat();
    m_client.connection().noteOffline(tr("Signing in…"));
    m_signIn->start(server);
}

void MainWindow::resumeFailed(const QString &problem)
{
    if (!m_resuming)
        return;
    if (m_resumeReachedServer) {
        // The server answered and the sign-in is over: the sign-in page says why.
        endResume();
        return;
    }
    m_resumeWait = std::clamp(m_resumeWait * 2, 5, 60);
    m_client.connection().noteOffline(tr("%1 Trying again in %n s.", nullptr, m_resumeWait).arg(problem));
    m_resumeRetry.start(m_resumeWait * 1000);
}

void MainWindow::endResume()
{
    m_resuming = false;
    m_resumeRetry.stop();
    m_pages->setCurrentWidget(m_signIn);
    updateTitle();
}

void MainWindow::showChat()
{
    m_pages->setCurrentWidget(m_chat);
    updateTitle();
}

void MainWindow::showSignIn(const QString &server)
{
    m_pages->setCurrentWidget(m_signIn);
    updateTitle();
    m_signIn->start(server);
}

void MainWindow::updateTitle()
{
    QStringList parts;
    if (m_pages->currentWidget() == m_chat) {
        const auto &store = m_client.store();
        if (const auto *topic = store.topic(m_client.currentTopicId().toStdString()))
            parts << store.placeName(*topic);   // "#general · Book Club", or a conversation's people
        else if (const auto *party = store.party(m_client.currentPartyId().toStdString()))
            parts << app::isolated(QString::fromStdString(party->name));
    }
    parts << tr("Chatterbox");
    QString title = parts.join(QStringLiteral(" · "));
    const int unread = m_pages->currentWidget() == m_chat ? app::unreadForBadge(m_client.store(), m_preferences) : 0;
    if (unread > 0)
        title.prepend(QStringLiteral("(%1) ").arg(unread));
    setWindowTitle(title);
}

void MainWindow::switchServer(const QUrl &server, const QString &link)
{
    m_client.signOut();
    m_heldLink = link;
    showSignIn(server.toString());
}

void MainWindow::openLinks(const QStringList &links)
{
    QStringList refused;
    for (const QString &link : links) {
        if (app::looksLikeMessageLink(link)) {
            const app::MessageLink message = app::parseMessageLink(link);
            if (!message.ok()) {
                refused << tr("%1: %2").arg(QFontMetrics(font()).elidedText(link.simplified(), Qt::ElideMiddle, 400), message.error);
                continue;
            }
            if (m_client.connection().state() != app::Connection::State::Online) {
                m_heldLink = link;   // opened once signed in and connected
                continue;
            }
            if (app::normalizeServerUrl(message.server.toString()) != app::normalizeServerUrl(m_client.session().server().baseUrl.toString())) {
                refused << tr("%1: %2").arg(QFontMetrics(font()).elidedText(link.simplified(), Qt::ElideMiddle, 400),
                                            tr("This message is on another server (%1).").arg(message.server.host()));
                continue;
            }
            showAndRaise();
            m_client.showMessage(message.topicId, message.seq);
            continue;
        }
        const app::InviteLink invite = app::parseInviteLink(link);
        if (!invite.ok()) {
            refused << tr("%1: %2").arg(QFontMetrics(font()).elidedText(link.simplified(), Qt::ElideMiddle, 400), invite.error);
            continue;
        }
        openGoodLink(link, invite);
    }
    if (!refused.isEmpty())
        showRefusedLinks(refused);
}

void MainWindow::showRefusedLinks(const QStringList &lines)
{
    constexpr qsizetype kListed = 8;
    if (!m_refusedLinks)
        m_refusedLines.clear();
    m_refusedLines += lines;
    const qsizetype count = m_refusedLines.size();
    QString details = QStringList(m_refusedLines.mid(0, kListed)).join(QLatin1Char('\n'));
    if (count > kListed)
        details += QLatin1Char('\n') + tr("… and %n more.", nullptr, static_cast<int>(count - kListed));
    if (!m_refusedLinks) {
        m_refusedLinks = new QMessageBox(QMessageBox::Warning, tr("Chatterbox"), QString(), QMessageBox::Ok, this);
        m_refusedLinks->setObjectName(QStringLiteral("linkRefused"));
        m_refusedLinks->setAttribute(Qt::WA_DeleteOnClose);
    }
    m_refusedLinks->setText(count == 1 ? tr("This link cannot be opened.") : tr("%n links cannot be opened.", nullptr, static_cast<int>(count)));
    m_refusedLinks->setInformativeText(count == 1 ? m_refusedLines.first().section(QStringLiteral(": "), -1) : details);
    showAsPlainText(*m_refusedLinks);
    m_refusedLinks->open();
}

void MainWindow::openGoodLink(const QString &link, const app::InviteLink &invite)
{
    if (m_client.connection().state() == app::Connection::State::Online) {
        m_chat->openJoinParty(link);
        return;
    }
    // Joined once the sign-in is done. Someone new is offered the link's server, with its whole
    // address; nothing is sent to a server from a link before they say yes.
    m_heldLink = link;
    if (m_pages->currentWidget() == m_signIn && m_preferences.serverUrl().isEmpty()
        && m_client.session().state() == app::Session::State::SignedOut)
        m_signIn->proposeServer(invite.server);
}

void MainWindow::showAndRaise()
{
    if (isMinimized())
        showNormal();
    else
        show();
    raise();
    activateWindow();
}

void MainWindow::goToTopic(const QString &partyId, const QString &topicId)
{
    if (m_pages->currentWidget() == m_chat)
        m_chat->goToTopic(partyId, topicId);
}

void MainWindow::applyStartup()
{
    const QString error = platform::setStartAtLogin(m_preferences.startAtLogin(), m_preferences.startMinimized());
    if (error.isEmpty())
        return;
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Chatterbox"), tr("Could not change how Chatterbox starts."),
                                QMessageBox::Ok, this);
    box->setInformativeText(error);
    showAsPlainText(*box);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::reportOnScreen()
{
    Q_EMIT onScreenChanged(m_client.currentTopicId(), isActiveWindow() && isVisible() && !isMinimized());
}

bool MainWindow::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::Paint && !m_firstPaintNoted) {
        const bool topic = watched == m_chat->timeline()->viewport() && m_client.timeline().rowCount() > 0;
        if (topic || watched == m_signIn) {
            m_firstPaintNoted = true;
            // Once this paint is on the screen.
            QTimer::singleShot(0, this, [topic] {
                qCInfo(lcStartup, "%s", topic ? "shown: a topic's messages" : "shown: the sign-in page");
            });
        }
    }
    return QMainWindow::eventFilter(watched, event);
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::ActivationChange) {
        if (isActiveWindow())
            m_chat->noteActive();
        reportOnScreen();
    }
    QMainWindow::changeEvent(event);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    m_preferences.settings().sync();
    if (m_trayShown && m_preferences.closeToTray()) {
        // Still running, reachable from the tray, still notifying.
        hide();
        event->ignore();
        reportOnScreen();
        return;
    }
    QMainWindow::closeEvent(event);
}

} // namespace chatterbox::ui
