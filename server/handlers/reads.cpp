// SPDX-License-Identifier: GPL-3.0-or-later
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

// How much of a page's byte budget a message takes: its JSON, as the reply will carry it.
std::size_t encodedSize(const protocol::Message &message)
{
    return nlohmann::json(message).dump().size() + 1;   // and the comma between
}

// Keeps the messages, in the order given, that fit in `budget` (always the first one, so that
// a page always moves on), and takes what they use from it. False when some did not fit.
bool keepWhatFits(std::vector<protocol::Message> &messages, std::size_t &budget, bool mayBeEmpty)
{
    std::size_t kept = 0;
    for (; kept < messages.size(); ++kept) {
        const std::size_t size = encodedSize(messages[kept]);
        if (size > budget && (kept > 0 || mayBeEmpty))
            break;
        budget -= std::min(size, budget);
    }
    const bool all = kept == messages.size();
    messages.resize(kept);
    return all;
}

// The message at aroundSeq (or the first after it) with half a page before it and the rest after.
protocol::History historyAround(Tx &tx, const protocol::FetchHistory &request, const std::string &partyId)
{
    const std::string select = std::string("SELECT ") + queries::kMessageColumns + " FROM messages m WHERE m.topic_id = $1";
    const int before = request.limit / 2;
    const int after = request.limit - before;
    auto older = messages(queries::prepared(tx, "history_before", select + " AND m.seq < $2 ORDER BY m.seq DESC LIMIT $3",
                                            request.topicId, *request.aroundSeq, before + 1),
                          partyId);
    auto newer = messages(queries::prepared(tx, "history_from", select + " AND m.seq >= $2 ORDER BY m.seq ASC LIMIT $3",
                                            request.topicId, *request.aroundSeq, after + 1),
                          partyId);
    protocol::History history;
    history.topicId = request.topicId;
    history.hasMore = older.size() > static_cast<std::size_t>(before);
    history.hasNewer = newer.size() > static_cast<std::size_t>(after);
    older.resize(std::min(older.size(), static_cast<std::size_t>(before)));
    newer.resize(std::min(newer.size(), static_cast<std::size_t>(after)));
    // The message asked for first, then outwards, so that a page cut short by size keeps it.
    std::size_t budget = limits::kMaxPageBytes;
    history.hasNewer = !keepWhatFits(newer, budget, false) || history.hasNewer;
    history.hasMore = !keepWhatFits(older, budget, true) || history.hasMore;
    history.messages.assign(std::make_move_iterator(older.rbegin()), std::make_move_iterator(older.rend()));
    history.messages.insert(history.messages.end(), std::make_move_iterator(newer.begin()), std::make_move_iterator(newer.end()));
    return history;
}

} // namespace

Answer<protocol::Ready> ready(Tx &tx, const RequestContext &ctx, const std::vector<std::string> &features)
{
    const auto me = tx.exec_params(std::string("SELECT ") + queries::kUserColumns + " FROM users u WHERE u.id = $1", ctx.userId);
    if (me.empty())
        return Outcome::fail(ErrorCode::NotFound, "your account no longer exists; sign in again");
    protocol::Ready ready;
    ready.protocol = limits::kProtocolVersion;
    ready.features = features;
    ready.me = queries::userFromRow(me[0]);
    ready.parties = queries::partiesOf(tx, ctx.userId);
    std::vector<std::string> partyIds;
    for (const auto &p : ready.parties)
        partyIds.push_back(p.id);
    ready.readStates = queries::readStates(tx, ctx.userId, partyIds);
    ready.blockedUserIds = queries::blockedBy(tx, ctx.userId);
    ready.serverTime = nowMs();

    Snapshot snapshot;
    snapshot.eventId = tx.exec1("SELECT last_id FROM event_log_head")[0].as<std::int64_t>();
    snapshot.partyIds = std::move(partyIds);
    auto o = Outcome::reply(ready);
    o.snapshot = std::move(snapshot);
    return o;
}

AnswerTo<protocol::ListParties> listParties(Tx &tx, const RequestContext &ctx, const protocol::ListParties &)
{
    return Outcome::reply(protocol::PartyList{queries::partiesOf(tx, ctx.userId)});
}

