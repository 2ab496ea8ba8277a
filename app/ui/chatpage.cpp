#include "app/ui/chatpage.h"

#include "app/core/client.h"
#include "app/core/preferences.h"
#include "app/ui/composer.h"
#include "app/ui/connectionbanner.h"
#include "app/ui/dialogs/invitesdialog.h"
#include "app/ui/dialogs/joinpartydialog.h"
#include "app/ui/dialogs/namedialog.h"
#include "app/ui/dialogs/partysettingsdialog.h"
#include "app/ui/dialogs/quickswitcher.h"
#include "app/ui/dialogs/requestdialog.h"
#include "app/ui/dialogs/settingsdialog.h"
#include "app/ui/icons.h"
#include "app/ui/listdelegates.h"
#include "app/ui/noticebar.h"
#include "app/ui/theme.h"
#include "app/ui/timelinedelegate.h"
#include "app/ui/timelineview.h"
#include "shared/codec.h"

#include <QAction>
#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QMenu>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

namespace chatterbox::ui {

using app::Client;
using app::PartyListModel;
using app::TimelineModel;
using app::TopicListModel;

namespace {

QToolButton *toolButton(const QString &iconName, const QString &tip, const QString &objectName, QWidget *parent)
{
    auto *button = new QToolButton(parent);
    button->setIcon(icon(iconName));
    button->setToolTip(tip);
    button->setAccessibleName(tip);
    button->setObjectName(objectName);
    button->setAutoRaise(true);
    button->setIconSize(QSize(18, 18));
    return button;
}

QListView *sideList(const QString &objectName, const QString &accessibleName, QWidget *parent)
{
    auto *list = new QListView(parent);
    list->setObjectName(objectName);
    list->setAccessibleName(accessibleName);
    list->setFrameShape(QFrame::NoFrame);
    list->setMouseTracking(true);
    list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    list->setUniformItemSizes(true);
    list->viewport()->setAutoFillBackground(false);
    return list;
}

} // namespace

ChatPage::ChatPage(Client &client, app::Preferences &preferences, Theme &theme, QWidget *parent)
    : QWidget(parent), m_client(client), m_preferences(preferences), m_theme(theme)
{
    setObjectName(QStringLiteral("chatPage"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(buildRail());
    m_splitter = new QSplitter(Qt::Horizontal, this);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->setHandleWidth(1);
    m_splitter->addWidget(buildSidebar());
    m_splitter->addWidget(buildCenter());
    m_members = sideList(QStringLiteral("memberList"), tr("Members"), this);
    m_members->setModel(&client.members());
    m_members->setItemDelegate(new MemberDelegate(m_members));
    m_members->setMinimumWidth(180);
    m_splitter->addWidget(m_members);
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setStretchFactor(2, 0);
    m_splitter->setSizes({250, 700, 230});
    layout->addWidget(m_splitter, 1);
    setTabOrder(m_rail, m_topics);
    setTabOrder(m_topics, m_timeline);
    setTabOrder(m_timeline, m_composer);
    setTabOrder(m_composer, m_members);

    connect(&client, &Client::currentPartyChanged, this, &ChatPage::onPartyChanged);
    connect(&client, &Client::currentTopicChanged, this, &ChatPage::onTopicChanged);
    connect(&client.connection(), &app::Connection::ready, this, &ChatPage::onReady);
    connect(&client.store(), &app::Store::partyChanged, this, &ChatPage::updateHeaders);
    connect(&client.store(), &app::Store::topicsChanged, this, &ChatPage::updateHeaders);
    connect(&client.store(), &app::Store::partiesReset, this, [this] {
        updateHeaders();
        updateEmptyState();
        if (m_client.currentPartyId().isEmpty() && !m_client.store().parties().empty())
            onReady();
    });
    connect(&client.store(), &app::Store::membersChanged, this, &ChatPage::updateMemberNames);
    connect(&client.store(), &app::Store::membersChanged, this, &ChatPage::updateHeaders);
    connect(&client.members(), &QAbstractItemModel::modelReset, this, &ChatPage::updateMemberNames);
    connect(&client.typing(), &QAbstractItemModel::modelReset, this, &ChatPage::updateTyping);
    connect(&client.typing(), &QAbstractItemModel::rowsInserted, this, &ChatPage::updateTyping);
    connect(&client.typing(), &QAbstractItemModel::rowsRemoved, this, &ChatPage::updateTyping);
    connect(&client.timeline(), &QAbstractItemModel::rowsInserted, this, &ChatPage::markReadIfVisible);
    connect(&client.timeline(), &QAbstractItemModel::modelReset, this, &ChatPage::markReadIfVisible);
    connect(&theme, &Theme::changed, this, [this] {
        // Style-sheeted widgets keep the colours they were polished with until polished again.
        m_partyHeader->style()->unpolish(m_partyHeader);
        m_partyHeader->style()->polish(m_partyHeader);
        for (auto *button : findChildren<QToolButton *>()) {
            if (const QVariant name = button->property("iconName"); name.isValid())
                button->setIcon(icon(name.toString()));
        }
        updateHeaders();
    });
    updateHeaders();
    updateEmptyState();
}

QWidget *ChatPage::buildRail()
{
    auto *rail = new QWidget(this);
    rail->setObjectName(QStringLiteral("partyRailPanel"));
    rail->setFixedWidth(72);
    rail->setAutoFillBackground(true);
    auto updateColor = [rail] {
        QPalette p = rail->palette();
        p.setColor(QPalette::Window, Theme::instance()->railBackground());
        rail->setPalette(p);
    };
    updateColor();
    connect(&m_theme, &Theme::changed, rail, updateColor);
    m_rail = sideList(QStringLiteral("partyRail"), tr("Parties"), rail);
    m_rail->setModel(&m_client.parties());
    m_rail->setItemDelegate(new PartyRailDelegate(m_rail));
    m_rail->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    connect(m_rail->selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex &index) {
        if (index.isValid())
            goToTopic(index.data(PartyListModel::PartyIdRole).toString(), {});
    });
    auto *add = toolButton(QStringLiteral("plus"), tr("Create a Party"), QStringLiteral("createPartyButton"), rail);
    add->setProperty("iconName", QStringLiteral("plus"));
    add->setIconSize(QSize(22, 22));
    add->setFixedSize(44, 44);
    connect(add, &QToolButton::clicked, this, &ChatPage::openCreateParty);
    auto *join = toolButton(QStringLiteral("link"), tr("Join a Party with an Invite Link"), QStringLiteral("joinPartyButton"), rail);
    join->setProperty("iconName", QStringLiteral("link"));
    join->setIconSize(QSize(20, 20));
    join->setFixedSize(44, 44);
    connect(join, &QToolButton::clicked, this, [this] { openJoinParty(); });
    auto *layout = new QVBoxLayout(rail);
    layout->setContentsMargins(0, 10, 0, 10);
    layout->setSpacing(4);
    layout->addWidget(m_rail, 1);
    layout->addWidget(add, 0, Qt::AlignHCenter);
    layout->addWidget(join, 0, Qt::AlignHCenter);
    return rail;
}

QWidget *ChatPage::buildSidebar()
{
    auto *sidebar = new QWidget(this);
    sidebar->setObjectName(QStringLiteral("sidebar"));
    sidebar->setMinimumWidth(200);
    m_partyHeader = new QToolButton(sidebar);
    m_partyHeader->setObjectName(QStringLiteral("partyHeader"));
    m_partyHeader->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_partyHeader->setPopupMode(QToolButton::InstantPopup);
    m_partyHeader->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_partyHeader->setMinimumHeight(48);
    m_partyHeader->setAutoRaise(true);
    m_partyHeader->setStyleSheet(QStringLiteral("QToolButton { text-align: left; padding-left: 16px; border: none; color: palette(window-text); }"
                                                "QToolButton::menu-indicator { subcontrol-position: right center; right: 12px; }"));
    QFont bold = m_partyHeader->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.1);
    m_partyHeader->setFont(bold);
    auto *partyMenu = new QMenu(m_partyHeader);
    m_managerOnly << partyMenu->addAction(icon(QStringLiteral("link")), tr("Invite People…"), this, &ChatPage::openInvites);
    m_managerOnly << partyMenu->addAction(icon(QStringLiteral("plus")), tr("New Topic…"), this, &ChatPage::openCreateTopic);
    partyMenu->addAction(icon(QStringLiteral("settings")), tr("Party Settings…"), this, &ChatPage::openPartySettings);
    partyMenu->addSeparator();
    QAction *muteParty = partyMenu->addAction(tr("Mute Notifications"));
    muteParty->setObjectName(QStringLiteral("muteParty"));
    muteParty->setCheckable(true);
    connect(partyMenu, &QMenu::aboutToShow, this, [this, muteParty] {
        muteParty->setChecked(m_preferences.isPartyMuted(m_client.currentPartyId()));
    });
    connect(muteParty, &QAction::toggled, this, [this](bool muted) {
        if (!m_client.currentPartyId().isEmpty())
            m_preferences.setPartyMuted(m_client.currentPartyId(), muted);
    });
    m_partyHeader->setMenu(partyMenu);

    auto *topicsLabel = new QLabel(tr("TOPICS"), sidebar);
    QFont small = topicsLabel->font();
    small.setBold(true);
    small.setPointSizeF(small.pointSizeF() * 0.8);
    topicsLabel->setFont(small);
    topicsLabel->setForegroundRole(QPalette::PlaceholderText);
    auto *addTopic = toolButton(QStringLiteral("plus"), tr("New Topic"), QStringLiteral("createTopicButton"), sidebar);
    addTopic->setProperty("iconName", QStringLiteral("plus"));
    addTopic->setIconSize(QSize(14, 14));
    connect(addTopic, &QToolButton::clicked, this, &ChatPage::openCreateTopic);
    m_managerOnly << addTopic;
    auto *topicsRow = new QHBoxLayout;
    topicsRow->setContentsMargins(16, 8, 8, 0);
    topicsRow->addWidget(topicsLabel);
    topicsRow->addStretch();
    topicsRow->addWidget(addTopic);

    m_topics = sideList(QStringLiteral("topicList"), tr("Topics"), sidebar);
    m_topics->setModel(&m_client.topics());
    m_topics->setItemDelegate(new TopicDelegate(m_topics));
    m_topics->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_topics->selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex &index) {
        if (index.isValid())
            m_client.showTopic(index.data(TopicListModel::TopicIdRole).toString());
    });
    connect(m_topics, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        const QModelIndex index = m_topics->indexAt(pos);
        if (!index.isValid())
            return;
        m_topics->setCurrentIndex(index);
        const QString topicId = index.data(TopicListModel::TopicIdRole).toString();
        QMenu menu(this);
        const bool muted = m_preferences.isTopicMuted(topicId);
        menu.addAction(muted ? tr("Unmute Topic") : tr("Mute Topic"), this,
                       [this, topicId, muted] { m_preferences.setTopicMuted(topicId, !muted); });
        if (canManage()) {
            menu.addSeparator();
            menu.addAction(icon(QStringLiteral("edit")), tr("Rename Topic…"), this, &ChatPage::openRenameTopic);
            menu.addAction(icon(QStringLiteral("trash")), tr("Delete Topic…"), this, &ChatPage::openDeleteTopic);
        }
        menu.exec(m_topics->viewport()->mapToGlobal(pos));
    });

    m_meLabel = new QLabel(sidebar);
    m_meLabel->setObjectName(QStringLiteral("meLabel"));
    m_meLabel->setTextFormat(Qt::PlainText);
    auto *settings = toolButton(QStringLiteral("settings"), tr("Settings"), QStringLiteral("settingsButton"), sidebar);
    settings->setProperty("iconName", QStringLiteral("settings"));
    connect(settings, &QToolButton::clicked, this, &ChatPage::openSettings);
    auto *footer = new QHBoxLayout;
    footer->setContentsMargins(16, 8, 8, 8);
    footer->addWidget(m_meLabel, 1);
    footer->addWidget(settings);

    auto *layout = new QVBoxLayout(sidebar);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_partyHeader);
    layout->addLayout(topicsRow);
    layout->addWidget(m_topics, 1);
    layout->addLayout(footer);
    return sidebar;
}

