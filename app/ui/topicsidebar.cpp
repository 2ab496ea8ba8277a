// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/ui/topicsidebar.h"

#include "app/core/client.h"
#include "app/core/displaytext.h"
#include "app/core/preferences.h"
#include "app/ui/attachmentloader.h"
#include "app/ui/icons.h"
#include "app/ui/levelmenu.h"
#include "app/ui/listdelegates.h"
#include "app/ui/theme.h"
#include "app/ui/topiclistview.h"
#include "app/ui/widgetparts.h"

#include <QAction>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QPainter>
#include <QPushButton>
#include <QStyle>
#include <QListView>
#include <QToolButton>
#include <QVBoxLayout>

namespace chatterbox::ui {

using app::TopicListModel;

namespace {

constexpr int kHeaderPaddingLeft = 16;
constexpr int kHeaderIndicatorRoom = 36;   // the menu arrow and the space either side of it

// The party's name at the top of the column, which opens the party's menu. Drawn here: the name
// from the left, elided before the arrow so a long one never runs under it.
class PartyHeaderButton final : public QPushButton {
public:
    using QPushButton::QPushButton;

protected:
    void paintEvent(QPaintEvent *) override
    {
        QPainter painter(this);
        if (underMouse() || isDown())
            painter.fillRect(rect(), palette().color(QPalette::Midlight));
        if (hasFocus()) {
            painter.setPen(QPen(palette().color(QPalette::Highlight), 2));
            painter.drawRect(rect().adjusted(1, 1, -2, -2));
        }
        painter.setFont(font());
        painter.setPen(palette().color(isEnabled() ? QPalette::Active : QPalette::Disabled, QPalette::WindowText));
        const QRect text = rect().adjusted(kHeaderPaddingLeft, 0, -kHeaderIndicatorRoom, 0);
        painter.drawText(text, Qt::AlignLeft | Qt::AlignVCenter, painter.fontMetrics().elidedText(this->text(), Qt::ElideRight, text.width()));
        const QRect arrow(width() - kHeaderIndicatorRoom + 10, height() / 2 - 8, 16, 16);
        ui::icon(QStringLiteral("chevron-down"), palette().color(QPalette::WindowText)).paint(&painter, arrow);
    }
};

} // namespace

TopicSidebar::TopicSidebar(app::Client &client, app::Preferences &preferences, const Theme &theme, QWidget *parent)
    : QWidget(parent), m_client(client), m_preferences(preferences)
{
    setObjectName(QStringLiteral("sidebar"));
    setMinimumWidth(200);
    m_partyHeader = new PartyHeaderButton(this);
    m_partyHeader->setObjectName(QStringLiteral("partyHeader"));
    m_partyHeader->setFlat(true);
    m_partyHeader->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
    m_partyHeader->setMinimumHeight(48);
    QFont bold = m_partyHeader->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.1);
    m_partyHeader->setFont(bold);
    auto *partyMenu = new QMenu(m_partyHeader);
    m_managerOnly << partyMenu->addAction(icon(QStringLiteral("link")), tr("Invite People…"), this, &TopicSidebar::inviteRequested);
    m_managerOnly << partyMenu->addAction(icon(QStringLiteral("plus")), tr("New Topic…"), this, &TopicSidebar::createTopicRequested);
    m_partySettings = partyMenu->addAction(icon(QStringLiteral("settings")), tr("Party Settings…"), this, &TopicSidebar::partySettingsRequested);
    m_leaveConversation = partyMenu->addAction(tr("Leave Conversation…"), this, &TopicSidebar::leaveConversationRequested);
    m_leaveConversation->setObjectName(QStringLiteral("leaveConversation"));
    partyMenu->addSeparator();
    // The levels are made anew each time: they name the default, which the owner may change.
    connect(partyMenu, &QMenu::aboutToShow, this, [this, partyMenu] {
        if (auto *old = partyMenu->findChild<QMenu *>(QStringLiteral("notificationLevels"), Qt::FindDirectChildrenOnly)) {
            partyMenu->removeAction(old->menuAction());
            old->deleteLater();
        }
        if (const auto *party = m_client.store().party(m_client.currentPartyId().toStdString()))
            addLevelMenu(*partyMenu, m_preferences, *party);
    });
    m_partyHeader->setMenu(partyMenu);

    auto *topicsLabel = new QLabel(tr("TOPICS"), this);
    QFont small = topicsLabel->font();
    small.setBold(true);
    small.setPointSizeF(small.pointSizeF() * 0.8);
    topicsLabel->setFont(small);
    topicsLabel->setForegroundRole(QPalette::PlaceholderText);
    auto *addTopic = toolButton(QStringLiteral("plus"), tr("New Topic"), QStringLiteral("createTopicButton"), this);
    addTopic->setIconSize(QSize(14, 14));
    connect(addTopic, &QToolButton::clicked, this, &TopicSidebar::createTopicRequested);
    m_managerOnly << addTopic;
    m_topicsRow = new QWidget(this);
    auto *topicsRow = new QHBoxLayout(m_topicsRow);
    topicsRow->setContentsMargins(16, 8, 8, 0);
    topicsRow->addWidget(topicsLabel);
    topicsRow->addStretch();
    topicsRow->addWidget(addTopic);

