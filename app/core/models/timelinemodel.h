// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/core/outbox.h"
#include "app/core/store.h"

#include <QAbstractListModel>
#include <QDateTime>

#include <functional>

namespace chatterbox::app {

// The messages of one topic, oldest first: what the store has loaded, then the person's own
// messages still pending or failed in the outbox. Older history is paged in through
// hasOlder()/loadOlder(), which ask for it and return at once. (Not canFetchMore/fetchMore: item
// views call those when the *last* row shows, and here the more is above the first.)
//
// A topic opened with unread messages that are older than its newest page loads pages back to
// the first unread one (seekFirstUnread), so that it opens at its "New messages" line.
class TimelineModel final : public QAbstractListModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TimelineModel)

public:
    enum Role {
        MessageIdRole = Qt::UserRole + 1,
        ClientMsgIdRole,
        AuthorIdRole,
        AuthorNameRole,
        BodyRole,
        SentAtRole,          // QDateTime, local time
        SeqRole,
        DeliveryStateRole,   // DeliveryState
        ErrorRole,           // why a failed message failed
        EditedRole,
        DeletedRole,
        DayStartRole,        // first message of its (local) day: draw a separator above it
        GroupStartRole,      // starts a group: another author, or more than 5 minutes since the last
        FirstUnreadRole,     // the first message that was unread when the topic was opened
        MentionsMeRole,
        OwnRole,             // written by the signed-in person (pending ones too)
        MentionNamesRole,    // QStringList: the display names of the people it mentions
        ReplyRole,           // QVariantMap of the message it answers (Reply*Key), or invalid when none
        ReactionsRole,       // QVariantList of QVariantMap (Reaction*Key), in the order first used
        PinnedRole,          // bool
        PinnedByRole,        // display name of who pinned it
        ReactionNamesRole,   // QVariantList of QStringList: who reacted, per reaction (for tool tips)
        FilesRole,           // QVariantList of QVariantMap (File*Key), in the order sent
        UploadProgressRole,  // double 0..1: how far a pending message's files are; -1 when none go
        AuthorPictureRole,   // the file id of the author's picture; empty when none
        BlockedRole,         // written by someone the person blocks: shown as such, not its text
    };
    // Keys of ReplyRole's map: the original's id, seq, author's name, the start of its text and
    // whether it is deleted (the text as the store has it when it is loaded, else as quoted).
    static constexpr const char *kReplyIdKey = "id";
    static constexpr const char *kReplySeqKey = "seq";
    static constexpr const char *kReplyAuthorKey = "author";
    static constexpr const char *kReplyTextKey = "text";
    static constexpr const char *kReplyDeletedKey = "deleted";
    // Keys of each ReactionsRole entry: the emoji, how many, whether one is the person's (and,
    // in ReactionNamesRole's order, who).
    static constexpr const char *kReactionEmojiKey = "emoji";
    static constexpr const char *kReactionCountKey = "count";
    static constexpr const char *kReactionMineKey = "mine";
    // Keys of each FilesRole entry: the server's id (empty while a pending one uploads), its name,
    // media type and size, an image's declared width and height (0 when not known), whether the
    // server has a thumbnail of it, and for a pending message the outbox's copy on disk.
    static constexpr const char *kFileIdKey = "id";
    static constexpr const char *kFileNameKey = "name";
    static constexpr const char *kFileTypeKey = "type";
    static constexpr const char *kFileSizeKey = "size";
    static constexpr const char *kFileWidthKey = "width";
    static constexpr const char *kFileHeightKey = "height";
    static constexpr const char *kFileThumbnailKey = "thumbnail";
    static constexpr const char *kFileLocalPathKey = "localPath";
    enum class DeliveryState { Delivered, Pending, Failed };
    Q_ENUM(DeliveryState)

    using Loader = std::function<void(const QString &topicId, std::function<void(bool)> done)>;

    TimelineModel(const Store &store, const Outbox &outbox, Loader openTopic, Loader loadOlder, QObject *parent = nullptr);

    void setTopicId(const QString &topicId);
    QString topicId() const { return m_topicId; }
    // The row of the first message that was unread when the topic was opened; -1 when there is
    // none or it is not loaded.
    int firstUnreadRow() const;
    bool hasFirstUnread() const { return m_firstUnreadSeq > 0; }
    // Loads older pages until the first unread message is in, at most maxPages of them (0: as
    // many as it takes); seekingFinished() when it is, or when there is no more to load.
    void seekFirstUnread(int maxPages);
    bool isSeekingFirstUnread() const { return m_seekPagesLeft != 0; }
    // Pages opening a topic loads at most to reach its first unread message.
    static constexpr int kOpeningPages = 20;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;
    bool hasOlder() const;
    void loadOlder();
    // The window ends before the newest message (opened around an older one).
    bool hasNewer() const;
    // The row of the message at seq; -1 when it is not loaded.
    int rowOfSeq(std::int64_t seq) const;

    // How far a pending message's uploads are, (sent, total) bytes (FileSender::progressOf).
    using UploadProgress = std::function<std::pair<qint64, qint64>(const QString &clientMsgId)>;
    void setUploadProgress(UploadProgress progress) { m_uploadProgress = std::move(progress); }
    // A pending message's upload moved: its row is drawn again.
    void uploadProgressed(const QString &clientMsgId);

Q_SIGNALS:
    void seekingFinished();

private:
    void continueSeek();
    struct Row {
        const protocol::Message *message = nullptr;
        const Outbox::Entry *pending = nullptr;
    };
    const Store::TopicMessages *loaded() const;
    Row rowAt(int row) const;
    QDateTime sentAt(const Row &row) const;
    QString authorId(const Row &row) const;
    QVariant replyOf(const Row &row) const;
    QVariant reactionsOf(const protocol::Message &message) const;
    static QVariant filesOf(const protocol::Message &message);
    static QVariant filesOf(const Outbox::Entry &pending);
    QVariant reactionNamesOf(const protocol::Message &message) const;
    void refreshTail();

    const Store &m_store;
    const Outbox &m_outbox;
    Loader m_openTopic;
    Loader m_loadOlder;
    QString m_topicId;
    int m_storeRows = 0;
    QList<Outbox::Entry> m_tail;
    std::int64_t m_firstUnreadSeq = 0;
    bool m_loading = false;
    int m_seekPagesLeft = 0;   // 0: not seeking; negative: no limit
    UploadProgress m_uploadProgress;
};

} // namespace chatterbox::app
