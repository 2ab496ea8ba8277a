// One presence per person from all their connections, and the throttles that keep invite
// guessing and typing events rare.

#include "server/net/presencebook.h"
#include "server/net/throttle.h"

#include <QTest>

using namespace chatterbox::server;
using chatterbox::protocol::Presence;

class TestPresence : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void presence_combinesConnections()
    {
        PresenceBook book;
        QCOMPARE(book.of("ann"), Presence::Offline);
        QCOMPARE(book.set("ann", 1, Presence::Online), std::optional(Presence::Online));
        // A second connection going idle does not make her idle while the first is active.
        QCOMPARE(book.set("ann", 2, Presence::Idle), std::nullopt);
        QCOMPARE(book.set("ann", 1, Presence::Idle), std::optional(Presence::Idle));
        QCOMPARE(book.set("ann", 2, Presence::Online), std::optional(Presence::Online));
        QCOMPARE(book.set("ann", 2, Presence::Offline), std::optional(Presence::Idle));
        QCOMPARE(book.set("ann", 1, Presence::Offline), std::optional(Presence::Offline));
        QCOMPARE(book.of("ann"), Presence::Offline);
        // Closing a connection twice changes nothing.
        QCOMPARE(book.set("ann", 1, Presence::Offline), std::nullopt);
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
