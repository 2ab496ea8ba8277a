// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/ui/partyrail.h"

#include "app/core/client.h"
#include "app/ui/listdelegates.h"
#include "app/ui/theme.h"
#include "app/ui/widgetparts.h"

#include <QListView>
#include <QToolButton>
#include <QVBoxLayout>

namespace chatterbox::ui {

using app::PartyListModel;

PartyRail::PartyRail(app::Client &client, const Theme &theme, QWidget *parent) : QWidget(parent), m_client(client)
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

    m_list = sideList(new QListView(this), QStringLiteral("partyRail"), tr("Parties"));
    m_list->setModel(&client.parties());
    m_list->setItemDelegate(new PartyRailDelegate(theme, m_list));
    m_list->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex &index) {
        if (index.isValid())
            Q_EMIT partyChosen(index.data(PartyListModel::PartyIdRole).toString());
    });
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
    layout->addWidget(m_list, 1);
    layout->addWidget(add, 0, Qt::AlignHCenter);
    layout->addWidget(join, 0, Qt::AlignHCenter);
}

void PartyRail::showParty(const QString &partyId)
{
    const int row = m_client.parties().rowOf(partyId);
    const QModelIndex index = row >= 0 ? m_client.parties().index(row) : QModelIndex();
    if (m_list->currentIndex() == index)
        return;
    QSignalBlocker block(m_list->selectionModel());
    m_list->setCurrentIndex(index);
    m_list->viewport()->update();
}

void PartyRail::step(int delta)
{
    const int count = m_client.parties().rowCount();
    if (count == 0)
        return;
    const int row = m_list->currentIndex().isValid() ? m_list->currentIndex().row() : -delta;
    m_list->setCurrentIndex(m_client.parties().index(((row + delta) % count + count) % count));
}

} // namespace chatterbox::ui
