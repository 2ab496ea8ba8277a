// SPDX-License-Identifier: GPL-3.0-or-later
// The app's core sending files through the real server: a message with files written while
// offline goes once the app is signed in (from the outbox's own copy, the person's original
// already gone), an upload cut by the server going away resumes where it stood once it is back
// (the same upload, not a new one), an app restarted mid-upload goes on from the server's word,
// and a file the server will not take fails the message with the server's reason.

#include "appfixture.h"

#include "app/core/filesender.h"

#include <QTemporaryDir>

#include <random>

using namespace chatterbox;
using namespace chatterbox::test;
using nlohmann::json;

namespace {

QByteArray randomBytes(qsizetype size, std::uint64_t seed)
{
    std::mt19937_64 random(seed);
    QByteArray bytes(size, Qt::Uninitialized);
    for (auto &b : bytes)
        b = static_cast<char>(random());
    return bytes;
}

} // namespace

class TestE2eAppFiles : public QObject {
    Q_OBJECT

    Harness m_harness{{QStringLiteral("--max-file-bytes"), QStringLiteral("12000000")}};
    QTemporaryDir m_dir;
    MemorySecretStore m_secrets;
    std::unique_ptr<App> m_alice;
    std::unique_ptr<FileSender> m_sender;
    Person m_bob;
    QString m_topicId;

    QString outboxPath() const { return m_dir.filePath(QStringLiteral("alice-outbox.json")); }

    void startAlice()
    {
        m_alice = std::make_unique<App>(QStringLiteral("alice"), m_secrets, outboxPath());
        m_sender = std::make_unique<FileSender>(m_alice->outbox, m_alice->route, [this] { return m_harness.server().httpUrl(QString()); });
    }

