// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/core/connection.h"
#include "app/core/models/memberlistmodel.h"
#include "app/core/models/partylistmodel.h"
#include "app/core/models/timelinemodel.h"
#include "app/core/models/topiclistmodel.h"
#include "app/core/models/typingmodel.h"
#include "app/core/filefetcher.h"
#include "app/core/filesender.h"
#include "app/core/localstore.h"
#include "app/core/outbox.h"
#include "app/core/pictureuploader.h"
#include "app/core/session.h"
#include "app/core/store.h"
#include "app/core/websockettransport.h"

#include <QNetworkAccessManager>
#include <QObject>

#include <optional>

namespace chatterbox::app {

// Everything one signed-in app holds, wired once: the session, the live connection, what it
// has learned (store, outbox) and the models the window shows. The window and the tests build
// on this, so both run the same wiring.
class Client final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Client)

public:
    // outboxPath: where unsent messages survive a restart; empty keeps them in memory.
    Client(SecretStore &secrets, UrlOpener &browser, const QString &outboxPath, QObject *parent = nullptr);

    QNetworkAccessManager &network() { return m_network; }
    Session &session() { return m_session; }
    Store &store() { return m_store; }
    Outbox &outbox() { return m_outbox; }
    Connection &connection() { return m_connection; }
    LocalStore &localStore() { return m_local; }

    // Where each account's local store is kept (empty: none, everything comes from the server).
    void setStoreDirectory(const QString &directory) { m_storeDirectory = directory; }
    // Opens the local store of the account on this server and shows what it kept: true when
    // there was something (the window can show the chat before the connection is up).
    bool openStore(const QUrl &server);

    PartyListModel &parties() { return m_parties; }
    PartyListModel &directs() { return m_directs; }
    TopicListModel &topics() { return m_topics; }
    MemberListModel &members() { return m_members; }
    TimelineModel &timeline() { return m_timeline; }
    TypingModel &typing() { return m_typing; }

    // Shows one party and one of its topics in the models (empty ids clear them).
    void showParty(const QString &partyId);
    void showTopic(const QString &topicId);
    QString currentPartyId() const { return m_topics.partyId(); }
    QString currentTopicId() const { return m_timeline.topicId(); }

    // The signed-in person's role in a party; nothing when not a member.
    std::optional<protocol::Role> roleIn(const QString &partyId) const;
    // Owners and admins manage topics and invites.
    bool canManage(const QString &partyId) const;
    // Whether the person's @everyone and @here reach people in this party (owners and admins,
    // or everyone when the party's owner allows it).
    bool mayMentionEveryone(const QString &partyId) const;
    // The party's setting for that (owner).
    void setMassMentions(const QString &partyId, protocol::MassMentionRule rule, Callback<protocol::PartyReply> done = {});
    // What reaches the party's members who chose nothing else (owner).
    void setNotifyDefault(const QString &partyId, protocol::NotifyLevel level, Callback<protocol::PartyReply> done = {});

    // Moves a topic to row `to` of its party's list (owners and admins). done gets the server's
    // refusal, or an empty text once it is done; the list changes with the server's event.
    void moveTopic(const QString &topicId, int to, std::function<void(const QString &error)> done = {});

    // What a person does, one request each. The answer is the request's typed reply or the
    // server's refusal; the store changes with the server's events, not with these replies.
    void createParty(const QString &name, Callback<protocol::PartyReply> done = {});
    void renameParty(const QString &partyId, const QString &name, Callback<protocol::PartyReply> done = {});
    void deleteParty(const QString &partyId, Callback<protocol::Empty> done = {});
    void leaveParty(const QString &partyId, Callback<protocol::Empty> done = {});
    void transferOwnership(const QString &partyId, const QString &userId, Callback<protocol::PartyReply> done = {});
    void setMemberRole(const QString &partyId, const QString &userId, protocol::Role role, Callback<protocol::Empty> done = {});
    void kickMember(const QString &partyId, const QString &userId, Callback<protocol::Empty> done = {});
    void createTopic(const QString &partyId, const QString &name, Callback<protocol::TopicReply> done = {});
    void renameTopic(const QString &topicId, const QString &name, Callback<protocol::TopicReply> done = {});
    void deleteTopic(const QString &topicId, Callback<protocol::Empty> done = {});
    void editMessage(const QString &messageId, const QString &body, Callback<protocol::MessageReply> done = {});
    void deleteMessage(const QString &messageId, Callback<protocol::MessageReply> done = {});
    // One message by id, wherever it is in history (for permalinks and reply quotes).
    void getMessage(const QString &messageId, Callback<protocol::MessageReply> done);
    // Messages of the person's parties matching a query (shared/searchquery.h), newest first;
    // topicId narrows it to one topic; cursor is the previous page's "next".
    void searchMessages(const QString &query, const QString &topicId, const QString &cursor, Callback<protocol::SearchResults> done);
    // The earlier texts of an edited message, for "(edited)".
    void messageVersions(const QString &messageId, Callback<protocol::MessageVersions> done);
    // Adds the person's reaction, or takes it away when it is there (clicking a reaction).
    void toggleReaction(const QString &topicId, const QString &messageId, const QString &emoji, Callback<protocol::Empty> done = {});
    void addReaction(const QString &messageId, const QString &emoji, Callback<protocol::Empty> done = {});
    void removeReaction(const QString &messageId, const QString &emoji, Callback<protocol::Empty> done = {});
    // Owners and admins pin and unpin messages; the pinned ones of a topic, newest pin first.
    void pinMessage(const QString &messageId, bool pinned, Callback<protocol::MessageReply> done = {});
    void listPins(const QString &topicId, Callback<protocol::PinnedMessages> done);
    // Shows the topic with the message at seq loaded (the page around it if it was not), and
    // says so with messageShown(topicId, seq) for the view to scroll to it and highlight it.
    void showMessage(const QString &topicId, std::int64_t seq);
    // A window opened around an older message: pages the newer ones in, or goes back to the
    // newest page (then done).
    void loadNewer(const QString &topicId, std::function<void()> done = {})
    {
        m_connection.loadNewer(topicId, [done = std::move(done)](bool) {
            if (done)
                done();
        });
    }
    void loadLatest(const QString &topicId, std::function<void()> done);
    void startTyping(const QString &topicId);
    // After Connection::topicLoadFailed: loads or catches up the topic again.
    void retryTopic(const QString &topicId) { m_connection.retryTopic(topicId); }
    // expiresIn: seconds, none for never; maxUses: none for unlimited.
    void createInvite(const QString &partyId, std::optional<qint64> expiresIn, std::optional<int> maxUses,
                      Callback<protocol::InviteReply> done = {});
    void listInvites(const QString &partyId, Callback<protocol::InviteList> done);
    void revokeInvite(const QString &partyId, const QString &code, Callback<protocol::Empty> done = {});
    void previewInvite(const QString &code, Callback<protocol::InvitePreviewReply> done);
    void joinInvite(const QString &code, Callback<protocol::JoinedParty> done = {});
    // The direct conversation with these people (not me): the one we have, or a new one.
    void openDirect(const QStringList &userIds, Callback<protocol::JoinedParty> done = {});
    void block(const QString &userId, Callback<protocol::BlockList> done = {});
    void unblock(const QString &userId, Callback<protocol::BlockList> done = {});
    // online, idle or dnd: what the people who share a party see of me.
    void setPresence(protocol::Presence status, Callback<protocol::Empty> done = {});
    void setDisplayName(const QString &name, Callback<protocol::ProfileReply> done = {});
    // The person's status line ("" clears it), shown until a time or, with none, until changed.
    void setStatus(const QString &text, const std::optional<QDateTime> &until, Callback<protocol::ProfileReply> done = {});
    // Sets the person's picture: image is the square the app made (PNG, JPEG or WebP bytes of
    // side × side pixels, at most limits::kMaxAvatarBytes), uploaded and then named in the
    // profile. done gets the problem, or an empty text once everyone who shares a party sees it.
    void setPicture(const QByteArray &image, const QByteArray &mediaType, int side, std::function<void(const QString &problem)> done);
    void removePicture(std::function<void(const QString &problem)> done);

    // Sends a message through the outbox: it shows at once as pending. replyTo: the id of the
    // message of the same topic it answers, or empty.
    void send(const QString &topicId, const QString &body, const QString &replyTo = {});
    // The same with files (uploaded first, from the outbox's copies; the body may be empty).
    // False when a file could not be read to keep it for sending.
    bool sendFiles(const QString &topicId, const QString &body, const QList<Outbox::Attachment> &files, const QString &replyTo = {});
    FileSender &fileSender() { return m_fileSender; }
    // Downloads of files and thumbnails, kept in the cache directory (the system's cache
    // location for the app unless set; signing out empties it).
    FileFetcher &fileFetcher() { return m_fileFetcher; }
    void setCacheDirectory(const QString &directory) { m_fileFetcher.setDirectory(directory + QStringLiteral("/files")); }
    // Tells the server the person has read the topic up to its newest message.
    void markRead(const QString &topicId);
    // Ends the sign-in and forgets what this account showed.
    void signOut();

Q_SIGNALS:
    void currentPartyChanged(const QString &partyId);
    void currentTopicChanged(const QString &topicId);
    // The message showMessage() asked for is loaded in the current topic: scroll to it.
    void messageShown(const QString &topicId, qint64 seq);
    // It could not be shown: not there, or not visible to this person (the same answer).
    void messageNotFound(const QString &problem);

private:
    Callback<protocol::BlockList> applyingBlocks(Callback<protocol::BlockList> done);
    QNetworkAccessManager m_network;
    Session m_session;
    Store m_store;
    LocalStore m_local{m_store};
    QString m_storeDirectory;
    Outbox m_outbox;
    WebSocketTransport m_transport;
    Connection m_connection;
    FileSender m_fileSender;
    FileFetcher m_fileFetcher;
    PictureUploader m_pictures;
    PartyListModel m_parties;
    PartyListModel m_directs{m_store, protocol::PartyKind::Direct};
    TopicListModel m_topics;
    MemberListModel m_members;
    TimelineModel m_timeline;
    TypingModel m_typing;
    QHash<QString, qint64> m_markedRead;   // newest seq reported per topic, so each is sent once
};

} // namespace chatterbox::app
