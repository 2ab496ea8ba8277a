// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/ui/partyrail.h"

#include "app/core/client.h"
#include "app/ui/listdelegates.h"
#include "app/ui/theme.h"
#include "app/ui/widgetparts.h"

#include "app/ui/attachmentloader.h"
#include "app/ui/levelmenu.h"

#include <QFrame>
#include <QMenu>
#include <QListView>
#include <QToolButton>
#include <QVBoxLayout>

namespace chatterbox::ui {

using app::PartyListModel;

PartyRail::PartyRail(app::Client &client, app::Preferences &preferences, const Theme &theme, QWidget *parent)
    : QWidget(parent), m_client(client), m_preferences(preferences)
{
    setObjectName(QStringLiteral("partyRailPanel"));
    setFixedWidth(72);
    setAutoFillBackground(true);
    const auto paintBackground = [this, &theme] {
        QPalette p = palette();
        p.setColor(QPalette::Window, theme.railBackground());
        setPalette(p);
    };
    paintBackground();
    connect(&theme, &Theme::changed, this, paintBackground);

    auto *newMessage = toolButton(QStringLiteral("edit"), tr("New Message"), QStringLiteral("newMessageButton"), this);
    newMessage->setIconSize(QSize(20, 20));
    newMessage->setFixedSize(44, 44);
    connect(newMessage, &QToolButton::clicked, this, &PartyRail::newMessageRequested);
    m_directs = sideList(new QListView(this), QStringLiteral("directRail"), tr("Direct Messages"));
    m_directs->setModel(&client.directs());
    m_directs->setItemDelegate(new DirectDelegate(theme, DirectDelegate::Shape::RailTile, m_directs));
    m_directs->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_directs->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    connect(m_directs->selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex &index) {
        if (index.isValid())
            Q_EMIT partyChosen(index.data(PartyListModel::PartyIdRole).toString());
    });
    connect(&client.directs(), &QAbstractItemModel::modelReset, this, &PartyRail::fitDirects);
    connect(&client.directs(), &QAbstractItemModel::rowsInserted, this, &PartyRail::fitDirects);
    connect(&client.directs(), &QAbstractItemModel::rowsRemoved, this, &PartyRail::fitDirects);
    m_directsEnd = new QFrame(this);
    m_directsEnd->setObjectName(QStringLiteral("directRailEnd"));
    static_cast<QFrame *>(m_directsEnd)->setFrameShape(QFrame::HLine);
    m_directsEnd->setFixedWidth(32);

    m_list = sideList(new QListView(this), QStringLiteral("partyRail"), tr("Parties"));
    m_list->setModel(&client.parties());
    m_list->setItemDelegate(new PartyRailDelegate(theme, m_list));
    m_list->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex &index) {
        if (index.isValid())
            Q_EMIT partyChosen(index.data(PartyListModel::PartyIdRole).toString());
    });
    for (QListView *list : {m_directs, m_list}) {
        list->setContextMenuPolicy(Qt::CustomContextMenu);
        connect(list, &QWidget::customContextMenuRequested, this, [this, list](const QPoint &pos) { showMenu(list, pos); });
    }
    auto *add = toolButton(QStringLiteral("plus"), tr("Create a Party"), QStringLiteral("createPartyButton"), this);
    add->setIconSize(QSize(22, 22));
    add->setFixedSize(44, 44);
    connect(add, &QToolButton::clicked, this, &PartyRail::createPartyRequested);
    auto *join = toolButton(QStringLiteral("link"), tr("Join a Party with an Invite Link"), QStringLiteral("joinPartyButton"), this);
    join->setIconSize(QSize(20, 20));
    join->setFixedSize(44, 44);
    connect(join, &QToolButton::clicked, this, &PartyRail::joinPartyRequested);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 10, 0, 10);
    layout->setSpacing(4);
    layout->addWidget(newMessage, 0, Qt::AlignHCenter);
    layout->addWidget(m_directs);
    layout->addWidget(m_directsEnd, 0, Qt::AlignHCenter);
    layout->addWidget(m_list, 1);
    layout->addWidget(add, 0, Qt::AlignHCenter);
    layout->addWidget(join, 0, Qt::AlignHCenter);
    fitDirects();
}

void PartyRail::setPictures(AttachmentLoader *pictures)
{
    static_cast<DirectDelegate *>(m_directs->itemDelegate())->setPictures(pictures);
    connect(pictures, &AttachmentLoader::changed, m_directs->viewport(), qOverload<>(&QWidget::update));
}

// The conversations take the room of their tiles, up to four; more scroll.
void PartyRail::fitDirects()
{
    const int count = m_client.directs().rowCount();
    m_directs->setVisible(count > 0);
    m_directsEnd->setVisible(count > 0);
    m_directs->setVerticalScrollBarPolicy(count > 4 ? Qt::ScrollBarAsNeeded : Qt::ScrollBarAlwaysOff);
    m_directs->setFixedHeight(std::min(count, 4) * 56 + 2 * m_directs->frameWidth());
}

void PartyRail::showParty(const QString &partyId)
{
    // One of the two lists has it; the other has nothing selected.
    for (auto [list, model] : {std::pair{m_list, &m_client.parties()}, std::pair{m_directs, &m_client.directs()}}) {
        const int row = model->rowOf(partyId);
        const QModelIndex index = row >= 0 ? model->index(row) : QModelIndex();
        if (list->currentIndex() == index)
            continue;
        QSignalBlocker block(list->selectionModel());
        list->setCurrentIndex(index);
        list->viewport()->update();
    }
}

void PartyRail::step(int delta)
{
    const int count = m_client.parties().rowCount();
    if (count == 0)
        return;
    const int row = m_list->currentIndex().isValid() ? m_list->currentIndex().row() : -delta;
    m_list->setCurrentIndex(m_client.parties().index(((row + delta) % count + count) % count));
}

// A right click on a party or a conversation: what reaches the person from it.
void PartyRail::showMenu(QListView *list, const QPoint &pos)
{
    const QModelIndex index = list->indexAt(pos);
    const auto *party = index.isValid() ? m_client.store().party(index.data(PartyListModel::PartyIdRole).toString().toStdString()) : nullptr;
    if (!party)
        return;
    QMenu menu(this);
    menu.setObjectName(QStringLiteral("railMenu"));
    addLevelMenu(menu, m_preferences, *party);
    menu.exec(list->viewport()->mapToGlobal(pos));
}

} // namespace chatterbox::ui
