// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/ui/chatpage.h"

#include "app/core/client.h"
#include "app/core/displaytext.h"
#include "app/core/preferences.h"
#include "app/ui/attachmentloader.h"
#include "app/ui/composer.h"
#include "app/ui/dialogs/invitesdialog.h"
#include "app/ui/dialogs/joinpartydialog.h"
#include "app/ui/dialogs/namedialog.h"
#include "app/ui/dialogs/newmessagedialog.h"
#include "app/ui/dialogs/partysettingsdialog.h"
#include "app/ui/dialogs/quickswitcher.h"
#include "app/ui/dialogs/requestdialog.h"
#include "app/ui/dialogs/settingsdialog.h"
#include "app/ui/icons.h"
#include "app/ui/listdelegates.h"
#include "app/ui/partyrail.h"
#include "app/ui/profilecard.h"
#include "app/ui/searchpanel.h"
#include "app/ui/taborder.h"
#include "app/ui/theme.h"
#include "app/ui/timelineview.h"
#include "app/ui/topiclistview.h"
#include "app/ui/topicpane.h"
#include "app/ui/topicsidebar.h"
#include "app/ui/widgetparts.h"
#include "shared/codec.h"

#include <QAction>
#include <QHBoxLayout>
#include <QListView>
#include <QMenu>
#include <QPointer>
#include <QSplitter>

namespace chatterbox::ui {

using app::Client;

ChatPage::ChatPage(Client &client, app::Preferences &preferences, Theme &theme, QWidget *parent)
    : QWidget(parent), m_client(client), m_preferences(preferences), m_theme(theme)
{
    setObjectName(QStringLiteral("chatPage"));
    client.topics().setPreferences(&preferences);
    client.parties().setPreferences(&preferences);

    m_rail = new PartyRail(client, preferences, theme, this);
    m_sidebar = new TopicSidebar(client, preferences, theme, this);
    m_pane = new TopicPane(client, preferences, theme, this);
    m_members = sideList(new QListView(this), QStringLiteral("memberList"), tr("Members"));
    m_members->setModel(&client.members());
    auto *memberDelegate = new MemberDelegate(theme, m_members);
    // People's pictures come through the loader of the timeline's files: one cache for both.
    memberDelegate->setPictures(m_pane->attachmentLoader());
    connect(m_pane->attachmentLoader(), &AttachmentLoader::changed, m_members->viewport(), qOverload<>(&QWidget::update));
    m_members->setItemDelegate(memberDelegate);
    m_members->setMinimumWidth(180);
    m_members->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_members, &QWidget::customContextMenuRequested, this, &ChatPage::showMemberMenu);
    m_rail->setPictures(m_pane->attachmentLoader());
    m_sidebar->setPictures(m_pane->attachmentLoader());

