// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/core/store.h"

#include "app/core/displaytext.h"
#include "shared/limits.h"

#include <QDateTime>
#include <QStringList>

#include <algorithm>

namespace chatterbox::app {

using namespace protocol;

namespace {
QString q(const std::string &s) { return QString::fromStdString(s); }

template <typename T, typename Pred>
void eraseIf(std::vector<T> &v, Pred pred)
{
    v.erase(std::remove_if(v.begin(), v.end(), pred), v.end());
}
} // namespace

Store::Store(QObject *parent) : QObject(parent) {}

const Party *Store::party(const std::string &partyId) const
{
    for (const auto &p : m_parties) {
        if (p.id == partyId)
            return &p;
    }
    return nullptr;
}

Party *Store::mutableParty(const std::string &partyId)
{
    return const_cast<Party *>(party(partyId));
}

const Topic *Store::topic(const std::string &topicId) const
{
    for (const auto &p : m_parties) {
        for (const auto &t : p.topics) {
            if (t.id == topicId)
                return &t;
        }
    }
    return nullptr;
}

Topic *Store::mutableTopic(const std::string &topicId)
{
    return const_cast<Topic *>(topic(topicId));
}

const Store::TopicMessages *Store::messages(const std::string &topicId) const
{
    const auto it = m_messages.find(topicId);
    return it == m_messages.end() ? nullptr : &it->second;
}

ReadState Store::readState(const std::string &topicId) const
{
    const auto it = m_readStates.find(topicId);
    return it == m_readStates.end() ? ReadState{topicId, 0, 0, 0} : it->second;
}

Presence Store::presence(const std::string &userId) const
{
    const auto it = m_presence.find(userId);
    return it == m_presence.end() ? Presence::Offline : it->second;
}

QString Store::displayName(const std::string &userId) const
{
    if (userId == m_me.id)
        return q(m_me.displayName);
    for (const auto &p : m_parties) {
        for (const auto &m : p.members) {
            if (m.userId == userId)
                return q(m.displayName);
        }
    }
    return tr("Former member");
}

protocol::Status Store::statusOf(const std::string &userId) const
{
    if (userId == m_me.id)
        return m_me.status;
    for (const auto &p : m_parties)
        for (const auto &m : p.members)
            if (m.userId == userId)
                return m.status;
    return {};
}

std::vector<const protocol::Party *> Store::sharedParties(const std::string &userId) const
{
    std::vector<const protocol::Party *> shared;
    for (const auto &p : m_parties) {
        if (p.kind != protocol::PartyKind::Party)
            continue;
        if (std::any_of(p.members.begin(), p.members.end(), [&](const protocol::Member &m) { return m.userId == userId; }))
            shared.push_back(&p);
    }
    return shared;
}

QString Store::pictureOf(const std::string &userId) const
{
    if (userId == m_me.id)
        return q(m_me.avatarFileId);
    for (const auto &p : m_parties) {
        for (const auto &m : p.members) {
            if (m.userId == userId)
                return q(m.avatarFileId);
        }
    }
    return {};
}

std::vector<SyncPosition> Store::syncPositions() const
{
    std::vector<SyncPosition> out;
    for (const auto &[topicId, tm] : m_messages) {
        if (!tm.loaded || !topic(topicId))
            continue;
        const std::int64_t seq = tm.messages.empty() ? 0 : tm.messages.back().seq;
        out.push_back({topicId, seq, tm.lastRev});
    }
    return out;
}

void Store::sortTopics(Party &party)
{
    std::stable_sort(party.topics.begin(), party.topics.end(), [](const Topic &a, const Topic &b) { return a.position < b.position; });
}

void Store::clear()
{
    m_me = {};
    m_parties.clear();
    m_messages.clear();
    m_readStates.clear();
    m_presence.clear();
    m_partials.clear();
    m_blocked.clear();
    Q_EMIT partiesReset();
}

void Store::applyReady(const Ready &ready)
{
    m_me = ready.me;
    m_parties = ready.parties;
    for (auto &p : m_parties)
        sortTopics(p);
    m_readStates.clear();
    for (const auto &rs : ready.readStates)
        m_readStates[rs.topicId] = rs;
    m_presence.clear();
    for (const auto &[userId, status] : ready.presence)
        m_presence[userId] = status;
    m_blocked = ready.blockedUserIds;
    std::sort(m_blocked.begin(), m_blocked.end());
    // Loaded messages stay (the connection syncs them); topics that are gone take theirs along.
    for (auto it = m_messages.begin(); it != m_messages.end();)
        it = topic(it->first) ? std::next(it) : m_messages.erase(it);
    Q_EMIT partiesReset();
}

void Store::applyJoined(const Party &joined)
{
    if (party(joined.id))
        return;
    m_parties.push_back(joined);
    sortTopics(m_parties.back());
    for (const auto &t : joined.topics)
        m_readStates[t.id] = ReadState{t.id, t.lastSeq, 0, 0};
    Q_EMIT partiesReset();
}

void Store::upsertMessage(const Message &message, std::vector<std::string> &gaps)
{
    auto found = m_messages.find(message.topicId);
    if (found == m_messages.end() || !found->second.loaded)
        return;
    TopicMessages &tm = found->second;
    tm.lastRev = std::max(tm.lastRev, message.rev);
    const QString topicId = q(message.topicId);
    if (message.deleted || message.editedAt)
        refreshQuotesOf(tm, message);   // loaded or not, its replies may be
    if (tm.messages.empty() || message.seq > tm.messages.back().seq) {
        if (tm.hasNewer)
            return;   // past a window that ends before the present: not kept, not a gap
        if (!tm.messages.empty() && message.seq > tm.messages.back().seq + 1) {
            gaps.push_back(message.topicId);
            return;
        }
        if (tm.messages.empty() && message.seq != 1 && tm.hasOlder == false)
            tm.hasOlder = true;
        Q_EMIT messagesAboutToBeAppended(topicId, 1);
        tm.messages.push_back(message);
        Q_EMIT messagesAppended(topicId, 1);
        return;
    }
    if (message.seq < tm.messages.front().seq) {
        Q_EMIT changedBeforeWindow(message);   // not loaded here; the local store may hold it
        return;
    }
    const auto index = static_cast<int>(message.seq - tm.messages.front().seq);
    Message &held = tm.messages[static_cast<std::size_t>(index)];
    const auto partial = m_partials.find(message.id);
    if (partial == m_partials.end()) {
        if (held.rev > message.rev)
            return;
        held = message;
    } else {
        // Reactions applied to a copy older than them: a full copy newer than that copy wins,
        // with the reactions that are newer still applied on top again.
        if (message.rev <= partial->second.baseRev)
            return;
        held = message;
        auto &changes = partial->second.changes;
        changes.erase(std::remove_if(changes.begin(), changes.end(), [&](const auto &c) { return c.rev <= message.rev; }),
                      changes.end());
        for (const auto &c : changes)
            applyReaction(held, c);
        if (changes.empty())
            m_partials.erase(partial);
        else
            partial->second.baseRev = message.rev;
    }
    Q_EMIT messageChanged(topicId, index);
}

void Store::refreshQuotesOf(TopicMessages &tm, const Message &original)
{
    // Replies quote their original as it was when they were read; an edit or a delete of it
    // shows in the quotes of the replies loaded after it.
    const QString topicId = q(original.topicId);
    for (std::size_t i = 0; i < tm.messages.size(); ++i) {
        auto &reply = tm.messages[i].replyTo;
        if (!reply || reply->messageId != original.id)
            continue;
        reply->deleted = original.deleted;
        reply->excerpt = original.deleted ? std::string() : QString::fromStdString(original.body).left(static_cast<qsizetype>(limits::kReplyExcerptChars)).toStdString();
        Q_EMIT messageChanged(topicId, static_cast<int>(i));
    }
}

std::vector<std::string> Store::applyEvent(const Event &event)
{
    Gaps gaps;
    std::visit([&](const auto &e) { apply(e, gaps); }, event);
    return gaps;
}

void Store::apply(const PartyCreated &e, Gaps &) { applyJoined(e.party); }
void Store::apply(const PartyJoined &e, Gaps &) { applyJoined(e.party); }

void Store::apply(const PartyUpdated &e, Gaps &)
{
    if (auto *p = mutableParty(e.partyId)) {
        p->name = e.name;
        p->massMentions = e.massMentions;
        p->notifyDefault = e.notifyDefault;
        p->ownerId = e.ownerId;
        Q_EMIT partyChanged(q(e.partyId));
    }
}

void Store::apply(const PartyDeleted &e, Gaps &)
{
    if (const auto *p = party(e.partyId)) {
        for (const auto &t : p->topics) {
            m_messages.erase(t.id);
            m_readStates.erase(t.id);
        }
        eraseIf(m_parties, [&](const Party &x) { return x.id == e.partyId; });
        Q_EMIT partiesReset();
    }
}

void Store::upsertMember(const std::string &partyId, const Member &member)
{
    if (auto *p = mutableParty(partyId)) {
        auto it = std::find_if(p->members.begin(), p->members.end(), [&](const Member &m) { return m.userId == member.userId; });
        if (it == p->members.end())
            p->members.push_back(member);
        else
            *it = member;
        Q_EMIT membersChanged(q(partyId));
    }
}

void Store::apply(const MemberJoined &e, Gaps &) { upsertMember(e.partyId, e.member); }
void Store::apply(const MemberUpdated &e, Gaps &) { upsertMember(e.partyId, e.member); }

void Store::apply(const MemberLeft &e, Gaps &gaps)
{
    if (e.userId == m_me.id) {
        apply(PartyDeleted{e.partyId}, gaps);
    } else if (auto *p = mutableParty(e.partyId)) {
        eraseIf(p->members, [&](const Member &m) { return m.userId == e.userId; });
        Q_EMIT membersChanged(q(e.partyId));
    }
}

void Store::apply(const TopicCreated &e, Gaps &)
{
    if (auto *p = mutableParty(e.topic.partyId); p && !topic(e.topic.id)) {
        p->topics.push_back(e.topic);
        sortTopics(*p);
        m_readStates[e.topic.id] = ReadState{e.topic.id, e.topic.lastSeq, 0, 0};
        Q_EMIT topicsChanged(q(p->id));
    }
}

void Store::apply(const TopicUpdated &e, Gaps &)
{
    if (auto *t = mutableTopic(e.topic.id)) {
        t->name = e.topic.name;
        t->position = e.topic.position;
        Q_EMIT topicsChanged(q(t->partyId));
    }
}

void Store::apply(const TopicDeleted &e, Gaps &)
{
    if (auto *p = mutableParty(e.partyId)) {
        eraseIf(p->topics, [&](const Topic &t) { return t.id == e.topicId; });
        m_messages.erase(e.topicId);
        m_readStates.erase(e.topicId);
        Q_EMIT topicsChanged(q(e.partyId));
    }
}

void Store::apply(const TopicsReordered &e, Gaps &)
{
    if (auto *p = mutableParty(e.partyId)) {
        for (std::size_t i = 0; i < e.topicIds.size(); ++i) {
            if (auto *t = mutableTopic(e.topicIds[i]))
                t->position = static_cast<int>(i);
        }
        sortTopics(*p);
        Q_EMIT topicsChanged(q(e.partyId));
    }
}

void Store::apply(const MessageCreated &e, Gaps &gaps)
{
    const Message &m = e.message;
    auto *t = mutableTopic(m.topicId);
    if (!t)
        return;
    const bool fresh = m.seq > t->lastSeq;
    t->lastSeq = std::max(t->lastSeq, m.seq);
    t->lastRev = std::max(t->lastRev, m.rev);
    ReadState &rs = m_readStates[m.topicId];
    rs.topicId = m.topicId;
    if (m.authorId == m_me.id) {
        rs = ReadState{m.topicId, std::max(rs.lastReadSeq, m.seq), 0, 0};
    } else if (m.seq > rs.lastReadSeq) {
        rs.unread = std::min<std::int64_t>(rs.unread + 1, 1000);
        if (protocol::mentionsUser(m, m_me.id))
            ++rs.mentions;
    }
    Q_EMIT readStateChanged(q(m.topicId));
    upsertMessage(m, gaps);
    if (fresh)
        Q_EMIT messageArrived(m);
}

void Store::applyChangedMessage(const Message &message, Gaps &gaps)
{
    if (auto *t = mutableTopic(message.topicId)) {
        t->lastRev = std::max(t->lastRev, message.rev);
        upsertMessage(message, gaps);
    }
}

void Store::apply(const MessageUpdated &e, Gaps &gaps) { applyChangedMessage(e.message, gaps); }
void Store::apply(const MessageDeleted &e, Gaps &gaps) { applyChangedMessage(e.message, gaps); }

Message *Store::messageToChange(const std::string &topicId, std::int64_t seq, std::int64_t rev, int &index)
{
    if (auto *t = mutableTopic(topicId))
        t->lastRev = std::max(t->lastRev, rev);
    auto found = m_messages.find(topicId);
    if (found == m_messages.end() || found->second.messages.empty())
        return nullptr;
    TopicMessages &tm = found->second;
    tm.lastRev = std::max(tm.lastRev, rev);
    if (seq < tm.messages.front().seq || seq > tm.messages.back().seq)
        return nullptr;
    index = static_cast<int>(seq - tm.messages.front().seq);
    Message &m = tm.messages[static_cast<std::size_t>(index)];
    // A reply or a sync that brought the message at this rev or later has the change already.
    if (m.rev >= rev)
        return nullptr;
    return &m;
}

void Store::applyReaction(Message &m, const ReactionChange &change)
{
    m.rev = std::max(m.rev, change.rev);
    auto reaction = std::find_if(m.reactions.begin(), m.reactions.end(), [&](const auto &r) { return r.emoji == change.emoji; });
    if (change.added) {
        if (reaction == m.reactions.end())
            reaction = m.reactions.insert(m.reactions.end(), protocol::Reaction{change.emoji, {}});
        if (std::find(reaction->userIds.begin(), reaction->userIds.end(), change.userId) == reaction->userIds.end())
            reaction->userIds.push_back(change.userId);
    } else if (reaction != m.reactions.end()) {
        reaction->userIds.erase(std::remove(reaction->userIds.begin(), reaction->userIds.end(), change.userId), reaction->userIds.end());
        if (reaction->userIds.empty())
            m.reactions.erase(reaction);
    }
}

void Store::changeReaction(const std::string &topicId, std::int64_t seq, std::int64_t rev, const std::string &emoji,
                           const std::string &userId, bool added)
{
    int index = 0;
    Message *m = messageToChange(topicId, seq, rev, index);
    if (!m) {
        const auto *tm = messages(topicId);
        if (tm && tm->loaded && !tm->messages.empty() && seq < tm->messages.front().seq)
            Q_EMIT reactionBeforeWindow(q(topicId), seq, ReactionChange{rev, emoji, userId, added});
        return;
    }
    // Kept until a full copy newer than this one arrives: a sync reply read before this change
    // but after an edit the app missed must not undo it, nor lose the edit.
    auto &partial = m_partials[m->id];
    if (partial.changes.empty())
        partial.baseRev = m->rev;
    const ReactionChange change{rev, emoji, userId, added};
    partial.changes.push_back(change);
    applyReaction(*m, change);
    Q_EMIT messageChanged(q(topicId), index);
}

void Store::apply(const ReactionAdded &e, Gaps &) { changeReaction(e.topicId, e.seq, e.rev, e.emoji, e.userId, true); }
void Store::apply(const ReactionRemoved &e, Gaps &) { changeReaction(e.topicId, e.seq, e.rev, e.emoji, e.userId, false); }

void Store::apply(const PinChanged &e, Gaps &gaps)
{
    if (auto *t = mutableTopic(e.message.topicId)) {
        t->pinnedCount = e.pinnedCount;
        Q_EMIT topicsChanged(q(t->partyId));
    }
    applyChangedMessage(e.message, gaps);
}

const Message *Store::loadedMessageAt(const std::string &topicId, std::int64_t seq) const
{
    const auto *tm = messages(topicId);
    if (!tm || tm->messages.empty() || seq < tm->messages.front().seq || seq > tm->messages.back().seq)
        return nullptr;
    return &tm->messages[static_cast<std::size_t>(seq - tm->messages.front().seq)];
}

const Message *Store::loadedMessage(const std::string &topicId, const std::string &messageId) const
{
    const auto *tm = messages(topicId);
    if (!tm)
        return nullptr;
    for (const auto &m : tm->messages) {
        if (m.id == messageId)
            return &m;
    }
    return nullptr;
}

void Store::apply(const PresenceUpdated &e, Gaps &)
{
    // Coming or going is when the server notes a person last seen; the app notes it as it hears.
    const bool wasAround = m_presence.count(e.userId) > 0;
    if (wasAround != (e.status != Presence::Offline)) {
        const auto now = QDateTime::currentMSecsSinceEpoch();
        for (auto &p : m_parties)
            for (auto &m : p.members)
                if (m.userId == e.userId)
                    m.status.lastSeenAt = now;
    }
    if (e.status == Presence::Offline)
        m_presence.erase(e.userId);
    else
        m_presence[e.userId] = e.status;
    Q_EMIT presenceChanged(q(e.userId));
}

void Store::apply(const Typing &e, Gaps &) { Q_EMIT typing(q(e.topicId), q(e.userId)); }

void Store::apply(const ReadStateUpdated &e, Gaps &)
{
    m_readStates[e.readState.topicId] = e.readState;
    Q_EMIT readStateChanged(q(e.readState.topicId));
}

void Store::apply(const ProfileUpdated &e, Gaps &)
{
    if (e.user.id == m_me.id)
        m_me = e.user;
    for (auto &p : m_parties) {
        for (auto &m : p.members) {
            if (m.userId == e.user.id) {
                m.displayName = e.user.displayName;
                m.avatarUrl = e.user.avatarUrl;
                m.avatarFileId = e.user.avatarFileId;
                m.status = e.user.status;
                Q_EMIT membersChanged(q(p.id));
            }
        }
    }
}

void Store::apply(const BlocksUpdated &e, Gaps &) { applyBlocks(e.userIds); }

void Store::applyBlocks(std::vector<std::string> userIds)
{
    std::sort(userIds.begin(), userIds.end());
    if (userIds == m_blocked)
        return;
    m_blocked = std::move(userIds);
    Q_EMIT blocksChanged();
}

bool Store::isBlocked(const std::string &userId) const
{
    return std::binary_search(m_blocked.begin(), m_blocked.end(), userId);
}

const Party *Store::directWith(std::vector<std::string> userIds) const
{
    std::sort(userIds.begin(), userIds.end());
    userIds.erase(std::unique(userIds.begin(), userIds.end()), userIds.end());
    for (const auto &p : m_parties) {
        if (p.kind != PartyKind::Direct || p.members.size() != userIds.size() + 1)
            continue;
        std::vector<std::string> others;
        for (const auto *m : othersIn(p))
            others.push_back(m->userId);
        std::sort(others.begin(), others.end());
        if (others == userIds)
            return &p;
    }
    return nullptr;
}

std::vector<const Member *> Store::othersIn(const Party &party) const
{
    std::vector<const Member *> others;
    for (const auto &m : party.members) {
        if (m.userId != m_me.id)
            others.push_back(&m);
    }
    return others;
}

QString Store::conversationName(const Party &party) const
{
    const auto others = othersIn(party);
    if (others.empty())
        return tr("Just you");
    QStringList names;
    for (std::size_t i = 0; i < others.size() && i < 2; ++i)
        names << q(others[i]->displayName);
    if (others.size() == 1)
        return names.front();
    if (others.size() == 2)
        return tr("%1 and %2").arg(names[0], names[1]);
    const int rest = int(others.size() - 2);
    return rest == 1 ? tr("%1, %2 and 1 other").arg(names[0], names[1])
                     : tr("%1, %2 and %3 others").arg(names[0], names[1]).arg(rest);
}

QString Store::placeName(const Topic &topic, Isolation isolation) const
{
    const auto shown = [isolation](const QString &name) { return isolation == Isolation::Isolated ? isolated(name) : name; };
    const auto *p = party(topic.partyId);
    if (p && p->kind == PartyKind::Direct)
        return shown(conversationName(*p));
    const QString topicName = QStringLiteral("#") + shown(q(topic.name));
    return p ? tr("%1 · %2").arg(topicName, shown(q(p->name))) : topicName;
}

void Store::applyHistory(const History &page, bool older)
{
    if (!topic(page.topicId))
        return;
    TopicMessages &tm = m_messages[page.topicId];
    const QString topicId = q(page.topicId);
    for (const auto &m : page.messages)
        tm.lastRev = std::max(tm.lastRev, m.rev);
    if (!tm.loaded || tm.messages.empty()) {
        Q_EMIT messagesAboutToBeReset(topicId);
        tm.loaded = true;
        tm.messages = page.messages;
        tm.hasNewer = false;
        tm.hasOlder = older ? page.hasMore : (!page.messages.empty() && page.messages.front().seq > 1);
        Q_EMIT messagesReset(topicId);
        return;
    }
    if (older) {
        // Only the part that joins up with the window's start.
        std::vector<Message> before;
        for (const auto &m : page.messages) {
            if (m.seq < tm.messages.front().seq)
                before.push_back(m);
        }
        if (!before.empty() && before.back().seq == tm.messages.front().seq - 1) {
            Q_EMIT messagesAboutToBePrepended(topicId, static_cast<int>(before.size()));
            tm.messages.insert(tm.messages.begin(), before.begin(), before.end());
            Q_EMIT messagesPrepended(topicId, static_cast<int>(before.size()));
        }
        tm.hasOlder = page.hasMore && !tm.messages.empty() && tm.messages.front().seq > 1;
        if (!tm.messages.empty() && tm.messages.front().seq == 1)
            tm.hasOlder = false;
    } else {
        TopicCatchUp catchUp{page.topicId, page.messages, page.hasMore};
        applyCatchUp(catchUp);
    }
}

void Store::restoreWindow(const std::string &topicId, std::vector<Message> messages, bool hasOlder, bool hasNewer,
                          std::int64_t lastRev)
{
    if (!topic(topicId))
        return;
    TopicMessages &tm = m_messages[topicId];
    const QString id = q(topicId);
    Q_EMIT messagesAboutToBeReset(id);
    tm.loaded = true;
    tm.messages = std::move(messages);
    tm.hasOlder = hasOlder && (tm.messages.empty() || tm.messages.front().seq > 1);
    tm.hasNewer = hasNewer;
    tm.lastRev = lastRev;
    for (const auto &m : tm.messages)
        tm.lastRev = std::max(tm.lastRev, m.rev);
    Q_EMIT messagesReset(id);
}

void Store::applyAround(const History &page)
{
    if (!topic(page.topicId))
        return;
    TopicMessages &tm = m_messages[page.topicId];
    const QString topicId = q(page.topicId);
    Q_EMIT messagesAboutToBeReset(topicId);
    tm.loaded = true;
    tm.messages = page.messages;
    tm.hasOlder = page.hasMore;
    tm.hasNewer = page.hasNewer;
    for (const auto &m : page.messages)
        tm.lastRev = std::max(tm.lastRev, m.rev);
    Q_EMIT messagesReset(topicId);
}

void Store::applyNewer(const History &page)
{
    auto found = m_messages.find(page.topicId);
    if (found == m_messages.end() || !found->second.loaded || found->second.messages.empty())
        return;
    TopicMessages &tm = found->second;
    // Only the part that joins up with the window's end.
    std::vector<Message> after;
    for (const auto &m : page.messages) {
        if (m.seq == tm.messages.back().seq + 1 + static_cast<std::int64_t>(after.size()))
            after.push_back(m);
    }
    tm.hasNewer = page.hasMore;
    if (!after.empty()) {
        const QString topicId = q(page.topicId);
        Q_EMIT messagesAboutToBeAppended(topicId, static_cast<int>(after.size()));
        tm.messages.insert(tm.messages.end(), after.begin(), after.end());
        Q_EMIT messagesAppended(topicId, static_cast<int>(after.size()));
    }
    for (const auto &m : page.messages)
        tm.lastRev = std::max(tm.lastRev, m.rev);
}

void Store::applyCatchUp(const TopicCatchUp &catchUp)
{
    std::vector<std::string> gaps;
    auto found = m_messages.find(catchUp.topicId);
    if (found == m_messages.end() || !found->second.loaded)
        return;
    TopicMessages &tm = found->second;
    // A live message can open an empty window before the catch-up that precedes it arrives (the
    // topic was loaded empty, a message was posted, the next one came live first): the part of
    // the catch-up that joins up with the window's start goes before it.
    std::vector<Message> before;
    if (!tm.messages.empty()) {
        for (const auto &m : catchUp.messages) {
            if (m.seq < tm.messages.front().seq && (before.empty() || m.seq == before.back().seq + 1))
                before.push_back(m);
            else if (m.seq < tm.messages.front().seq)
                before = {m};   // not contiguous with what came before it: start again from here
        }
    }
    if (!before.empty() && before.back().seq == tm.messages.front().seq - 1) {
        const QString topicId = q(catchUp.topicId);
        for (const auto &m : before)
            tm.lastRev = std::max(tm.lastRev, m.rev);
        Q_EMIT messagesAboutToBePrepended(topicId, static_cast<int>(before.size()));
        tm.messages.insert(tm.messages.begin(), before.begin(), before.end());
        Q_EMIT messagesPrepended(topicId, static_cast<int>(before.size()));
        tm.hasOlder = tm.messages.front().seq > 1 && tm.hasOlder;
    }
    for (const auto &m : catchUp.messages)
        upsertMessage(m, gaps);
}

} // namespace chatterbox::app
