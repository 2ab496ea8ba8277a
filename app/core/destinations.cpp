// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/core/destinations.h"

#include "app/core/store.h"

#include <QSet>

#include <algorithm>

namespace chatterbox::app {

namespace {

enum Quality { kNone = 0, kInOrder = 1, kInside = 2, kWordStart = 3, kStart = 4, kExact = 5 };

bool isWordStart(const QString &text, qsizetype at)
{
    if (at == 0)
        return true;
    const QChar before = text.at(at - 1);
    return !before.isLetterOrNumber() || (before.isLower() && text.at(at).isUpper());
}

bool inOrder(const QString &query, const QString &text)
{
    qsizetype at = 0;
    for (const QChar c : query) {
        if (c.isSpace())
            continue;
        at = text.indexOf(c, at, Qt::CaseInsensitive);
        if (at < 0)
            return false;
        ++at;
    }
    return true;
}

} // namespace

int matchQuality(const QString &rawQuery, const QString &text)
{
    const QString query = rawQuery.trimmed();
    if (query.isEmpty())
        return kInOrder;
    if (text.compare(query, Qt::CaseInsensitive) == 0)
        return kExact;
    if (text.startsWith(query, Qt::CaseInsensitive))
        return kStart;
    bool inside = false;
    for (qsizetype at = text.indexOf(query, 0, Qt::CaseInsensitive); at >= 0; at = text.indexOf(query, at + 1, Qt::CaseInsensitive)) {
        if (isWordStart(text, at))
            return kWordStart;
        inside = true;
    }
    if (inside)
        return kInside;
    return inOrder(query, text) ? kInOrder : kNone;
}

QList<Destination> findDestinations(const Store &store, const QString &query, const QStringList &recentTopics, int limit)
{
    struct Ranked {
        Destination destination;
        int quality = 0;
        int recency = 0;   // higher is more recent
    };
    QList<Ranked> ranked;
    const bool browsing = query.trimmed().isEmpty();
    const auto recencyOf = [&](const QString &topicId) {
        const qsizetype at = recentTopics.indexOf(topicId);
        return at < 0 ? 0 : static_cast<int>(recentTopics.size() - at);
    };
    QSet<QString> peopleSeen;
    for (const auto &party : store.parties()) {
        const QString partyId = QString::fromStdString(party.id);
        // A direct conversation is one destination named by its people, among the topics.
        const bool direct = party.kind == protocol::PartyKind::Direct;
        const QString partyName = direct ? QObject::tr("Direct message") : QString::fromStdString(party.name);
        int partyRecency = 0;
        bool partyUnread = false;
        for (const auto &topic : party.topics) {
            const QString topicId = QString::fromStdString(topic.id);
            const QString name = direct ? store.conversationName(party) : QString::fromStdString(topic.name);
            const bool unread = store.readState(topic.id).unread > 0;
            partyRecency = std::max(partyRecency, recencyOf(topicId));
            partyUnread = partyUnread || unread;
            // "book gen" finds #general in Book Club too, after the topics whose own names match.
            const int quality = std::max(matchQuality(query, name), std::min(matchQuality(query, partyName + QLatin1Char(' ') + name), int(kInOrder)));
            if (quality != kNone)
                ranked.append({{Destination::Kind::Topic, partyId, topicId, {}, name, partyName, unread, direct}, quality, recencyOf(topicId)});
        }
        if (browsing || direct)
            continue;   // an empty query lists topics only; people are found through their parties
        if (const int quality = matchQuality(query, partyName); quality != kNone)
            ranked.append({{Destination::Kind::Party, partyId, {}, {}, partyName, {}, partyUnread}, quality, partyRecency});
        for (const auto &member : party.members) {
            const QString userId = QString::fromStdString(member.userId);
            if (member.userId == store.me().id || peopleSeen.contains(userId))
                continue;
            const QString name = QString::fromStdString(member.displayName);
            if (const int quality = matchQuality(query, name); quality != kNone) {
                peopleSeen.insert(userId);
                ranked.append({{Destination::Kind::Person, partyId, {}, userId, name, partyName, false}, quality, partyRecency});
            }
        }
    }
    std::stable_sort(ranked.begin(), ranked.end(), [](const Ranked &a, const Ranked &b) {
        if (a.quality != b.quality)
            return a.quality > b.quality;
        if (a.recency != b.recency)
            return a.recency > b.recency;
        if (a.destination.unread != b.destination.unread)
            return a.destination.unread;
        if (a.destination.name.size() != b.destination.name.size())
            return a.destination.name.size() < b.destination.name.size();
        return a.destination.name.compare(b.destination.name, Qt::CaseInsensitive) < 0;
    });
    QList<Destination> out;
    for (const auto &r : ranked) {
        if (out.size() >= limit)
            break;
        out << r.destination;
    }
    return out;
}

} // namespace chatterbox::app