QWidget *ChatPage::buildCenter()
{
    auto *center = new QWidget(this);
    center->setObjectName(QStringLiteral("center"));
    center->setAutoFillBackground(true);
    center->setBackgroundRole(QPalette::Base);
    m_banner = new ConnectionBanner(m_client.connection(), center);
    m_notice = new NoticeBar(center);
    connect(&m_client.session(), &app::Session::keptInMemoryOnly, m_notice, [this](const QString &detail) {
        m_notice->showNotice(tr("You will need to sign in again after you quit Chatterbox: there is no system keychain "
                                "to keep your sign-in in, so it is kept only while the app runs. To stay signed in, "
                                "install or unlock a keychain (GNOME Keyring or KWallet on Linux), then sign in again."),
                             detail);
    });

    auto *header = new QWidget(center);
    header->setMinimumHeight(48);
    m_topicTitle = new QLabel(header);
    m_topicTitle->setObjectName(QStringLiteral("topicTitle"));
    m_topicTitle->setTextFormat(Qt::PlainText);
    QFont bold = m_topicTitle->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.1);
    m_topicTitle->setFont(bold);
    auto *invite = toolButton(QStringLiteral("link"), tr("Invite People"), QStringLiteral("inviteButton"), header);
    invite->setProperty("iconName", QStringLiteral("link"));
    connect(invite, &QToolButton::clicked, this, &ChatPage::openInvites);
    m_managerOnly << invite;
    auto *search = toolButton(QStringLiteral("search"), tr("Go to Topic (Ctrl+K)"), QStringLiteral("switcherButton"), header);
    search->setProperty("iconName", QStringLiteral("search"));
    connect(search, &QToolButton::clicked, this, &ChatPage::openQuickSwitcher);
    auto *members = toolButton(QStringLiteral("users"), tr("Show or Hide Members"), QStringLiteral("membersButton"), header);
    members->setProperty("iconName", QStringLiteral("users"));
    connect(members, &QToolButton::clicked, this, &ChatPage::toggleMembers);
    auto *headerLayout = new QHBoxLayout(header);
    headerLayout->setContentsMargins(16, 4, 12, 4);
    headerLayout->addWidget(m_topicTitle, 1);
    headerLayout->addWidget(search);
    headerLayout->addWidget(invite);
    headerLayout->addWidget(members);
    auto *line = new QFrame(center);
    line->setFrameShape(QFrame::HLine);
    line->setFrameShadow(QFrame::Plain);
    line->setForegroundRole(QPalette::Mid);

    m_timeline = new TimelineView(center);
    m_timeline->setTimeline(&m_client.timeline());
    connect(m_timeline, &TimelineView::reachedBottom, this, &ChatPage::markReadIfVisible);
    connect(m_timeline, &TimelineView::editRequested, this, &ChatPage::editMessage);
    connect(m_timeline, &TimelineView::deleteRequested, this, &ChatPage::deleteMessage);
    connect(m_timeline->timelineDelegate(), &TimelineDelegate::retryRequested, &m_client.outbox(), &app::Outbox::retry);
    connect(m_timeline->timelineDelegate(), &TimelineDelegate::cancelRequested, &m_client.outbox(), &app::Outbox::cancel);

    auto *empty = new QWidget(center);
    m_emptyText = new QLabel(empty);
    m_emptyText->setObjectName(QStringLiteral("emptyState"));
    m_emptyText->setAlignment(Qt::AlignCenter);
    m_emptyText->setWordWrap(true);
    auto *emptyCreate = new QPushButton(icon(QStringLiteral("plus")), tr("Create a Party"), empty);
    connect(emptyCreate, &QPushButton::clicked, this, &ChatPage::openCreateParty);
    auto *emptyJoin = new QPushButton(icon(QStringLiteral("link")), tr("Join with an Invite Link"), empty);
    connect(emptyJoin, &QPushButton::clicked, this, [this] { openJoinParty(); });
    auto *emptyButtons = new QHBoxLayout;
    emptyButtons->addStretch();
    emptyButtons->addWidget(emptyCreate);
    emptyButtons->addWidget(emptyJoin);
    emptyButtons->addStretch();
    auto *emptyLayout = new QVBoxLayout(empty);
    emptyLayout->addStretch();
    emptyLayout->addWidget(m_emptyText);
    emptyLayout->addLayout(emptyButtons);
    emptyLayout->addStretch(2);
    m_centerStack = new QStackedWidget(center);
    m_centerStack->addWidget(m_timeline);
    m_centerStack->addWidget(empty);

    m_typing = new QLabel(center);
    m_typing->setObjectName(QStringLiteral("typingLabel"));
    m_typing->setTextFormat(Qt::PlainText);
    m_typing->setForegroundRole(QPalette::PlaceholderText);
    m_typing->setContentsMargins(16, 0, 16, 0);
    m_typing->setFixedHeight(QFontMetrics(m_typing->font()).height() + 4);

    m_editBar = new QWidget(center);
    m_editBar->setObjectName(QStringLiteral("editBar"));
    auto *editText = new QLabel(tr("Editing message · Enter saves · Esc cancels"), m_editBar);
    auto *editCancel = new QPushButton(tr("Cancel"), m_editBar);
    editCancel->setFlat(true);
    auto *editLayout = new QHBoxLayout(m_editBar);
    editLayout->setContentsMargins(16, 0, 16, 0);
    auto *editIcon = new QLabel(m_editBar);
    editIcon->setPixmap(icon(QStringLiteral("edit")).pixmap(14, 14));
    editLayout->addWidget(editIcon);
    editLayout->addWidget(editText, 1);
    editLayout->addWidget(editCancel);
    m_editBar->hide();

    m_composer = new Composer(center);
    auto *send = toolButton(QStringLiteral("send"), tr("Send (Enter)"), QStringLiteral("sendButton"), center);
    send->setProperty("iconName", QStringLiteral("send"));
    connect(send, &QToolButton::clicked, this, [this] {
        QKeyEvent enter(QEvent::KeyPress, Qt::Key_Return, Qt::NoModifier);
        QCoreApplication::sendEvent(m_composer, &enter);
    });
    connect(editCancel, &QPushButton::clicked, m_composer, &Composer::endEdit);
    connect(m_composer, &Composer::editingChanged, m_editBar, &QWidget::setVisible);
    connect(m_composer, &Composer::submitted, this, [this](const QString &text) {
        m_problem->hide();
        m_client.send(m_client.currentTopicId(), text);
        m_timeline->scrollToBottom();
    });
    connect(m_composer, &Composer::editSubmitted, this, [this](const QString &messageId, const QString &text) {
        m_client.connection().request("message.edit", {{"messageId", messageId.toStdString()}, {"body", text.toStdString()}},
                                      [this](const nlohmann::json *, const protocol::Error *error) {
                                          if (error) {
                                              m_problem->setText(tr("Could not edit the message: %1").arg(QString::fromStdString(error->message)));
                                              m_problem->show();
                                          }
                                      });
    });
    connect(m_composer, &Composer::editLastRequested, this, &ChatPage::editLast);
    connect(m_composer, &Composer::typing, this, [this] {
        if (!m_client.currentTopicId().isEmpty())
            m_client.connection().request("typing.start", {{"topicId", m_client.currentTopicId().toStdString()}});
    });
    connect(m_composer, &Composer::problem, this, [this](const QString &message) {
        m_problem->setText(message);
        m_problem->show();
    });
    m_problem = new QLabel(center);
    m_problem->setObjectName(QStringLiteral("composerProblem"));
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(QStringLiteral("color: #e5484d;"));
    m_problem->setContentsMargins(16, 0, 16, 0);
    m_problem->hide();
    auto *composerRow = new QHBoxLayout;
    composerRow->setContentsMargins(16, 0, 16, 12);
    composerRow->addWidget(m_composer, 1);
    composerRow->addWidget(send, 0, Qt::AlignBottom);

    auto *layout = new QVBoxLayout(center);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_notice);
    layout->addWidget(m_banner);
    layout->addWidget(header);
    layout->addWidget(line);
    layout->addWidget(m_centerStack, 1);
    layout->addWidget(m_typing);
    layout->addWidget(m_editBar);
    layout->addWidget(m_problem);
    layout->addLayout(composerRow);
    return center;
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
    if (!store.parties().empty()) {
        const auto &party = store.parties().front();
        goToTopic(QString::fromStdString(party.id), party.topics.empty() ? QString() : QString::fromStdString(party.topics.front().id));
    }
}

