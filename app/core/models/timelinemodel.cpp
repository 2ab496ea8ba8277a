#include "app/core/models/timelinemodel.h"

#include <QSet>

namespace chatterbox::app {

namespace {
constexpr qint64 kGroupGapMs = 5 * 60 * 1000;
}

TimelineModel::TimelineModel(const Store &store, const Outbox &outbox, Loader openTopic, Loader loadOlder, QObject *parent)
    : QAbstractListModel(parent), m_store(store), m_outbox(outbox), m_openTopic(std::move(openTopic)), m_loadOlder(std::move(loadOlder))
{
    connect(&store, &Store::messagesAboutToBeReset, this, [this](const QString &topicId) {
        if (topicId == m_topicId)
            beginResetModel();
    });
    connect(&store, &Store::messagesReset, this, [this](const QString &topicId) {
        if (topicId != m_topicId)
            return;
        m_storeRows = loaded() ? static_cast<int>(loaded()->messages.size()) : 0;
        m_tail.clear();
        endResetModel();
        refreshTail();
        continueSeek();
    });
    connect(&store, &Store::messagesAboutToBePrepended, this, [this](const QString &topicId, int count) {
        if (topicId == m_topicId)
            beginInsertRows({}, 0, count - 1);
    });
    connect(&store, &Store::messagesPrepended, this, [this](const QString &topicId, int count) {
        if (topicId != m_topicId)
            return;
        m_storeRows += count;
        endInsertRows();
    });
    connect(&store, &Store::messagesAboutToBeAppended, this, [this](const QString &topicId, int count) {
        if (topicId == m_topicId)
            beginInsertRows({}, m_storeRows, m_storeRows + count - 1);
    });
    connect(&store, &Store::messagesAppended, this, [this](const QString &topicId, int count) {
        if (topicId != m_topicId)
            return;
        m_storeRows += count;
        endInsertRows();
        refreshTail();
    });
    connect(&store, &Store::messageChanged, this, [this](const QString &topicId, int index) {
        if (topicId == m_topicId && index < m_storeRows)
            Q_EMIT dataChanged(this->index(index), this->index(index));
    });
    connect(&store, &Store::partiesReset, this, [this] {
        if (!m_topicId.isEmpty() && !m_store.topic(m_topicId.toStdString()))
            setTopicId({});
    });
    connect(&outbox, &Outbox::changed, this, [this](const QString &topicId) {
        if (topicId == m_topicId)
            refreshTail();
    });
}

const Store::TopicMessages *TimelineModel::loaded() const
{
    return m_topicId.isEmpty() ? nullptr : m_store.messages(m_topicId.toStdString());
}

void TimelineModel::setTopicId(const QString &topicId)
{
    beginResetModel();
    m_topicId = topicId;
    m_storeRows = loaded() ? static_cast<int>(loaded()->messages.size()) : 0;
    m_tail.clear();
    const auto rs = m_store.readState(topicId.toStdString());
    m_firstUnreadSeq = rs.unread > 0 ? rs.lastReadSeq + 1 : 0;
    m_loading = false;
    m_seekPagesLeft = 0;
    endResetModel();
    refreshTail();
    if (m_firstUnreadSeq > 0)
        seekFirstUnread(kOpeningPages);
    if (!topicId.isEmpty() && (!loaded() || !loaded()->loaded) && m_openTopic)
        m_openTopic(topicId, {});
}

void TimelineModel::seekFirstUnread(int maxPages)
{
    if (m_firstUnreadSeq <= 0)
        return;
    m_seekPagesLeft = maxPages > 0 ? maxPages : -1;
    continueSeek();
}

void TimelineModel::continueSeek()
{
    if (m_seekPagesLeft == 0 || m_loading)
        return;
    const auto *l = loaded();
    if (!l || !l->loaded)
        return;   // the first page is on its way; it continues from there
    if (firstUnreadRow() >= 0 || !hasOlder() || !m_loadOlder || m_seekPagesLeft == 1) {
        m_seekPagesLeft = 0;
        Q_EMIT seekingFinished();
        return;
    }
    if (m_seekPagesLeft > 0)
        --m_seekPagesLeft;
    m_loading = true;
    const QString topicId = m_topicId;
    m_loadOlder(topicId, [this, topicId](bool ok) {
        if (topicId != m_topicId)
            return;   // another topic is open now
        m_loading = false;
        if (!ok && m_seekPagesLeft != 0) {
            m_seekPagesLeft = 0;
            Q_EMIT seekingFinished();
            return;
        }
        continueSeek();
    });
}

void TimelineModel::refreshTail()
{
    // Pending messages whose own event already arrived are shown once, as delivered.
    QSet<QString> delivered;
    if (const auto *l = loaded()) {
        const auto &messages = l->messages;
        for (auto it = messages.rbegin(); it != messages.rend() && delivered.size() < 500; ++it) {
            if (it->authorId == m_store.me().id)
                delivered.insert(QString::fromStdString(it->clientMsgId));
        }
    }
    QList<Outbox::Entry> tail;
    for (const auto &e : m_outbox.entriesFor(m_topicId)) {
        if (!delivered.contains(e.clientMsgId))
            tail.append(e);
    }
    if (!m_tail.isEmpty()) {
        beginRemoveRows({}, m_storeRows, m_storeRows + static_cast<int>(m_tail.size()) - 1);
        m_tail.clear();
        endRemoveRows();
    }
    if (!tail.isEmpty()) {
        beginInsertRows({}, m_storeRows, m_storeRows + static_cast<int>(tail.size()) - 1);
        m_tail = tail;
        endInsertRows();
    }
    if (m_storeRows > 0)
        Q_EMIT dataChanged(index(m_storeRows - 1), index(m_storeRows - 1), {GroupStartRole});
}

int TimelineModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_storeRows + static_cast<int>(m_tail.size());
}

