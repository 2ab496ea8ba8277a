// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/net/throttle.h"

#include <cstdint>
#include <string>
#include <unordered_map>

namespace chatterbox::server {

// Failed invite look-ups (invite.preview or invite.join with a code that is not there) are
// budgeted, so that guessing codes stays slow while people with good codes get in:
// - each person: kInviteFailureBurst failures at once, then one per kInviteFailureRefillSeconds;
// - each client address: kInviteAddressFailureBurst, then one per
//   kInviteAddressFailureRefillSeconds, held only against people who have failed themselves, so
//   that someone's guesses never cost another person at the same address (behind one NAT or one
//   proxy) their good code.
// A look-up takes its tokens when it starts and gives them back when its code was good; a look-up
// that would need a token another look-up of the same person (or address) still holds waits for
// it rather than being refused.
class InviteBudget final {
public:
    InviteBudget();

    struct Ticket {
        std::string person;
        std::string address;
        bool tookAddress = false;
    };
    enum class Verdict { Go, Wait, Refused };
    struct Start {
        Verdict verdict = Verdict::Refused;
        Ticket ticket;   // with Go: give it back to finish()
    };

    Start start(const std::string &userId, const std::string &address, std::int64_t nowMs);
    void finish(const Ticket &ticket, bool codeWasGood);
    // Forgets people and addresses whose budgets are whole again.
    void prune(std::int64_t nowMs);

private:
    Throttle m_people;
    Throttle m_addresses;
    std::unordered_map<std::string, int> m_inFlight;   // "person:" and "address:" keys
};

} // namespace chatterbox::server