AnswerTo<protocol::GetMessage> getMessage(Tx &tx, const RequestContext &ctx, const protocol::GetMessage &request)
{
    // Not a member (any more), or no such message: the same answer, so ids reveal nothing.
    const auto access = queries::messageAccess(tx, request.messageId, ctx.userId);
    if (!access)
        return Outcome::fail(protocol::ErrorCode::NotFound, "no such message");
    return Outcome::reply(protocol::MessageReply{access->message});
}

AnswerTo<protocol::FetchHistory> fetchHistory(Tx &tx, const RequestContext &ctx, const protocol::FetchHistory &request)
{
    const auto access = queries::topicAccess(tx, request.topicId, ctx.userId);
    if (!access)
        return Outcome::fail(ErrorCode::NotFound, "no such topic");
    const std::string select = std::string("SELECT ") + queries::kMessageColumns + " FROM messages m WHERE m.topic_id = $1";
    const int fetch = request.limit + 1; // one more than asked tells whether there is more
    if (request.aroundSeq)
        return historyAround(tx, request, access->partyId);
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
    // In the order fetched, so that a page cut short by size still starts where it was asked to.
    std::size_t budget = limits::kMaxPageBytes;
    if (!keepWhatFits(history.messages, budget, false))
        history.hasMore = true;
    if (!ascending)
        std::reverse(history.messages.begin(), history.messages.end());
    return Outcome::reply(history);
}

AnswerTo<protocol::SyncTopics> syncTopics(Tx &tx, const RequestContext &ctx, const protocol::SyncTopics &request)
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

    // One byte budget for the whole reply, spent topic by topic. Within a topic the older
    // messages changed since afterRev come first, oldest change first, then the new ones
    // oldest first, so that whatever is cut off is a continuation: the client syncs again from
    // the newest seq and rev it now holds (or pages new messages with message.history).
    const std::string select = std::string("SELECT ") + queries::kMessageColumns + " FROM messages m WHERE m.topic_id = $1";
    const int cap = limits::kMaxSyncMessagesPerTopic;
    std::size_t budget = limits::kMaxPageBytes;
    protocol::SyncResult result;
    for (const auto &position : request.topics) {
        const std::string &partyId = partyOfTopic.at(position.topicId);
        // With the budget spent, one row is enough to learn whether there is more.
        const int fetch = budget > 0 ? cap + 1 : 1;
        protocol::TopicCatchUp catchUp;
        catchUp.topicId = position.topicId;
        std::vector<protocol::Message> changed;
        if (position.afterRev) {
            changed = messages(tx.exec_params(select + " AND m.seq <= $2 AND m.rev > $3 ORDER BY m.rev LIMIT $4",
                                              position.topicId, position.afterSeq, *position.afterRev, fetch),
                               partyId);
            catchUp.hasMore = changed.size() > static_cast<std::size_t>(cap);
            changed.resize(std::min(changed.size(), static_cast<std::size_t>(cap)));
            catchUp.hasMore = !keepWhatFits(changed, budget, true) || catchUp.hasMore;
            std::sort(changed.begin(), changed.end(), [](const auto &a, const auto &b) { return a.seq < b.seq; });
        }
        if (!catchUp.hasMore) {
            auto added = messages(tx.exec_params(select + " AND m.seq > $2 ORDER BY m.seq LIMIT $3",
                                                 position.topicId, position.afterSeq, fetch),
                                  partyId);
            catchUp.hasMore = added.size() > static_cast<std::size_t>(cap);
            added.resize(std::min(added.size(), static_cast<std::size_t>(cap)));
            catchUp.hasMore = !keepWhatFits(added, budget, true) || catchUp.hasMore;
            changed.insert(changed.end(), std::make_move_iterator(added.begin()), std::make_move_iterator(added.end()));
        }
        catchUp.messages = std::move(changed);
        result.topics.push_back(std::move(catchUp));
    }
    return Outcome::reply(result);
}

} // namespace chatterbox::server::handlers
