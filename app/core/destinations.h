// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace chatterbox::app {

class Store;

// Somewhere the quick switcher can take the person: a topic, a party, or a person they share a
// party with.
struct Destination {
    enum class Kind { Topic, Party, Person };
    Kind kind = Kind::Topic;
    QString partyId;
    QString topicId;   // Topic
    QString userId;    // Person
    QString name;      // what is matched and shown: the topic's, party's or person's name
    QString context;   // the party a topic is in, or one the person shares
    bool unread = false;
    bool direct = false;   // Topic: the topic of a direct conversation, named by its people
};

// Everything that matches query, best first: a name that is the query, then one that starts with
// it, then one with a word that starts with it, then one that has it inside, then one that has its
// letters in order ("gnrl" for "general"). Within each, what the person visited most recently
// first (recentTopics, newest first, and the parties of those topics), then unread, then the
// shorter name. With no query: recent topics, then the rest of the topics.
QList<Destination> findDestinations(const Store &store, const QString &query, const QStringList &recentTopics, int limit = 50);

// How well text matches query (higher is better), 0 when it does not.
int matchQuality(const QString &query, const QString &text);

} // namespace chatterbox::app