void ChatPage::goToTopic(const QString &partyId, const QString &topicId)
{
    m_client.showParty(partyId);
    QString topic = topicId;
    // No topic named: the party's first one.
    if (const auto *party = m_client.store().party(partyId.toStdString()); topic.isEmpty() && party && !party->topics.empty())
        topic = QString::fromStdString(party->topics.front().id);
    m_client.showTopic(topic);
}

void ChatPage::onPartyChanged(const QString &partyId)
{
    const int row = m_client.parties().rowOf(partyId);
    const QModelIndex index = row >= 0 ? m_client.parties().index(row) : QModelIndex();
    if (m_rail->currentIndex() != index) {
        QSignalBlocker block(m_rail->selectionModel());
        m_rail->setCurrentIndex(index);
        m_rail->viewport()->update();
    }
    updateHeaders();
    updateEmptyState();
}

void ChatPage::onTopicChanged(const QString &topicId)
{
    m_composer->endEdit();
    m_problem->hide();
    if (!topicId.isEmpty())
        m_preferences.setLastTopicId(topicId);
    updateHeaders();
    updateEmptyState();
    if (!topicId.isEmpty() && isVisible())
        m_composer->setFocus();
}

void ChatPage::updateHeaders()
{
    const auto &store = m_client.store();
    const auto *party = store.party(m_client.currentPartyId().toStdString());
    m_partyHeader->setText(party ? QString::fromStdString(party->name) : tr("No party"));
    m_partyHeader->setEnabled(party);
    const auto *topic = store.topic(m_client.currentTopicId().toStdString());
    m_topicTitle->setText(topic ? QStringLiteral("# ") + QString::fromStdString(topic->name) : QString());
    m_composer->setPlaceholderText(topic ? tr("Message #%1").arg(QString::fromStdString(topic->name)) : QString());
    m_composer->setEnabled(topic);
    m_meLabel->setText(QString::fromStdString(store.me().displayName));
    // Only owners and admins change topics and invite; the others do not see what would be refused.
    for (QObject *o : std::as_const(m_managerOnly)) {
        if (auto *widget = qobject_cast<QWidget *>(o))
            widget->setVisible(canManage());
        else if (auto *action = qobject_cast<QAction *>(o))
            action->setEnabled(canManage());
    }
    // The selected topic row follows the open topic (and the model, when topics change).
    for (int row = 0; row < m_client.topics().rowCount(); ++row) {
        const QModelIndex index = m_client.topics().index(row);
        if (index.data(TopicListModel::TopicIdRole).toString() == m_client.currentTopicId() && m_topics->currentIndex() != index) {
            QSignalBlocker block(m_topics->selectionModel());
            m_topics->setCurrentIndex(index);
            m_topics->viewport()->update();
        }
    }
}

