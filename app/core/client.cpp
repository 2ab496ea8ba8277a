// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/core/client.h"

#include "shared/codec.h"
#include "shared/limits.h"

#include <QDateTime>
#include <QStandardPaths>

#include <algorithm>

namespace chatterbox::app {

Client::Client(SecretStore &secrets, UrlOpener &browser, const QString &outboxPath, QObject *parent)
    : QObject(parent),
      m_session(m_network, secrets, browser),
      m_outbox(outboxPath),
      m_connection(m_transport, m_session, m_store, m_outbox),
      m_fileSender(m_outbox, m_session, [this] { return m_session.server().baseUrl; }),
      m_fileFetcher(m_session, [this] { return m_session.server().baseUrl; },
                    QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + QStringLiteral("/files")),
      m_pictures(m_session, [this] { return m_session.server().baseUrl; }),
      m_parties(m_store),
      m_topics(m_store),
      m_members(m_store),
      m_timeline(m_store, m_outbox,
                 [this](const QString &topicId, auto) { m_connection.openTopic(topicId); },
                 [this](const QString &topicId, auto done) { m_connection.loadOlder(topicId, std::move(done)); }),
      m_typing(m_store)
{
    m_connection.setLocalStore(&m_local);
    // Kept from the first sign-in on, before the snapshot arrives.
    connect(&m_session, &Session::signedIn, this, [this] {
        if (!m_local.isOpen())
            openStore(m_session.server().baseUrl);
    });
    connect(&m_session, &Session::signedIn, &m_connection, &Connection::start);
    connect(&m_session, &Session::signedIn, &m_fileSender, &FileSender::resumeAll);
    connect(&m_session, &Session::accessTokenChanged, &m_connection, &Connection::renewAccess);
    m_timeline.setUploadProgress([this](const QString &clientMsgId) { return m_fileSender.progressOf(clientMsgId); });
    connect(&m_fileSender, &FileSender::progress, &m_timeline, &TimelineModel::uploadProgressed);
    // A party or topic that goes away (deleted, or the person was removed) leaves the screen.
    connect(&m_store, &Store::partiesReset, this, [this] {
        if (!currentPartyId().isEmpty() && !m_store.party(currentPartyId().toStdString()))
            showParty({});
    });
    connect(&m_store, &Store::topicsChanged, this, [this](const QString &partyId) {
        if (partyId == currentPartyId() && !currentTopicId().isEmpty() && !m_store.topic(currentTopicId().toStdString()))
            showTopic({});
    });
}

void Client::showParty(const QString &partyId)
{
    const bool known = partyId.isEmpty() || m_store.party(partyId.toStdString());
    const QString id = known ? partyId : QString();
    if (id == currentPartyId() && !id.isEmpty())
        return;
    m_topics.setPartyId(id);
    m_members.setPartyId(id);
    Q_EMIT currentPartyChanged(id);
    showTopic({});
}

void Client::showTopic(const QString &topicId)
{
    const auto *topic = topicId.isEmpty() ? nullptr : m_store.topic(topicId.toStdString());
    const QString id = topic && QString::fromStdString(topic->partyId) == currentPartyId() ? topicId : QString();
    if (id == currentTopicId())
        return;
    m_timeline.setTopicId(id);
    m_typing.setTopicId(id);
    Q_EMIT currentTopicChanged(id);
}

std::optional<protocol::Role> Client::roleIn(const QString &partyId) const
{
    const auto *party = m_store.party(partyId.toStdString());
    if (!party)
        return std::nullopt;
    for (const auto &member : party->members) {
        if (member.userId == m_store.me().id)
            return member.role;
    }
    return std::nullopt;
}

bool Client::canManage(const QString &partyId) const
{
    const auto role = roleIn(partyId);
    return role && (*role == protocol::Role::Owner || *role == protocol::Role::Admin);
}

void Client::moveTopic(const QString &topicId, int to, std::function<void(const QString &)> done)
{
    const auto *topic = m_store.topic(topicId.toStdString());
    const auto *party = topic ? m_store.party(topic->partyId) : nullptr;
    if (!party)
        return done ? done(tr("That topic is not there any more.")) : void();
    protocol::ReorderTopics reorder{party->id, {}};
    for (const auto &t : party->topics) {
        if (t.id != topic->id)
            reorder.topicIds.push_back(t.id);
    }
    const auto at = std::clamp<std::ptrdiff_t>(to, 0, static_cast<std::ptrdiff_t>(reorder.topicIds.size()));
    reorder.topicIds.insert(reorder.topicIds.begin() + at, topic->id);
    m_connection.call(std::move(reorder), [done](const protocol::Result<protocol::TopicOrder> &answer) {
        if (done)
            done(answer ? QString() : QString::fromStdString(answer.error().message));
    });
}

namespace {
std::string utf8(const QString &text) { return text.toStdString(); }
} // namespace

void Client::createParty(const QString &name, Callback<protocol::PartyReply> done)
{
    m_connection.call(protocol::CreateParty{utf8(name)}, std::move(done));
}

void Client::renameParty(const QString &partyId, const QString &name, Callback<protocol::PartyReply> done)
{
    m_connection.call(protocol::RenameParty{utf8(partyId), utf8(name)}, std::move(done));
}

void Client::deleteParty(const QString &partyId, Callback<protocol::Empty> done)
{
    m_connection.call(protocol::DeleteParty{utf8(partyId)}, std::move(done));
}

void Client::leaveParty(const QString &partyId, Callback<protocol::Empty> done)
{
    m_connection.call(protocol::LeaveParty{utf8(partyId)}, std::move(done));
}

void Client::transferOwnership(const QString &partyId, const QString &userId, Callback<protocol::PartyReply> done)
{
    m_connection.call(protocol::TransferOwnership{utf8(partyId), utf8(userId)}, std::move(done));
}

void Client::setMemberRole(const QString &partyId, const QString &userId, protocol::Role role, Callback<protocol::Empty> done)
{
    m_connection.call(protocol::SetMemberRole{utf8(partyId), utf8(userId), role}, std::move(done));
}

void Client::kickMember(const QString &partyId, const QString &userId, Callback<protocol::Empty> done)
{
    m_connection.call(protocol::KickMember{utf8(partyId), utf8(userId)}, std::move(done));
}

void Client::createTopic(const QString &partyId, const QString &name, Callback<protocol::TopicReply> done)
{
    m_connection.call(protocol::CreateTopic{utf8(partyId), utf8(name)}, std::move(done));
}

void Client::renameTopic(const QString &topicId, const QString &name, Callback<protocol::TopicReply> done)
{
    m_connection.call(protocol::RenameTopic{utf8(topicId), utf8(name)}, std::move(done));
}

void Client::deleteTopic(const QString &topicId, Callback<protocol::Empty> done)
{
    m_connection.call(protocol::DeleteTopic{utf8(topicId)}, std::move(done));
}

void Client::editMessage(const QString &messageId, const QString &body, Callback<protocol::MessageReply> done)
{
    m_connection.call(protocol::EditMessage{utf8(messageId), utf8(body)}, std::move(done));
}

void Client::deleteMessage(const QString &messageId, Callback<protocol::MessageReply> done)
{
    m_connection.call(protocol::DeleteMessage{utf8(messageId)}, std::move(done));
}

void Client::getMessage(const QString &messageId, Callback<protocol::MessageReply> done)
{
    m_connection.call(protocol::GetMessage{utf8(messageId)}, std::move(done));
}

void Client::searchMessages(const QString &query, const QString &topicId, const QString &cursor, Callback<protocol::SearchResults> done)
{
    protocol::SearchMessages request;
    request.query = utf8(query);
    if (!topicId.isEmpty())
        request.topicId = utf8(topicId);
    if (!cursor.isEmpty())
        request.cursor = utf8(cursor);
    request.limit = limits::kDefaultSearchPage;
    // Days in before:, after: and on: are the person's days.
    request.utcOffsetMinutes = QDateTime::currentDateTime().offsetFromUtc() / 60;
    m_connection.call(std::move(request), std::move(done));
}

bool Client::mayMentionEveryone(const QString &partyId) const
{
    const auto *party = m_store.party(utf8(partyId));
    return party && (party->massMentions == protocol::MassMentionRule::Members || canManage(partyId));
}

void Client::setMassMentions(const QString &partyId, protocol::MassMentionRule rule, Callback<protocol::PartyReply> done)
{
    m_connection.call(protocol::ConfigureParty{utf8(partyId), rule, std::nullopt}, std::move(done));
}

void Client::setNotifyDefault(const QString &partyId, protocol::NotifyLevel level, Callback<protocol::PartyReply> done)
{
    m_connection.call(protocol::ConfigureParty{utf8(partyId), std::nullopt, level}, std::move(done));
}

void Client::messageVersions(const QString &messageId, Callback<protocol::MessageVersions> done)
{
    m_connection.call(protocol::GetMessageVersions{utf8(messageId)}, std::move(done));
}

void Client::addReaction(const QString &messageId, const QString &emoji, Callback<protocol::Empty> done)
{
    m_connection.call(protocol::AddReaction{utf8(messageId), utf8(emoji)}, std::move(done));
}

void Client::removeReaction(const QString &messageId, const QString &emoji, Callback<protocol::Empty> done)
{
    m_connection.call(protocol::RemoveReaction{utf8(messageId), utf8(emoji)}, std::move(done));
}

void Client::toggleReaction(const QString &topicId, const QString &messageId, const QString &emoji, Callback<protocol::Empty> done)
{
    bool mine = false;
    if (const auto *m = m_store.loadedMessage(utf8(topicId), utf8(messageId))) {
        for (const auto &r : m->reactions) {
            if (r.emoji == utf8(emoji))
                mine = std::find(r.userIds.begin(), r.userIds.end(), m_store.me().id) != r.userIds.end();
        }
    }
    if (mine)
        removeReaction(messageId, emoji, std::move(done));
    else
        addReaction(messageId, emoji, std::move(done));
}

void Client::pinMessage(const QString &messageId, bool pinned, Callback<protocol::MessageReply> done)
{
    m_connection.call(protocol::PinMessage{utf8(messageId), pinned}, std::move(done));
}

void Client::listPins(const QString &topicId, Callback<protocol::PinnedMessages> done)
{
    m_connection.call(protocol::ListPins{utf8(topicId)}, std::move(done));
}

void Client::showMessage(const QString &topicId, std::int64_t seq)
{
    const auto *topic = m_store.topic(utf8(topicId));
    if (!topic || seq < 1 || seq > topic->lastSeq)
        return Q_EMIT messageNotFound(tr("That message is not there, or you are not in its party."));
    if (currentPartyId() != QString::fromStdString(topic->partyId))
        showParty(QString::fromStdString(topic->partyId));
    if (currentTopicId() != topicId)
        showTopic(topicId);
    m_connection.loadAround(topicId, seq, [this, topicId, seq](bool ok) {
        if (!ok)
            return Q_EMIT messageNotFound(tr("That message could not be loaded."));
        Q_EMIT messageShown(topicId, seq);
    });
}

void Client::loadLatest(const QString &topicId, std::function<void()> done)
{
    m_connection.loadLatest(topicId, [done = std::move(done)](bool) {
        if (done)
            done();
    });
}

void Client::startTyping(const QString &topicId)
{
    m_connection.call(protocol::StartTyping{utf8(topicId)});
}

void Client::createInvite(const QString &partyId, std::optional<qint64> expiresIn, std::optional<int> maxUses,
                          Callback<protocol::InviteReply> done)
{
    m_connection.call(protocol::CreateInvite{utf8(partyId), expiresIn, maxUses}, std::move(done));
}

void Client::listInvites(const QString &partyId, Callback<protocol::InviteList> done)
{
    m_connection.call(protocol::ListInvites{utf8(partyId)}, std::move(done));
}

void Client::revokeInvite(const QString &partyId, const QString &code, Callback<protocol::Empty> done)
{
    m_connection.call(protocol::RevokeInvite{utf8(partyId), utf8(code)}, std::move(done));
}

void Client::previewInvite(const QString &code, Callback<protocol::InvitePreviewReply> done)
{
    m_connection.call(protocol::PreviewInvite{utf8(code)}, std::move(done));
}

void Client::joinInvite(const QString &code, Callback<protocol::JoinedParty> done)
{
    m_connection.call(protocol::JoinInvite{utf8(code)}, std::move(done));
}

void Client::openDirect(const QStringList &userIds, Callback<protocol::JoinedParty> done)
{
    protocol::OpenDirect open;
    for (const auto &id : userIds)
        open.userIds.push_back(utf8(id));
    m_connection.call(open, [this, done = std::move(done)](const protocol::Result<protocol::JoinedParty> &result) {
        // The party.created event brings it too; the reply is often first, and the window
        // opens the conversation from it.
        if (result)
            m_store.applyJoined(result.value().party);
        if (done)
            done(result);
    });
}

void Client::block(const QString &userId, Callback<protocol::BlockList> done)
{
    m_connection.call(protocol::BlockUser{utf8(userId)}, applyingBlocks(std::move(done)));
}

void Client::unblock(const QString &userId, Callback<protocol::BlockList> done)
{
    m_connection.call(protocol::UnblockUser{utf8(userId)}, applyingBlocks(std::move(done)));
}

// The reply is the whole list: the store has it at once, before the event comes.
Callback<protocol::BlockList> Client::applyingBlocks(Callback<protocol::BlockList> done)
{
    return [this, done = std::move(done)](const protocol::Result<protocol::BlockList> &result) {
        if (result)
            m_store.applyBlocks(result.value().userIds);
        if (done)
            done(result);
    };
}

void Client::setPresence(protocol::Presence status, Callback<protocol::Empty> done)
{
    m_connection.call(protocol::SetPresence{status}, std::move(done));
}

void Client::setDisplayName(const QString &name, Callback<protocol::ProfileReply> done)
{
    protocol::UpdateProfile update;
    update.displayName = utf8(name);
    m_connection.call(update, std::move(done));
}

void Client::setStatus(const QString &text, const std::optional<QDateTime> &until, Callback<protocol::ProfileReply> done)
{
    protocol::UpdateProfile update;
    update.statusText = utf8(text);
    if (until && !text.isEmpty())
        update.statusExpiresAt = until->toMSecsSinceEpoch();
    m_connection.call(update, std::move(done));
}

void Client::setPicture(const QByteArray &image, const QByteArray &mediaType, int side, std::function<void(const QString &problem)> done)
{
    m_pictures.upload(image, mediaType, side, [this, done = std::move(done)](const QString &fileId, const QString &problem) {
        if (fileId.isEmpty()) {
            done(problem);
            return;
        }
        protocol::UpdateProfile update;
        update.avatarFileId = utf8(fileId);
        m_connection.call(update, [done](const protocol::Result<protocol::ProfileReply> &answer) {
            done(answer ? QString() : QString::fromStdString(answer.error().message));
        });
    });
}

void Client::removePicture(std::function<void(const QString &problem)> done)
{
    protocol::UpdateProfile update;
    update.avatarFileId = std::string();
    m_connection.call(update, [done = std::move(done)](const protocol::Result<protocol::ProfileReply> &answer) {
        done(answer ? QString() : QString::fromStdString(answer.error().message));
    });
}

void Client::send(const QString &topicId, const QString &body, const QString &replyTo)
{
    m_outbox.add(topicId, body, replyTo);
}

bool Client::sendFiles(const QString &topicId, const QString &body, const QList<Outbox::Attachment> &files, const QString &replyTo)
{
    return !m_outbox.add(topicId, body, replyTo, files).isEmpty();
}

void Client::markRead(const QString &topicId)
{
    const auto *topic = m_store.topic(topicId.toStdString());
    if (!topic || topic->lastSeq == 0 || m_connection.state() != Connection::State::Online)
        return;
    const auto state = m_store.readState(topicId.toStdString());
    if (state.lastReadSeq >= topic->lastSeq || m_markedRead.value(topicId) >= topic->lastSeq)
        return;
    const qint64 seq = topic->lastSeq;
    m_markedRead.insert(topicId, seq);
    m_connection.call(protocol::MarkRead{topicId.toStdString(), seq}, [this, topicId, seq](const protocol::Result<protocol::ReadStateReply> &answer) {
        if (answer) {
            // The server tells this person's other apps; this one learns from the reply.
            m_store.applyEvent(protocol::ReadStateUpdated{answer.value().readState});
            return;
        }
        if (m_markedRead.value(topicId) == seq)
            m_markedRead.remove(topicId); // try again next time
    });
}

bool Client::openStore(const QUrl &server)
{
    if (m_storeDirectory.isEmpty() || server.isEmpty())
        return false;
    return m_local.open(LocalStore::fileFor(m_storeDirectory, server));
}

void Client::signOut()
{
    m_connection.stop();
    m_session.signOut();
    m_local.erase();
    showParty({});
    m_store.clear();
    m_markedRead.clear();
    m_fileFetcher.clear();
}

} // namespace chatterbox::app
