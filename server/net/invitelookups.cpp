// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/net/invitelookups.h"

#include "shared/limits.h"

#include <utility>

namespace chatterbox::server {

InviteLookups::Start InviteLookups::start(const std::string &userId, const std::string &address, std::int64_t nowMs, Parked lookUp)
{
    const InviteBudget::Start budget = m_budget.start(userId, address, nowMs);
    switch (budget.verdict) {
    case InviteBudget::Verdict::Go:
        return {Verdict::Go, budget.ticket};
    case InviteBudget::Verdict::Wait:
        if (m_parked.size() < limits::kMaxParkedInviteLookups) {
            m_parked.push_back(std::move(lookUp));
            return {Verdict::Parked, {}};
        }
        break;
    case InviteBudget::Verdict::Refused:
        break;
    }
    return {Verdict::Refused, {}};
}

std::vector<InviteLookups::Parked> InviteLookups::finish(const InviteBudget::Ticket &ticket, bool codeWasGood)
{
    m_budget.finish(ticket, codeWasGood);
    return std::exchange(m_parked, {});
}

} // namespace chatterbox::server
