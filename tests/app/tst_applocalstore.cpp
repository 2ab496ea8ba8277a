// SPDX-License-Identifier: GPL-3.0-or-later
// The local store on a real SQLite file: what the app shows comes back after a restart; changes
// to messages kept only on disk are applied there; the file is its owner's; files of another
// format, damaged or cut short, are rebuilt without a crash; the size limit evicts the oldest
// history of the topics opened least lately.

#include "app/core/localstore.h"
#include "app/core/store.h"

#include <QFile>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace chatterbox;
using namespace chatterbox::app;
using namespace chatterbox::protocol;

namespace {

const std::string kMe = "00000000-0000-4000-8000-000000000001";
const std::string kAnn = "00000000-0000-4000-8000-000000000002";
const std::string kParty = "00000000-0000-4000-8000-00000000aaaa";
const std::string kTopic = "00000000-0000-4000-8000-00000000bbbb";
const std::string kOther = "00000000-0000-4000-8000-00000000cccc";

Message message(const std::string &topicId, std::int64_t seq)
{
    Message m;
    m.id = topicId.substr(0, 8) + "-m" + std::to_string(seq);
    m.topicId = topicId;
    m.partyId = kParty;
    m.seq = seq;
    m.rev = seq;
    m.authorId = seq % 2 ? kAnn : kMe;
    m.clientMsgId = "c-" + std::to_string(seq);
    m.body = "message " + std::to_string(seq) + " <b>&amp;</b> \u202e";
    m.createdAt = 1795800000000 + seq * 1000;
    return m;
}

Ready ready(std::int64_t lastSeq, const std::string &me = kMe)
{
    Ready r;
    r.protocol = 1;
    r.me = {me, "Me <script>", {}, {}};
    Party p;
    p.id = kParty;
    p.name = "Book Club";
    p.ownerId = me;
    p.topics = {{kTopic, kParty, "general", 0, lastSeq, lastSeq}, {kOther, kParty, "random", 1, lastSeq, lastSeq}};
    Member mine;
    mine.userId = me;
    mine.displayName = "Me";
    Member ann;
    ann.userId = kAnn;
    ann.displayName = "Ann";
    p.members = {mine, ann};
    r.parties = {p};
    r.readStates = {{kTopic, lastSeq - 2, 2, 1}, {kOther, lastSeq, 0, 0}};
    r.blockedUserIds = {"00000000-0000-4000-8000-0000000000ff"};
    return r;
}

History history(const std::string &topicId, std::int64_t from, std::int64_t to)
{
    History h;
    h.topicId = topicId;
    for (std::int64_t s = from; s <= to; ++s)
        h.messages.push_back(message(topicId, s));
    h.hasMore = from > 1;
    return h;
}

std::vector<std::int64_t> seqs(const std::vector<Message> &messages)
{
    std::vector<std::int64_t> out;
    for (const auto &m : messages)
        out.push_back(m.seq);
    return out;
}

std::vector<std::int64_t> range(std::int64_t from, std::int64_t to)
{
    std::vector<std::int64_t> out;
    for (std::int64_t s = from; s <= to; ++s)
        out.push_back(s);
    return out;
}

// A file with a topic of `count` messages written through a Store, as the app writes it.
void writeStore(const QString &path, std::int64_t count)
{
    Store store;
    LocalStore local(store);
    QVERIFY(!local.open(path));   // nothing to show yet
    store.applyReady(ready(count));
    store.applyHistory(history(kTopic, 1, count), true);
    store.applyHistory(history(kOther, 1, 3), true);
    local.flush();
}

} // namespace