    m_list = new TopicListView(this);
    sideList(m_list, QStringLiteral("topicList"), tr("Topics"));
    m_list->setModel(&m_client.topics());
    m_list->setItemDelegate(new TopicDelegate(theme, m_list));
    m_list->setContextMenuPolicy(Qt::CustomContextMenu);
    m_list->setCanReorder([this] { return canManage(); });
    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex &index) {
        if (index.isValid())
            Q_EMIT topicChosen(index.data(TopicListModel::TopicIdRole).toString());
    });
    connect(m_list, &QWidget::customContextMenuRequested, this, &TopicSidebar::showContextMenu);
    connect(m_list, &TopicListView::moveRequested, this, [this](const QString &topicId, int to) {
        m_client.moveTopic(topicId, to, [this](const QString &error) {
            if (!error.isEmpty())
                Q_EMIT problem(tr("Could not move the topic: %1").arg(error));
        });
    });
    // From the keyboard, while the topic list has focus; the Topic menu has them too.
    m_moveUp = new QAction(icon(QStringLiteral("arrow-up")), tr("Move Topic Up"), this);
    m_moveUp->setObjectName(QStringLiteral("moveTopicUp"));
    m_moveUp->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Up));
    m_moveUp->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(m_moveUp, &QAction::triggered, this, [this] { moveOpenTopic(-1); });
    m_moveDown = new QAction(icon(QStringLiteral("arrow-down")), tr("Move Topic Down"), this);
    m_moveDown->setObjectName(QStringLiteral("moveTopicDown"));
    m_moveDown->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Down));
    m_moveDown->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(m_moveDown, &QAction::triggered, this, [this] { moveOpenTopic(1); });
    m_list->addAction(m_moveUp);
    m_list->addAction(m_moveDown);
    m_managerOnly << m_moveUp << m_moveDown;

    m_directsRow = new QWidget(this);
    auto *directsLabel = new QLabel(tr("DIRECT MESSAGES"), m_directsRow);
    directsLabel->setFont(small);
    directsLabel->setForegroundRole(QPalette::PlaceholderText);
    auto *newMessage = toolButton(QStringLiteral("plus"), tr("New Message"), QStringLiteral("sidebarNewMessageButton"), m_directsRow);
    newMessage->setIconSize(QSize(14, 14));
    connect(newMessage, &QToolButton::clicked, this, &TopicSidebar::newMessageRequested);
    auto *directsRow = new QHBoxLayout(m_directsRow);
    directsRow->setContentsMargins(16, 8, 8, 0);
    directsRow->addWidget(directsLabel);
    directsRow->addStretch();
    directsRow->addWidget(newMessage);
    m_directList = sideList(new QListView(this), QStringLiteral("directList"), tr("Direct Messages"));
    m_directList->setModel(&m_client.directs());
    m_directList->setItemDelegate(new DirectDelegate(theme, DirectDelegate::Shape::ListRow, m_directList));
    connect(m_directList->selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex &index) {
        if (index.isValid())
            Q_EMIT conversationChosen(index.data(app::PartyListModel::PartyIdRole).toString());
    });
    m_directsRow->hide();
    m_directList->hide();

    m_meLabel = new QLabel(this);
    m_meLabel->setObjectName(QStringLiteral("meLabel"));
    m_meLabel->setTextFormat(Qt::PlainText);
    auto *settings = toolButton(QStringLiteral("settings"), tr("Settings"), QStringLiteral("settingsButton"), this);
    connect(settings, &QToolButton::clicked, this, &TopicSidebar::settingsRequested);
    auto *footer = new QHBoxLayout;
    footer->setContentsMargins(16, 8, 8, 8);
    footer->addWidget(m_meLabel, 1);
    footer->addWidget(settings);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_partyHeader);
    layout->addWidget(m_topicsRow);
    layout->addWidget(m_list, 1);
    layout->addWidget(m_directsRow);
    layout->addWidget(m_directList, 1);
    layout->addLayout(footer);

    connect(&theme, &Theme::changed, this, [this] {
        // Style-sheeted widgets keep the colours they were polished with until polished again.
        m_partyHeader->style()->unpolish(m_partyHeader);
        m_partyHeader->style()->polish(m_partyHeader);
    });
}

void TopicSidebar::setPictures(AttachmentLoader *pictures)
{
    static_cast<DirectDelegate *>(m_directList->itemDelegate())->setPictures(pictures);
    connect(pictures, &AttachmentLoader::changed, m_directList->viewport(), qOverload<>(&QWidget::update));
}

bool TopicSidebar::showingDirect() const
{
    const auto *party = m_client.store().party(m_client.currentPartyId().toStdString());
    return party && party->kind == protocol::PartyKind::Direct;
}

bool TopicSidebar::canManage() const
{
    return m_client.canManage(m_client.currentPartyId());
}

