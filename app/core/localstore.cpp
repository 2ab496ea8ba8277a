// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/core/localstore.h"

#include "app/core/logging.h"
#include "shared/codec.h"
#include "shared/limits.h"

#include <nlohmann/json.hpp>

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

#include <algorithm>

namespace chatterbox::app {

using namespace protocol;

namespace {

QString q(const std::string &s) { return QString::fromStdString(s); }

template <typename T>
QString encoded(const T &value)
{
    nlohmann::json j;
    to_json(j, value);
    return QString::fromStdString(j.dump());
}

template <typename T>
T decoded(const QString &text)
{
    T value;
    from_json(nlohmann::json::parse(text.toStdString()), value);
    return value;
}

constexpr auto kOwnerOnly = QFile::ReadOwner | QFile::WriteOwner;

// SQLite's primary result codes that mean the file itself is not sound.
bool meansDamaged(const QSqlError &error)
{
    const QString code = error.nativeErrorCode();
    return code == QLatin1String("11") || code == QLatin1String("26");   // SQLITE_CORRUPT, SQLITE_NOTADB
}

// One step per version: the statements that turn version N into N + 1. None are known yet;
// the first change to the format adds its step here instead of rebuilding everyone's store.
struct Upgrade {
    int from;
    const char *const *statements;
};
constexpr Upgrade kUpgrades[] = {{0, nullptr}};

} // namespace

LocalStore::LocalStore(Store &store, QObject *parent) : QObject(parent), m_store(store)
{
    m_connectionName = QStringLiteral("chatterbox-local-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    m_commitTimer.setSingleShot(true);
    m_commitTimer.setInterval(300);
    connect(&m_commitTimer, &QTimer::timeout, this, &LocalStore::commit);

    connect(&store, &Store::partiesReset, this, [this] {
        if (!m_restoring && isOpen()) {
            m_dirtySnapshot = true;
            beginWrite();
        }
    });
    const auto partyDirty = [this](const QString &partyId) {
        if (!m_restoring && isOpen()) {
            m_dirtyParties.insert(partyId);
            beginWrite();
        }
    };
    connect(&store, &Store::partyChanged, this, partyDirty);
    connect(&store, &Store::topicsChanged, this, [this, partyDirty](const QString &partyId) {
        m_topicsMayBeGone = true;
        partyDirty(partyId);
    });
    connect(&store, &Store::membersChanged, this, partyDirty);
    connect(&store, &Store::blocksChanged, this, [this] {
        if (!m_restoring && isOpen()) {
            m_dirtySnapshot = true;
            beginWrite();
        }
    });
    connect(&store, &Store::readStateChanged, this, [this](const QString &topicId) {
        if (m_restoring || !isOpen())
            return;
        m_dirtyReadStates.insert(topicId);
        // A new message moves its topic's newest seq, which the snapshot's party holds.
        if (const auto *t = m_store.topic(topicId.toStdString()))
            m_dirtyParties.insert(q(t->partyId));
        beginWrite();
    });
    connect(&store, &Store::messagesAppended, this, [this](const QString &topicId, int count) {
        const auto *tm = m_store.messages(topicId.toStdString());
        if (tm)
            saveMessages(topicId, int(tm->messages.size()) - count, int(tm->messages.size()));
    });
    connect(&store, &Store::messagesPrepended, this, [this](const QString &topicId, int count) { saveMessages(topicId, 0, count); });
    connect(&store, &Store::messageChanged, this, [this](const QString &topicId, int index) { saveMessages(topicId, index, index + 1); });
    connect(&store, &Store::messagesReset, this, &LocalStore::replaceMessages);
    connect(&store, &Store::changedBeforeWindow, this, &LocalStore::updateBeforeWindow);
    connect(&store, &Store::reactionBeforeWindow, this, &LocalStore::reactBeforeWindow);
}

LocalStore::~LocalStore()
{
    close();
    QSqlDatabase::removeDatabase(m_connectionName);
}

QString LocalStore::fileFor(const QString &directory, const QUrl &server)
{
    const QByteArray key = server.adjusted(QUrl::StripTrailingSlash | QUrl::NormalizePathSegments).toString().toUtf8();
    const QString name = QString::fromLatin1(QCryptographicHash::hash(key, QCryptographicHash::Sha256).toHex().left(24));
    return directory + QLatin1Char('/') + name + QStringLiteral(".sqlite");
}

bool LocalStore::open(const QString &path)
{
    close();
    m_path = path;
    const QFileInfo file(path);
    QDir().mkpath(file.absolutePath());
    QFile::setPermissions(file.absolutePath(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    if (!openDatabase())
        return false;
    if (!prepareSchema()) {
        setAside(m_openError);
        if (!prepareSchema())
            return false;
    }
    if (!loadSnapshot()) {
        setAside(QStringLiteral("its records could not be read"));
        return false;
    }
    evictIfOverLimit();
    return !m_store.me().id.empty();
}

bool LocalStore::openDatabase()
{
    // Created owner-only before SQLite opens it; SQLite gives its journal the same mode.
    if (!QFile::exists(m_path)) {
        QFile create(m_path);
        if (!create.open(QIODevice::WriteOnly)) {
            qCWarning(lcApp, "the local store %s cannot be created: %s", qPrintable(m_path), qPrintable(create.errorString()));
            return false;
        }
    }
    QFile::setPermissions(m_path, kOwnerOnly);
    m_db = QSqlDatabase::contains(m_connectionName) ? QSqlDatabase::database(m_connectionName, false)
                                                    : QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    m_db.setDatabaseName(m_path);
    if (!m_db.open()) {
        qCWarning(lcApp, "the local store %s cannot be opened: %s", qPrintable(m_path), qPrintable(m_db.lastError().text()));
        return false;
    }
    return true;
}

bool LocalStore::exec(const QString &sql)
{
    QSqlQuery query(m_db);
    if (query.exec(sql))
        return true;
    failed(sql, query.lastError());
    return false;
}

bool LocalStore::prepareSchema()
{
    QSqlQuery query(m_db);
    // A file that is not a database, or is damaged in its first pages, fails here.
    if (!query.exec(QStringLiteral("PRAGMA user_version")) || !query.next()) {
        m_openError = query.lastError().text();
        return false;
    }
    int version = query.value(0).toInt();
    query.finish();
    if (!query.exec(QStringLiteral("SELECT count(*) FROM sqlite_master")) || !query.next()) {
        m_openError = query.lastError().text();
        return false;
    }
    const bool empty = query.value(0).toInt() == 0;
    query.finish();
    if (empty)
        return createSchema();
    for (const auto &step : kUpgrades) {
        if (step.from != version || !step.statements)
            continue;
        for (auto *s = step.statements; *s; ++s) {
            if (!exec(QString::fromLatin1(*s)))
                break;
        }
        ++version;
        exec(QStringLiteral("PRAGMA user_version = %1").arg(version));
    }
    if (version == kSchemaVersion)
        return exec(QStringLiteral("PRAGMA journal_mode = WAL")) && exec(QStringLiteral("PRAGMA synchronous = NORMAL"));
    // Written by a version this one cannot upgrade: what it held comes again from the server.
    qCInfo(lcApp, "the local store %s was written in format %d (this app writes %d): starting it again", qPrintable(m_path),
           version, kSchemaVersion);
    m_db.close();
    for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
        QFile::remove(m_path + suffix);
    return openDatabase() && createSchema();
}

bool LocalStore::createSchema()
{
    static const char *const statements[] = {
        // Pages freed by eviction go back to the file system.
        "PRAGMA auto_vacuum = INCREMENTAL",
        "PRAGMA journal_mode = WAL",
        "PRAGMA synchronous = NORMAL",
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
        "CREATE TABLE parties (id TEXT PRIMARY KEY, position INTEGER NOT NULL, party TEXT NOT NULL) WITHOUT ROWID",
        "CREATE TABLE read_states (topic_id TEXT PRIMARY KEY, state TEXT NOT NULL) WITHOUT ROWID",
        // A topic's stored window: has_older says the server has messages before its first row.
        "CREATE TABLE topics (topic_id TEXT PRIMARY KEY, has_older INTEGER NOT NULL, has_newer INTEGER NOT NULL,"
        " last_rev INTEGER NOT NULL, last_opened INTEGER NOT NULL) WITHOUT ROWID",
        "CREATE TABLE messages (topic_id TEXT NOT NULL, seq INTEGER NOT NULL, reply_to TEXT, message TEXT NOT NULL,"
        " PRIMARY KEY (topic_id, seq)) WITHOUT ROWID",
        "CREATE INDEX messages_by_reply ON messages (reply_to) WHERE reply_to IS NOT NULL",
    };
    for (const char *s : statements) {
        if (!exec(QString::fromLatin1(s)))
            return false;
    }
    return exec(QStringLiteral("PRAGMA user_version = %1").arg(kSchemaVersion));
}

bool LocalStore::loadSnapshot()
{
    Ready ready;
    try {
        if (const auto me = meta(QStringLiteral("me")))
            ready.me = decoded<User>(*me);
        else
            return true;   // nothing kept yet
        if (const auto blocked = meta(QStringLiteral("blocked")))
            ready.blockedUserIds = nlohmann::json::parse(blocked->toStdString()).get<std::vector<std::string>>();
        QSqlQuery query(m_db);
        query.setForwardOnly(true);
        if (!query.exec(QStringLiteral("SELECT party FROM parties ORDER BY position")))
            return false;
        while (query.next())
            ready.parties.push_back(decoded<Party>(query.value(0).toString()));
        if (query.lastError().isValid())
            return false;
        if (!query.exec(QStringLiteral("SELECT state FROM read_states")))
            return false;
        while (query.next())
            ready.readStates.push_back(decoded<ReadState>(query.value(0).toString()));
        if (query.lastError().isValid())
            return false;
    } catch (const std::exception &e) {
        qCWarning(lcApp, "the local store %s holds a record this app cannot read: %s", qPrintable(m_path), e.what());
        return false;
    }
    m_restoring = true;
    m_store.applyReady(ready);
    m_restoring = false;
    return true;
}

void LocalStore::setAside(const QString &why)
{
    if (m_settingAside)
        return;
    m_settingAside = true;
    const QString path = m_path;
    m_commitTimer.stop();
    m_inTransaction = false;
    if (m_db.isOpen())
        m_db.close();
    const QString aside = path + QStringLiteral(".damaged");
    for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
        QFile::remove(aside + suffix);
    QFile::rename(path, aside);
    for (const QString &suffix : {QStringLiteral("-wal"), QStringLiteral("-shm")})
        QFile::rename(path + suffix, aside + suffix);
    QFile::setPermissions(aside, kOwnerOnly);
    qCWarning(lcApp, "the local store %s was damaged (%s): set aside as %s and started again; the server fills it again",
              qPrintable(path), qPrintable(why), qPrintable(aside));
    if (openDatabase() && createSchema())
        writeEverything();
    m_settingAside = false;
}

void LocalStore::writeEverything()
{
    if (m_store.me().id.empty())
        return;
    m_dirtySnapshot = true;
    beginWrite();
    for (const auto &party : m_store.parties()) {
        for (const auto &topic : party.topics) {
            if (const auto *tm = m_store.messages(topic.id); tm && tm->loaded)
                replaceMessages(q(topic.id));
        }
    }
}

void LocalStore::failed(const QString &what, const QSqlError &error)
{
    if (meansDamaged(error)) {
        setAside(error.text());
        return;
    }
    // Often a full disk: the app goes on from memory and the server, and tries again next time.
    qCWarning(lcApp, "the local store %s could not do %s: %s", qPrintable(m_path), qPrintable(what.left(60)),
              qPrintable(error.text()));
}

void LocalStore::close()
{
    if (!m_db.isOpen())
        return;
    commit();
    m_db.close();
    m_db = QSqlDatabase();
}

void LocalStore::erase()
{
    const QString path = m_path;
    m_commitTimer.stop();
    if (m_inTransaction && m_db.isOpen())
        m_db.rollback();
    m_inTransaction = false;
    m_dirtyParties.clear();
    m_dirtyReadStates.clear();
    m_dirtyTopics.clear();
    m_openedAt.clear();
    m_topicsMayBeGone = false;
    m_dirtySnapshot = false;
    if (m_db.isOpen())
        m_db.close();
    m_db = QSqlDatabase();
    if (path.isEmpty())
        return;
    for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm"), QStringLiteral("-journal"),
                                  QStringLiteral(".damaged"), QStringLiteral(".damaged-wal"), QStringLiteral(".damaged-shm")})
        QFile::remove(path + suffix);
    m_path.clear();
}

void LocalStore::flush()
{
    commit();
}

void LocalStore::beginWrite()
{
    if (!isOpen())
        return;
    if (!m_inTransaction) {
        m_inTransaction = m_db.transaction();
        if (!m_inTransaction)
            failed(QStringLiteral("BEGIN"), m_db.lastError());
    }
    if (!m_commitTimer.isActive())
        m_commitTimer.start();
}

void LocalStore::commit()
{
    m_commitTimer.stop();
    if (!isOpen())
        return;
    const bool dirty = m_dirtySnapshot || !m_dirtyParties.isEmpty() || !m_dirtyReadStates.isEmpty() || !m_dirtyTopics.isEmpty();
    if (!dirty && !m_inTransaction)
        return;
    beginWrite();
    m_commitTimer.stop();
    if (m_dirtySnapshot) {
        saveSnapshot();
    } else if (!m_dirtyParties.isEmpty() || !m_dirtyReadStates.isEmpty()) {
        for (const QString &partyId : std::exchange(m_dirtyParties, {})) {
            const auto &parties = m_store.parties();
            for (std::size_t i = 0; i < parties.size(); ++i) {
                if (q(parties[i].id) == partyId)
                    saveParty(parties[i], int(i));
            }
        }
        for (const QString &topicId : std::exchange(m_dirtyReadStates, {}))
            saveReadState(topicId.toStdString());
        if (!m_store.me().id.empty())
            saveMeta(QStringLiteral("me"), encoded(m_store.me()));
        if (m_topicsMayBeGone)
            forgetGoneTopics();
    }
    for (const QString &topicId : std::exchange(m_dirtyTopics, {}))
        saveTopicState(topicId.toStdString());
    m_openedAt.clear();
    if (m_inTransaction) {
        m_inTransaction = false;
        if (!m_db.commit())
            failed(QStringLiteral("COMMIT"), m_db.lastError());
    }
    if (++m_writesSinceSizeCheck >= 50) {
        m_writesSinceSizeCheck = 0;
        evictIfOverLimit();
    }
}

std::optional<QString> LocalStore::meta(const QString &key)
{
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("SELECT value FROM meta WHERE key = ?"));
    query.addBindValue(key);
    if (query.exec() && query.next())
        return query.value(0).toString();
    return std::nullopt;
}

void LocalStore::saveMeta(const QString &key, const QString &value)
{
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)"));
    query.addBindValue(key);
    query.addBindValue(value);
    if (!query.exec())
        failed(query.lastQuery(), query.lastError());
}

