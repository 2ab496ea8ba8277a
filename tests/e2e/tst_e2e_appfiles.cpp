// SPDX-License-Identifier: GPL-3.0-or-later
// The app's core sending files through the real server: a message with files written while
// offline goes once the app is signed in (from the outbox's own copy, the person's original
// already gone), an upload cut by the server going away resumes where it stood once it is back
// (the same upload, not a new one), an app restarted mid-upload goes on from the server's word,
// and a file the server will not take fails the message with the server's reason. The files
// come down to other people's apps as they went up: to members only, never more than the message
// declared, kept on disk once fetched.

#include "appfixture.h"
#include "support/filebytes.h"

#include "app/core/filefetcher.h"
#include "app/core/filesender.h"

#include <QTemporaryDir>

using namespace chatterbox;
using namespace chatterbox::test;
using nlohmann::json;

namespace {

// A signed-in person's access token as the fetcher asks for it; `first` stands for one that has
// expired since, which the server refuses and a renewal replaces.
class PersonsTokens final : public TokenSource {
public:
    explicit PersonsTokens(QByteArray token, QByteArray first = {})
        : m_token(std::move(token)), m_current(first.isEmpty() ? m_token : std::move(first)) {}
    bool isSignedIn() const override { return true; }
    QByteArray currentAccessToken() const override { return m_current; }
    QUrl webSocketUrl() const override { return {}; }
    void refreshAccess(std::function<void(bool ok)> done) override
    {
        ++renewals;
        m_current = m_token;
        done(true);
    }
    int renewals = 0;

private:
    QByteArray m_token;
    QByteArray m_current;
};

struct Fetched {
    bool done = false;
    QString path;      // when fetched
    QString problem;   // when failed
    bool failed() const { return done && path.isEmpty(); }
};

Fetched fetchWith(FileFetcher &fetcher, const QString &fileId, FileFetcher::Kind kind, qint64 size)
{
    Fetched outcome;
    QObject context;
    QObject::connect(&fetcher, &FileFetcher::fetched, &context, [&](const QString &id, FileFetcher::Kind k, const QString &path) {
        if (id == fileId && k == kind)
            outcome = {true, path, {}};
    });
    QObject::connect(&fetcher, &FileFetcher::failed, &context, [&](const QString &id, FileFetcher::Kind k, const QString &problem) {
        if (id == fileId && k == kind)
            outcome = {true, {}, problem};
    });
    fetcher.fetch(fileId, kind, size);
    (void)QTest::qWaitFor([&] { return outcome.done; }, 30000);
    return outcome;
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
    std::string m_partyId;

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
        m_partyId = party.partyId;
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
        const QByteArray photo = randomFileBytes(9'500'000, 1);
        const QByteArray notes = randomFileBytes(1000, 2);
        // The files go up over HTTP meanwhile; the message waits for the connection.
        const QString id = m_alice->outbox.add(m_topicId, QStringLiteral("from the trip"), {},
                                               {fileOf(QStringLiteral("trip.jpg"), photo, QStringLiteral("image/jpeg")),
                                                fileOf(QStringLiteral("notes.txt"), notes, QStringLiteral("text/plain"))});
        QVERIFY(!id.isEmpty());
        // The person moves their files away: the outbox has its own copies.
        QVERIFY(QFile::remove(m_dir.filePath(QStringLiteral("trip.jpg"))));
        QVERIFY(QFile::remove(m_dir.filePath(QStringLiteral("notes.txt"))));

        qint64 lastProgress = 0, total = 0;
        QObject watching;   // ends the connection with this test, whose variables it writes
        connect(m_sender.get(), &FileSender::progress, &watching, [&](const QString &, qint64 sent, qint64 all) {
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
        const QByteArray video = randomFileBytes(11'000'000, 3);   // three pieces
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
        const QByteArray archive = randomFileBytes(10'000'000, 4);
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
        const QByteArray tooBig = randomFileBytes(12'000'001, 5);
        const QString id = m_alice->outbox.add(m_topicId, QStringLiteral("big one"), {}, {fileOf(QStringLiteral("big.bin"), tooBig)});
        QVERIFY(QTest::qWaitFor([&] { return m_alice->outbox.entry(id) && m_alice->outbox.entry(id)->failed; }, 10000));
        QVERIFY2(m_alice->outbox.entry(id)->error.contains(QStringLiteral("12000000")), qPrintable(m_alice->outbox.entry(id)->error));
        // Cancelled: gone, with its copy.
        m_alice->outbox.cancel(id);
        QVERIFY(QDir(m_dir.filePath(QStringLiteral("outbox-files"))).isEmpty());
    }

    void fetchedByMembersOnly_asDeclared_keptOnDisk()
    {
        const auto server = [this] { return m_harness.server().httpUrl(QString()); };
        const QByteArray shot = randomFileBytes(700'000, 6);
        const QByteArray preview = QByteArray("\x89PNG\r\n\x1a\n", 8) + randomFileBytes(3000, 7);   // what the server checks of it
        Outbox::Attachment attachment = fileOf(QStringLiteral("shot.png"), shot, QStringLiteral("image/png"));
        attachment.width = 1920;
        attachment.height = 1080;
        attachment.thumbnail = preview;
        attachment.thumbnailType = QStringLiteral("image/png");
        const QString id = m_alice->outbox.add(m_topicId, QStringLiteral("look"), {}, {attachment});
        const auto arrived = arrivedAtBob(id.toStdString());
        QVERIFY2(arrived, m_alice->outbox.entry(id) ? qPrintable(m_alice->outbox.entry(id)->error) : "sent, not seen");
        const json file = (*arrived)["message"]["files"][0];
        const QString fileId = QString::fromStdString(file["id"].get<std::string>());

        // Another member, whose app's access token has expired meanwhile: renewed once, then
        // the file and its preview come down whole.
        Person carol = m_harness.connect(QStringLiteral("carol"));
        QVERIFY(Harness::join(m_bob, m_partyId, carol));
        PersonsTokens carolTokens(carol.login.accessToken, "expired-token");
        const QString carolDir = m_dir.filePath(QStringLiteral("carol-files"));
        FileFetcher carolFiles(carolTokens, server, carolDir);
        const Fetched full = fetchWith(carolFiles, fileId, FileFetcher::Kind::Full, shot.size());
        QVERIFY2(!full.failed(), qPrintable(full.problem));
        QVERIFY(full.done);
        QVERIFY(contentsOf(full.path) == shot);
        QCOMPARE(carolTokens.renewals, 1);
        const Fetched thumbnail = fetchWith(carolFiles, fileId, FileFetcher::Kind::Thumbnail, 0);
        QVERIFY2(!thumbnail.failed(), qPrintable(thumbnail.problem));
        QVERIFY(contentsOf(thumbnail.path) == preview);
        // Asked again, as each row that shows it does: answered from disk at once.
        bool atOnce = false;
        QObject context;
        connect(&carolFiles, &FileFetcher::fetched, &context, [&] { atOnce = true; });
        carolFiles.fetch(fileId, FileFetcher::Kind::Full, shot.size());
        QVERIFY(atOnce);
        QCOMPARE(carolFiles.cachedPath(fileId, FileFetcher::Kind::Full), full.path);
        QCOMPARE(QDir(carolDir).entryList(QDir::Files).size(), 2);   // no piece left behind

        // A body longer than the message declared is cut off and nothing of it kept.
        const QString waryDir = m_dir.filePath(QStringLiteral("wary-files"));
        FileFetcher wary(carolTokens, server, waryDir);
        const Fetched tooMuch = fetchWith(wary, fileId, FileFetcher::Kind::Full, shot.size() - 1);
        QVERIFY(tooMuch.failed());
        QVERIFY2(tooMuch.problem.contains(QStringLiteral("more than")), qPrintable(tooMuch.problem));
        QVERIFY(QDir(waryDir).entryList(QDir::Files).isEmpty());
        // Ids that are not the server's become neither a request nor a path.
        for (const QString &hostile : {QStringLiteral("../../.bashrc"), QString(), fileId + QStringLiteral("/../x"),
                                       QStringLiteral("{") + fileId + QStringLiteral("}")}) {
            const Fetched refused = fetchWith(wary, hostile, FileFetcher::Kind::Full, 10);
            QVERIFY2(refused.failed(), qPrintable(hostile));
        }
        QVERIFY(QDir(waryDir).entryList(QDir::Files).isEmpty());

        // A stranger hears what a missing file would say, for the file and for its preview.
        Person dave = m_harness.connect(QStringLiteral("dave"));
        PersonsTokens daveTokens(dave.login.accessToken);
        FileFetcher daveFiles(daveTokens, server, m_dir.filePath(QStringLiteral("dave-files")));
        const Fetched missing = fetchWith(daveFiles, QUuid::createUuid().toString(QUuid::WithoutBraces), FileFetcher::Kind::Full, 10);
        QVERIFY(missing.failed());
        const Fetched stranger = fetchWith(daveFiles, fileId, FileFetcher::Kind::Full, shot.size());
        QVERIFY(stranger.failed());
        QCOMPARE(stranger.problem, missing.problem);
        QVERIFY(fetchWith(daveFiles, fileId, FileFetcher::Kind::Thumbnail, 0).failed());

        // Kicked, Carol fetches it no more.
        QVERIFY(isOk(m_bob->request("member.kick", {{"partyId", m_partyId}, {"userId", carol.login.userId}})));
        FileFetcher afterKick(carolTokens, server, m_dir.filePath(QStringLiteral("carol-kicked")));
        const Fetched kicked = fetchWith(afterKick, fileId, FileFetcher::Kind::Full, shot.size());
        QVERIFY(kicked.failed());
        QCOMPARE(kicked.problem, missing.problem);

        // Deleted with its message: even Bob, who can still see the topic, gets nothing.
        QVERIFY(isOk(m_bob->request("message.delete", {{"messageId", (*arrived)["message"]["id"]}})));
        PersonsTokens bobTokens(m_bob.login.accessToken);
        FileFetcher bobFiles(bobTokens, server, m_dir.filePath(QStringLiteral("bob-files")));
        const Fetched deleted = fetchWith(bobFiles, fileId, FileFetcher::Kind::Full, shot.size());
        QVERIFY(deleted.failed());
        QCOMPARE(deleted.problem, missing.problem);
    }
};

QTEST_GUILESS_MAIN(TestE2eAppFiles)
#include "tst_e2e_appfiles.moc"
