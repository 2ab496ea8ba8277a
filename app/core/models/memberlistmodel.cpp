// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/core/models/memberlistmodel.h"

#include "app/core/displaytext.h"
#include "app/core/persontext.h"

#include <QDateTime>

#include <algorithm>

namespace chatterbox::app {

MemberListModel::MemberListModel(const Store &store, QObject *parent) : QAbstractListModel(parent), m_store(store)
{
    connect(&store, &Store::partiesReset, this, &MemberListModel::rebuild);
    connect(&store, &Store::membersChanged, this, [this](const QString &partyId) {
        if (partyId == m_partyId)
            rebuild();
    });
    connect(&store, &Store::presenceChanged, this, [this](const QString &userId) {
        for (const auto &m : m_rows) {
            if (m.userId == userId.toStdString())
                return rebuild();
        }
    });
}

void MemberListModel::setPartyId(const QString &partyId)
{
    m_partyId = partyId;
    rebuild();
}

void MemberListModel::rebuild()
{
    beginResetModel();
    m_rows.clear();
    if (const auto *party = m_store.party(m_partyId.toStdString()))
        m_rows = party->members;
    // Online (do not disturb is online too, only quiet), then idle, then offline; by name in each.
    const auto group = [this](const protocol::Member &m) {
        switch (m_store.presence(m.userId)) {
        case protocol::Presence::Online:
        case protocol::Presence::DoNotDisturb: return 0;
        case protocol::Presence::Idle: return 1;
        case protocol::Presence::Offline: break;
        }
        return 2;
    };
    std::stable_sort(m_rows.begin(), m_rows.end(), [&group](const protocol::Member &a, const protocol::Member &b) {
        const int pa = group(a);
        const int pb = group(b);
        if (pa != pb)
            return pa < pb;
        return QString::fromStdString(a.displayName).compare(QString::fromStdString(b.displayName), Qt::CaseInsensitive) < 0;
    });
    endResetModel();
}

int MemberListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

QVariant MemberListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const auto &m = m_rows.at(static_cast<std::size_t>(index.row()));
    switch (role) {
    case Qt::DisplayRole:
    case DisplayNameRole: return QString::fromStdString(m.displayName);
    case UserIdRole: return QString::fromStdString(m.userId);
    case RoleRole: return QString::fromLatin1(protocol::roleName(m.role));
    case PresenceRole: return QString::fromLatin1(protocol::presenceName(m_store.presence(m.userId)));
    case AvatarUrlRole: return QString::fromStdString(m.avatarUrl);
    case PictureRole: return QString::fromStdString(m.avatarFileId);
    case StatusRole:
    case Qt::ToolTipRole: {
        const bool shown = statusShown(m.status, QDateTime::currentDateTime());
        const QString status = shown ? QString::fromStdString(m.status.text) : QString();
        return role == StatusRole || status.isEmpty() ? QVariant(status) : QVariant(plainToolTip(status));
    }
    default: return {};
    }
}

QHash<int, QByteArray> MemberListModel::roleNames() const
{
    return {{UserIdRole, "userId"}, {DisplayNameRole, "displayName"}, {RoleRole, "role"}, {PresenceRole, "presence"},
            {AvatarUrlRole, "avatarUrl"}, {PictureRole, "picture"}, {StatusRole, "status"}};
}

} // namespace chatterbox::app