void LocalStore::saveSnapshot()
{
    m_dirtySnapshot = false;
    m_dirtyParties.clear();
    m_dirtyReadStates.clear();
    const User &me = m_store.me();
    if (me.id.empty())
        return;
    // Someone else signed in to this server without signing out first: theirs starts empty.
    std::string storedId;
    try {
        if (const auto stored = meta(QStringLiteral("me")))
            storedId = decoded<User>(*stored).id;
    } catch (const std::exception &) {
    }
    if (!storedId.empty() && storedId != me.id) {
        for (const char *table : {"parties", "read_states", "topics", "messages"})
            exec(QStringLiteral("DELETE FROM %1").arg(QLatin1String(table)));
    }
    saveMeta(QStringLiteral("me"), encoded(me));
    saveMeta(QStringLiteral("blocked"), QString::fromStdString(nlohmann::json(m_store.blocked()).dump()));
    exec(QStringLiteral("DELETE FROM parties"));
    exec(QStringLiteral("DELETE FROM read_states"));
    for (std::size_t i = 0; i < m_store.parties().size(); ++i) {
        const Party &party = m_store.parties()[i];
        saveParty(party, int(i));
        for (const auto &topic : party.topics)
            saveReadState(topic.id);
    }
    forgetGoneTopics();
}

