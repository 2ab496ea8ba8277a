// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/core/store.h"

#include <QAbstractListModel>

namespace chatterbox::app {

// The members of one party: online (and do not disturb) first, then idle, then offline, each by name.
class MemberListModel final : public QAbstractListModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MemberListModel)

public:
    // StatusRole: the status line while it is shown (empty after its expiry); the tooltip says it
    // as plain text.
    enum Role { UserIdRole = Qt::UserRole + 1, DisplayNameRole, RoleRole, PresenceRole, AvatarUrlRole, PictureRole, StatusRole };

    explicit MemberListModel(const Store &store, QObject *parent = nullptr);

    void setPartyId(const QString &partyId);
    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    void rebuild();

    const Store &m_store;
    QString m_partyId;
    std::vector<protocol::Member> m_rows;   // sorted copy: presence order changes without events on members
};

} // namespace chatterbox::app