    m_splitter = new QSplitter(Qt::Horizontal, this);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->setHandleWidth(1);
    m_splitter->addWidget(m_sidebar);
    m_search = new SearchPanel(client, preferences, theme, this);
    m_search->hide();
    m_splitter->addWidget(m_pane);
    m_splitter->addWidget(m_search);
    m_splitter->addWidget(m_members);
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setStretchFactor(2, 0);
    m_splitter->setStretchFactor(3, 0);
    m_splitter->setSizes({250, 700, 340, 230});
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_rail);
    layout->addWidget(m_splitter, 1);
    // Tab goes through the columns left to right, top to bottom in each.
    setTabOrderFromLayout(this);

    connect(m_rail, &PartyRail::partyChosen, this, [this](const QString &partyId) { goToTopic(partyId, {}); });
    connect(m_rail, &PartyRail::createPartyRequested, this, &ChatPage::openCreateParty);
    connect(m_rail, &PartyRail::joinPartyRequested, this, [this] { openJoinParty(); });
    connect(m_rail, &PartyRail::newMessageRequested, this, &ChatPage::openNewMessage);
    connect(m_sidebar, &TopicSidebar::newMessageRequested, this, &ChatPage::openNewMessage);
    connect(m_sidebar, &TopicSidebar::leaveConversationRequested, this, &ChatPage::confirmLeaveConversation);
    connect(m_sidebar, &TopicSidebar::conversationChosen, this, [this](const QString &partyId) { goToTopic(partyId, {}); });
    // A member's row opens their profile card on a click or Enter, beside the row.
    connect(m_members, &QAbstractItemView::activated, this, [this](const QModelIndex &index) {
        const QString userId = index.data(app::MemberListModel::UserIdRole).toString();
        if (m_profile && m_profile->userId() == userId)
            return;   // the click before a double click opened it already
        const QRect row = m_members->visualRect(index);
        openProfile(userId, m_members->viewport()->mapToGlobal(QPoint(row.left(), row.center().y())), true);
    });
    connect(m_members, &QAbstractItemView::clicked, this, [this](const QModelIndex &index) {
        const QRect row = m_members->visualRect(index);
        openProfile(index.data(app::MemberListModel::UserIdRole).toString(), m_members->viewport()->mapToGlobal(QPoint(row.left(), row.center().y())),
                    true);
    });
    connect(m_pane->timeline(), &TimelineView::personRequested, this, [this](const QString &userId, const QPoint &at) { openProfile(userId, at); });
    connect(m_sidebar, &TopicSidebar::topicChosen, &m_client, &Client::showTopic);
    connect(m_sidebar, &TopicSidebar::inviteRequested, this, &ChatPage::openInvites);
    connect(m_sidebar, &TopicSidebar::createTopicRequested, this, &ChatPage::openCreateTopic);
    connect(m_sidebar, &TopicSidebar::partySettingsRequested, this, &ChatPage::openPartySettings);
    connect(m_sidebar, &TopicSidebar::renameTopicRequested, this, &ChatPage::openRenameTopic);
    connect(m_sidebar, &TopicSidebar::deleteTopicRequested, this, &ChatPage::openDeleteTopic);
    connect(m_sidebar, &TopicSidebar::settingsRequested, this, &ChatPage::openSettings);
    connect(m_sidebar, &TopicSidebar::problem, m_pane, &TopicPane::showProblem);
    connect(m_pane, &TopicPane::searchRequested, this, [this] { openSearch(false); });
    connect(m_search, &SearchPanel::resultChosen, &m_client, &Client::showMessage);
    connect(m_search, &SearchPanel::closed, this, [this] {
        m_pane->composer()->setFocus();
        fitMembers();
    });
    connect(m_pane, &TopicPane::inviteRequested, this, &ChatPage::openInvites);
    connect(m_pane, &TopicPane::membersToggleRequested, this, &ChatPage::toggleMembers);
    connect(m_pane, &TopicPane::createPartyRequested, this, &ChatPage::openCreateParty);
    connect(m_pane, &TopicPane::joinPartyRequested, this, [this] { openJoinParty(); });

    connect(&client, &Client::currentPartyChanged, this, &ChatPage::onPartyChanged);
    connect(&client, &Client::currentTopicChanged, this, &ChatPage::onTopicChanged);
    connect(&client.connection(), &app::Connection::ready, this, &ChatPage::onReady);
    connect(&client.store(), &app::Store::partyChanged, this, &ChatPage::refresh);
    connect(&client.store(), &app::Store::topicsChanged, this, &ChatPage::refresh);
    connect(&client.store(), &app::Store::partiesReset, this, [this] {
        refresh();
        if (m_client.currentPartyId().isEmpty() && !m_client.store().parties().empty())
            onReady();
    });
    connect(&client.store(), &app::Store::membersChanged, this, &ChatPage::updateMemberNames);
    connect(&client.store(), &app::Store::membersChanged, this, &ChatPage::refresh);
    connect(&client.members(), &QAbstractItemModel::modelReset, this, &ChatPage::updateMemberNames);
    connect(&theme, &Theme::changed, this, [this] {
        refreshIcons(this);
        refresh();
    });
    refresh();
}

TimelineView *ChatPage::timeline() const
{
    return m_pane->timeline();
}

Composer *ChatPage::composer() const
{
    return m_pane->composer();
}

QAction *ChatPage::moveTopicUpAction() const
{
    return m_sidebar->moveUpAction();
}

QAction *ChatPage::moveTopicDownAction() const
{
    return m_sidebar->moveDownAction();
}