bool ChatPage::canManage() const
{
    return m_client.canManage(m_client.currentPartyId());
}

void ChatPage::updateEmptyState()
{
    const auto &store = m_client.store();
    if (!m_client.currentTopicId().isEmpty()) {
        m_centerStack->setCurrentIndex(0);
        return;
    }
    if (store.parties().empty())
        m_emptyText->setText(tr("You are not in any party yet.\nCreate one for your group, or join one with an invite link."));
    else if (const auto *party = store.party(m_client.currentPartyId().toStdString()); party && party->topics.empty())
        m_emptyText->setText(tr("%1 has no topics yet. Create one with the + next to Topics.").arg(QString::fromStdString(party->name)));
    else
        m_emptyText->setText(tr("Pick a topic on the left."));
    m_centerStack->setCurrentIndex(1);
}

void ChatPage::updateTyping()
{
    m_typing->setText(m_client.typing().summary());
}

void ChatPage::updateMemberNames()
{
    QStringList names;
    for (int row = 0; row < m_client.members().rowCount(); ++row) {
        const QModelIndex index = m_client.members().index(row);
        if (index.data(app::MemberListModel::UserIdRole).toString().toStdString() != m_client.store().me().id)
            names << index.data(app::MemberListModel::DisplayNameRole).toString();
    }
    m_composer->setMemberNames(names);
}

