// SPDX-License-Identifier: GPL-3.0-or-later
// Several instances on one database, below the network: the change log's ids are in commit
// order across instances that write at the same time, and the ClusterLink carries events,
// presence, typing and departures from one instance to the others (and ignores junk).

#include "dbfixture.h"
#include "server/db/clusterlink.h"
#include "server/db/eventlog.h"
#include "server/db/executor.h"
#include "shared/frames.h"

#include <QTest>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

using namespace chatterbox;
using namespace chatterbox::server;

namespace {

// What one ClusterLink's handlers received, for a test to wait on.
struct Heard {
    std::mutex mutex;
    std::condition_variable changed;
    int listening = 0;
    std::int64_t eventsUpTo = 0;
    std::vector<InstancePresence> presence;
    std::vector<std::string> gone;
    std::vector<PartyEvent> ephemeral;
    std::vector<std::string> revoked;

    template <typename Predicate>
    bool waitFor(Predicate predicate, int ms = 10000)
    {
        std::unique_lock lock(mutex);
        return changed.wait_for(lock, std::chrono::milliseconds(ms), [&] { return predicate(*this); });
    }

    ClusterLink::Handlers handlers()
    {
        const auto record = [this](auto change) {
            std::lock_guard lock(mutex);
            change();
            changed.notify_all();
        };
        ClusterLink::Handlers h;
        h.listening = [=, this](std::vector<InstancePresence>) { record([this] { ++listening; }); };
        h.eventsCommitted = [=, this](std::int64_t upTo) { record([=, this] { eventsUpTo = std::max(eventsUpTo, upTo); }); };
        h.presence = [=, this](InstancePresence p) { record([&, this] { presence.push_back(p); }); };
        h.instanceGone = [=, this](std::string id) { record([&, this] { gone.push_back(id); }); };
        h.ephemeral = [=, this](PartyEvent e) { record([&, this] { ephemeral.push_back(e); }); };
        h.revoked = [=, this](std::string f) { record([&, this] { revoked.push_back(f); }); };
        return h;
    }
};

} // namespace

class TestCluster : public QObject {
    Q_OBJECT

