// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "shared/events.h"
#include "shared/requests.h"
#include "shared/replies.h"
#include "shared/types.h"

#include <QHash>
#include <QObject>
#include <QString>

#include <map>
#include <optional>
#include <vector>

namespace chatterbox::app {

// What the app knows: the ready snapshot, kept current by events, plus the messages loaded per
// topic (a contiguous window of seqs that grows as history is paged in and live messages arrive).
// Models read from here and listen to its signals; it never talks to the network itself.
class Store final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Store)

public:
    struct TopicMessages {
        std::vector<protocol::Message> messages;   // ascending seq, no gaps
        bool hasOlder = true;                       // more before messages.front()
        // More after messages.back(): the window was opened around an older message (a
        // permalink, a reply's original) and does not reach the newest yet. Live messages
        // past it are not kept; paging newer (or jumping to the present) brings them.
        bool hasNewer = false;
        bool loaded = false;                        // ever opened (history fetched)
        std::int64_t lastRev = 0;                   // newest change applied
    };

    explicit Store(QObject *parent = nullptr);

    const protocol::User &me() const { return m_me; }
    const std::vector<protocol::Party> &parties() const { return m_parties; }
    const protocol::Party *party(const std::string &partyId) const;
    const protocol::Topic *topic(const std::string &topicId) const;
    const TopicMessages *messages(const std::string &topicId) const;
    protocol::ReadState readState(const std::string &topicId) const;
    protocol::Presence presence(const std::string &userId) const;
    QString displayName(const std::string &userId) const;
    // The file id of a person's picture (User::avatarFileId); empty when none or not known.
    QString pictureOf(const std::string &userId) const;
    // What a person says of themselves and when they were last seen; empty when not known.
    protocol::Status statusOf(const std::string &userId) const;
    // The parties (not direct conversations) both I and this person are in, in the rail's order.
    std::vector<const protocol::Party *> sharedParties(const std::string &userId) const;
    // Whether I block this person (their messages are hidden, our direct conversations closed).
    bool isBlocked(const std::string &userId) const;
    const std::vector<std::string> &blocked() const { return m_blocked; }
    // The direct conversation with exactly these people besides me (in any order), or null.
    const protocol::Party *directWith(std::vector<std::string> userIds) const;
    // The people of a direct conversation other than me, in the order they joined.
    std::vector<const protocol::Member *> othersIn(const protocol::Party &party) const;
    // What a direct conversation is called: its other people's names, "Alice, Bob and 2 others".
    QString conversationName(const protocol::Party &party) const;
    // Where a topic is, as titles say it: "#general · Book Club", or a direct conversation's
    // name ("Alice"); for a window's or notification's title each name isolated, so that one
    // written right to left stays in its place (a label that lays out the text needs none).
    enum class Isolation { Isolated, Plain };
    QString placeName(const protocol::Topic &topic, Isolation isolation = Isolation::Isolated) const;

    // Where the app is in each loaded topic, for message.sync after a reconnect.
    std::vector<protocol::SyncPosition> syncPositions() const;

    void applyReady(const protocol::Ready &ready);
    // Returns the topics where a gap was noticed (a seq skipped): they need a sync.
    std::vector<std::string> applyEvent(const protocol::Event &event);
    void applyHistory(const protocol::History &page, bool older);
    // A page around one message (message.history aroundSeq): the window becomes that page.
    void applyAround(const protocol::History &page);
    // A page after the window (message.history afterSeq, paging towards the present).
    void applyNewer(const protocol::History &page);
    // The message with this id in the topic's loaded window, or null.
    const protocol::Message *loadedMessage(const std::string &topicId, const std::string &messageId) const;
    // The same by its seq, without a search (the window is contiguous): null when not loaded.
    const protocol::Message *loadedMessageAt(const std::string &topicId, std::int64_t seq) const;
    void applyCatchUp(const protocol::TopicCatchUp &catchUp);
    void applyJoined(const protocol::Party &party);
    void applyBlocks(std::vector<std::string> userIds);
    // A topic's window as the local store kept it (LocalStore::restoreTopic): replaces what is
    // loaded, as a first page from the server would.
    void restoreWindow(const std::string &topicId, std::vector<protocol::Message> messages, bool hasOlder, bool hasNewer,
                       std::int64_t lastRev);
    void clear();

    // A reaction added or taken away, as applied to a copy of its message.
    struct ReactionChange {
        std::int64_t rev = 0;
        std::string emoji;
        std::string userId;
        bool added = false;
    };
    static void applyReaction(protocol::Message &message, const ReactionChange &change);