void LocalStore::forgetGoneTopics()
{
    m_topicsMayBeGone = false;
    // Topics that are gone (deleted, or the person left) take their messages along.
    QSqlQuery query(m_db);
    std::vector<std::string> gone;
    if (query.exec(QStringLiteral("SELECT topic_id FROM topics UNION SELECT DISTINCT topic_id FROM messages"))) {
        while (query.next()) {
            const std::string id = query.value(0).toString().toStdString();
            if (!m_store.topic(id))
                gone.push_back(id);
        }
    }
    query.finish();
    for (const auto &id : gone)
        forgetTopic(id);
}

void LocalStore::forgetTopic(const std::string &topicId)
{
    for (const char *table : {"topics", "messages"}) {
        QSqlQuery query(m_db);
        query.prepare(QStringLiteral("DELETE FROM %1 WHERE topic_id = ?").arg(QLatin1String(table)));
        query.addBindValue(q(topicId));
        if (!query.exec())
            failed(query.lastQuery(), query.lastError());
    }
}

void LocalStore::saveParty(const Party &party, int position)
{
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("INSERT OR REPLACE INTO parties (id, position, party) VALUES (?, ?, ?)"));
    query.addBindValue(q(party.id));
    query.addBindValue(position);
    query.addBindValue(encoded(party));
    if (!query.exec())
        failed(query.lastQuery(), query.lastError());
}

