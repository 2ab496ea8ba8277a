// SPDX-License-Identifier: GPL-3.0-or-later
// The event feed: events from this instance and from the others come out once each, in id
// order, whatever order they are learned in.

#include "server/net/eventfeed.h"

#include <QTest>

using namespace chatterbox;
using namespace chatterbox::server;

namespace {

CommittedEvent eventNumber(std::int64_t id)
{
    CommittedEvent e;
    e.id = id;
    e.partyId = "p";
    e.event = protocol::Typing{"p", "t", "u" + std::to_string(id)};
    return e;
}

std::vector<CommittedEvent> events(std::int64_t from, std::int64_t to)
{
    std::vector<CommittedEvent> out;
    for (std::int64_t id = from; id <= to; ++id)
        out.push_back(eventNumber(id));
    return out;
}

// A feed whose output and fetches are recorded.
struct Recorder {
    std::vector<std::int64_t> published;
    std::vector<std::int64_t> fetches;
    EventFeed feed{[this](const std::vector<CommittedEvent> &batch) {
                       for (const auto &e : batch)
                           published.push_back(e.id);
                   },
                   [this](std::int64_t afterId) { fetches.push_back(afterId); }};
};

std::vector<std::int64_t> range(std::int64_t from, std::int64_t to)
{
    std::vector<std::int64_t> out;
    for (std::int64_t id = from; id <= to; ++id)
        out.push_back(id);
    return out;
}

} // namespace

class TestEventFeed : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void alone_localEventsGoStraightOut()
    {
        Recorder r;
        r.feed.start(10);
        r.feed.committedHere(events(11, 13));
        r.feed.committedHere(events(14, 14));
        QCOMPARE(r.published, range(11, 14));
        QVERIFY(r.fetches.empty());
        // Its own wake-up, coming back from the database, changes nothing.
        r.feed.committedElsewhere(14);
        QVERIFY(r.fetches.empty());
    }

    void gapBeforeLocalEvents_waitsForTheLog()
    {
        Recorder r;
        r.feed.start(10);
        // Another instance committed 11 and 12; this one's 13 and 14 must not overtake them.
        r.feed.committedHere(events(13, 14));
        QVERIFY(r.published.empty());
        QCOMPARE(r.fetches, std::vector<std::int64_t>{10});
        // A wake-up while the fetch runs does not start a second one.
        r.feed.committedElsewhere(12);
        QCOMPARE(r.fetches.size(), std::size_t(1));
        // The log has everything up to 14, the local events among them: each goes out once.
        r.feed.fetched(eventlog::Page{events(11, 14), {}});
        QCOMPARE(r.published, range(11, 14));
        QCOMPARE(r.fetches.size(), std::size_t(1));
    }

    void wakeUp_fetchesUntilCaughtUp()
    {
        Recorder r;
        r.feed.start(0);
        r.feed.committedElsewhere(2500);
        QCOMPARE(r.fetches, std::vector<std::int64_t>{0});
        r.feed.fetched(eventlog::Page{events(1, 1000), {}});
        QCOMPARE(r.fetches, (std::vector<std::int64_t>{0, 1000}));
        r.feed.fetched(eventlog::Page{events(1001, 2000), {}});
        r.feed.fetched(eventlog::Page{events(2001, 2500), {}});
        QCOMPARE(r.published, range(1, 2500));
        QCOMPARE(r.fetches, (std::vector<std::int64_t>{0, 1000, 2000}));
    }

    void failedFetch_triedAgainByThePoll()
    {
        Recorder r;
        r.feed.start(5);
        r.feed.committedElsewhere(6);
        r.feed.fetched(std::nullopt);
        QVERIFY(r.published.empty());
        QVERIFY(!r.feed.fetching());
        r.feed.poll();
        QCOMPARE(r.fetches, (std::vector<std::int64_t>{5, 5}));
        r.feed.fetched(eventlog::Page{events(6, 6), {}});
        QCOMPARE(r.published, range(6, 6));
    }

    void lostWakeUp_foundByThePoll()
    {
        Recorder r;
        r.feed.start(5);
        r.feed.poll();
        r.feed.fetched(eventlog::Page{events(6, 7), {}});
        QCOMPARE(r.published, range(6, 7));
        r.feed.poll();
        r.feed.fetched(eventlog::Page{});
        QCOMPARE(r.published, range(6, 7));
        QCOMPARE(r.fetches, (std::vector<std::int64_t>{5, 7}));
    }

    // An event a newer version wrote, which this one cannot read, is passed over, not waited for.
    void unreadableEvent_passedOver()
    {
        Recorder r;
        r.feed.start(0);
        r.feed.committedHere(events(3, 3));
        auto page = eventlog::Page{events(1, 1), {2}};
        page.events.push_back(eventNumber(3));
        r.feed.fetched(page);
        QCOMPARE(r.published, (std::vector<std::int64_t>{1, 3}));
        QCOMPARE(r.feed.publishedUpTo(), std::int64_t(3));
    }

    // Old news (a late wake-up, a fetch that overlaps what went out) is never sent twice.
    void oldNews_ignored()
    {
        Recorder r;
        r.feed.start(0);
        r.feed.committedHere(events(1, 3));
        r.feed.poll();
        r.feed.fetched(eventlog::Page{events(1, 3), {}});
        r.feed.committedElsewhere(2);
        QCOMPARE(r.published, range(1, 3));
        QCOMPARE(r.fetches, std::vector<std::int64_t>{3});
    }
};

QTEST_GUILESS_MAIN(TestEventFeed)
#include "tst_eventfeed.moc"
