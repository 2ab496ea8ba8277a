// SPDX-License-Identifier: GPL-3.0-or-later
// Invite look-ups as the hub runs them: one that must wait for a running look-up's tokens is
// parked, comes back in order when a look-up finishes, and the park has a cap; a look-up the
// budget refuses is refused, not parked.

#include "server/net/invitelookups.h"
#include "shared/limits.h"

#include <QTest>

using namespace chatterbox;
using namespace chatterbox::server;

class TestInviteLookups : public QObject {
    Q_OBJECT

    static InviteLookups::Parked lookUp(std::int64_t requestId)
    {
        return {7, requestId, protocol::PreviewInvite{"AbCdEfGhIjKlMnOpQrSt_-"}};
    }

private Q_SLOTS:
    void waiting_isParked_andComesBackInOrder()
    {
        InviteLookups lookups;
        std::vector<InviteBudget::Ticket> running;
        for (int i = 0; i < int(limits::kInviteFailureBurst); ++i) {
            const auto start = lookups.start("joiner", "10.0.0.3", 0, lookUp(i));
            QCOMPARE(start.verdict, InviteLookups::Verdict::Go);
            running.push_back(start.ticket);
        }
        QCOMPARE(lookups.start("joiner", "10.0.0.3", 0, lookUp(100)).verdict, InviteLookups::Verdict::Parked);
        QCOMPARE(lookups.start("joiner", "10.0.0.3", 0, lookUp(101)).verdict, InviteLookups::Verdict::Parked);
        QCOMPARE(lookups.parked(), std::size_t(2));

        const auto again = lookups.finish(running.back(), true);
        QCOMPARE(again.size(), std::size_t(2));
        QCOMPARE(again[0].requestId, std::int64_t(100));
        QCOMPARE(again[1].requestId, std::int64_t(101));
        QVERIFY(std::holds_alternative<protocol::PreviewInvite>(again[0].request));
        QCOMPARE(lookups.parked(), std::size_t(0));
        // The good code gave its token back: one of them goes now.
        QCOMPARE(lookups.start("joiner", "10.0.0.3", 0, again[0]).verdict, InviteLookups::Verdict::Go);
    }

    void park_hasACap()
    {
        InviteLookups lookups;
        std::vector<InviteBudget::Ticket> running;
        for (int i = 0; i < int(limits::kInviteFailureBurst); ++i)
            running.push_back(lookups.start("joiner", "10.0.0.4", 0, lookUp(i)).ticket);
        for (std::size_t i = 0; i < limits::kMaxParkedInviteLookups; ++i)
            QCOMPARE(lookups.start("joiner", "10.0.0.4", 0, lookUp(1000)).verdict, InviteLookups::Verdict::Parked);
        QCOMPARE(lookups.start("joiner", "10.0.0.4", 0, lookUp(2000)).verdict, InviteLookups::Verdict::Refused);
    }

    void refused_isNotParked()
    {
        InviteLookups lookups;
        for (int i = 0; i < int(limits::kInviteFailureBurst); ++i) {
            const auto start = lookups.start("guesser", "10.0.0.5", 0, lookUp(i));
            QCOMPARE(start.verdict, InviteLookups::Verdict::Go);
            QVERIFY(lookups.finish(start.ticket, false).empty());
        }
        QCOMPARE(lookups.start("guesser", "10.0.0.5", 0, lookUp(99)).verdict, InviteLookups::Verdict::Refused);
        QCOMPARE(lookups.parked(), std::size_t(0));
    }
};

QTEST_GUILESS_MAIN(TestInviteLookups)
#include "tst_invitelookups.moc"