void ChatPage::markReadIfVisible()
{
    if (m_client.currentTopicId().isEmpty() || !window()->isActiveWindow() || !m_timeline->isVisible())
        return;
    if (m_timeline->isAtBottom())
        m_client.markRead(m_client.currentTopicId());
}

void ChatPage::noteActive()
{
    markReadIfVisible();
}

void ChatPage::stepTopic(int delta)
{
    const int count = m_client.topics().rowCount();
    if (count == 0)
        return;
    const int row = m_topics->currentIndex().isValid() ? m_topics->currentIndex().row() : -delta;
    m_topics->setCurrentIndex(m_client.topics().index(((row + delta) % count + count) % count));
}

void ChatPage::stepParty(int delta)
{
    const int count = m_client.parties().rowCount();
    if (count == 0)
        return;
    const int row = m_rail->currentIndex().isValid() ? m_rail->currentIndex().row() : -delta;
    m_rail->setCurrentIndex(m_client.parties().index(((row + delta) % count + count) % count));
}

void ChatPage::toggleMembers()
{
    m_members->setVisible(!m_members->isVisible());
}

void ChatPage::editLast()
{
    const auto &model = m_client.timeline();
    for (int row = model.rowCount() - 1; row >= 0; --row) {
        const QModelIndex index = model.index(row);
        if (index.data(TimelineModel::OwnRole).toBool() && !index.data(TimelineModel::DeletedRole).toBool()
            && index.data(TimelineModel::DeliveryStateRole).value<TimelineModel::DeliveryState>() == TimelineModel::DeliveryState::Delivered) {
            editMessage(index);
            return;
        }
    }
}