void LocalStore::saveReadState(const std::string &topicId)
{
    if (!m_store.topic(topicId))
        return;
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("INSERT OR REPLACE INTO read_states (topic_id, state) VALUES (?, ?)"));
    query.addBindValue(q(topicId));
    query.addBindValue(encoded(m_store.readState(topicId)));
    if (!query.exec())
        failed(query.lastQuery(), query.lastError());
}

void LocalStore::saveMessage(const Message &message)
{
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("INSERT OR REPLACE INTO messages (topic_id, seq, reply_to, message) VALUES (?, ?, ?, ?)"));
    query.addBindValue(q(message.topicId));
    query.addBindValue(qint64(message.seq));
    query.addBindValue(message.replyTo ? QVariant(q(message.replyTo->messageId)) : QVariant());
    query.addBindValue(encoded(message));
    if (!query.exec())
        failed(query.lastQuery(), query.lastError());
}

void LocalStore::saveMessages(const QString &topicId, int from, int to)
{
    if (m_restoring || !isOpen())
        return;
    const auto *tm = m_store.messages(topicId.toStdString());
    if (!tm)
        return;
    beginWrite();
    from = std::max(from, 0);
    to = std::min(to, int(tm->messages.size()));
    for (int i = from; i < to; ++i) {
        const Message &m = tm->messages[std::size_t(i)];
        saveMessage(m);
        if (m.deleted || m.editedAt)
            refreshStoredQuotes(m);
    }
    m_dirtyTopics.insert(topicId);
}

