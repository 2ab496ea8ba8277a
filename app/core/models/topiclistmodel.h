// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/core/store.h"

#include <QAbstractListModel>

#include <optional>
#include <utility>

class QMimeData;

namespace chatterbox::app {

class Preferences;

// The topics of one party, in their order, with unread and mention counts and the notification
// level of each (app/core/notifylevel.h; LevelRole holds a protocol::NotifyLevel as an int). Rows can be dragged (mimeData names the party and topic); the view that takes the drop
// asks the server, and the list changes when topic.reordered arrives.
class TopicListModel final : public QAbstractListModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TopicListModel)

public:
    enum Role { TopicIdRole = Qt::UserRole + 1, NameRole, UnreadRole, MentionsRole, LastSeqRole, LevelRole };

    explicit TopicListModel(const Store &store, QObject *parent = nullptr);
    // Where the person's levels are kept; without it every topic has its party's default.
    void setPreferences(const Preferences *preferences);

    void setPartyId(const QString &partyId);
    QString partyId() const { return m_partyId; }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // Dragging a topic within the list.
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QStringList mimeTypes() const override;
    QMimeData *mimeData(const QModelIndexList &indexes) const override;
    static constexpr const char *kMimeType = "application/x-chatterbox-topic";
    // The (party id, topic id) a drag carries, when it carries one.
    static std::optional<std::pair<QString, QString>> draggedTopic(const QMimeData *data);

private:
    const protocol::Party *party() const;

    const Store &m_store;
    const Preferences *m_preferences = nullptr;
    QString m_partyId;
};

} // namespace chatterbox::app
