#pragma once

#include "app/core/store.h"

#include <QAbstractListModel>

namespace chatterbox::app {

// The party rail: every party the person is in, with unread and mention totals.
class PartyListModel final : public QAbstractListModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PartyListModel)

public:
    enum Role { PartyIdRole = Qt::UserRole + 1, NameRole, InitialsRole, UnreadRole, MentionsRole, OwnerIdRole };

    explicit PartyListModel(const Store &store, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;
    int rowOf(const QString &partyId) const;

    // "Book Club" -> "BC", "general" -> "G".
    static QString initials(const QString &name);

private:
    void refreshRow(const QString &partyId);

    const Store &m_store;
};

} // namespace chatterbox::app
