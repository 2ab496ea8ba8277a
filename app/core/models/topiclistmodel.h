#pragma once

#include "app/core/store.h"

#include <QAbstractListModel>

namespace chatterbox::app {

// The topics of one party, in their order, with unread and mention counts.
class TopicListModel final : public QAbstractListModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TopicListModel)

public:
    enum Role { TopicIdRole = Qt::UserRole + 1, NameRole, UnreadRole, MentionsRole, LastSeqRole };

    explicit TopicListModel(const Store &store, QObject *parent = nullptr);

    void setPartyId(const QString &partyId);
    QString partyId() const { return m_partyId; }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    const protocol::Party *party() const;

    const Store &m_store;
    QString m_partyId;
};

} // namespace chatterbox::app
