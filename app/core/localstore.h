// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/core/store.h"

#include <QObject>
#include <QHash>
#include <QSet>
#include <QSqlDatabase>
#include <QString>
#include <QTimer>
#include <QUrl>

#include <algorithm>
#include <optional>

namespace chatterbox::app {

// What the app has seen, kept on disk per account (SQLite through Qt SQL), so that it opens
// with the last topic before the connection is up and every stored topic can be read offline.
//
// The live Store stays the truth while the app runs; this follows it. Every change the Store
// announces is written here, batched into one transaction a moment later: the snapshot
// (the person, parties with topics and members, read positions, blocks) and, per topic, the
// messages it held, oldest first without gaps. A topic opened again comes back from here
// (restoreTopic: its newest page; restoreOlder: the pages before it as the person scrolls), and
// the connection catches it up with message.sync from the stored position. Changes to stored
// messages older than what the Store holds (an edit or a reaction far up) are applied here.
//
// The file is its owner's only. One written by another version is rebuilt; one that is damaged
// is set aside (renamed *.damaged) and rebuilt, with a line in the log; either way the server
// fills it again. Past the size limit the oldest history of the topics opened least lately goes
// first; the server still has it.
class LocalStore final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LocalStore)

public:
    // The format this app writes. An older file is upgraded in place where a step is known and
    // rebuilt otherwise; a newer one is rebuilt.
    static constexpr int kSchemaVersion = 1;
    static constexpr qint64 kDefaultSizeLimit = qint64(1) << 30;   // about 1 GB
    // Messages brought into the Store at a time: enough for a few screens.
    static constexpr int kPage = 200;

    explicit LocalStore(Store &store, QObject *parent = nullptr);
    ~LocalStore() override;

    // The file for an account on a server, in directory: one per server (signing out deletes
    // it, so one person's is never shown to another).
    static QString fileFor(const QString &directory, const QUrl &server);

    // Opens the file (creating it, its directory owner-only) and puts what it holds into the
    // Store. True when there was something to show.
    bool open(const QString &path);
    bool isOpen() const { return m_db.isValid() && m_db.isOpen(); }
    QString path() const { return m_path; }
    // Writes what waits and closes the file.
    void close();
    // Closes the file and deletes it (signing out).
    void erase();
    // Writes what waits now rather than in a moment.
    void flush();

    // Puts the newest stored page of a topic into the Store; false when nothing is stored.
    bool restoreTopic(const std::string &topicId);
    // Puts the stored page before the topic's window into the Store; false when none is stored.
    bool restoreOlder(const std::string &topicId);

    // Messages brought into the Store at a time (kPage; the tests make it small).
    void setPageSize(int messages) { m_pageSize = std::max(1, messages); }

    void setSizeLimit(qint64 bytes) { m_sizeLimit = bytes; }
    qint64 sizeLimit() const { return m_sizeLimit; }
    // The bytes the stored records take (the file's used pages).
    qint64 usedBytes();
    // Frees space down to the limit, if it is over: see the class comment.
    void evictIfOverLimit();

    // For tests and the benchmark: what is stored of a topic, oldest first.
    std::vector<protocol::Message> storedMessages(const std::string &topicId);

private:
    bool openDatabase();
    bool prepareSchema();
    bool createSchema();
    bool loadSnapshot();
    // Renames a damaged file out of the way and starts an empty one.
    void setAside(const QString &why);
    // After the file had to be started again while running: everything the Store holds.
    void writeEverything();
    bool exec(const QString &sql);
    // A failed statement: logged; a damaged file is set aside and written again from memory.
    void failed(const QString &what, const class QSqlError &error);

    void beginWrite();
    void commit();
    void saveSnapshot();
    void saveParty(const protocol::Party &party, int position);
    void saveReadState(const std::string &topicId);
    void saveMeta(const QString &key, const QString &value);
    std::optional<QString> meta(const QString &key);
    void saveMessages(const QString &topicId, int from, int to);
    void replaceMessages(const QString &topicId);
    void saveMessage(const protocol::Message &message);
    void saveTopicState(const std::string &topicId);
    void updateBeforeWindow(const protocol::Message &message);
    void reactBeforeWindow(const QString &topicId, qint64 seq, const Store::ReactionChange &change);
    void refreshStoredQuotes(const protocol::Message &original);
    std::vector<protocol::Message> readMessages(const std::string &topicId, std::int64_t beforeSeq, int limit);
    void forgetTopic(const std::string &topicId);
    void forgetGoneTopics();

    Store &m_store;
    QString m_path;
    QString m_connectionName;
    QString m_openError;
    QSqlDatabase m_db;
    QTimer m_commitTimer;
    bool m_inTransaction = false;
    bool m_restoring = false;   // changes the Store makes from what was read here are not written back
    bool m_settingAside = false;
    qint64 m_sizeLimit = kDefaultSizeLimit;
    int m_pageSize = kPage;
    int m_writesSinceSizeCheck = 0;
    QSet<QString> m_dirtyParties;
    QSet<QString> m_dirtyReadStates;
    QSet<QString> m_dirtyTopics;
    QHash<QString, qint64> m_openedAt;   // topics whose window was loaded since the last commit
    bool m_topicsMayBeGone = false;
    bool m_dirtySnapshot = false;
};

} // namespace chatterbox::app
