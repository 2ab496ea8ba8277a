#pragma once

#include "app/core/store.h"

#include <QAbstractListModel>

namespace chatterbox::app {

class Preferences;

// The party rail: every party the person is in, with unread and mention totals. Unread counts
// leave out muted topics; mentions always count.
class PartyListModel final : public QAbstractListModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PartyListModel)

public:
    enum Role { PartyIdRole = Qt::UserRole + 1, NameRole, InitialsRole, UnreadRole, MentionsRole, OwnerIdRole, MutedRole };

    explicit PartyListModel(const Store &store, QObject *parent = nullptr);
    // Where mutes are kept; without it nothing is muted.
    void setPreferences(const Preferences *preferences);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;
    int rowOf(const QString &partyId) const;

    // "Book Club" -> "BC", "general" -> "G".
    static QString initials(const QString &name);

private:
    void refreshRow(const QString &partyId);

    const Store &m_store;
    const Preferences *m_preferences = nullptr;
};

} // namespace chatterbox::app
