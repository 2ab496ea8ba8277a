// SPDX-License-Identifier: GPL-3.0-or-later
// The app's core behind a network that goes away: a proxy between it and the real server cuts
// every byte both ways, closes included, as a partition does. The app must notice by itself
// (nothing tells it), keep what the person writes, and once the network heals be back and caught
// up within 45 s, with every message once, in order.

#include "appfixture.h"
#include "faultaccounting.h"
#include "partitionproxy.h"

#include <QTemporaryDir>
#include <QUuid>

#include <set>

using namespace chatterbox;
using namespace chatterbox::test;

class TestFaultPartition : public QObject {
    Q_OBJECT

    Harness m_harness;
    QTemporaryDir m_dir;
    MemorySecretStore m_secrets;
    std::unique_ptr<PartitionProxy> m_proxy;
    std::unique_ptr<App> m_alice;
    Person m_bob;
    std::string m_topicId;
    std::set<std::string> m_bobAcked;
    int m_sent = 0;

    bool bobSends(const char *text)
    {
        const std::string id = QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString();
        const json reply = m_bob->request("message.send", {{"topicId", m_topicId}, {"clientMsgId", id}, {"body", text}});
        if (!isOk(reply))
            return false;
        m_bobAcked.insert(id);
        ++m_sent;
        return true;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_harness.start());
        m_proxy = std::make_unique<PartitionProxy>(static_cast<quint16>(m_harness.server().webSocketUrl().port()));
        QVERIFY(m_proxy->isListening());
        m_alice = std::make_unique<App>(QStringLiteral("alice"), m_secrets, m_dir.filePath(QStringLiteral("outbox.json")));
        QUrl throughProxy = m_harness.server().webSocketUrl();
        throughProxy.setPort(m_proxy->port());
        m_alice->route.webSocketAddress = throughProxy;
        QVERIFY(m_alice->signIn(m_harness.server().httpUrl(QString())));
        QVERIFY(m_alice->connect());
        QCOMPARE(m_proxy->connectionsMade(), 1);

        const json party = m_alice->call("party.create", {{"name", "Partition"}});
        m_topicId = party["party"]["topics"][0]["id"].get<std::string>();
        const json invite = m_alice->call("invite.create", {{"partyId", party["party"]["id"]}});
        m_bob = m_harness.connect(QStringLiteral("bob"));
        QVERIFY(isOk(m_bob->request("invite.join", {{"code", invite["invite"]["code"]}})));
        // The reply to party.create can come before its event: open the topic once the app has
        // it, as the window does (a topic the store does not know is never loaded).
        QVERIFY(QTest::qWaitFor([&] { return m_alice->store.topic(m_topicId) != nullptr; }, 5000));
        m_alice->timeline.setTopicId(QString::fromStdString(m_topicId));
        // And loaded, as opening it does: Bob's first sends may come before the timeline shows
        // the topic, and the store keeps the messages of loaded topics only.
        m_alice->connection.loadLatest(QString::fromStdString(m_topicId));
        for (int i = 0; i < 5; ++i)
            QVERIFY(bobSends("before"));
        QVERIFY(QTest::qWaitFor([&] { return contiguous(m_alice->delivered(), m_sent); }, 10000));
    }

    void partition_noticedThenCaughtUpAfterHealing()
    {
        m_proxy->cut();
        // Bob goes on talking, alice writes into the void; nothing tells her app the network is
        // gone, so it must find out from the silence (its pings go unanswered).
        QElapsedTimer cut;
        cut.start();
        int written = 0;
        while (cut.elapsed() < 50000) {
            QVERIFY(bobSends("during"));
            if (cut.elapsed() > 10000 * (written + 1) && written < 3) {
                m_alice->outbox.add(QString::fromStdString(m_topicId), QStringLiteral("written during the partition %1").arg(written));
                ++written;
                ++m_sent;
            }
            QTest::qWait(1000);
        }
        // Long enough for the app to have declared the connection dead and to have tried again
        // into the partition at least once.
        QVERIFY2(m_alice->connection.state() != Connection::State::Online, "the app never noticed the partition");
        QVERIFY2(m_proxy->connectionsMade() >= 2, "the app never tried to reconnect");
        QCOMPARE(m_alice->outbox.pending().size(), written);

        m_proxy->heal();
        // Back and caught up within 45 s of healing: bob's messages and alice's own, each once.
        QVERIFY2(QTest::qWaitFor([&] { return m_alice->outbox.entries().isEmpty() && contiguous(m_alice->delivered(), m_sent); }, 45000),
                 qPrintable(QStringLiteral("state %1, outbox %2, %3 of %4 shown")
                                .arg(static_cast<int>(m_alice->connection.state()))
                                .arg(m_alice->outbox.entries().size())
                                .arg(m_alice->delivered().size())
                                .arg(m_sent)));
        QVERIFY(m_alice->connection.state() == Connection::State::Online);

        // And the database agrees: every message once, no gap, bob's acknowledged ones all there.
        const Stored db = stored(m_harness.databaseUrl(), m_topicId);
        QCOMPARE(db.rows, m_sent);
        QCOMPARE(db.seqs.back(), static_cast<std::int64_t>(m_sent));
        for (const std::string &id : m_bobAcked)
            QVERIFY(db.seqByClientId.count(id) == 1);
    }
};

QTEST_GUILESS_MAIN(TestFaultPartition)
#include "tst_fault_partition.moc"