void TopicSidebar::refresh()
{
    const auto &store = m_client.store();
    const auto *party = store.party(m_client.currentPartyId().toStdString());
    const bool direct = showingDirect();
    m_partyHeader->setEnabled(party);
    m_partyHeader->setAccessibleName(direct ? tr("Direct Messages") : party ? QString::fromStdString(party->name) : tr("No party"));
    showPartyName();
    // A direct conversation has no settings and one topic: the column lists the conversations.
    m_partySettings->setVisible(!direct);
    m_leaveConversation->setVisible(direct);
    m_topicsRow->setVisible(!direct);
    m_list->setVisible(!direct);
    m_directsRow->setVisible(direct);
    m_directList->setVisible(direct);
    const int directRow = m_client.directs().rowOf(m_client.currentPartyId());
    const QModelIndex directIndex = directRow >= 0 ? m_client.directs().index(directRow) : QModelIndex();
    if (m_directList->currentIndex() != directIndex) {
        QSignalBlocker block(m_directList->selectionModel());
        m_directList->setCurrentIndex(directIndex);
        m_directList->viewport()->update();
    }
    m_meLabel->setText(app::isolated(QString::fromStdString(store.me().displayName)));
    // Only owners and admins change topics and invite; the others do not see what would be refused.
    const bool manager = canManage();
    for (QObject *o : std::as_const(m_managerOnly)) {
        if (auto *widget = qobject_cast<QWidget *>(o))
            widget->setVisible(manager);
        else if (auto *action = qobject_cast<QAction *>(o))
            action->setEnabled(manager);
    }
    // The selected topic row follows the open topic (and the model, when topics change).
    for (int row = 0; row < m_client.topics().rowCount(); ++row) {
        const QModelIndex index = m_client.topics().index(row);
        if (index.data(TopicListModel::TopicIdRole).toString() == m_client.currentTopicId() && m_list->currentIndex() != index) {
            QSignalBlocker block(m_list->selectionModel());
            m_list->setCurrentIndex(index);
            m_list->viewport()->update();
        }
    }
}

void TopicSidebar::showPartyName()
{
    const auto *party = m_client.store().party(m_client.currentPartyId().toStdString());
    const QString name = showingDirect() ? tr("Direct Messages") : party ? QString::fromStdString(party->name) : tr("No party");
    m_partyHeader->setText(app::isolated(name));
    // Elided on screen; the whole name in the tooltip.
    const int room = m_partyHeader->width() - kHeaderPaddingLeft - kHeaderIndicatorRoom;
    m_partyHeader->setToolTip(QFontMetrics(m_partyHeader->font()).horizontalAdvance(name) > room ? app::plainToolTip(name) : QString());
}

void TopicSidebar::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    showPartyName();
}

void TopicSidebar::step(int delta)
{
    const int count = m_client.topics().rowCount();
    if (count == 0)
        return;
    const int row = m_list->currentIndex().isValid() ? m_list->currentIndex().row() : -delta;
    m_list->setCurrentIndex(m_client.topics().index(((row + delta) % count + count) % count));
}

void TopicSidebar::moveOpenTopic(int delta)
{
    if (!canManage() || m_client.currentTopicId().isEmpty())
        return;
    int row = -1;
    for (int r = 0; r < m_client.topics().rowCount(); ++r) {
        if (m_client.topics().index(r).data(TopicListModel::TopicIdRole).toString() == m_client.currentTopicId())
            row = r;
    }
    const int to = row + delta;
    if (row < 0 || to < 0 || to >= m_client.topics().rowCount())
        return;
    m_client.moveTopic(m_client.currentTopicId(), to, [this](const QString &error) {
        if (!error.isEmpty())
            Q_EMIT problem(tr("Could not move the topic: %1").arg(error));
    });
}

void TopicSidebar::showContextMenu(const QPoint &pos)
{
    const QModelIndex index = m_list->indexAt(pos);
    if (!index.isValid())
        return;
    m_list->setCurrentIndex(index);
    const QString topicId = index.data(TopicListModel::TopicIdRole).toString();
    QMenu menu(this);
    if (const auto *party = m_client.store().party(m_client.currentPartyId().toStdString()))
        addLevelMenu(menu, m_preferences, *party, topicId);
    if (canManage()) {
        menu.addSeparator();
        m_moveUp->setEnabled(index.row() > 0);
        m_moveDown->setEnabled(index.row() + 1 < m_client.topics().rowCount());
        menu.addAction(m_moveUp);
        menu.addAction(m_moveDown);
        menu.addSeparator();
        menu.addAction(icon(QStringLiteral("edit")), tr("Rename Topic…"), this, &TopicSidebar::renameTopicRequested);
        menu.addAction(icon(QStringLiteral("trash")), tr("Delete Topic…"), this, &TopicSidebar::deleteTopicRequested);
    }
    menu.exec(m_list->viewport()->mapToGlobal(pos));
    m_moveUp->setEnabled(canManage());
    m_moveDown->setEnabled(canManage());
}

} // namespace chatterbox::ui
