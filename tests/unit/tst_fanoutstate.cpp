// SPDX-License-Identifier: GPL-3.0-or-later
// What the hub's fan-out keeps, on its own: who follows which party (both sides kept in step),
// and the recent events a connection whose snapshot is being read is replayed, bounded by count
// and bytes, with the point before which a snapshot is too old.

#include "server/net/connectedclient.h"
#include "server/net/partyfollowers.h"
#include "server/net/recentevents.h"

#include <QTest>

using namespace chatterbox;
using namespace chatterbox::server;

namespace {

class NoSocket final : public SocketEnd {
public:
    void send(const ws::Frame &) override {}
    void ping() override {}
    void close(std::uint16_t, std::string_view) override {}
    void abort() override {}
    std::size_t bytesQueued() const override { return 0; }
    std::int64_t unsentForMs() const override { return 0; }
};

std::unique_ptr<ConnectedClient> client(quint64 id)
{
    return std::make_unique<ConnectedClient>(id, std::make_unique<NoSocket>(), AccessClaims{"u" + std::to_string(id), "f", 0}, SlowConsumerRule{});
}

RecentEvents::Event committed(std::int64_t id, std::size_t frameBytes = 10)
{
    auto e = std::make_shared<CommittedEvent>();
    e->id = id;
    e->partyId = "p";
    e->frame = std::string(frameBytes, 'x');
    return e;
}

} // namespace

class TestFanoutState : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void followers_keptOnBothSides()
    {
        PartyFollowers followers;
        auto a = client(1), b = client(2);
        followers.follow(a.get(), "p1");
        followers.follow(a.get(), "p2");
        followers.follow(b.get(), "p2");
        QCOMPARE(a->parties.size(), std::size_t(2));
        QCOMPARE(followers.of("p2")->size(), std::size_t(2));
        QCOMPARE(followers.ofAny({"p1", "p2"}).size(), std::size_t(2));   // a once, though in both
        QVERIFY(!followers.of("p3"));

        followers.unfollow(b.get(), "p2");
        QVERIFY(b->parties.empty());
        QCOMPARE(followers.of("p2")->size(), std::size_t(1));
        followers.forget(a.get());
        QVERIFY(a->parties.empty());
        QCOMPARE(followers.partyCount(), std::size_t(0));   // no empty party is left behind
    }

    void recent_boundedByCount_andSaysWhatItNoLongerCovers()
    {
        RecentEvents recent(3, 1 << 20);
        recent.startAfter(10);
        QVERIFY(recent.covers(10));
        QVERIFY(!recent.covers(9));
        for (std::int64_t id = 11; id <= 15; ++id)
            recent.add(committed(id));
        QCOMPARE(recent.events().size(), std::size_t(3));
        QCOMPARE(recent.events().front()->id, std::int64_t(13));
        QVERIFY(recent.covers(12));    // replays 13, 14, 15
        QVERIFY(!recent.covers(11));   // 12 is gone: read the snapshot again
    }

    void recent_boundedByBytes_keepsTheNewestHoweverLarge()
    {
        const std::size_t one = RecentEvents::footprint(*committed(1, 1000));
        RecentEvents recent(100, 2 * one);
        recent.add(committed(1, 1000));
        recent.add(committed(2, 1000));
        QCOMPARE(recent.events().size(), std::size_t(2));
        recent.add(committed(3, 1000));
        QCOMPARE(recent.events().size(), std::size_t(2));
        QCOMPARE(recent.bytes(), 2 * one);
        recent.add(committed(4, 100000));   // a whole party in one event
        QCOMPARE(recent.events().size(), std::size_t(1));
        QCOMPARE(recent.events().front()->id, std::int64_t(4));
    }
};

QTEST_GUILESS_MAIN(TestFanoutState)
#include "tst_fanoutstate.moc"
