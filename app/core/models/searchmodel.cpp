// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/core/models/searchmodel.h"

#include "app/core/client.h"

#include <QDateTime>
#include <QPointer>
#include <QPoint>

namespace chatterbox::app {

SearchModel::SearchModel(Client &client, QObject *parent) : QAbstractListModel(parent), m_client(client)
{
    connect(&client.store(), &Store::partyChanged, this, &SearchModel::dropPartiesLeft);
    connect(&client.store(), &Store::partiesReset, this, &SearchModel::dropPartiesLeft);
}

void SearchModel::search(const QString &query, const QString &topicId)
{
    if (query == m_query && topicId == m_topicId && (m_loading || !m_groups.empty() || !m_error.isEmpty()))
        return;
    clear();
    m_query = query;
    m_topicId = topicId;
    if (query.trimmed().isEmpty())
        return;
    request();
}

void SearchModel::clear()
{
    ++m_generation;   // a reply still on its way is for another search
    beginResetModel();
    m_groups.clear();
    m_resultCount = 0;
    m_next.clear();
    m_query.clear();
    m_topicId.clear();
    endResetModel();
    const bool changed = m_loading || !m_error.isEmpty();
    m_loading = false;
    m_error.clear();
    if (changed)
        Q_EMIT stateChanged();
}

void SearchModel::request()
{
    m_loading = true;
    Q_EMIT stateChanged();
    const int generation = m_generation;
    m_client.searchMessages(m_query, m_topicId, m_next, [self = QPointer(this), generation](const protocol::Result<protocol::SearchResults> &answer) {
        if (!self || generation != self->m_generation)
            return;
        self->answered(answer);
    });
}

void SearchModel::answered(const protocol::Result<protocol::SearchResults> &answer)
{
    m_loading = false;
    if (!answer) {
        m_next.clear();
        m_error = QString::fromStdString(answer.error().message);
    } else {
        m_next = answer.value().next ? QString::fromStdString(*answer.value().next) : QString();
        add(answer.value().results);
    }
    Q_EMIT stateChanged();
}

void SearchModel::add(std::vector<protocol::SearchHit> hits)
{
    for (auto &hit : hits) {
        const QString topicId = QString::fromStdString(hit.message.topicId);
        if (!m_client.store().party(hit.message.partyId))
            continue;   // left while the reply was on its way
        int group = 0;
        while (group < int(m_groups.size()) && m_groups[std::size_t(group)].topicId != topicId)
            ++group;
        if (group == int(m_groups.size())) {
            const int row = rowCount();
            beginInsertRows({}, row, row + 1);
            m_groups.push_back({topicId, QString::fromStdString(hit.message.partyId), {std::move(hit)}});
            endInsertRows();
        } else {
            auto &hitsOfGroup = m_groups[std::size_t(group)].hits;
            const int row = firstRowOf(group) + 1 + int(hitsOfGroup.size());
            beginInsertRows({}, row, row);
            hitsOfGroup.push_back(std::move(hit));
            endInsertRows();
        }
        ++m_resultCount;
    }
}

void SearchModel::dropPartiesLeft()
{
    for (int group = int(m_groups.size()) - 1; group >= 0; --group) {
        const Group &g = m_groups[std::size_t(group)];
        if (m_client.store().party(g.partyId.toStdString()))
            continue;
        const int first = firstRowOf(group);
        beginRemoveRows({}, first, first + int(g.hits.size()));
        m_resultCount -= int(g.hits.size());
        m_groups.erase(m_groups.begin() + group);
        endRemoveRows();
    }
}

int SearchModel::firstRowOf(int group) const
{
    int row = 0;
    for (int g = 0; g < group; ++g)
        row += 1 + int(m_groups[std::size_t(g)].hits.size());
    return row;
}

std::pair<int, int> SearchModel::locate(int row) const
{
    for (int g = 0; g < int(m_groups.size()); ++g) {
        const int size = 1 + int(m_groups[std::size_t(g)].hits.size());
        if (row < size)
            return {g, row - 1};
        row -= size;
    }
    return {-1, -1};
}

int SearchModel::firstResultRow() const
{
    return m_groups.empty() ? -1 : 1;
}

int SearchModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : firstRowOf(int(m_groups.size()));
}

Qt::ItemFlags SearchModel::flags(const QModelIndex &index) const
{
    const auto [group, hit] = locate(index.row());
    if (group < 0)
        return Qt::NoItemFlags;
    return hit < 0 ? Qt::ItemIsEnabled : Qt::ItemIsEnabled | Qt::ItemIsSelectable;
}

QVariant SearchModel::data(const QModelIndex &index, int role) const
{
    const auto [group, hit] = locate(index.row());
    if (group < 0)
        return {};
    const Group &g = m_groups[std::size_t(group)];
    const Store &store = m_client.store();
    if (role == IsHeaderRole)
        return hit < 0;
    if (role == TopicIdRole)
        return g.topicId;
    if (role == PartyIdRole)
        return g.partyId;
    if (hit < 0) {
        if (role != Qt::DisplayRole)
            return {};
        const auto *topic = store.topic(g.topicId.toStdString());
        return topic ? store.placeName(*topic, Store::Isolation::Plain) : tr("a deleted topic");
    }
    const protocol::SearchHit &h = g.hits[std::size_t(hit)];
    switch (role) {
    case Qt::DisplayRole:
    case SnippetRole:
        return QString::fromStdString(h.snippet);
    case SeqRole:
        return qint64(h.message.seq);
    case MessageIdRole:
        return QString::fromStdString(h.message.id);
    case AuthorNameRole:
        return store.displayName(h.message.authorId);
    case CreatedAtRole:
        return QDateTime::fromMSecsSinceEpoch(h.message.createdAt);
    case HighlightsRole: {
        QVariantList ranges;
        for (const auto &r : h.highlights)
            ranges << QPoint(r.start, r.length);
        return ranges;
    }
    default:
        return {};
    }
}

bool SearchModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_loading && !m_next.isEmpty();
}

void SearchModel::fetchMore(const QModelIndex &parent)
{
    if (canFetchMore(parent))
        request();
}

} // namespace chatterbox::app
