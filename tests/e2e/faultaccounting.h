// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Exact accounting for the fault tests: senders that keep messages in flight and retry what was
// not acknowledged, and what the database holds afterwards.

#include "e2efixture.h"

#include <map>
#include <set>

namespace chatterbox::test {


// A sender that keeps messages in flight, each with its own clientMsgId, and retries the
// unacknowledged ones on a new connection, as the app's outbox does.
struct Sender {
    Person person;
    std::map<std::int64_t, std::string> inFlight;   // request id -> clientMsgId
    std::map<std::string, std::int64_t> acked;      // clientMsgId -> seq
    std::set<std::string> all;

    void post(const std::string &topicId, const std::string &clientMsgId)
    {
        all.insert(clientMsgId);
        inFlight[person->post("message.send", {{"topicId", topicId}, {"clientMsgId", clientMsgId}, {"body", clientMsgId}})] = clientMsgId;
    }
    std::vector<std::string> errors;                 // codes of the refusals, in order

    // Takes in the replies that arrived; false if an acknowledged send was acknowledged again
    // with another seq.
    bool collect()
    {
        for (const json &reply : person->replies) {
            if (!reply["id"].is_number_integer())
                continue;
            const auto it = inFlight.find(reply["id"].get<std::int64_t>());
            if (it == inFlight.end())
                continue;
            if (reply["type"] != "result") {
                errors.push_back(reply.value("code", std::string()));
                inFlight.erase(it);
                continue;
            }
            const std::int64_t seq = reply["result"]["message"]["seq"].get<std::int64_t>();
            const auto [where, fresh] = acked.emplace(it->second, seq);
            if (!fresh && where->second != seq)
                return false;
            inFlight.erase(it);
        }
        person->replies.clear();
        return true;
    }
    std::set<std::string> unacked() const
    {
        std::set<std::string> out;
        for (const auto &id : all) {
            if (!acked.count(id))
                out.insert(id);
        }
        return out;
    }
};

struct Stored {
    std::map<std::string, std::int64_t> seqByClientId;
    std::vector<std::int64_t> seqs;   // ascending
    int rows = 0;
};

inline Stored stored(const std::string &databaseUrl, const std::string &topicId)
{
    pqxx::connection db(databaseUrl);
    pqxx::work tx(db);
    Stored out;
    for (const auto &row : tx.exec_params("SELECT client_msg_id::text, seq FROM messages WHERE topic_id = $1 ORDER BY seq", topicId)) {
        out.seqByClientId[row[0].as<std::string>()] = row[1].as<std::int64_t>();
        out.seqs.push_back(row[1].as<std::int64_t>());
        ++out.rows;
    }
    return out;
}


} // namespace chatterbox::test