Q_SIGNALS:
    void partiesReset();
    void partyChanged(const QString &partyId);
    void topicsChanged(const QString &partyId);
    void membersChanged(const QString &partyId);
    // Each change to a topic's loaded messages is announced before and after, as models need.
    void messagesAboutToBeReset(const QString &topicId);
    void messagesReset(const QString &topicId);
    void messagesAboutToBePrepended(const QString &topicId, int count);
    void messagesPrepended(const QString &topicId, int count);
    void messagesAboutToBeAppended(const QString &topicId, int count);
    void messagesAppended(const QString &topicId, int count);
    void messageChanged(const QString &topicId, int index);
    void readStateChanged(const QString &topicId);
    void presenceChanged(const QString &userId);
    // The people I block changed.
    void blocksChanged();
    void typing(const QString &topicId, const QString &userId);
    // A message posted just now (live, not history), in any topic, loaded or not.
    void messageArrived(const chatterbox::protocol::Message &message);
    // A change to a message of a loaded topic older than its window (so not held here): the
    // local store keeps such messages and applies it there. The whole message, or a reaction.
    void changedBeforeWindow(const chatterbox::protocol::Message &message);
    void reactionBeforeWindow(const QString &topicId, qint64 seq, const chatterbox::app::Store::ReactionChange &change);

private:
    // One per event (applyEvent visits the variant: an event with none does not compile).
    // Gaps collects topics where a seq was skipped.
    using Gaps = std::vector<std::string>;
    void apply(const protocol::PartyCreated &e, Gaps &gaps);
    void apply(const protocol::PartyJoined &e, Gaps &gaps);
    void apply(const protocol::PartyUpdated &e, Gaps &gaps);
    void apply(const protocol::PartyDeleted &e, Gaps &gaps);
    void apply(const protocol::MemberJoined &e, Gaps &gaps);
    void apply(const protocol::MemberUpdated &e, Gaps &gaps);
    void apply(const protocol::MemberLeft &e, Gaps &gaps);
    void apply(const protocol::TopicCreated &e, Gaps &gaps);
    void apply(const protocol::TopicUpdated &e, Gaps &gaps);
    void apply(const protocol::TopicDeleted &e, Gaps &gaps);
    void apply(const protocol::TopicsReordered &e, Gaps &gaps);
    void apply(const protocol::MessageCreated &e, Gaps &gaps);
    void apply(const protocol::MessageUpdated &e, Gaps &gaps);
    void apply(const protocol::MessageDeleted &e, Gaps &gaps);
    void apply(const protocol::ReactionAdded &e, Gaps &gaps);
    void apply(const protocol::ReactionRemoved &e, Gaps &gaps);
    void apply(const protocol::PinChanged &e, Gaps &gaps);
    void apply(const protocol::PresenceUpdated &e, Gaps &gaps);
    void apply(const protocol::Typing &e, Gaps &gaps);
    void apply(const protocol::ReadStateUpdated &e, Gaps &gaps);
    void apply(const protocol::ProfileUpdated &e, Gaps &gaps);
    void apply(const protocol::BlocksUpdated &e, Gaps &gaps);
    void upsertMember(const std::string &partyId, const protocol::Member &member);
    void applyChangedMessage(const protocol::Message &message, Gaps &gaps);
    // The loaded message at seq, for an event that changes part of it at rev; null when it is
    // not loaded or already holds that change.
    protocol::Message *messageToChange(const std::string &topicId, std::int64_t seq, std::int64_t rev, int &index);
    void changeReaction(const std::string &topicId, std::int64_t seq, std::int64_t rev, const std::string &emoji,
                        const std::string &userId, bool added);
    void refreshQuotesOf(TopicMessages &tm, const protocol::Message &original);

    protocol::Party *mutableParty(const std::string &partyId);
    protocol::Topic *mutableTopic(const std::string &topicId);
    void upsertMessage(const protocol::Message &message, std::vector<std::string> &gaps);
    void sortTopics(protocol::Party &party);

    protocol::User m_me;
    std::vector<protocol::Party> m_parties;
    std::map<std::string, TopicMessages> m_messages;
    std::map<std::string, protocol::ReadState> m_readStates;
    std::map<std::string, protocol::Presence> m_presence;
    std::vector<std::string> m_blocked;   // sorted
    // Reaction events applied to a copy of their message older than them, by message id, with
    // the rev that copy had: see changeReaction().
    struct Partials {
        std::int64_t baseRev = 0;
        std::vector<ReactionChange> changes;
    };
    std::map<std::string, Partials> m_partials;
};

} // namespace chatterbox::app
