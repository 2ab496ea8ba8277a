// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "shared/mentions.h"
#include "shared/types.h"

#include <pqxx/connection_base>
#include <pqxx/result>
#include <pqxx/row>
#include <pqxx/transaction_base>

#include <optional>
#include <string>
#include <vector>

// Reads shared by several handlers. Every look-up that takes an id also takes the caller,
// so "not a member" and "does not exist" come out the same: std::nullopt.
namespace chatterbox::server::queries {

using Tx = pqxx::transaction_base;

// Runs a statement that is prepared once per connection (planned once, not on every call):
// for the statements every message goes through. The name must always come with the same SQL.
template <typename... Args>
pqxx::result prepared(Tx &tx, const char *name, const std::string &sql, Args &&...args)
{
    tx.conn().prepare(name, sql);   // registers it; the same definition again is a no-op
    return tx.exec_prepared(name, std::forward<Args>(args)...);
}

// The tail of an insert into read_states: a read position only ever moves forward.
#define CHATTERBOX_READ_STATE_UPSERT                                                                         \
    " ON CONFLICT (user_id, topic_id)"                                                                       \
    " DO UPDATE SET last_read_seq = GREATEST(read_states.last_read_seq, EXCLUDED.last_read_seq)"

// Milliseconds since the epoch, as SQL, for a timestamptz column.
#define CHATTERBOX_MS(col) "(extract(epoch FROM " col ") * 1000)::bigint"

std::optional<protocol::Role> roleOf(Tx &tx, const std::string &partyId, const std::string &userId);

struct TopicAccess {
    std::string partyId;
    protocol::Role role = protocol::Role::Member;
    bool direct = false;   // the topic of a direct conversation
};
std::optional<TopicAccess> topicAccess(Tx &tx, const std::string &topicId, const std::string &userId);

struct MessageAccess {
    protocol::Message message;
    protocol::Role role = protocol::Role::Member;
};
std::optional<MessageAccess> messageAccess(Tx &tx, const std::string &messageId, const std::string &userId);
// A message whoever asks, after taking its topic's row lock: for the server's own changes
// (retention, an operator's), which no member makes.
std::optional<protocol::Message> lockedMessage(Tx &tx, const std::string &messageId);
// The same, read after taking the row lock of the message's topic: the lock every change to a
// topic's messages takes first (it orders their revs), so that what is read is what the change
// applies to even when another instance changed it meanwhile. (Read in the locking statement,
// it would come from before the wait.)
std::optional<MessageAccess> lockedMessageAccess(Tx &tx, const std::string &messageId, const std::string &userId);
// The quote a reply shows of its original, as it is now.
std::optional<protocol::ReplyPreview> replyPreview(Tx &tx, const std::string &messageId);

// The column list userFromRow() reads, for a query over "users u".
extern const char *const kUserColumns;
protocol::User userFromRow(const pqxx::row &row);

// The column list messageFromRow() reads, for a query over "messages m".
extern const char *const kMessageColumns;
protocol::Message messageFromRow(const pqxx::row &row, const std::string &partyId);

std::optional<protocol::Topic> topic(Tx &tx, const std::string &topicId);
std::optional<protocol::Member> member(Tx &tx, const std::string &partyId, const std::string &userId);
std::optional<protocol::Party> party(Tx &tx, const std::string &partyId);
std::vector<protocol::Party> partiesOf(Tx &tx, const std::string &userId);

std::vector<std::string> partyIdsOf(Tx &tx, const std::string &userId);

// The parties (not direct conversations) the person is in, for kMaxPartiesPerUser.
std::size_t partyCount(Tx &tx, const std::string &userId);
// Whether the party is a direct conversation (false for a party that does not exist).
bool isDirect(Tx &tx, const std::string &partyId);
// The people this person blocks, in id order.
std::vector<std::string> blockedBy(Tx &tx, const std::string &userId);
// Whether a block stands between this person and another member of the party, either way: in a
// direct conversation, neither may write to the other then.
bool blockedInDirect(Tx &tx, const std::string &partyId, const std::string &userId);

// Read positions with unread and mention counts, for every topic of these parties.
std::vector<protocol::ReadState> readStates(Tx &tx, const std::string &userId, const std::vector<std::string> &partyIds);
protocol::ReadState readState(Tx &tx, const std::string &userId, const std::string &topicId);
// A newcomer starts with everything already there marked read.
void startReadStatesAtEnd(Tx &tx, const std::string &userId, const std::string &partyId);
// Moves a read position forward to seq; never back.
void advanceReadState(Tx &tx, const std::string &userId, const std::string &topicId, std::int64_t seq);

std::vector<protocol::MentionCandidate> mentionCandidates(Tx &tx, const std::string &partyId);
// Replaces the message's mentions with userIds.
void storeMentions(Tx &tx, const protocol::Message &message, const std::vector<std::string> &userIds);

// "{a,b,c}": a PostgreSQL array literal of ids already checked to be UUIDs.
std::string uuidArray(const std::vector<std::string> &ids);
// The files sent with a message, in their order.
std::vector<protocol::FileInfo> filesOf(Tx &tx, const std::string &messageId);

} // namespace chatterbox::server::queries
