// SPDX-License-Identifier: GPL-3.0-or-later
// Two copies of the app's core (session, connection, store, outbox, models) in one process,
// talking through the real server: signing in through the browser flow, exchanging messages,
// losing the connection mid-stream, sending while offline, and restarting with a full outbox.

#include "appfixture.h"

#include <QAbstractItemModelTester>
#include <QTemporaryDir>

#include <set>

using namespace chatterbox;
using namespace chatterbox::test;
using nlohmann::json;

class TestE2eAppCore : public QObject {
    Q_OBJECT

    // Short-lived access tokens: the server closes every connection (4001) every few seconds,
    // which is the connection loss these tests are about.
    Harness m_harness{{QStringLiteral("--access-token-ttl"), QStringLiteral("10")}};
    QTemporaryDir m_dir;
    MemorySecretStore m_aliceSecrets, m_bobSecrets;
    std::unique_ptr<App> m_alice, m_bob;
    QString m_topicId;
    int m_sent = 0;

    QString outboxPath(const char *who) const { return m_dir.filePath(QString::fromLatin1(who) + QStringLiteral("-outbox.json")); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_harness.start());
        m_alice = std::make_unique<App>(QStringLiteral("alice"), m_aliceSecrets, outboxPath("alice"));
        m_bob = std::make_unique<App>(QStringLiteral("bob"), m_bobSecrets, outboxPath("bob"));
    }

    void signIn_throughTheBrowserFlow()
    {
        const QUrl base = m_harness.server().httpUrl(QString());
        QVERIFY(m_alice->signIn(base));
        QVERIFY(m_bob->signIn(base));
        QVERIFY(m_alice->connect());
        QVERIFY(m_bob->connect());
        QCOMPARE(QString::fromStdString(m_alice->store.me().displayName), QStringLiteral("alice"));
    }

    void twoApps_exchangeMessages()
    {
        const json party = m_alice->call("party.create", {{"name", "App test"}});
        const std::string partyId = party["party"]["id"];
        m_topicId = QString::fromStdString(party["party"]["topics"][0]["id"].get<std::string>());
        const json invite = m_alice->call("invite.create", {{"partyId", partyId}});
        QVERIFY(m_bob->call("invite.join", {{"code", invite["invite"]["code"]}}).contains("party"));
        QVERIFY(QTest::qWaitFor([&] { return m_bob->store.topic(m_topicId.toStdString()) != nullptr; }, 5000));

        QAbstractItemModelTester aliceTester(&m_alice->timeline, QAbstractItemModelTester::FailureReportingMode::QtTest);
        m_alice->timeline.setTopicId(m_topicId);
        m_bob->timeline.setTopicId(m_topicId);
        m_bob->outbox.add(m_topicId, QStringLiteral("hello from bob"));
        ++m_sent;
        // Shown at once, pending; then delivered on both sides, once.
        QCOMPARE(m_bob->timeline.rowCount(), 1);
        QVERIFY(QTest::qWaitFor([&] { return m_bob->outbox.entries().isEmpty(); }, 5000));
        QVERIFY(QTest::qWaitFor([&] { return contiguous(m_alice->delivered(), m_sent); }, 5000));
        QCOMPARE(m_alice->timeline.data(m_alice->timeline.index(0)).toString(), QStringLiteral("hello from bob"));
        // Bob's timeline loads its first page while his message goes out; it converges.
        QVERIFY(QTest::qWaitFor([&] { return contiguous(m_bob->delivered(), m_sent); }, 5000));
    }

    // message.get through the app's typed call and the real server: the message by its id for a
    // member, and the same refusal for an id that is not there.
    void getMessage_byId()
    {
        const QString id = m_alice->timeline.data(m_alice->timeline.index(0), TimelineModel::MessageIdRole).toString();
        const json got = m_alice->call("message.get", {{"messageId", id.toStdString()}});
        QVERIFY2(got.contains("message"), got.dump().c_str());
        QCOMPARE(got["message"]["body"].get<std::string>(), std::string("hello from bob"));
        QCOMPARE(got["message"]["seq"].get<int>(), 1);
        const json missing = m_alice->call("message.get", {{"messageId", "0b7e4a0c-1f9e-4d44-8c27-7d1f5b2a9c30"}});
        QCOMPARE(missing.value("error", std::string()), std::string("no such message"));
    }

    void connectionLostMidStream_nothingMissed()
    {
        // For ~25 s alice posts steadily; the server ends both connections at least twice on the
        // way (their tokens expire), and each app refreshes, reconnects and catches up.
        int reconnects = 0;
        QObject scope; // the counter below lives only as long as this test function
        connect(&m_bob->connection, &Connection::stateChanged, &scope, [&](Connection::State s) {
            reconnects += s == Connection::State::Connecting;
        });
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < 25000) {
            m_alice->outbox.add(m_topicId, QStringLiteral("stream %1").arg(m_sent));
            ++m_sent;
            QTest::qWait(150);
        }
        QVERIFY(QTest::qWaitFor([&] { return m_alice->outbox.entries().isEmpty(); }, 20000));
        QVERIFY2(QTest::qWaitFor([&] { return contiguous(m_bob->delivered(), m_sent); }, 20000),
                 qPrintable(QStringLiteral("bob has %1 of %2").arg(m_bob->delivered().size()).arg(m_sent)));
        QVERIFY(contiguous(m_alice->delivered(), m_sent));
        QVERIFY2(reconnects >= 2, qPrintable(QStringLiteral("only %1 reconnects").arg(reconnects)));
    }

    void sentWhileOffline_deliveredOnceAfterReconnect()
    {
        m_harness.server().stop();
        QVERIFY(QTest::qWaitFor([&] { return m_bob->connection.state() != Connection::State::Online; }, 5000));
        QVERIFY(!m_bob->connection.reason().isEmpty());
        m_bob->outbox.add(m_topicId, QStringLiteral("written on the train"));
        m_bob->outbox.add(m_topicId, QStringLiteral("still offline"));
        m_sent += 2;
        QCOMPARE(m_bob->outbox.pending().size(), 2);
        QVERIFY(m_harness.server().restart());
        QVERIFY(QTest::qWaitFor([&] { return m_bob->outbox.entries().isEmpty(); }, 40000));
        QVERIFY(QTest::qWaitFor([&] { return contiguous(m_alice->delivered(), m_sent); }, 20000));
        QVERIFY(contiguous(m_bob->delivered(), m_sent));
    }

    void appRestart_outboxAndSignInSurvive()
    {
        // Bob goes offline with something unsent, quits, and starts the app again.
        m_bob->connection.stop();
        m_bob->outbox.add(m_topicId, QStringLiteral("sent before quitting"));
        ++m_sent;
        m_bob.reset();
        m_bob = std::make_unique<App>(QStringLiteral("bob"), m_bobSecrets, outboxPath("bob"));
        QCOMPARE(m_bob->outbox.pending().size(), 1);
        m_bob->session.setServer(m_harness.server().httpUrl(QString()));
        QVERIFY(QTest::qWaitFor([&] { return !m_bob->session.server().tokenUrl.isEmpty(); }, 10000));
        m_bob->session.restore();   // the refresh token from the keychain, no browser
        QVERIFY(QTest::qWaitFor([&] { return m_bob->session.state() == Session::State::SignedIn; }, 10000));
        QVERIFY(m_bob->connect());
        QVERIFY(QTest::qWaitFor([&] { return m_bob->outbox.entries().isEmpty(); }, 10000));
        QVERIFY(QTest::qWaitFor([&] { return contiguous(m_alice->delivered(), m_sent); }, 10000));
        // The new timeline loads history and shows everything, once.
        m_bob->timeline.setTopicId(m_topicId);
        QVERIFY(QTest::qWaitFor([&] {
            while (m_bob->timeline.hasOlder())
                m_bob->timeline.loadOlder();
            return contiguous(m_bob->delivered(), m_sent);
        }, 10000));
    }

    void signOut_forgetsTheSecret()
    {
        m_alice->connection.stop();
        m_alice->session.signOut();
        QCOMPARE(m_alice->session.state(), Session::State::SignedOut);
        bool found = true;
        m_aliceSecrets.read(QStringLiteral("refresh-token:") + m_harness.server().httpUrl(QString()).toString(QUrl::FullyEncoded),
                            [&](const SecretStore::ReadResult &r) { found = r.status == SecretStore::Status::Ok; });
        QVERIFY(!found);
    }
};

QTEST_GUILESS_MAIN(TestE2eAppCore)
#include "tst_e2e_appcore.moc"
