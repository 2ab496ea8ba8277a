// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/net/invitebudget.h"

#include "shared/limits.h"

namespace chatterbox::server {

InviteBudget::InviteBudget()
    : m_people(limits::kInviteFailureBurst, limits::kInviteFailureRefillSeconds)
    , m_addresses(limits::kInviteAddressFailureBurst, limits::kInviteAddressFailureRefillSeconds)
{
}

InviteBudget::Start InviteBudget::start(const std::string &userId, const std::string &address, std::int64_t nowMs)
{
    const std::string personKey = "person:" + userId;
    const std::string addressKey = "address:" + address;
    const auto waitOr = [this](const std::string &key) {
        return m_inFlight.count(key) ? Verdict::Wait : Verdict::Refused;
    };
    if (!m_people.wouldAllow(userId, nowMs))
        return {waitOr(personKey), {}};
    // Someone who has not got a code wrong lately is never held to their address's budget.
    const bool hasFailed = !m_people.isFull(userId, nowMs);
    const bool addressHasRoom = m_addresses.wouldAllow(address, nowMs);
    if (hasFailed && !addressHasRoom)
        return {waitOr(addressKey), {}};
    m_people.take(userId, nowMs);
    const bool tookAddress = addressHasRoom && m_addresses.take(address, nowMs);
    ++m_inFlight[personKey];
    ++m_inFlight[addressKey];
    return {Verdict::Go, {userId, address, tookAddress}};
}

void InviteBudget::finish(const Ticket &ticket, bool codeWasGood)
{
    if (codeWasGood) {
        m_people.refund(ticket.person);
        if (ticket.tookAddress)
            m_addresses.refund(ticket.address);
    }
    for (const std::string &key : {"person:" + ticket.person, "address:" + ticket.address}) {
        const auto it = m_inFlight.find(key);
        if (it != m_inFlight.end() && --it->second <= 0)
            m_inFlight.erase(it);
    }
}

void InviteBudget::prune(std::int64_t nowMs)
{
    m_people.prune(nowMs);
    m_addresses.prune(nowMs);
}

} // namespace chatterbox::server
