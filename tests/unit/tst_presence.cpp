// SPDX-License-Identifier: GPL-3.0-or-later
// One presence per person from all their connections and instances, and the throttles that keep invite
// guessing and typing events rare.

#include "server/net/presencebook.h"
#include "server/net/throttle.h"

#include <QTest>

#include <algorithm>

using namespace chatterbox::server;
using chatterbox::protocol::Presence;

class TestPresence : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void presence_combinesConnections()
    {
        PresenceBook book;
        const auto overall = [&book](std::uint64_t connection, Presence status) {
            return book.set("ann", connection, status).overall;
        };
        QCOMPARE(book.of("ann"), Presence::Offline);
        QCOMPARE(overall(1, Presence::Online), std::optional(Presence::Online));
        // A second connection going idle does not make her idle while the first is active.
        QCOMPARE(overall(2, Presence::Idle), std::nullopt);
        QCOMPARE(overall(1, Presence::Idle), std::optional(Presence::Idle));
        QCOMPARE(overall(2, Presence::Online), std::optional(Presence::Online));
        QCOMPARE(overall(2, Presence::Offline), std::optional(Presence::Idle));
        QCOMPARE(overall(1, Presence::Offline), std::optional(Presence::Offline));
        QCOMPARE(book.of("ann"), Presence::Offline);
        // Closing a connection twice changes nothing.
        QCOMPARE(overall(1, Presence::Offline), std::nullopt);
    }

    // Another instance's word counts like a connection; what this instance tells the others is
    // its own connections only, so two instances never echo each other's view back.
    void presence_combinesInstances()
    {
        PresenceBook book;
        QCOMPARE(book.setElsewhere("ann", "east", Presence::Idle), std::optional(Presence::Idle));
        auto change = book.set("ann", 1, Presence::Online);
        QCOMPARE(change.here, std::optional(Presence::Online));
        QCOMPARE(change.overall, std::optional(Presence::Online));
        QCOMPARE(book.here("ann"), Presence::Online);
        change = book.set("ann", 1, Presence::Offline);
        QCOMPARE(change.here, std::optional(Presence::Offline));
        QCOMPARE(change.overall, std::optional(Presence::Idle)); // still idle over there
        QCOMPARE(book.here("ann"), Presence::Offline);

        // Online on two instances: losing one changes nothing, losing the instance that had
        // her last makes her offline.
        QCOMPARE(book.setElsewhere("ann", "west", Presence::Online), std::optional(Presence::Online));
        QCOMPARE(book.setElsewhere("bob", "west", Presence::Online), std::optional(Presence::Online));
        QCOMPARE(book.dropInstance("east"), std::vector<std::string>{});
        auto gone = book.dropInstance("west");
        std::sort(gone.begin(), gone.end());
        QCOMPARE(gone, (std::vector<std::string>{"ann", "bob"}));
        QCOMPARE(book.of("ann"), Presence::Offline);
        QCOMPARE(book.of("bob"), Presence::Offline);
        QCOMPARE(book.dropInstance("west"), std::vector<std::string>{});
    }

    void throttle_burstThenRefill()
    {
        Throttle throttle(3, 2.0);
        QVERIFY(throttle.take("k", 0));
        QVERIFY(throttle.take("k", 0));
        QVERIFY(throttle.take("k", 0));
        QVERIFY(!throttle.take("k", 0));
        QVERIFY(!throttle.take("k", 1999));
        QVERIFY(throttle.take("k", 2000));
        QVERIFY(throttle.take("other", 2000));
    }

    void throttle_refundGivesBack()
    {
        Throttle throttle(1, 60.0);
        QVERIFY(throttle.take("k", 0));
        QVERIFY(!throttle.wouldAllow("k", 0));
        throttle.refund("k");
        QVERIFY(throttle.take("k", 0));
    }

    void throttle_pruneForgetsFullBuckets()
    {
        Throttle throttle(2, 1.0);
        QVERIFY(throttle.take("k", 0));
        throttle.prune(500);
        QVERIFY(throttle.take("k", 500));
        QVERIFY(!throttle.take("k", 500));
        throttle.prune(10000);
        QVERIFY(throttle.take("k", 10000));
        QVERIFY(throttle.take("k", 10000));
    }
};

QTEST_GUILESS_MAIN(TestPresence)
#include "tst_presence.moc"