void LocalStore::replaceMessages(const QString &topicId)
{
    if (m_restoring || !isOpen())
        return;
    beginWrite();
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("DELETE FROM messages WHERE topic_id = ?"));
    query.addBindValue(topicId);
    if (!query.exec())
        failed(query.lastQuery(), query.lastError());
    query.finish();
    if (const auto *tm = m_store.messages(topicId.toStdString())) {
        for (const auto &m : tm->messages)
            saveMessage(m);
    }
    // A window loaded from the server is a topic being opened.
    m_openedAt.insert(topicId, QDateTime::currentMSecsSinceEpoch());
    m_dirtyTopics.insert(topicId);
}

void LocalStore::saveTopicState(const std::string &topicId)
{
    const auto *tm = m_store.messages(topicId);
    if (!tm || !tm->loaded || !m_store.topic(topicId))
        return;
    // has_older is about the stored rows: when older rows than the window are stored, what the
    // file said of the server stays true.
    bool hasOlder = tm->hasOlder;
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("SELECT min(seq), (SELECT has_older FROM topics WHERE topic_id = ?) FROM messages WHERE topic_id = ?"));
    query.addBindValue(q(topicId));
    query.addBindValue(q(topicId));
    if (query.exec() && query.next() && !query.value(0).isNull() && !tm->messages.empty()
        && query.value(0).toLongLong() < tm->messages.front().seq)
        hasOlder = query.value(1).isNull() ? true : query.value(1).toBool();
    query.finish();
    QSqlQuery save(m_db);
    save.prepare(QStringLiteral("INSERT INTO topics (topic_id, has_older, has_newer, last_rev, last_opened) VALUES (?, ?, ?, ?, ?)"
                                 " ON CONFLICT (topic_id) DO UPDATE SET has_older = excluded.has_older,"
                                 " has_newer = excluded.has_newer, last_rev = excluded.last_rev,"
                                 " last_opened = max(last_opened, ?)"));
    save.addBindValue(q(topicId));
    save.addBindValue(hasOlder);
    save.addBindValue(tm->hasNewer);
    save.addBindValue(qint64(tm->lastRev));
    const qint64 opened = m_openedAt.value(q(topicId), 0);
    save.addBindValue(opened ? opened : QDateTime::currentMSecsSinceEpoch());
    save.addBindValue(opened);
    if (!save.exec())
        failed(save.lastQuery(), save.lastError());
}