void ChatPage::editMessage(const QModelIndex &index)
{
    m_composer->beginEdit(index.data(TimelineModel::MessageIdRole).toString(), index.data(TimelineModel::BodyRole).toString());
}

void ChatPage::deleteMessage(const QModelIndex &index)
{
    auto *dialog = new ConfirmDialog(m_client.connection(), tr("Delete Message?"),
                                     tr("The message is removed for everyone in the topic."), tr("Delete"), "message.delete",
                                     {{"messageId", index.data(TimelineModel::MessageIdRole).toString().toStdString()}}, this);
    dialog->open();
}

void ChatPage::openCreateParty()
{
    auto *dialog = new NameDialog(m_client.connection(),
                                  {tr("Create a Party"), tr("Party name"), tr("Book Club"), {}, tr("Create"), "party.create", nlohmann::json::object()},
                                  this);
    connect(dialog, &NameDialog::succeeded, this, [this](const nlohmann::json &result) {
        protocol::PartyReply reply;
        try {
            from_json(result, reply);
        } catch (const std::exception &) {
            return;
        }
        const QString id = QString::fromStdString(reply.party.id);
        // The party arrives as an event; open it once the store has it.
        QMetaObject::invokeMethod(this, [this, id] { goToTopic(id, {}); }, Qt::QueuedConnection);
    });
    dialog->open();
}