void ChatPage::onReady()
{
    // First connection (or the open party went away): open where the person was last time.
    if (!m_client.currentPartyId().isEmpty())
        return;
    const auto &store = m_client.store();
    const QString last = m_preferences.lastTopicId();
    if (const auto *topic = last.isEmpty() ? nullptr : store.topic(last.toStdString())) {
        goToTopic(QString::fromStdString(topic->partyId), last);
        return;
    }
    if (!store.parties().empty())
        goToTopic(QString::fromStdString(store.parties().front().id), {});
}

void ChatPage::goToTopic(const QString &partyId, const QString &topicId)
{
    m_client.showParty(partyId);
    QString topic = topicId;
    // No topic named: the one of the party the person was in last, else its first.
    const auto *party = m_client.store().party(partyId.toStdString());
    if (topic.isEmpty() && party) {
        for (const QString &recent : m_preferences.recentTopicIds()) {
            const auto *t = m_client.store().topic(recent.toStdString());
            if (t && t->partyId == party->id) {
                topic = recent;
                break;
            }
        }
        if (topic.isEmpty() && !party->topics.empty())
            topic = QString::fromStdString(party->topics.front().id);
    }
    m_client.showTopic(topic);
}

void ChatPage::openSearch(bool thisTopic)
{
    m_search->open(thisTopic);
    fitMembers();
}

void ChatPage::openDirect(const QStringList &userIds)
{
    std::vector<std::string> ids;
    for (const auto &id : userIds)
        ids.push_back(id.toStdString());
    if (const auto *existing = m_client.store().directWith(ids))
        return goToTopic(QString::fromStdString(existing->id), {});
    QPointer<ChatPage> self(this);
    m_client.openDirect(userIds, [self](const protocol::Result<protocol::JoinedParty> &result) {
        if (!self)
            return;
        if (!result)
            return self->m_pane->showProblem(tr("Could not start the conversation: %1").arg(QString::fromStdString(result.error().message)));
        self->goToTopic(QString::fromStdString(result.value().party.id), {});
    });
}

void ChatPage::openProfile(const QString &userId, const QPoint &globalPos, bool leftOf)
{
    if (userId.isEmpty())
        return;
    if (m_profile)
        m_profile->close();
    m_profile = new ProfileCard(m_client.store(), m_theme, m_pane->attachmentLoader(), userId, this);
    connect(m_profile, &ProfileCard::messageRequested, this, [this](const QString &id) { openDirect({id}); });
    connect(m_profile, &ProfileCard::blockRequested, this, [this](const QString &id) { confirmBlock(id, m_client.store().displayName(id.toStdString())); });
    connect(m_profile, &ProfileCard::unblockRequested, this, &ChatPage::unblock);
    connect(m_profile, &ProfileCard::editProfileRequested, this, &ChatPage::openSettings);
    m_profile->showAt(globalPos, leftOf);
}

ProfileCard *ChatPage::profileCard() const
{
    return m_profile;
}

void ChatPage::unblock(const QString &userId)
{
    QPointer<ChatPage> self(this);
    m_client.unblock(userId, [self](const protocol::Result<protocol::BlockList> &result) {
        if (self && !result)
            self->m_pane->showProblem(tr("Could not unblock: %1").arg(QString::fromStdString(result.error().message)));
    });
}

void ChatPage::openNewMessage()
{
    auto *dialog = new NewMessageDialog(m_client, m_theme, this);
    connect(dialog, &NewMessageDialog::conversationReady, this, [this](const QString &partyId) { goToTopic(partyId, {}); });
    dialog->open();
}

void ChatPage::showMemberMenu(const QPoint &pos)
{
    const QModelIndex index = m_members->indexAt(pos);
    const QString userId = index.data(app::MemberListModel::UserIdRole).toString();
    if (!index.isValid() || userId.toStdString() == m_client.store().me().id)
        return;
    const QString name = index.data(app::MemberListModel::DisplayNameRole).toString();
    QMenu menu(this);
    QAction *message = menu.addAction(icon(QStringLiteral("send")), tr("Message"));
    message->setObjectName(QStringLiteral("messageMember"));
    connect(message, &QAction::triggered, this, [this, userId] { openDirect({userId}); });
    menu.addSeparator();
    if (m_client.store().isBlocked(userId.toStdString())) {
        QAction *unblock = menu.addAction(tr("Unblock"));
        unblock->setObjectName(QStringLiteral("unblockMember"));
        connect(unblock, &QAction::triggered, this, [this, userId] { this->unblock(userId); });
    } else {
        QAction *block = menu.addAction(tr("Block…"));
        block->setObjectName(QStringLiteral("blockMember"));
        connect(block, &QAction::triggered, this, [this, userId, name] { confirmBlock(userId, name); });
    }
    menu.exec(m_members->viewport()->mapToGlobal(pos));
}

