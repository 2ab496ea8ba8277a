// SPDX-License-Identifier: GPL-3.0-or-later
// The files table and the bytes in the database (server/files): uploads in pieces, the same bytes
// stored once also when two uploads of them finish at the same moment, the quota held against
// uploads begun at once, who may read a file when, and the sweep that drops what nothing names.

#include "dbfixture.h"

#include "server/files/filestore.h"

#include <QTest>

#include <random>
#include <thread>

using namespace chatterbox;
using namespace chatterbox::server;
using namespace chatterbox::protocol;

namespace {

std::string randomBytes(std::size_t size, std::uint64_t seed)
{
    std::mt19937_64 random(seed);
    std::string bytes(size, '\0');
    for (auto &b : bytes)
        b = static_cast<char>(random());
    return bytes;
}

files::NewFile declared(std::int64_t size, std::string name = "photo.png", std::string type = "image/png")
{
    files::NewFile file;
    file.name = std::move(name);
    file.mediaType = std::move(type);
    file.size = size;
    return file;
}

} // namespace

class TestFileStore : public QObject {
    Q_OBJECT

    test::TestDatabase m_db;
    std::unique_ptr<files::BlobStore> m_blobs = files::makeDatabaseBlobStore();
    files::FileStore m_files{*m_blobs, files::FileLimits{10'000'000, 30'000'000}};
    std::string m_alice, m_bob, m_mallory;

    // Begins and sends every piece, each in its own committed transaction; the file's id.
    std::string upload(const std::string &user, const std::string &bytes, std::size_t piece = 1'000'000)
    {
        pqxx::connection c(m_db.url());
        std::string id;
        {
            pqxx::work tx(c);
            const auto begun = m_files.begin(tx, user, declared(static_cast<std::int64_t>(bytes.size())));
            if (!begun)
                qFatal("begin: %s", begun.refusal.message.c_str());
            id = begun.value->fileId;
            tx.commit();
        }
        for (std::size_t at = 0; at < bytes.size(); at += piece) {
            pqxx::work tx(c);
            const auto sent = m_files.append(tx, user, id, static_cast<std::int64_t>(at), std::string_view(bytes).substr(at, piece));
            if (!sent)
                qFatal("append: %s", sent.refusal.message.c_str());
            tx.commit();
        }
        return id;
    }

    std::optional<std::string> readAll(const std::string &user, const std::string &fileId)
    {
        pqxx::connection c(m_db.url());
        pqxx::work tx(c);
        const auto file = m_files.readable(tx, user, fileId);
        if (!file)
            return std::nullopt;
        return m_files.read(tx, *file, 0, file->size);
    }

    long long scalar(const std::string &sql)
    {
        pqxx::connection c(m_db.url());
        pqxx::work tx(c);
        return tx.exec1(sql)[0].as<long long>();
    }