    test::TestDatabase m_db;
    std::string m_alice;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_db.isValid(), qPrintable(m_db.error()));
        QVERIFY2(m_db.migrate(), qPrintable(m_db.error()));
        m_alice = test::createUser(m_db.url(), "Alice");
    }

    // Two instances' writers commit at the same time while a reader watches: every snapshot
    // it takes holds every id up to the newest it sees (no later id visible before an earlier
    // one), so "the events after N" is always complete.
    void twoWriters_idsVisibleInOrder()
    {
        pqxx::connection c(m_db.url());
        const auto [partyId, topicId] = test::makeParty(c, m_alice);
        const std::int64_t base = pqxx::work(c).exec1("SELECT last_id FROM event_log_head")[0].as<std::int64_t>();

        std::mutex mutex;
        std::vector<std::int64_t> committed;
        const auto sink = [&](std::vector<CommittedEvent> events) {
            std::lock_guard lock(mutex);
            for (const auto &e : events)
                committed.push_back(e.id);
        };
        std::atomic<int> replies{0};
        std::atomic<bool> watching{true};
        std::atomic<int> gaps{0};
        std::atomic<int> looks{0};
        std::thread watcher([&] {
            pqxx::connection w(m_db.url());
            while (watching) {
                pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx(w);
                const auto row = tx.exec_params1("SELECT coalesce(max(id), $1), count(*) FROM events WHERE id > $1", base);
                if (row[0].as<std::int64_t>() - base != row[1].as<std::int64_t>())
                    ++gaps;
                ++looks;
            }
        });
        {
            Executor east(m_db.url(), 1, sink);
            Executor west(m_db.url(), 1, sink);
            constexpr int kSends = 400;
            for (int i = 0; i < kSends; ++i) {
                protocol::SendMessage send{topicId, test::newUuid(), "n" + std::to_string(i)};
                (i % 2 ? east : west).write([send, this](pqxx::transaction_base &tx) { return handlers::sendMessage(tx, {m_alice}, send); },
                                            [&](Outcome o) {
                                                QVERIFY(o.ok());
                                                ++replies;
                                            });
            }
            QTRY_COMPARE_WITH_TIMEOUT(replies.load(), kSends, 30000);
        }
        watching = false;
        watcher.join();
        QVERIFY(looks > 10);
        QCOMPARE(gaps.load(), 0);
        // Both instances' ids together are exactly base+1 .. base+400.
        std::sort(committed.begin(), committed.end());
        QCOMPARE(committed.size(), std::size_t(400));
        for (std::size_t i = 0; i < committed.size(); ++i)
            QCOMPARE(committed[i], base + 1 + std::int64_t(i));

        // The log reads back as the instances committed it, frames and all.
        pqxx::work tx(c);
        const auto page = eventlog::after(tx, base, 1000);
        QCOMPARE(page.events.size(), std::size_t(400));
        QVERIFY(page.unreadable.empty());
        QCOMPARE(page.events.front().id, base + 1);
        QCOMPARE(page.events.front().partyId, partyId);
        QVERIFY(std::holds_alternative<protocol::MessageCreated>(page.events.front().event));
        QCOMPARE(page.events.front().frame, protocol::encodeEvent(page.events.front().event));
        QCOMPARE(eventlog::lastId(tx), base + 400);
    }

    void link_carriesNewsBetweenInstances()
    {
        Heard eastHeard;
        Heard westHeard;
        ClusterLink east(m_db.url(), std::chrono::seconds(2), eastHeard.handlers());
        ClusterLink west(m_db.url(), std::chrono::seconds(2), westHeard.handlers());
        east.start();
        west.start();
        QVERIFY(eastHeard.waitFor([](Heard &h) { return h.listening > 0; }));
        QVERIFY(westHeard.waitFor([](Heard &h) { return h.listening > 0; }));

        east.eventsCommitted(41);
        east.eventsCommitted(42);   // coalesced or not, the newest id arrives
        QVERIFY(westHeard.waitFor([](Heard &h) { return h.eventsUpTo == 42; }));

        east.presenceChanged(m_alice, protocol::Presence::Online);
        QVERIFY(westHeard.waitFor([&](Heard &h) {
            return !h.presence.empty() && h.presence.back().instanceId == east.instanceId()
                   && h.presence.back().people == std::vector<std::pair<std::string, protocol::Presence>>{{m_alice, protocol::Presence::Online}};
        }));
        pqxx::connection c(m_db.url());
        QCOMPARE(pqxx::work(c).exec_params1("SELECT status FROM instance_presence WHERE instance_id = $1 AND user_id = $2",
                                            east.instanceId(), m_alice)[0].as<std::string>(), std::string("online"));

        const std::string partyId = test::newUuid();
        east.ephemeral({partyId, protocol::Typing{partyId, "topic", m_alice}, {}, {}, m_alice});
        QVERIFY(westHeard.waitFor([&](Heard &h) { return !h.ephemeral.empty(); }));
        {
            std::lock_guard lock(westHeard.mutex);
            QCOMPARE(westHeard.ephemeral.front().partyId, partyId);
            QCOMPARE(westHeard.ephemeral.front().exceptUserId, m_alice);
            QCOMPARE(std::get<protocol::Typing>(westHeard.ephemeral.front().event).userId, m_alice);
        }
        east.revoked("family-1");
        QVERIFY(westHeard.waitFor([](Heard &h) { return h.revoked == std::vector<std::string>{"family-1"}; }));
        // An instance does not hear its own presence, typing or revocations back.
        QVERIFY(eastHeard.waitFor([](Heard &h) { return h.eventsUpTo == 42; }));
        {
            std::lock_guard lock(eastHeard.mutex);
            QVERIFY(eastHeard.presence.empty());
            QVERIFY(eastHeard.ephemeral.empty());
            QVERIFY(eastHeard.revoked.empty());
        }

        // A clean stop: the others hear at once, and its presence rows are gone.
        const std::string eastId = east.instanceId();
        east.stop();
        QVERIFY(westHeard.waitFor([&](Heard &h) { return h.gone == std::vector<std::string>{eastId}; }));
        QCOMPARE(pqxx::work(c).exec_params1("SELECT count(*) FROM instance_presence WHERE instance_id = $1", eastId)[0].as<int>(), 0);
        west.stop();
    }

    // The listening connection drops (the database restarted, a proxy cut it): it comes back
    // by itself, says so (the instance then reads the log from where it was), and hears again.
    void listenerDropped_reconnectsAndHears()
    {
        Heard eastHeard;
        Heard westHeard;
        ClusterLink east(m_db.url(), std::chrono::seconds(5), eastHeard.handlers());
        ClusterLink west(m_db.url(), std::chrono::seconds(5), westHeard.handlers());
        east.start();
        west.start();
        QVERIFY(westHeard.waitFor([](Heard &h) { return h.listening == 1; }));
        QVERIFY(eastHeard.waitFor([](Heard &h) { return h.listening == 1; }));
        pqxx::connection c(m_db.url());
        const int cut = pqxx::work(c).exec("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                                          " WHERE application_name = 'chatterbox listener'")[0][0].as<int>();
        QVERIFY(cut >= 2);
        QVERIFY(westHeard.waitFor([](Heard &h) { return h.listening == 2; }));
        east.eventsCommitted(77);
        QVERIFY(westHeard.waitFor([](Heard &h) { return h.eventsUpTo == 77; }));
        east.stop();
        west.stop();
    }

    // An instance that stops beating (kill -9) is removed by the others after the timeout,
    // and its people's presence with it.
    void silentInstance_reaped()
    {
        pqxx::connection c(m_db.url());
        const std::string deadId = test::newUuid();
        {
            pqxx::work tx(c);
            tx.exec_params0("INSERT INTO server_instances (id) VALUES ($1)", deadId);
            tx.exec_params0("INSERT INTO instance_presence (instance_id, user_id, status) VALUES ($1, $2, 'online')", deadId, m_alice);
            tx.commit();
        }
        Heard heard;
        ClusterLink survivor(m_db.url(), std::chrono::seconds(2), heard.handlers());
        survivor.start();
        // Listening, it first learns what the dead instance had...
        QVERIFY(heard.waitFor([](Heard &h) { return h.listening > 0; }));
        // ...then, its heartbeat never coming, that it is gone.
        QVERIFY(heard.waitFor([&](Heard &h) { return h.gone == std::vector<std::string>{deadId}; }, 8000));
        QCOMPARE(pqxx::work(c).exec_params1("SELECT count(*) FROM instance_presence WHERE instance_id = $1", deadId)[0].as<int>(), 0);
        survivor.stop();
    }

    // Anyone who can NOTIFY on the channel can send anything: it is read carefully.
    void hostileNotifications_ignored_data()
    {
        QTest::addColumn<QByteArray>("payload");
        QTest::newRow("not json") << QByteArray("{{{");
        QTest::newRow("array") << QByteArray("[1,2]");
        QTest::newRow("no instance") << QByteArray(R"({"e":5})");
        QTest::newRow("instance not a uuid") << QByteArray(R"({"i":"x","e":5})");
        QTest::newRow("events not a number") << QByteArray(R"({"i":"00000000-0000-0000-0000-000000000001","e":"5"})");
        QTest::newRow("presence junk") << QByteArray(R"({"i":"00000000-0000-0000-0000-000000000001","p":[1,["x","online"],["00000000-0000-0000-0000-000000000002","away"],[]]})");
        QTest::newRow("presence not a list") << QByteArray(R"({"i":"00000000-0000-0000-0000-000000000001","p":{"a":1}})");
        QTest::newRow("typing junk") << QByteArray(R"({"i":"00000000-0000-0000-0000-000000000001","t":[{"p":"x"},{"p":"00000000-0000-0000-0000-000000000003","x":"","k":"no.such","d":{}},7]})");
        QTest::newRow("typing bad data") << QByteArray(R"({"i":"00000000-0000-0000-0000-000000000001","t":[{"p":"00000000-0000-0000-0000-000000000003","x":"","k":"typing","d":{"topicId":5}}]})");
        QTest::newRow("gone junk") << QByteArray(R"({"i":"00000000-0000-0000-0000-000000000001","g":[1,"x",null]})");
        QTest::newRow("revoked junk") << QByteArray(R"({"i":"00000000-0000-0000-0000-000000000001","r":[1,{}]})");
    }

    void hostileNotifications_ignored()
    {
        QFETCH(QByteArray, payload);
        Heard heard;
        ClusterLink link(m_db.url(), std::chrono::seconds(2), heard.handlers());
        link.handleNotification(payload.toStdString());
        std::lock_guard lock(heard.mutex);
        QCOMPARE(heard.eventsUpTo, std::int64_t(0));
        QVERIFY(heard.presence.empty());
        QVERIFY(heard.gone.empty());
        QVERIFY(heard.ephemeral.empty());
        QVERIFY(heard.revoked.empty());
    }
};

QTEST_GUILESS_MAIN(TestCluster)
#include "tst_cluster.moc"