    // A file of the person's, on disk.
    Outbox::Attachment fileOf(const QString &name, const QByteArray &bytes, const QString &type = QStringLiteral("application/octet-stream"))
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
            qFatal("cannot write %s", qPrintable(path));
        Outbox::Attachment a;
        a.path = path;
        a.name = name;
        a.mediaType = type;
        a.size = bytes.size();
        return a;
    }

    // The message as Bob reads it in the topic's history, once it is there (within 30 s).
    std::optional<json> arrivedAtBob(const std::string &clientMsgId)
    {
        std::optional<json> found;
        (void)QTest::qWaitFor([&] {
            const json history = m_bob->request("message.history", {{"topicId", m_topicId.toStdString()}, {"limit", 10}});
            for (const auto &m : history["result"]["messages"]) {
                if (m["clientMsgId"] == clientMsgId)
                    found = json{{"message", m}};
            }
            if (!found)
                QTest::qWait(200);
            return found.has_value();
        }, 30000);
        return found;
    }

    QByteArray readAsBob(const std::string &fileId)
    {
        QNetworkAccessManager network;
        QNetworkRequest request(m_harness.server().httpUrl(QStringLiteral("/files/") + QString::fromStdString(fileId)));
        request.setRawHeader("Authorization", "Bearer " + m_bob.login.accessToken);
        QNetworkReply *reply = network.get(request);
        (void)QTest::qWaitFor([&] { return reply->isFinished(); }, 30000);
        const QByteArray bytes = reply->readAll();
        reply->deleteLater();
        return bytes;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_harness.start());
        m_bob = m_harness.connect(QStringLiteral("bob"));
        const auto party = Harness::createParty(m_bob, "Photos");
        m_topicId = QString::fromStdString(party.topicId);
        startAlice();
        QVERIFY(m_alice->signIn(m_harness.server().httpUrl(QString())));
        QVERIFY(m_alice->connect());
        const json invite = m_bob->request("invite.create", {{"partyId", party.partyId}});
        QVERIFY(m_alice->call("invite.join", {{"code", invite["result"]["invite"]["code"]}}).contains("party"));
        QVERIFY(QTest::qWaitFor([&] { return m_alice->store.topic(m_topicId.toStdString()) != nullptr; }, 5000));
    }

    void writtenWhileOffline_sentOnceOnline_fromItsOwnCopy()
    {
        m_alice->connection.stop();
        QVERIFY(QTest::qWaitFor([&] { return m_alice->connection.state() == Connection::State::Offline; }, 5000));
        const QByteArray photo = randomBytes(9'500'000, 1);
        const QByteArray notes = randomBytes(1000, 2);
        // The files go up over HTTP meanwhile; the message waits for the connection.
        const QString id = m_alice->outbox.add(m_topicId, QStringLiteral("from the trip"), {},
                                               {fileOf(QStringLiteral("trip.jpg"), photo, QStringLiteral("image/jpeg")),
                                                fileOf(QStringLiteral("notes.txt"), notes, QStringLiteral("text/plain"))});
        QVERIFY(!id.isEmpty());
        // The person moves their files away: the outbox has its own copies.
        QVERIFY(QFile::remove(m_dir.filePath(QStringLiteral("trip.jpg"))));
        QVERIFY(QFile::remove(m_dir.filePath(QStringLiteral("notes.txt"))));

        qint64 lastProgress = 0, total = 0;
        connect(m_sender.get(), &FileSender::progress, this, [&](const QString &, qint64 sent, qint64 all) {
            lastProgress = sent;
            total = all;
        });
        m_alice->connection.start();
        QVERIFY(m_alice->online());
        const auto arrived = arrivedAtBob(id.toStdString());
        QVERIFY(arrived);
        const json files = (*arrived)["message"]["files"];
        QCOMPARE(int(files.size()), 2);
        QCOMPARE(files[0]["name"].get<std::string>(), std::string("trip.jpg"));
        QCOMPARE(files[1]["name"].get<std::string>(), std::string("notes.txt"));
        QVERIFY(readAsBob(files[0]["id"]) == photo);
        QVERIFY(readAsBob(files[1]["id"]) == notes);
        QCOMPARE(total, qint64(photo.size() + notes.size()));
        QCOMPARE(lastProgress, total);
        // Sent: the outbox let go of it and of its copies.
        QVERIFY(QTest::qWaitFor([&] { return m_alice->outbox.entry(id) == nullptr; }, 5000));
        QVERIFY(QDir(m_dir.filePath(QStringLiteral("outbox-files"))).isEmpty());
    }

    void serverAwayMidUpload_resumesTheSameUpload()
    {
        const QByteArray video = randomBytes(11'000'000, 3);   // three pieces
        const QString id = m_alice->outbox.add(m_topicId, QString(), {}, {fileOf(QStringLiteral("clip.mp4"), video, QStringLiteral("video/mp4"))});
        // After its first piece, the server stops (as an operator's restart does).
        QVERIFY(QTest::qWaitFor([&] { return m_sender->progressOf(id).first >= 4 * 1024 * 1024; }, 30000));
        const QString declared = m_alice->outbox.entry(id)->attachments[0].fileId;
        QVERIFY(!declared.isEmpty());
        m_harness.server().stop();
        QTest::qWait(1500);
        QVERIFY(m_harness.server().restart());
        m_bob = m_harness.connect(QStringLiteral("bob"));
        const auto arrived = arrivedAtBob(id.toStdString());
        QVERIFY(arrived);
        const json file = (*arrived)["message"]["files"][0];
        QCOMPARE(QString::fromStdString(file["id"].get<std::string>()), declared);   // the same upload, resumed
        QVERIFY(readAsBob(file["id"]) == video);
    }

    void appRestartedMidUpload_goesOnFromTheServersWord()
    {
        const QByteArray archive = randomBytes(10'000'000, 4);
        const QString id = m_alice->outbox.add(m_topicId, QStringLiteral("the archive"), {},
                                               {fileOf(QStringLiteral("photos.zip"), archive, QStringLiteral("application/zip"))});
        QVERIFY(QTest::qWaitFor([&] { return m_sender->progressOf(id).first >= 4 * 1024 * 1024; }, 30000));
        const QString declared = m_alice->outbox.entry(id)->attachments[0].fileId;
        // The app quits mid-upload and starts again with its outbox.
        m_sender.reset();
        m_alice.reset();
        startAlice();
        QVERIFY(m_alice->outbox.entry(id));
        QCOMPARE(m_alice->outbox.entry(id)->attachments[0].fileId, declared);
        QVERIFY(m_alice->signIn(m_harness.server().httpUrl(QString())));
        m_sender->resumeAll();
        QVERIFY(m_alice->connect());
        const auto arrived = arrivedAtBob(id.toStdString());
        QVERIFY(arrived);
        QCOMPARE(QString::fromStdString((*arrived)["message"]["files"][0]["id"].get<std::string>()), declared);
        QVERIFY(readAsBob((*arrived)["message"]["files"][0]["id"]) == archive);
    }

    void refusedFile_failsTheMessageWithTheServersReason()
    {
        const QByteArray tooBig = randomBytes(12'000'001, 5);
        const QString id = m_alice->outbox.add(m_topicId, QStringLiteral("big one"), {}, {fileOf(QStringLiteral("big.bin"), tooBig)});
        QVERIFY(QTest::qWaitFor([&] { return m_alice->outbox.entry(id) && m_alice->outbox.entry(id)->failed; }, 10000));
        QVERIFY2(m_alice->outbox.entry(id)->error.contains(QStringLiteral("12000000")), qPrintable(m_alice->outbox.entry(id)->error));
        // Cancelled: gone, with its copy.
        m_alice->outbox.cancel(id);
        QVERIFY(QDir(m_dir.filePath(QStringLiteral("outbox-files"))).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestE2eAppFiles)
#include "tst_e2e_appfiles.moc"