void ChatPage::openJoinParty(const QString &link)
{
    auto *dialog = new JoinPartyDialog(m_client.connection(), m_client.session().server().baseUrl, this);
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
    (new InvitesDialog(m_client.connection(), QString::fromStdString(party->id), QString::fromStdString(party->name), this))->open();
}

void ChatPage::openPartySettings()
{
    if (m_client.currentPartyId().isEmpty())
        return;
    (new PartySettingsDialog(m_client.connection(), m_client.store(), m_client.currentPartyId(), this))->open();
}

void ChatPage::openCreateTopic()
{
    if (!canManage())
        return;
    if (m_client.currentPartyId().isEmpty())
        return;
    auto *dialog = new NameDialog(m_client.connection(),
                                  {tr("New Topic"), tr("Topic name"), tr("announcements"), {}, tr("Create"), "topic.create",
                                   {{"partyId", m_client.currentPartyId().toStdString()}}},
                                  this);
    connect(dialog, &NameDialog::succeeded, this, [this](const nlohmann::json &result) {
        protocol::TopicReply reply;
        try {
            from_json(result, reply);
        } catch (const std::exception &) {
            return;
        }
        QMetaObject::invokeMethod(this, [this, reply] {
            goToTopic(QString::fromStdString(reply.topic.partyId), QString::fromStdString(reply.topic.id));
        }, Qt::QueuedConnection);
    });
    dialog->open();
}

