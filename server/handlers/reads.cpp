#include "server/handlers/handlers.h"

#include "server/handlers/queries.h"
#include "shared/codec.h"
#include "shared/limits.h"
#include "shared/replies.h"

#include <pqxx/pqxx>

#include <algorithm>
#include <chrono>
#include <map>

namespace chatterbox::server::handlers {

using protocol::ErrorCode;

namespace {

std::int64_t nowMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch()).count();
}

std::vector<protocol::Message> messages(const pqxx::result &rows, const std::string &partyId)
{
    std::vector<protocol::Message> out;
    out.reserve(rows.size());
    for (const auto &r : rows)
        out.push_back(queries::messageFromRow(r, partyId));
    return out;
}

} // namespace

Outcome ready(Tx &tx, const RequestContext &ctx, const std::vector<std::string> &features)
{
    const auto me = tx.exec_params("SELECT id, display_name, avatar_url FROM users WHERE id = $1", ctx.userId);
    if (me.empty())
        return Outcome::fail(ErrorCode::NotFound, "your account no longer exists; sign in again");
    protocol::Ready ready;
    ready.protocol = limits::kProtocolVersion;
    ready.features = features;
    ready.me = {me[0][0].as<std::string>(), me[0][1].as<std::string>(), me[0][2].as<std::string>()};
    ready.parties = queries::partiesOf(tx, ctx.userId);
    std::vector<std::string> partyIds;
    for (const auto &p : ready.parties)
        partyIds.push_back(p.id);
    ready.readStates = queries::readStates(tx, ctx.userId, partyIds);
    ready.serverTime = nowMs();

    Snapshot snapshot;
    snapshot.eventId = tx.exec1("SELECT last_id FROM event_log_head")[0].as<std::int64_t>();
    snapshot.partyIds = std::move(partyIds);
    Outcome o = Outcome::reply(ready);
    o.snapshot = std::move(snapshot);
    return o;
}

Outcome listParties(Tx &tx, const RequestContext &ctx, const protocol::ListParties &)
{
    return Outcome::reply(protocol::PartyList{queries::partiesOf(tx, ctx.userId)});
}

Outcome fetchHistory(Tx &tx, const RequestContext &ctx, const protocol::FetchHistory &request)
{
    const auto access = queries::topicAccess(tx, request.topicId, ctx.userId);
    if (!access)
        return Outcome::fail(ErrorCode::NotFound, "no such topic");
    const std::string select = std::string("SELECT ") + queries::kMessageColumns + " FROM messages m WHERE m.topic_id = $1";
    const int fetch = request.limit + 1; // one more than asked tells whether there is more
    pqxx::result rows;
    bool ascending = false;
    if (request.afterSeq) {
        rows = queries::prepared(tx, "history_after", select + " AND m.seq > $2 ORDER BY m.seq ASC LIMIT $3", request.topicId,
                                 *request.afterSeq, fetch);
        ascending = true;
    } else if (request.beforeSeq) {
        rows = queries::prepared(tx, "history_before", select + " AND m.seq < $2 ORDER BY m.seq DESC LIMIT $3", request.topicId,
                                 *request.beforeSeq, fetch);
    } else {
        rows = queries::prepared(tx, "history_newest", select + " ORDER BY m.seq DESC LIMIT $2", request.topicId, fetch);
    }
    protocol::History history;
    history.topicId = request.topicId;
    history.messages = messages(rows, access->partyId);
    history.hasMore = history.messages.size() > static_cast<std::size_t>(request.limit);
    if (history.hasMore)
        history.messages.pop_back();
    if (!ascending)
        std::reverse(history.messages.begin(), history.messages.end());
    return Outcome::reply(history);
}

Outcome syncTopics(Tx &tx, const RequestContext &ctx, const protocol::SyncTopics &request)
{
    std::vector<std::string> ids;
    for (const auto &p : request.topics)
        ids.push_back(p.topicId);
    std::map<std::string, std::string> partyOfTopic;
    if (!ids.empty()) {
        const auto visible = tx.exec_params("SELECT t.id, t.party_id FROM topics t"
                                            " JOIN members mb ON mb.party_id = t.party_id AND mb.user_id = $2"
                                            " WHERE t.id = ANY($1::uuid[])",
                                            queries::uuidArray(ids), ctx.userId);
        for (const auto &r : visible)
            partyOfTopic[r[0].as<std::string>()] = r[1].as<std::string>();
    }
    if (partyOfTopic.size() != ids.size())
        return Outcome::fail(ErrorCode::NotFound, "no such topic");

    const std::string select = std::string("SELECT ") + queries::kMessageColumns + " FROM messages m WHERE m.topic_id = $1";
    const int cap = limits::kMaxSyncMessagesPerTopic;
    protocol::SyncResult result;
    for (const auto &position : request.topics) {
        const std::string &partyId = partyOfTopic.at(position.topicId);
        protocol::TopicCatchUp catchUp;
        catchUp.topicId = position.topicId;
        catchUp.messages = messages(tx.exec_params(select + " AND m.seq > $2 ORDER BY m.seq LIMIT $3",
                                                   position.topicId, position.afterSeq, cap + 1),
                                    partyId);
        catchUp.hasMore = catchUp.messages.size() > static_cast<std::size_t>(cap);
        if (catchUp.hasMore)
            catchUp.messages.pop_back();
        if (position.afterRev) {
            // Older messages edited or deleted since the client's rev.
            auto changed = messages(tx.exec_params(select + " AND m.seq <= $2 AND m.rev > $3 ORDER BY m.seq LIMIT $4",
                                                   position.topicId, position.afterSeq, *position.afterRev, cap),
                                    partyId);
            changed.insert(changed.end(), std::make_move_iterator(catchUp.messages.begin()),
                           std::make_move_iterator(catchUp.messages.end()));
            catchUp.messages = std::move(changed);
        }
        result.topics.push_back(std::move(catchUp));
    }
    return Outcome::reply(result);
}

} // namespace chatterbox::server::handlers