class TestAppLocalStore : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void restart_showsSnapshotAndNewestPage_thenPagesTheRest()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("store.sqlite"));
        writeStore(path, 500);

        Store store;
        LocalStore local(store);
        QVERIFY(local.open(path));
        QCOMPARE(store.me().id, kMe);
        QCOMPARE(store.me().displayName, std::string("Me <script>"));
        QCOMPARE(store.parties().size(), std::size_t(1));
        QCOMPARE(store.parties()[0].members.size(), std::size_t(2));
        QCOMPARE(store.readState(kTopic).unread, std::int64_t(2));
        QCOMPARE(store.readState(kTopic).lastReadSeq, std::int64_t(498));
        QVERIFY(store.isBlocked("00000000-0000-4000-8000-0000000000ff"));
        QVERIFY(!store.messages(kTopic));   // nothing loaded until the topic is opened

        QVERIFY(local.restoreTopic(kTopic));
        const auto *tm = store.messages(kTopic);
        QVERIFY(tm && tm->loaded);
        QCOMPARE(seqs(tm->messages), range(301, 500));
        QVERIFY(tm->hasOlder);
        QCOMPARE(tm->lastRev, std::int64_t(500));
        QCOMPARE(tm->messages.back().body, message(kTopic, 500).body);
        QVERIFY(local.restoreOlder(kTopic));
        QCOMPARE(seqs(tm->messages), range(101, 500));
        QVERIFY(local.restoreOlder(kTopic));
        QVERIFY(!local.restoreOlder(kTopic));
        QCOMPARE(seqs(tm->messages), range(1, 500));
        QVERIFY(!tm->hasOlder);
        QVERIFY(!local.restoreTopic("00000000-0000-4000-8000-00000000dddd"));
        // Read back, nothing was written again: the file has each message once.
        QCOMPARE(local.storedMessages(kTopic).size(), std::size_t(500));
    }

    void fileIsTheOwnersOnly_andSignOutDeletesIt()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("stores/store.sqlite"));
        Store store;
        LocalStore local(store);
        local.open(path);
        store.applyReady(ready(3));
        store.applyHistory(history(kTopic, 1, 3), true);
        local.flush();
        const auto ownerOnly = QFile::ReadOwner | QFile::WriteOwner;
        for (const QString &file : {path, path + QStringLiteral("-wal")}) {
            QVERIFY2(QFile::exists(file), qPrintable(file));
            const auto others = QFile::permissions(file) & ~(ownerOnly | QFile::ReadUser | QFile::WriteUser);
            QVERIFY2(others == 0, qPrintable(file));
        }
        const auto dirPermissions = QFile::permissions(QFileInfo(path).absolutePath());
        QVERIFY(!(dirPermissions & (QFile::ReadGroup | QFile::ReadOther | QFile::ExeOther | QFile::ExeGroup)));
        local.erase();
        for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
            QVERIFY(!QFile::exists(path + suffix));
        QVERIFY(!local.isOpen());
    }

    void changesToMessagesKeptOnlyOnDisk_areAppliedThere()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("store.sqlite"));
        {
            Store store;
            LocalStore local(store);
            local.open(path);
            store.applyReady(ready(300));
            History h = history(kTopic, 1, 300);
            // A reply far up, to a message further up.
            h.messages[29].replyTo = ReplyPreview{h.messages[9].id, 10, kAnn, "message 10", false};
            store.applyHistory(h, true);
            local.flush();
        }
        Store store;
        LocalStore local(store);
        local.setPageSize(50);
        QVERIFY(local.open(path));
        QVERIFY(local.restoreTopic(kTopic));
        QCOMPARE(store.messages(kTopic)->messages.front().seq, std::int64_t(251));

        Message edited = message(kTopic, 10);
        edited.body = "changed far up";
        edited.editedAt = 1795900000000;
        edited.rev = 301;
        store.applyEvent(MessageUpdated{edited});
        Message deleted = message(kTopic, 20);
        deleted.deleted = true;
        deleted.body.clear();
        deleted.rev = 302;
        store.applyEvent(MessageDeleted{deleted});
        store.applyEvent(ReactionAdded{kParty, kTopic, message(kTopic, 40).id, 40, 303, "👍", kAnn});
        store.applyEvent(ReactionAdded{kParty, kTopic, message(kTopic, 40).id, 40, 304, "👍", kMe});
        store.applyEvent(ReactionRemoved{kParty, kTopic, message(kTopic, 40).id, 40, 305, "👍", kAnn});
        // An older copy (read before the edit) does not undo it.
        store.applyEvent(MessageUpdated{message(kTopic, 10)});

        const auto stored = local.storedMessages(kTopic);
        QCOMPARE(stored.size(), std::size_t(300));
        QCOMPARE(stored[9].body, std::string("changed far up"));
        QVERIFY(stored[9].editedAt);
        QVERIFY(stored[19].deleted);
        QCOMPARE(stored[39].reactions.size(), std::size_t(1));
        QCOMPARE(stored[39].reactions[0].userIds, std::vector<std::string>{kMe});
        QCOMPARE(stored[39].rev, std::int64_t(305));
        QVERIFY(stored[29].replyTo);
        QCOMPARE(stored[29].replyTo->excerpt, std::string("changed far up"));
        // And the topic's position moved with them, for message.sync.
        QCOMPARE(store.syncPositions().front().afterRev, std::optional<std::int64_t>(305));
        local.close();
        Store again;
        LocalStore reopened(again);
        reopened.open(path);
        reopened.restoreTopic(kTopic);
        QCOMPARE(again.messages(kTopic)->lastRev, std::int64_t(305));
    }

    void topicsThatAreGone_takeTheirMessagesAlong()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("store.sqlite"));
        writeStore(path, 20);
        Store store;
        LocalStore local(store);
        QVERIFY(local.open(path));
        store.applyEvent(TopicDeleted{kParty, kOther});
        local.flush();
        QVERIFY(local.storedMessages(kOther).empty());
        QCOMPARE(local.storedMessages(kTopic).size(), std::size_t(20));
        // The snapshot's party lost the topic too.
        local.close();
        Store again;
        LocalStore reopened(again);
        QVERIFY(reopened.open(path));
        QVERIFY(!again.topic(kOther));
        QVERIFY(again.topic(kTopic));
    }

    void anotherPersonOnTheSameServer_startsEmpty()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("store.sqlite"));
        writeStore(path, 20);
        Store store;
        LocalStore local(store);
        QVERIFY(local.open(path));
        store.applyReady(ready(20, kAnn));   // someone else's ready
        local.flush();
        QVERIFY(local.storedMessages(kTopic).empty());
    }

    void fileOfAnotherFormat_isRebuilt_data()
    {
        QTest::addColumn<int>("version");
        QTest::newRow("older, no step known") << 0;
        QTest::newRow("newer") << LocalStore::kSchemaVersion + 5;
    }
    void fileOfAnotherFormat_isRebuilt()
    {
        QFETCH(int, version);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("store.sqlite"));
        {
            auto db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("other-format"));
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("CREATE TABLE messages (id INTEGER, text BLOB)")));
            QVERIFY(q.exec(QStringLiteral("INSERT INTO messages VALUES (1, 'written by some other version')")));
            QVERIFY(q.exec(QStringLiteral("PRAGMA user_version = %1").arg(version)));
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("other-format"));
        Store store;
        LocalStore local(store);
        QVERIFY(!local.open(path));   // nothing shown from it
        QVERIFY(local.isOpen());
        store.applyReady(ready(3));
        store.applyHistory(history(kTopic, 1, 3), true);
        QCOMPARE(local.storedMessages(kTopic).size(), std::size_t(3));
    }

    void damagedOrCutShortFile_isSetAsideAndRebuilt_data()
    {
        QTest::addColumn<QString>("damage");
        QTest::newRow("not a database") << QStringLiteral("garbage");
        QTest::newRow("cut short") << QStringLiteral("truncate");
        QTest::newRow("pages overwritten") << QStringLiteral("scribble");
        QTest::newRow("empty") << QStringLiteral("empty");
    }
    void damagedOrCutShortFile_isSetAsideAndRebuilt()
    {
        QFETCH(QString, damage);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("store.sqlite"));
        writeStore(path, 3000);
        {
            // Fold the journal in, so that the damage is to the file itself.
            auto db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("checkpoint"));
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery(db).exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"));
            QSqlQuery(db).exec(QStringLiteral("PRAGMA journal_mode = DELETE"));
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("checkpoint"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadWrite));
        const qint64 size = file.size();
        if (damage == QLatin1String("garbage")) {
            file.resize(0);
            file.write(QByteArray(8192, 'x'));
        } else if (damage == QLatin1String("truncate")) {
            file.resize(size / 3);
        } else if (damage == QLatin1String("scribble")) {
            for (qint64 at = 4096; at < size; at += 4096 * 3) {
                file.seek(at);
                file.write(QByteArray(600, '\xa5'));
            }
        } else {
            file.resize(0);
        }
        file.close();

        Store store;
        LocalStore local(store);
        // Whatever it could read first, reading all of it must not crash, and from the first
        // failure on it is a new file.
        local.open(path);
        local.restoreTopic(kTopic);
        while (local.restoreOlder(kTopic)) {
        }
        QVERIFY(local.isOpen());
        if (damage != QLatin1String("empty"))
            QVERIFY2(QFile::exists(path + QStringLiteral(".damaged")), "a damaged file is set aside");
        store.applyReady(ready(3));
        store.applyHistory(history(kOther, 1, 3), true);
        QCOMPARE(local.storedMessages(kOther).size(), std::size_t(3));
        local.close();
        Store again;
        LocalStore reopened(again);
        QVERIFY(reopened.open(path));
        QVERIFY(again.topic(kOther));
    }

    void overTheLimit_oldestHistoryOfTopicsOpenedLeastLatelyGoesFirst()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("store.sqlite"));
        {
            Store store;
            LocalStore local(store);
            local.open(path);
            store.applyReady(ready(2000));
            store.applyHistory(history(kOther, 1, 2000), true);   // opened first, so least lately
            QTest::qWait(5);
            store.applyHistory(history(kTopic, 1, 2000), true);
            local.flush();
        }
        Store store;
        LocalStore local(store);
        const auto full = [&] {
            Store s;
            LocalStore l(s);
            l.open(path);
            return l.usedBytes();
        }();
        QVERIFY(full > 0);
        local.setSizeLimit(full * 3 / 4);
        QVERIFY(local.open(path));
        QVERIFY(local.usedBytes() <= local.sizeLimit());
        const auto other = local.storedMessages(kOther);
        const auto general = local.storedMessages(kTopic);
        QVERIFY2(other.size() < 2000, "the topic opened least lately gave up history");
        QCOMPARE(general.size(), std::size_t(2000));
        QVERIFY(!other.empty());
        QCOMPARE(other.back().seq, std::int64_t(2000));   // its newest stays
        QCOMPARE(seqs(other), range(other.front().seq, 2000));
        // What went is older history, fetched from the server as before.
        QVERIFY(local.restoreTopic(kOther));
        while (local.restoreOlder(kOther)) {
        }
        QCOMPARE(store.messages(kOther)->messages.front().seq, other.front().seq);
        QVERIFY(store.messages(kOther)->hasOlder);
        QVERIFY(QFileInfo(path).size() <= full + 65536);
    }
};

QTEST_GUILESS_MAIN(TestAppLocalStore)
#include "tst_applocalstore.moc"