    void sweep()
    {
        pqxx::connection c(m_db.url());
        pqxx::work tx(c);
        m_files.sweep(tx);
        tx.commit();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_db.isValid(), qPrintable(m_db.error()));
        QVERIFY2(m_db.migrate(), qPrintable(m_db.error()));
        m_alice = test::createUser(m_db.url(), "Alice");
        m_bob = test::createUser(m_db.url(), "Bob");
        m_mallory = test::createUser(m_db.url(), "Mallory");
    }

    void cleanup()
    {
        pqxx::connection c(m_db.url());
        pqxx::work tx(c);
        tx.exec0("DELETE FROM files");
        tx.exec0("DELETE FROM file_blobs");
        tx.commit();
    }

    void pieces_readBackWholeAndInRanges()
    {
        const std::string bytes = randomBytes(2'500'001, 1);
        const std::string id = upload(m_alice, bytes, 700'000);
        QVERIFY(readAll(m_alice, id) == bytes);
        pqxx::connection c(m_db.url());
        pqxx::work tx(c);
        const auto file = m_files.readable(tx, m_alice, id);
        QVERIFY(file);
        // Ranges inside a piece, across pieces, and at the end.
        QCOMPARE(m_files.read(tx, *file, 10, 20), bytes.substr(10, 10));
        QCOMPARE(m_files.read(tx, *file, 699'990, 1'400'010), bytes.substr(699'990, 700'020));
        QCOMPARE(m_files.read(tx, *file, 2'500'000, 2'500'001), bytes.substr(2'500'000));
        QCOMPARE(scalar("SELECT count(*) FROM file_chunks"), 4LL);
    }

    void wrongOffsetOrTooMuch_changesNothing()
    {
        pqxx::connection c(m_db.url());
        std::string id;
        {
            pqxx::work tx(c);
            id = m_files.begin(tx, m_alice, declared(100)).value->fileId;
            tx.commit();
        }
        pqxx::work tx(c);
        const auto ahead = m_files.append(tx, m_alice, id, 50, std::string(10, 'x'));
        QVERIFY(!ahead);
        QCOMPARE(ahead.refusal.code, std::string("wrong_offset"));
        QCOMPARE(ahead.refusal.offset, 0LL);
        const auto past = m_files.append(tx, m_alice, id, 0, std::string(101, 'x'));
        QVERIFY(!past);
        QCOMPARE(past.refusal.code, std::string("invalid_request"));
        // Someone else's upload is no upload of theirs.
        const auto theirs = m_files.append(tx, m_mallory, id, 0, std::string(10, 'x'));
        QCOMPARE(theirs.refusal.code, std::string("not_found"));
        QVERIFY(!m_files.status(tx, m_mallory, id));
        QCOMPARE(m_files.status(tx, m_alice, id)->received, 0LL);
    }

    void sameBytesTwice_storedOnce_evenWhenSealedAtOnce()
    {
        // Two people upload the same bytes and their last pieces commit at the same moment,
        // twenty times: each time one blob holds them and both files read them.
        for (int round = 0; round < 20; ++round) {
            const std::string bytes = randomBytes(300'000, 100 + static_cast<std::uint64_t>(round));
            std::string ids[2];
            pqxx::connection c(m_db.url());
            for (int i = 0; i < 2; ++i) {
                pqxx::work tx(c);
                ids[i] = m_files.begin(tx, i ? m_bob : m_alice, declared(300'000)).value->fileId;
                QVERIFY(m_files.append(tx, i ? m_bob : m_alice, ids[i], 0, std::string_view(bytes).substr(0, 200'000)));
                tx.commit();
            }
            std::atomic<int> ready{0};
            std::atomic<int> sealed{0};
            std::vector<std::thread> threads;
            for (int i = 0; i < 2; ++i) {
                threads.emplace_back([&, i] {
                    pqxx::connection own(m_db.url());
                    pqxx::work tx(own);
                    ++ready;
                    while (ready < 2) {}
                    if (m_files.append(tx, i ? m_bob : m_alice, ids[i], 200'000, std::string_view(bytes).substr(200'000)))
                        ++sealed;
                    tx.commit();
                });
            }
            for (auto &t : threads)
                t.join();
            QCOMPARE(sealed.load(), 2);
            QCOMPARE(scalar("SELECT count(*) FROM file_blobs WHERE size = 300000"), 1LL);
            QVERIFY(readAll(m_alice, ids[0]) == bytes);
            QVERIFY(readAll(m_bob, ids[1]) == bytes);
            cleanup();
        }
    }

    void quota_heldAgainstUploadsBegunAtOnce()
    {
        // 30 MB each; eight uploads of 9 MB begun at once, ten rounds: three fit, every time.
        for (int round = 0; round < 10; ++round) {
            std::atomic<int> ready{0};
            std::atomic<int> begun{0};
            std::atomic<int> overQuota{0};
            std::vector<std::thread> threads;
            for (int i = 0; i < 8; ++i) {
                threads.emplace_back([&] {
                    pqxx::connection own(m_db.url());
                    pqxx::work tx(own);
                    ++ready;
                    while (ready < 8) {}
                    const auto result = m_files.begin(tx, m_alice, declared(9'000'000));
                    if (result)
                        ++begun;
                    else if (result.refusal.code == "quota_exceeded")
                        ++overQuota;
                    tx.commit();
                });
            }
            for (auto &t : threads)
                t.join();
            QCOMPARE(begun.load(), 3);
            QCOMPARE(overQuota.load(), 5);
            cleanup();
        }
        // And a file over the size limit is refused as such.
        pqxx::connection c(m_db.url());
        pqxx::work tx(c);
        QCOMPARE(m_files.begin(tx, m_alice, declared(10'000'001)).refusal.code, std::string("file_too_large"));
    }

    void readable_byUploaderThenPartyWhileNotDeleted()
    {
        pqxx::connection c(m_db.url());
        const auto [partyId, topicId] = test::makeParty(c, m_alice, {m_bob});
        const std::string bytes = randomBytes(1000, 7);
        const std::string id = upload(m_alice, bytes);
        // Not sent: its uploader's alone.
        QVERIFY(readAll(m_alice, id));
        QVERIFY(!readAll(m_bob, id));
        // Sent: the party's members, nobody else.
        SendMessage send{topicId, test::newUuid(), "the photo"};
        send.files = {id};
        const auto sent = test::run(c, handlers::sendMessage, m_alice, send);
        QVERIFY(sent.ok());
        const auto message = sent.resultJson()["message"].get<Message>();
        QCOMPARE(message.files.size(), std::size_t(1));
        QCOMPARE(message.files[0].name, std::string("photo.png"));
        QCOMPARE(message.files[0].size, 1000LL);
        QVERIFY(readAll(m_bob, id) == bytes);
        QVERIFY(!readAll(m_mallory, id));
        // Sent once: not again, not by someone else, not in a second message.
        SendMessage again{topicId, test::newUuid(), "again"};
        again.files = {id};
        QCOMPARE(test::errorCode(test::run(c, handlers::sendMessage, m_alice, again)), std::string("not_found"));
        QCOMPARE(test::errorCode(test::run(c, handlers::sendMessage, m_bob, again)), std::string("not_found"));
        // A retry of the same send is the same message, with its file.
        const auto retried = test::run(c, handlers::sendMessage, m_alice, send);
        QVERIFY(retried.ok());
        QCOMPARE(retried.resultJson()["message"]["id"].get<std::string>(), message.id);
        QCOMPARE(retried.resultJson()["message"]["files"][0]["id"].get<std::string>(), id);
        // Deleted: nobody, and the sweep drops the bytes.
        QVERIFY(test::run(c, handlers::deleteMessage, m_alice, DeleteMessage{message.id}).ok());
        QVERIFY(!readAll(m_alice, id));
        QVERIFY(!readAll(m_bob, id));
        QCOMPARE(scalar("SELECT count(*) FROM file_blobs"), 1LL);
        sweep();
        QCOMPARE(scalar("SELECT count(*) FROM file_blobs"), 0LL);
        QCOMPARE(scalar("SELECT count(*) FROM file_chunks"), 0LL);
        // And the change log keeps no name of it.
        QCOMPARE(scalar("SELECT count(*) FROM events WHERE payload::text LIKE '%photo.png%'"), 0LL);
    }

    void sweep_dropsUploadsNeverSent_keepsTheRest()
    {
        const std::string old = upload(m_alice, randomBytes(5000, 8));
        const std::string recent = upload(m_alice, randomBytes(5000, 9));
        {
            pqxx::connection c(m_db.url());
            pqxx::work tx(c);
            tx.exec_params0("UPDATE files SET created_at = now() - interval '25 hours' WHERE id = $1", old);
            tx.commit();
        }
        sweep();
        QVERIFY(!readAll(m_alice, old));
        QVERIFY(readAll(m_alice, recent));
        QCOMPARE(scalar("SELECT count(*) FROM file_blobs"), 1LL);
    }

    void picture_keptBySweep_readByThoseWhoShareAParty()
    {
        pqxx::connection c(m_db.url());
        const auto party = test::makeParty(c, m_alice, {m_bob});
        QVERIFY(!party.first.empty());
        const auto squarePicture = [&](std::uint64_t seed) {
            const std::string id = upload(m_alice, randomBytes(4000, seed));
            pqxx::work tx(c);
            tx.exec_params0("UPDATE files SET width = 256, height = 256, created_at = now() - interval '25 hours' WHERE id = $1", id);
            tx.commit();
            return id;
        };
        const std::string first = squarePicture(20);
        UpdateProfile set;
        set.avatarFileId = first;
        const auto answered = test::run(c, handlers::updateProfile, m_alice, set);
        QVERIFY(answered.ok());
        QCOMPARE(answered.resultJson()["user"]["avatarFileId"].get<std::string>(), first);
        // Older than an unsent upload is kept, and kept: it is a picture.
        sweep();
        QVERIFY(readAll(m_alice, first));
        QVERIFY(readAll(m_bob, first));
        QVERIFY(!readAll(m_mallory, first));
        // Replaced: the old one is an unsent upload again, and as old as it is, swept.
        const std::string second = squarePicture(21);
        set.avatarFileId = second;
        QVERIFY(test::run(c, handlers::updateProfile, m_alice, set).ok());
        sweep();
        QVERIFY(!readAll(m_alice, first));
        QVERIFY(readAll(m_bob, second));
        // Removed: the same.
        set.avatarFileId = std::string();
        QVERIFY(test::run(c, handlers::updateProfile, m_alice, set).ok());
        sweep();
        QVERIFY(!readAll(m_alice, second));
        QCOMPARE(scalar("SELECT count(*) FROM users WHERE avatar_file_id IS NOT NULL"), 0LL);
    }

    void zeroBytes_completeAtOnce()
    {
        pqxx::connection c(m_db.url());
        pqxx::work tx(c);
        const auto begun = m_files.begin(tx, m_alice, declared(0, "empty.txt", "text/plain"));
        QVERIFY(begun);
        QVERIFY(begun.value->complete());
        tx.commit();
        QVERIFY(readAll(m_alice, begun.value->fileId) == std::string());
    }
};

QTEST_GUILESS_MAIN(TestFileStore)
#include "tst_filestore.moc"