void ChatPage::confirmLeaveConversation()
{
    const auto *party = m_client.store().party(m_client.currentPartyId().toStdString());
    if (!party)
        return;
    const QString partyId = QString::fromStdString(party->id);
    const QString people = app::isolated(m_client.store().conversationName(*party));
    (new ConfirmDialog(m_client, m_theme, tr("Leave the conversation with %1?").arg(people),
                       tr("You will no longer get its messages; the others keep them. Writing to the same people again starts a new conversation."),
                       tr("Leave"), [this, partyId](ConfirmDialog &dialog) { m_client.leaveParty(partyId, dialog.answer<protocol::Empty>()); },
                       this))
        ->open();
}

void ChatPage::confirmBlock(const QString &userId, const QString &name)
{
    const QString who = app::isolated(name);
    (new ConfirmDialog(m_client, m_theme, tr("Block %1?").arg(who),
                       tr("You will no longer see %1's messages, and neither of you can write in your direct conversations "
                          "or start a new one. %1 is not told. You can unblock them from their name in the member list.")
                           .arg(who),
                       tr("Block"), [this, userId](ConfirmDialog &dialog) { m_client.block(userId, dialog.answer<protocol::BlockList>()); },
                       this))
        ->open();
}

void ChatPage::onPartyChanged(const QString &partyId)
{
    m_rail->showParty(partyId);
    refresh();
}

void ChatPage::onTopicChanged(const QString &topicId)
{
    if (!topicId.isEmpty())
        m_preferences.setLastTopicId(topicId);
    m_sidebar->refresh();
    m_pane->topicOpened();
}

void ChatPage::refresh()
{
    m_sidebar->refresh();
    m_pane->refresh();
}

bool ChatPage::canManage() const
{
    return m_client.canManage(m_client.currentPartyId());
}

void ChatPage::updateMemberNames()
{
    QStringList names;
    for (int row = 0; row < m_client.members().rowCount(); ++row) {
        const QModelIndex index = m_client.members().index(row);
        if (index.data(app::MemberListModel::UserIdRole).toString().toStdString() != m_client.store().me().id)
            names << index.data(app::MemberListModel::DisplayNameRole).toString();
    }
    // @everyone and @here, offered to those whose use of them reaches people.
    if (m_client.mayMentionEveryone(m_client.currentPartyId()))
        names << QStringLiteral("everyone") << QStringLiteral("here");
    composer()->setMemberNames(names);
}

void ChatPage::noteActive()
{
    m_pane->noteActive();
}

void ChatPage::stepTopic(int delta)
{
    m_sidebar->step(delta);
}

void ChatPage::stepParty(int delta)
{
    m_rail->step(delta);
}

void ChatPage::toggleMembers()
{
    m_membersWanted = !m_members->isVisible();
    m_members->setVisible(m_membersWanted);
}

void ChatPage::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    fitMembers();
}

void ChatPage::fitMembers()
{
    // A narrow window gives the timeline the room; widening it brings the list back if the
    // person had it shown. Toggling shows it anyway.
    // The search panel, when it is open, takes room of its own.
    const bool fits = width() >= kMembersHideBelowWidth + (m_search->isVisible() ? m_search->minimumWidth() + 60 : 0);
    if (!fits && m_members->isVisible())
        m_members->hide();
    else if (fits && m_membersWanted && !m_members->isVisible())
        m_members->show();
}

void ChatPage::openCreateParty()
{
    NameDialog::Spec spec{tr("Create a Party"), tr("Party name"), tr("Book Club"), {}, tr("Create"), [this](NameDialog &dialog, const QString &name) {
        m_client.createParty(name, dialog.answer<protocol::PartyReply>([this, &dialog](const protocol::PartyReply &created) {
            const QString id = QString::fromStdString(created.party.id);
            // The party arrives as an event; open it once the store has it.
            QMetaObject::invokeMethod(this, [this, id] { goToTopic(id, {}); }, Qt::QueuedConnection);
            dialog.accept();
        }));
    }};
    (new NameDialog(m_client, m_theme, std::move(spec), this))->open();
}

