// SPDX-License-Identifier: GPL-3.0-or-later
// What the hub's fan-out keeps, on its own: who follows which party (both sides kept in step),
// and the recent events a connection whose snapshot is being read is replayed, bounded by count
// and bytes, with the point before which a snapshot is too old.

#include "server/metrics.h"
#include "server/net/connectedclient.h"
#include "server/net/eventfanout.h"
#include "server/net/partyfollowers.h"
#include "server/net/recentevents.h"
#include "shared/frames.h"

#include <QTest>

using namespace chatterbox;
using namespace chatterbox::server;

namespace {

class NoSocket final : public SocketEnd {
public:
    int *sent = nullptr;   // counts the frames sent, when set
    void send(const ws::Frame &) override
    {
        if (sent)
            ++*sent;
    }
    void ping() override {}
    void close(std::uint16_t, std::string_view) override {}
    void abort() override {}
    std::size_t bytesQueued() const override { return 0; }
    std::int64_t unsentForMs() const override { return 0; }
};

std::unique_ptr<ConnectedClient> client(quint64 id, int *sent = nullptr)
{
    auto socket = std::make_unique<NoSocket>();
    socket->sent = sent;
    return std::make_unique<ConnectedClient>(id, std::move(socket), AccessClaims{"u" + std::to_string(id), "f", 0}, SlowConsumerRule{});
}

CommittedEvent committedEvent(std::int64_t id, const std::string &partyId, protocol::Event event, const std::string &recipient = {})
{
    CommittedEvent e;
    e.id = id;
    e.partyId = partyId;
    e.frame = protocol::encodeEvent(event);
    e.event = std::move(event);
    e.recipientUserId = recipient;
    return e;
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

    // Events reach the party's followers and nobody else; a join lets the newcomer's ready
    // connections in before the event goes out, a leave delivers the last event and then no more,
    // an event for one person reaches only them, and a snapshot is replayed what followed it.
    void fanout_deliversToExactlyThoseWhoShouldHaveIt()
    {
        Metrics metrics;
        EventFanout::ConnectionsByUser byUser;
        EventFanout fanout(metrics, byUser);
        int toA = 0, toB = 0, toC = 0;
        auto a = client(1, &toA), b = client(2, &toB), c = client(3, &toC);
        for (auto *x : {a.get(), b.get(), c.get()}) {
            x->setState(ConnectedClient::State::Ready);
            byUser[x->userId()].insert(x);
        }
        std::vector<std::string> joinedHeard;
        fanout.memberJoined = [&](const std::string &userId, const std::string &) { joinedHeard.push_back(userId); };
        fanout.followers().follow(a.get(), "p1");
        fanout.followers().follow(b.get(), "p1");
        fanout.followers().follow(c.get(), "p2");

        protocol::Message message;
        message.topicId = "t1";
        message.partyId = "p1";
        fanout.publish({committedEvent(1, "p1", protocol::MessageCreated{message})});
        QCOMPARE(std::tuple(toA, toB, toC), std::tuple(1, 1, 0));

        // u3 joins p1: its connection follows first, so it gets the join and what follows.
        protocol::Member member{"u3", "C", "", protocol::Role::Member, 0, ""};
        fanout.publish({committedEvent(2, "p1", protocol::MemberJoined{"p1", member})});
        QCOMPARE(std::tuple(toA, toB, toC), std::tuple(2, 2, 1));
        QCOMPARE(joinedHeard, std::vector<std::string>{"u3"});
        QVERIFY(c->parties.count("p1"));

        // u2 leaves: it hears of it, then nothing more of p1.
        fanout.publish({committedEvent(3, "p1", protocol::MemberLeft{"p1", "u2", "left"}),
                        committedEvent(4, "p1", protocol::MessageCreated{message})});
        QCOMPARE(std::tuple(toA, toB, toC), std::tuple(4, 3, 3));
        QVERIFY(!b->parties.count("p1"));

        // For one person only.
        fanout.publish({committedEvent(5, "p1", protocol::ReadStateUpdated{{"t1", 4, 0, 0}}, "u1")});
        QCOMPARE(std::tuple(toA, toB, toC), std::tuple(5, 3, 3));
        QCOMPARE(metrics.eventsDelivered.load(), std::int64_t(5 + 3 + 3));

        // A connection whose snapshot was read at event 3 is replayed 4 and 5, if they are its.
        int toLate = 0;
        auto late = client(4, &toLate);
        late->setState(ConnectedClient::State::Ready);
        fanout.followers().follow(late.get(), "p1");
        fanout.replay(late.get(), 3);
        QCOMPARE(toLate, 1);   // 4; 5 was for u1 alone
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
