// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Helpers for tests that call request handlers directly on a real database.

#include "server/handlers/handlers.h"
#include "shared/codec.h"
#include "shared/replies.h"
#include "support/testdatabase.h"

#include <QUuid>

#include <pqxx/pqxx>

namespace chatterbox::test {

inline std::string newUuid()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString();
}

// Runs one handler in its own committed transaction, as a batch of one on the writer would.
template <typename Handler, typename Request>
server::Outcome run(pqxx::connection &c, Handler handler, const std::string &userId, const Request &request)
{
    pqxx::work tx(c);
    auto outcome = handler(tx, server::RequestContext{userId}, request);
    if (outcome.ok())
        tx.commit();
    return outcome;
}

inline std::string errorCode(const server::Outcome &o)
{
    return o.ok() ? std::string() : std::string(protocol::errorCodeName(o.error->code));
}

// A party owned by ownerId with the given extra members; returns (partyId, general topic id).
inline std::pair<std::string, std::string> makeParty(pqxx::connection &c, const std::string &ownerId,
                                                     const std::vector<std::string> &members = {})
{
    const auto created = run(c, server::handlers::createParty, ownerId, protocol::CreateParty{"Test party"});
    const auto party = created.resultJson()["party"];
    const std::string partyId = party["id"];
    pqxx::work tx(c);
    for (const auto &m : members)
        tx.exec_params0("INSERT INTO members (party_id, user_id, role) VALUES ($1, $2, 'member')", partyId, m);
    tx.commit();
    return {partyId, party["topics"][0]["id"].get<std::string>()};
}

} // namespace chatterbox::test
