// SPDX-License-Identifier: GPL-3.0-or-later
// The invite guessing budget on its own: a person's failures cost that person, an address's cap
// holds only people who have failed themselves, good codes give their tokens back, and look-ups
// that need a held token wait for it.

#include "server/net/invitebudget.h"
#include "shared/limits.h"

#include <QTest>

using namespace chatterbox;
using namespace chatterbox::server;

class TestInviteBudget : public QObject {
    Q_OBJECT

    // One look-up, finished at once.
    static InviteBudget::Verdict lookUp(InviteBudget &budget, const std::string &who, const std::string &where, bool good, std::int64_t now)
    {
        const auto start = budget.start(who, where, now);
        if (start.verdict == InviteBudget::Verdict::Go)
            budget.finish(start.ticket, good);
        return start.verdict;
    }

private Q_SLOTS:
    void guesser_isHeld_othersAtTheAddressAreNot()
    {
        InviteBudget budget;
        for (int i = 0; i < int(limits::kInviteFailureBurst); ++i)
            QCOMPARE(lookUp(budget, "guesser", "10.0.0.1", false, 0), InviteBudget::Verdict::Go);
        QCOMPARE(lookUp(budget, "guesser", "10.0.0.1", false, 0), InviteBudget::Verdict::Refused);
        // One more per refill interval.
        const auto refill = static_cast<std::int64_t>(limits::kInviteFailureRefillSeconds * 1000);
        QCOMPARE(lookUp(budget, "guesser", "10.0.0.1", false, refill), InviteBudget::Verdict::Go);
        QCOMPARE(lookUp(budget, "guesser", "10.0.0.1", false, refill), InviteBudget::Verdict::Refused);
        // Three people at the same address with good codes: in, every time.
        for (const char *other : {"ann", "bo", "cy"}) {
            for (int i = 0; i < 20; ++i)
                QCOMPARE(lookUp(budget, other, "10.0.0.1", true, refill), InviteBudget::Verdict::Go);
        }
    }

    void addressCap_holdsOnlyThoseWhoFailed()
    {
        InviteBudget budget;
        // Many accounts at one address, each spending its own budget, use up the address's.
        const int accounts = int(limits::kInviteAddressFailureBurst / limits::kInviteFailureBurst) + 1;
        for (int a = 0; a < accounts; ++a) {
            for (int i = 0; i < int(limits::kInviteFailureBurst); ++i)
                lookUp(budget, "sock" + std::to_string(a), "10.0.0.9", false, 0);
        }
        // One more account: its first look-up goes (it has failed nothing), the next waits on
        // the address that it now shares with the guessers...
        QCOMPARE(lookUp(budget, "fresh", "10.0.0.9", false, 0), InviteBudget::Verdict::Go);
        QCOMPARE(lookUp(budget, "fresh", "10.0.0.9", false, 0), InviteBudget::Verdict::Refused);
        // ... while someone who never failed still gets in with a good code, and a person who
        // failed elsewhere is held only by their own budget.
        QCOMPARE(lookUp(budget, "visitor", "10.0.0.9", true, 0), InviteBudget::Verdict::Go);
        QCOMPARE(lookUp(budget, "roamer", "10.0.0.8", false, 0), InviteBudget::Verdict::Go);
        QCOMPARE(lookUp(budget, "roamer", "10.0.0.8", false, 0), InviteBudget::Verdict::Go);
    }

    void goodCodes_giveTheirTokensBack()
    {
        InviteBudget budget;
        for (int i = 0; i < 100; ++i)
            QCOMPARE(lookUp(budget, "organiser", "10.0.0.2", true, 0), InviteBudget::Verdict::Go);
        QVERIFY(lookUp(budget, "organiser", "10.0.0.2", false, 0) == InviteBudget::Verdict::Go);
    }

    void heldTokens_makeLookUpsWait()
    {
        InviteBudget budget;
        std::vector<InviteBudget::Ticket> running;
        for (int i = 0; i < int(limits::kInviteFailureBurst); ++i) {
            const auto start = budget.start("joiner", "10.0.0.3", 0);
            QCOMPARE(start.verdict, InviteBudget::Verdict::Go);
            running.push_back(start.ticket);
        }
        // All of this person's tokens are out with look-ups still running: the next waits.
        QCOMPARE(budget.start("joiner", "10.0.0.3", 0).verdict, InviteBudget::Verdict::Wait);
        budget.finish(running.back(), true);
        running.pop_back();
        QCOMPARE(lookUp(budget, "joiner", "10.0.0.3", true, 0), InviteBudget::Verdict::Go);
        // Nine of them were wrong: one failure left of ten, then no more.
        for (const auto &ticket : running)
            budget.finish(ticket, false);
        QCOMPARE(lookUp(budget, "joiner", "10.0.0.3", false, 0), InviteBudget::Verdict::Go);
        QCOMPARE(budget.start("joiner", "10.0.0.3", 0).verdict, InviteBudget::Verdict::Refused);
    }
};

QTEST_GUILESS_MAIN(TestInviteBudget)
#include "tst_invitebudget.moc"