void ChatPage::openRenameTopic()
{
    if (!canManage())
        return;
    const auto *topic = m_client.store().topic(m_client.currentTopicId().toStdString());
    if (!topic)
        return;
    (new NameDialog(m_client.connection(),
                    {tr("Rename Topic"), tr("Topic name"), {}, QString::fromStdString(topic->name), tr("Rename"), "topic.rename",
                     {{"topicId", topic->id}}},
                    this))
        ->open();
}

void ChatPage::openDeleteTopic()
{
    if (!canManage())
        return;
    const auto *topic = m_client.store().topic(m_client.currentTopicId().toStdString());
    if (!topic)
        return;
    const QString name = QString::fromStdString(topic->name);
    (new ConfirmDialog(m_client.connection(), tr("Delete #%1?").arg(name),
                       tr("All messages in #%1 will be deleted for everyone. This cannot be undone.").arg(name), tr("Delete Topic"),
                       "topic.delete", {{"topicId", topic->id}}, this))
        ->open();
}

void ChatPage::openSettings()
{
    auto *dialog = new SettingsDialog(m_client.connection(), m_client.store(), m_preferences, m_theme, this);
    connect(dialog, &SettingsDialog::startupChanged, this, &ChatPage::startupChanged);
    dialog->open();
}

void ChatPage::openQuickSwitcher()
{
    auto *switcher = new QuickSwitcher(m_client.store(), this);
    connect(switcher, &QuickSwitcher::topicChosen, this, &ChatPage::goToTopic);
    switcher->open();
}

} // namespace chatterbox::ui