std::vector<Message> LocalStore::readMessages(const std::string &topicId, std::int64_t beforeSeq, int limit)
{
    std::vector<Message> out;
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("SELECT message FROM messages WHERE topic_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?"));
    query.addBindValue(q(topicId));
    query.addBindValue(qint64(beforeSeq));
    query.addBindValue(limit);
    if (!query.exec()) {
        failed(query.lastQuery(), query.lastError());
        return out;
    }
    while (query.next())
        out.push_back(decoded<Message>(query.value(0).toString()));
    if (query.lastError().isValid())
        failed(query.lastQuery(), query.lastError());
    std::reverse(out.begin(), out.end());
    return out;
}

bool LocalStore::restoreTopic(const std::string &topicId)
{
    if (!isOpen() || !m_store.topic(topicId))
        return false;
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("SELECT has_older, has_newer, last_rev, (SELECT min(seq) FROM messages WHERE topic_id = ?)"
                                 " FROM topics WHERE topic_id = ?"));
    query.addBindValue(q(topicId));
    query.addBindValue(q(topicId));
    if (!query.exec() || !query.next())
        return false;
    const bool hasOlder = query.value(0).toBool();
    const bool hasNewer = query.value(1).toBool();
    const std::int64_t lastRev = query.value(2).toLongLong();
    const std::int64_t firstStored = query.value(3).isNull() ? 0 : query.value(3).toLongLong();
    query.finish();
    std::vector<Message> page;
    try {
        page = readMessages(topicId, std::numeric_limits<std::int64_t>::max(), m_pageSize);
    } catch (const std::exception &e) {
        qCWarning(lcApp, "the local store holds a message of topic %s this app cannot read (%s): fetching it again", topicId.c_str(), e.what());
        forgetTopic(topicId);
        return false;
    }
    if (!isOpen())
        return false;   // set aside while reading
    // Rows stored before the page count as older history too: the Store pages them in from here.
    const bool older = hasOlder || (!page.empty() && page.front().seq > firstStored);
    m_restoring = true;
    m_store.restoreWindow(topicId, std::move(page), older, hasNewer, lastRev);
    m_restoring = false;
    beginWrite();
    QSqlQuery opened(m_db);
    opened.prepare(QStringLiteral("UPDATE topics SET last_opened = ? WHERE topic_id = ?"));
    opened.addBindValue(QDateTime::currentMSecsSinceEpoch());
    opened.addBindValue(q(topicId));
    if (!opened.exec())
        failed(opened.lastQuery(), opened.lastError());
    return true;
}

