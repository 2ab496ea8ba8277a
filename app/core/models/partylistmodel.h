// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/core/store.h"

#include <QAbstractListModel>

namespace chatterbox::app {

class Preferences;

// The party rail: every party the person is in (or every direct conversation, in the list above
// them), with unread and mention totals as each topic's notification level lets them through
// (app/core/notifylevel.h), and the party's own level (LevelRole, a protocol::NotifyLevel as an int). A direct conversation is named by its other people, and drawn as the first of them.
class PartyListModel final : public QAbstractListModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PartyListModel)

public:
    enum Role {
        PartyIdRole = Qt::UserRole + 1, NameRole, InitialsRole, UnreadRole, MentionsRole, OwnerIdRole, LevelRole,
        // Direct conversations: the first other person (id, picture file, presence name), how
        // many others there are, and whether I block one of them.
        PeerIdRole, PeerPictureRole, PeerPresenceRole, OthersRole, BlockedRole, TopicIdRole,
    };

    explicit PartyListModel(const Store &store, protocol::PartyKind kind = protocol::PartyKind::Party, QObject *parent = nullptr);
    // Where the person's levels are kept; without it every party has its owner's default.
    void setPreferences(const Preferences *preferences);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;
    int rowOf(const QString &partyId) const;

    // "Book Club" -> "BC", "general" -> "G".
    static QString initials(const QString &name);

private:
    void refreshRow(const QString &partyId);
    void refreshAll();
    void rebuild();
    const protocol::Party &partyAt(int row) const;

    const Store &m_store;
    const protocol::PartyKind m_kind;
    std::vector<std::size_t> m_rows;   // indexes into the store's parties, of this kind
    const Preferences *m_preferences = nullptr;
};

} // namespace chatterbox::app
