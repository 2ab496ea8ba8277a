// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/net/invitebudget.h"
#include "shared/requests.h"

#include <QtGlobal>

#include <cstdint>
#include <vector>

namespace chatterbox::server {

// Invite look-ups (invite.preview, invite.join) as the hub runs them. Each takes from the
// InviteBudget when it starts; one that must wait for tokens another look-up holds is parked
// rather than refused (at most kMaxParkedInviteLookups at a time), and when a look-up finishes
// the parked ones come back, in the order they came, to be started again.
class InviteLookups final {
public:
    struct Parked {
        quint64 connectionId = 0;
        std::int64_t requestId = 0;
        protocol::Request request;
    };
    enum class Verdict { Go, Parked, Refused };
    struct Start {
        Verdict verdict = Verdict::Refused;
        InviteBudget::Ticket ticket;   // with Go: give it back to finish()
    };

    // lookUp is parked when the budget says wait.
    Start start(const std::string &userId, const std::string &address, std::int64_t nowMs, Parked lookUp);
    // Ends a look-up; returns the look-ups parked meanwhile, to be started again.
    std::vector<Parked> finish(const InviteBudget::Ticket &ticket, bool codeWasGood);
    void prune(std::int64_t nowMs) { m_budget.prune(nowMs); }
    std::size_t parked() const { return m_parked.size(); }

private:
    InviteBudget m_budget;
    std::vector<Parked> m_parked;
};

} // namespace chatterbox::server
