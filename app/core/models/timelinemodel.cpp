// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/core/models/timelinemodel.h"

#include <QSet>

#include <algorithm>

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
        if (topicId != m_topicId || index >= m_storeRows)
            return;
        Q_EMIT dataChanged(this->index(index), this->index(index));
        // Replies below it quote it: an edit or a delete shows in their quotes too.
        const auto &messages = loaded()->messages;
        const std::string &id = messages.at(static_cast<std::size_t>(index)).id;
        for (int row = index + 1; row < m_storeRows; ++row) {
            const auto &reply = messages[static_cast<std::size_t>(row)].replyTo;
            if (reply && reply->messageId == id)
                Q_EMIT dataChanged(this->index(row), this->index(row), {ReplyRole});
        }
    });
    connect(&store, &Store::partiesReset, this, [this] {
        if (!m_topicId.isEmpty() && !m_store.topic(m_topicId.toStdString()))
            setTopicId({});
    });
    // A block or unblock changes how the person's messages show, wherever they are.
    connect(&store, &Store::blocksChanged, this, [this] {
        if (rowCount() > 0)
            Q_EMIT dataChanged(index(0), index(rowCount() - 1));
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
    case AuthorPictureRole: return m_store.pictureOf(authorId(row).toStdString());
    case BlockedRole: return m && m_store.isBlocked(m->authorId);
    case SentAtRole: return sentAt(row);
    case SeqRole: return m ? static_cast<qint64>(m->seq) : qint64(0);
    case DeliveryStateRole:
        return QVariant::fromValue(m ? DeliveryState::Delivered : row.pending->failed ? DeliveryState::Failed : DeliveryState::Pending);
    case ErrorRole: return m ? QString() : row.pending->error;
    case EditedRole: return m && m->editedAt.has_value();
    case DeletedRole: return m && m->deleted;
    case MentionsMeRole:
        return m && protocol::mentionsUser(*m, m_store.me().id);
    case FirstUnreadRole: return m && m->seq == m_firstUnreadSeq;
    case MentionNamesRole: {
        QStringList names;
        if (m) {
            for (const auto &userId : m->mentions)
                names << m_store.displayName(userId);
            if (m->massMention != protocol::MassMention::None)
                names << QString::fromLatin1(protocol::massMentionName(m->massMention));
        }
        return names;
    }
    case OwnRole: return authorId(row).toStdString() == m_store.me().id;
    case ReplyRole: return replyOf(row);
    case ReactionsRole: return m ? reactionsOf(*m) : QVariant(QVariantList());
    case ReactionNamesRole: return m ? reactionNamesOf(*m) : QVariant(QVariantList());
    case FilesRole: return m ? filesOf(*m) : filesOf(*row.pending);
    case UploadProgressRole: {
        if (m || row.pending->attachments.isEmpty() || row.pending->failed || !m_uploadProgress)
            return -1.0;
        const auto [sent, total] = m_uploadProgress(row.pending->clientMsgId);
        return total > 0 ? std::clamp(double(sent) / double(total), 0.0, 1.0) : 0.0;
    }
    case PinnedRole: return m && m->pinnedAt.has_value();
    case PinnedByRole: return m && m->pinnedAt ? m_store.displayName(m->pinnedBy) : QString();
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
        // A reply starts one too: its quote sits above the author's name.
        const bool reply = m ? m->replyTo.has_value() : !row.pending->replyTo.isEmpty();
        return newDay || authorId(previous) != authorId(row) || before.msecsTo(now) > kGroupGapMs
               || (m && m->seq == m_firstUnreadSeq) || reply;
    }
    default: return {};
    }
}

QVariant TimelineModel::replyOf(const Row &row) const
{
    std::optional<protocol::ReplyPreview> quoted;
    if (row.message)
        quoted = row.message->replyTo;
    const std::string replyTo = row.message ? (quoted ? quoted->messageId : std::string()) : row.pending->replyTo.toStdString();
    if (replyTo.empty())
        return {};
    QVariantMap reply{{QLatin1String(kReplyIdKey), QString::fromStdString(replyTo)}};
    // The original as it is now when it is loaded (edited or deleted since), else as quoted;
    // found by its seq when it is known (every row that is drawn asks), by its id for a pending
    // reply.
    const protocol::Message *original = quoted ? m_store.loadedMessageAt(m_topicId.toStdString(), quoted->seq)
                                               : m_store.loadedMessage(m_topicId.toStdString(), replyTo);
    if (original && original->id != replyTo)
        original = nullptr;
    if (original) {
        reply[QLatin1String(kReplySeqKey)] = static_cast<qint64>(original->seq);
        reply[QLatin1String(kReplyAuthorKey)] = m_store.displayName(original->authorId);
        reply[QLatin1String(kReplyTextKey)] = QString::fromStdString(original->body);
        reply[QLatin1String(kReplyDeletedKey)] = original->deleted;
    } else if (quoted) {
        reply[QLatin1String(kReplySeqKey)] = static_cast<qint64>(quoted->seq);
        reply[QLatin1String(kReplyAuthorKey)] = m_store.displayName(quoted->authorId);
        reply[QLatin1String(kReplyTextKey)] = QString::fromStdString(quoted->excerpt);
        reply[QLatin1String(kReplyDeletedKey)] = quoted->deleted;
    } else {
        return {};   // a pending reply to a message no longer loaded: shown without its quote
    }
    return reply;
}

