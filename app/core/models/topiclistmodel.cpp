// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/core/models/topiclistmodel.h"

#include "app/core/notifylevel.h"
#include "app/core/preferences.h"

#include <QMimeData>

namespace chatterbox::app {

TopicListModel::TopicListModel(const Store &store, QObject *parent) : QAbstractListModel(parent), m_store(store)
{
    const auto reset = [this] {
        beginResetModel();
        endResetModel();
    };
    connect(&store, &Store::partiesReset, this, reset);
    connect(&store, &Store::topicsChanged, this, [this, reset](const QString &partyId) {
        if (partyId == m_partyId)
            reset();
    });
    // The party's default level is each topic's unless the person chose otherwise.
    connect(&store, &Store::partyChanged, this, [this](const QString &partyId) {
        if (partyId == m_partyId && rowCount() > 0)
            Q_EMIT dataChanged(index(0), index(rowCount() - 1), {LevelRole});
    });
    connect(&store, &Store::readStateChanged, this, [this](const QString &topicId) {
        const auto *p = party();
        if (!p)
            return;
        for (std::size_t i = 0; i < p->topics.size(); ++i) {
            if (p->topics[i].id == topicId.toStdString())
                Q_EMIT dataChanged(index(static_cast<int>(i)), index(static_cast<int>(i)));
        }
    });
}

const protocol::Party *TopicListModel::party() const
{
    return m_store.party(m_partyId.toStdString());
}

void TopicListModel::setPartyId(const QString &partyId)
{
    beginResetModel();
    m_partyId = partyId;
    endResetModel();
}

int TopicListModel::rowCount(const QModelIndex &parent) const
{
    const auto *p = party();
    return parent.isValid() || !p ? 0 : static_cast<int>(p->topics.size());
}

QVariant TopicListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const auto &topic = party()->topics.at(static_cast<std::size_t>(index.row()));
    switch (role) {
    case Qt::DisplayRole:
    case NameRole: return QString::fromStdString(topic.name);
    case TopicIdRole: return QString::fromStdString(topic.id);
    case UnreadRole: return static_cast<qint64>(m_store.readState(topic.id).unread);
    case MentionsRole: return static_cast<qint64>(m_store.readState(topic.id).mentions);
    case LastSeqRole: return static_cast<qint64>(topic.lastSeq);
    case LevelRole: return static_cast<int>(topicLevel(m_preferences, *party(), topic.id));
    default: return {};
    }
}

QHash<int, QByteArray> TopicListModel::roleNames() const
{
    return {{TopicIdRole, "topicId"}, {NameRole, "name"}, {UnreadRole, "unread"}, {MentionsRole, "mentions"},
            {LastSeqRole, "lastSeq"}, {LevelRole, "level"}};
}

void TopicListModel::setPreferences(const Preferences *preferences)
{
    if (m_preferences)
        disconnect(m_preferences, nullptr, this, nullptr);
    m_preferences = preferences;
    if (preferences) {
        connect(preferences, &Preferences::levelsChanged, this, [this] {
            if (rowCount() > 0)
                Q_EMIT dataChanged(index(0), index(rowCount() - 1), {LevelRole});
        });
    }
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0), index(rowCount() - 1));
}

Qt::ItemFlags TopicListModel::flags(const QModelIndex &index) const
{
    return index.isValid() ? QAbstractListModel::flags(index) | Qt::ItemIsDragEnabled : Qt::ItemIsDropEnabled;
}

QStringList TopicListModel::mimeTypes() const
{
    return {QString::fromLatin1(kMimeType)};
}

QMimeData *TopicListModel::mimeData(const QModelIndexList &indexes) const
{
    if (indexes.size() != 1 || !indexes.first().isValid())
        return nullptr;
    auto *data = new QMimeData;
    // The party too: a topic dropped on another party's list is not moved there.
    data->setData(QString::fromLatin1(kMimeType), (m_partyId + QLatin1Char('/') + indexes.first().data(TopicIdRole).toString()).toUtf8());
    return data;
}

std::optional<std::pair<QString, QString>> TopicListModel::draggedTopic(const QMimeData *data)
{
    if (!data || !data->hasFormat(QString::fromLatin1(kMimeType)))
        return std::nullopt;
    const QString text = QString::fromUtf8(data->data(QString::fromLatin1(kMimeType)));
    const qsizetype slash = text.indexOf(QLatin1Char('/'));
    if (slash <= 0 || slash == text.size() - 1)
        return std::nullopt;
    return std::pair{text.left(slash), text.mid(slash + 1)};
}

} // namespace chatterbox::app