TimelineModel::Row TimelineModel::rowAt(int row) const
{
    if (row < m_storeRows)
        return {&loaded()->messages.at(static_cast<std::size_t>(row)), nullptr};
    return {nullptr, &m_tail.at(row - m_storeRows)};
}

QDateTime TimelineModel::sentAt(const Row &row) const
{
    if (row.message)
        return QDateTime::fromMSecsSinceEpoch(row.message->createdAt).toLocalTime();
    return row.pending->createdAt.toLocalTime();
}

QString TimelineModel::authorId(const Row &row) const
{
    return row.message ? QString::fromStdString(row.message->authorId) : QString::fromStdString(m_store.me().id);
}

int TimelineModel::firstUnreadRow() const
{
    if (m_firstUnreadSeq <= 0 || !loaded() || loaded()->messages.empty())
        return -1;
    const std::int64_t first = loaded()->messages.front().seq;
    const std::int64_t row = m_firstUnreadSeq - first;
    return row >= 0 && row < m_storeRows ? static_cast<int>(row) : -1;
}

QVariant TimelineModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row row = rowAt(index.row());
    const protocol::Message *m = row.message;
    switch (role) {
    case Qt::DisplayRole:
    case BodyRole: return m ? QString::fromStdString(m->body) : row.pending->body;
    case MessageIdRole: return m ? QString::fromStdString(m->id) : QString();
    case ClientMsgIdRole: return m ? QString::fromStdString(m->clientMsgId) : row.pending->clientMsgId;
    case AuthorIdRole: return authorId(row);
    case AuthorNameRole: return m_store.displayName(authorId(row).toStdString());
    case SentAtRole: return sentAt(row);
    case SeqRole: return m ? static_cast<qint64>(m->seq) : qint64(0);
    case DeliveryStateRole:
        return QVariant::fromValue(m ? DeliveryState::Delivered : row.pending->failed ? DeliveryState::Failed : DeliveryState::Pending);
    case ErrorRole: return m ? QString() : row.pending->error;
    case EditedRole: return m && m->editedAt.has_value();
    case DeletedRole: return m && m->deleted;
    case MentionsMeRole:
        return m && std::find(m->mentions.begin(), m->mentions.end(), m_store.me().id) != m->mentions.end();
    case FirstUnreadRole: return m && m->seq == m_firstUnreadSeq;
    case MentionNamesRole: {
        QStringList names;
        if (m) {
            for (const auto &userId : m->mentions)
                names << m_store.displayName(userId);
        }
        return names;
    }
    case OwnRole: return authorId(row).toStdString() == m_store.me().id;
    case DayStartRole:
    case GroupStartRole: {
        if (index.row() == 0)
            return true;
        const Row previous = rowAt(index.row() - 1);
        const QDateTime now = sentAt(row);
        const QDateTime before = sentAt(previous);
        const bool newDay = now.date() != before.date();
        if (role == DayStartRole)
            return newDay;
        return newDay || authorId(previous) != authorId(row) || before.msecsTo(now) > kGroupGapMs
               || (m && m->seq == m_firstUnreadSeq);
    }
    default: return {};
    }
}

QHash<int, QByteArray> TimelineModel::roleNames() const
{
    return {{MessageIdRole, "messageId"}, {ClientMsgIdRole, "clientMsgId"}, {AuthorIdRole, "authorId"},
            {AuthorNameRole, "authorName"}, {BodyRole, "body"}, {SentAtRole, "sentAt"}, {SeqRole, "seq"},
            {DeliveryStateRole, "deliveryState"}, {ErrorRole, "error"}, {EditedRole, "edited"}, {DeletedRole, "deleted"},
            {DayStartRole, "dayStart"}, {GroupStartRole, "groupStart"}, {FirstUnreadRole, "firstUnread"},
            {MentionsMeRole, "mentionsMe"}, {OwnRole, "own"}, {MentionNamesRole, "mentionNames"}};
}

bool TimelineModel::hasOlder() const
{
    const auto *l = loaded();
    return !m_loading && l && l->loaded && l->hasOlder;
}

void TimelineModel::loadOlder()
{
    if (!hasOlder() || !m_loadOlder)
        return;
    m_loading = true;
    const QString topicId = m_topicId;
    m_loadOlder(topicId, [this, topicId](bool) {
        if (topicId == m_topicId)
            m_loading = false;
    });
}

} // namespace chatterbox::app