bool LocalStore::restoreOlder(const std::string &topicId)
{
    const auto *tm = m_store.messages(topicId);
    if (!isOpen() || !tm || !tm->loaded || tm->messages.empty())
        return false;
    const std::int64_t front = tm->messages.front().seq;
    std::vector<Message> page;
    try {
        page = readMessages(topicId, front, m_pageSize);
    } catch (const std::exception &e) {
        qCWarning(lcApp, "the local store holds a message of topic %s this app cannot read (%s)", topicId.c_str(), e.what());
        return false;
    }
    if (page.empty() || page.back().seq != front - 1)
        return false;
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("SELECT has_older, (SELECT min(seq) FROM messages WHERE topic_id = ?) FROM topics WHERE topic_id = ?"));
    query.addBindValue(q(topicId));
    query.addBindValue(q(topicId));
    bool hasMore = true;
    if (query.exec() && query.next())
        hasMore = query.value(0).toBool() || query.value(1).toLongLong() < page.front().seq;
    query.finish();
    m_restoring = true;
    m_store.applyHistory(History{topicId, std::move(page), hasMore, false}, true);
    m_restoring = false;
    return true;
}

void LocalStore::updateBeforeWindow(const Message &message)
{
    if (!isOpen())
        return;
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("SELECT message FROM messages WHERE topic_id = ? AND seq = ?"));
    query.addBindValue(q(message.topicId));
    query.addBindValue(qint64(message.seq));
    if (!query.exec() || !query.next())
        return;
    try {
        if (decoded<Message>(query.value(0).toString()).rev > message.rev)
            return;
    } catch (const std::exception &) {
        // Unreadable: the newer copy replaces it.
    }
    query.finish();
    beginWrite();
    saveMessage(message);
    if (message.deleted || message.editedAt)
        refreshStoredQuotes(message);
    m_dirtyTopics.insert(q(message.topicId));   // its last_rev moved
}

void LocalStore::reactBeforeWindow(const QString &topicId, qint64 seq, const Store::ReactionChange &change)
{
    if (!isOpen())
        return;
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("SELECT message FROM messages WHERE topic_id = ? AND seq = ?"));
    query.addBindValue(topicId);
    query.addBindValue(seq);
    if (!query.exec() || !query.next())
        return;
    Message message;
    try {
        message = decoded<Message>(query.value(0).toString());
    } catch (const std::exception &) {
        return;
    }
    query.finish();
    if (message.rev >= change.rev)
        return;
    Store::applyReaction(message, change);
    beginWrite();
    saveMessage(message);
    m_dirtyTopics.insert(topicId);   // its last_rev moved
}

