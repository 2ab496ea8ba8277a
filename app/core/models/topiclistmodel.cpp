#include "app/core/models/topiclistmodel.h"

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
    default: return {};
    }
}

QHash<int, QByteArray> TopicListModel::roleNames() const
{
    return {{TopicIdRole, "topicId"}, {NameRole, "name"}, {UnreadRole, "unread"}, {MentionsRole, "mentions"}, {LastSeqRole, "lastSeq"}};
}

} // namespace chatterbox::app