QVariant TimelineModel::filesOf(const protocol::Message &message)
{
    QVariantList out;
    for (const auto &f : message.files)
        out.append(QVariantMap{{QString::fromLatin1(kFileIdKey), QString::fromStdString(f.id)},
                               {QString::fromLatin1(kFileNameKey), QString::fromStdString(f.name)},
                               {QString::fromLatin1(kFileTypeKey), QString::fromStdString(f.mediaType)},
                               {QString::fromLatin1(kFileSizeKey), static_cast<qint64>(f.size)},
                               {QString::fromLatin1(kFileWidthKey), f.width.value_or(0)},
                               {QString::fromLatin1(kFileHeightKey), f.height.value_or(0)},
                               {QString::fromLatin1(kFileThumbnailKey), f.hasThumbnail},
                               {QString::fromLatin1(kFileLocalPathKey), QString()}});
    return out;
}

QVariant TimelineModel::filesOf(const Outbox::Entry &pending)
{
    QVariantList out;
    for (const auto &a : pending.attachments)
        out.append(QVariantMap{{QString::fromLatin1(kFileIdKey), a.uploaded ? a.fileId : QString()},
                               {QString::fromLatin1(kFileNameKey), a.name},
                               {QString::fromLatin1(kFileTypeKey), a.mediaType},
                               {QString::fromLatin1(kFileSizeKey), a.size},
                               {QString::fromLatin1(kFileWidthKey), a.width},
                               {QString::fromLatin1(kFileHeightKey), a.height},
                               {QString::fromLatin1(kFileThumbnailKey), !a.thumbnail.isEmpty()},
                               {QString::fromLatin1(kFileLocalPathKey), a.path}});
    return out;
}

QVariant TimelineModel::reactionsOf(const protocol::Message &message) const
{
    QVariantList out;
    for (const auto &r : message.reactions) {
        const bool mine = std::find(r.userIds.begin(), r.userIds.end(), m_store.me().id) != r.userIds.end();
        out << QVariantMap{{QLatin1String(kReactionEmojiKey), QString::fromStdString(r.emoji)},
                           {QLatin1String(kReactionCountKey), static_cast<int>(r.userIds.size())},
                           {QLatin1String(kReactionMineKey), mine}};
    }
    return out;
}

QVariant TimelineModel::reactionNamesOf(const protocol::Message &message) const
{
    QVariantList out;
    for (const auto &r : message.reactions) {
        QStringList names;
        for (const auto &userId : r.userIds)
            names << m_store.displayName(userId);
        out << names;
    }
    return out;
}

bool TimelineModel::hasNewer() const
{
    const auto *l = loaded();
    return l && l->loaded && l->hasNewer;
}

int TimelineModel::rowOfSeq(std::int64_t seq) const
{
    const auto *l = loaded();
    if (!l || l->messages.empty() || seq < l->messages.front().seq || seq > l->messages.back().seq)
        return -1;
    return static_cast<int>(seq - l->messages.front().seq);
}

QHash<int, QByteArray> TimelineModel::roleNames() const
{
    return {{MessageIdRole, "messageId"}, {ClientMsgIdRole, "clientMsgId"}, {AuthorIdRole, "authorId"},
            {AuthorNameRole, "authorName"}, {AuthorPictureRole, "authorPicture"}, {BodyRole, "body"}, {SentAtRole, "sentAt"}, {SeqRole, "seq"},
            {DeliveryStateRole, "deliveryState"}, {ErrorRole, "error"}, {EditedRole, "edited"}, {DeletedRole, "deleted"},
            {DayStartRole, "dayStart"}, {GroupStartRole, "groupStart"}, {FirstUnreadRole, "firstUnread"},
            {MentionsMeRole, "mentionsMe"}, {OwnRole, "own"}, {MentionNamesRole, "mentionNames"}, {ReplyRole, "reply"},
            {ReactionsRole, "reactions"}, {ReactionNamesRole, "reactionNames"}, {PinnedRole, "pinned"}, {PinnedByRole, "pinnedBy"},
            {FilesRole, "files"}, {UploadProgressRole, "uploadProgress"}};
}

void TimelineModel::uploadProgressed(const QString &clientMsgId)
{
    for (int i = 0; i < m_tail.size(); ++i) {
        if (m_tail[i].clientMsgId == clientMsgId) {
            const QModelIndex at = index(m_storeRows + i);
            Q_EMIT dataChanged(at, at, {UploadProgressRole});
            return;
        }
    }
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