void LocalStore::refreshStoredQuotes(const Message &original)
{
    // The stored replies before the window quote it as the server now would (the Store does
    // the same for the ones it holds).
    const auto *tm = m_store.messages(original.topicId);
    const std::int64_t front = tm && !tm->messages.empty() ? tm->messages.front().seq : std::numeric_limits<std::int64_t>::max();
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("SELECT message FROM messages WHERE reply_to = ? AND topic_id = ? AND seq < ?"));
    query.addBindValue(q(original.id));
    query.addBindValue(q(original.topicId));
    query.addBindValue(qint64(front));
    if (!query.exec())
        return;
    std::vector<Message> replies;
    while (query.next()) {
        try {
            replies.push_back(decoded<Message>(query.value(0).toString()));
        } catch (const std::exception &) {
        }
    }
    query.finish();
    for (auto &reply : replies) {
        reply.replyTo->deleted = original.deleted;
        reply.replyTo->excerpt = original.deleted ? std::string()
                                                  : q(original.body).left(qsizetype(limits::kReplyExcerptChars)).toStdString();
        saveMessage(reply);
    }
}

qint64 LocalStore::usedBytes()
{
    if (!isOpen())
        return 0;
    QSqlQuery query(m_db);
    if (query.exec(QStringLiteral("SELECT (SELECT page_count FROM pragma_page_count()) - (SELECT freelist_count FROM pragma_freelist_count()),"
                                  " (SELECT page_size FROM pragma_page_size())"))
        && query.next())
        return query.value(0).toLongLong() * query.value(1).toLongLong();
    return 0;
}

void LocalStore::evictIfOverLimit()
{
    if (!isOpen() || usedBytes() <= m_sizeLimit)
        return;
    commit();
    const qint64 target = m_sizeLimit - m_sizeLimit / 10;
    const qint64 before = usedBytes();
    // The topics opened least lately first; of each, the older half of what the Store does
    // not hold, until the file is under the limit again.
    while (usedBytes() > target) {
        QSqlQuery topics(m_db);
        if (!topics.exec(QStringLiteral("SELECT t.topic_id, min(m.seq), count(*) FROM topics t JOIN messages m USING (topic_id)"
                                        " GROUP BY t.topic_id ORDER BY t.last_opened, t.topic_id")))
            return;
        bool evicted = false;
        while (topics.next() && !evicted) {
            const std::string topicId = topics.value(0).toString().toStdString();
            const std::int64_t first = topics.value(1).toLongLong();
            const std::int64_t count = topics.value(2).toLongLong();
            const auto *tm = m_store.messages(topicId);
            const std::int64_t held = tm && tm->loaded && !tm->messages.empty() ? tm->messages.front().seq
                                                                                : std::numeric_limits<std::int64_t>::max();
            const std::int64_t cut = std::min(first + std::max<std::int64_t>(count / 2, 1), held);
            if (cut <= first)
                continue;
            QSqlQuery remove(m_db);
            remove.prepare(QStringLiteral("DELETE FROM messages WHERE topic_id = ? AND seq < ?"));
            remove.addBindValue(q(topicId));
            remove.addBindValue(qint64(cut));
            QSqlQuery older(m_db);
            older.prepare(QStringLiteral("UPDATE topics SET has_older = 1 WHERE topic_id = ?"));
            older.addBindValue(q(topicId));
            evicted = remove.exec() && older.exec();
        }
        topics.finish();
        if (!evicted)
            break;
    }
    exec(QStringLiteral("PRAGMA incremental_vacuum"));
    qCInfo(lcApp, "the local store was over its limit of %lld bytes: the oldest history of the topics opened least lately "
                  "went (%lld bytes used before, %lld now)",
           static_cast<long long>(m_sizeLimit), static_cast<long long>(before), static_cast<long long>(usedBytes()));
}

std::vector<Message> LocalStore::storedMessages(const std::string &topicId)
{
    commit();
    return readMessages(topicId, std::numeric_limits<std::int64_t>::max(), std::numeric_limits<int>::max());
}

} // namespace chatterbox::app