void ChatPage::openJoinParty(const QString &link)
{
    auto *dialog = new JoinPartyDialog(m_client, m_theme, m_client.session().server().baseUrl, this);
    connect(dialog, &JoinPartyDialog::joined, this, [this](const QString &partyId) {
        QMetaObject::invokeMethod(this, [this, partyId] { goToTopic(partyId, {}); }, Qt::QueuedConnection);
    });
    connect(dialog, &JoinPartyDialog::otherServerRequested, this, &ChatPage::otherServerRequested);
    dialog->setLink(link);
    dialog->open();
}

void ChatPage::openInvites()
{
    if (!canManage())
        return;
    const auto *party = m_client.store().party(m_client.currentPartyId().toStdString());
    if (!party)
        return;
    (new InvitesDialog(m_client, m_theme, QString::fromStdString(party->id), QString::fromStdString(party->name), this))->open();
}

void ChatPage::openPartySettings()
{
    if (m_client.currentPartyId().isEmpty())
        return;
    (new PartySettingsDialog(m_client, m_client.currentPartyId(), m_theme, this))->open();
}

void ChatPage::openCreateTopic()
{
    if (!canManage())
        return;
    if (m_client.currentPartyId().isEmpty())
        return;
    const QString partyId = m_client.currentPartyId();
    NameDialog::Spec spec{tr("New Topic"), tr("Topic name"), tr("announcements"), {}, tr("Create"), [this, partyId](NameDialog &dialog, const QString &name) {
        m_client.createTopic(partyId, name, dialog.answer<protocol::TopicReply>([this, &dialog](const protocol::TopicReply &created) {
            const protocol::Topic topic = created.topic;
            QMetaObject::invokeMethod(this, [this, topic] {
                goToTopic(QString::fromStdString(topic.partyId), QString::fromStdString(topic.id));
            }, Qt::QueuedConnection);
            dialog.accept();
        }));
    }};
    (new NameDialog(m_client, m_theme, std::move(spec), this))->open();
}

void ChatPage::openRenameTopic()
{
    if (!canManage())
        return;
    const auto *topic = m_client.store().topic(m_client.currentTopicId().toStdString());
    if (!topic)
        return;
    const QString topicId = QString::fromStdString(topic->id);
    NameDialog::Spec spec{tr("Rename Topic"), tr("Topic name"), {}, QString::fromStdString(topic->name), tr("Rename"),
                          [this, topicId](NameDialog &dialog, const QString &name) {
                              m_client.renameTopic(topicId, name, dialog.answer<protocol::TopicReply>());
                          }};
    (new NameDialog(m_client, m_theme, std::move(spec), this))->open();
}

void ChatPage::openDeleteTopic()
{
    if (!canManage())
        return;
    const auto *topic = m_client.store().topic(m_client.currentTopicId().toStdString());
    if (!topic)
        return;
    const QString name = app::isolated(QString::fromStdString(topic->name));
    const QString topicId = QString::fromStdString(topic->id);
    (new ConfirmDialog(m_client, m_theme, tr("Delete #%1?").arg(name),
                       tr("All messages in #%1 will be deleted for everyone. This cannot be undone.").arg(name), tr("Delete Topic"),
                       [this, topicId](ConfirmDialog &dialog) { m_client.deleteTopic(topicId, dialog.answer<protocol::Empty>()); }, this))
        ->open();
}

void ChatPage::openSettings()
{
    auto *dialog = new SettingsDialog(m_client, m_preferences, m_theme, m_pane->attachmentLoader(), this);
    connect(dialog, &SettingsDialog::startupChanged, this, &ChatPage::startupChanged);
    dialog->open();
}

void ChatPage::openQuickSwitcher()
{
    auto *switcher = new QuickSwitcher(m_client.store(), m_preferences.recentTopicIds(), m_pane->attachmentLoader(), this);
    connect(switcher, &QuickSwitcher::topicChosen, this, &ChatPage::goToTopic);
    // A person from the switcher: the conversation with them, as in Slack and Discord.
    connect(switcher, &QuickSwitcher::personChosen, this, [this](const QString &, const QString &userId) { openDirect({userId}); });
    switcher->open();
}

} // namespace chatterbox::ui
