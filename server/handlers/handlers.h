#pragma once

#include "server/handlers/outcome.h"
#include "shared/requests.h"

#include <pqxx/transaction_base>

#include <string>
#include <vector>

// Request handlers: plain functions of (transaction, caller, request) -> Outcome.
// They hold no state and open no connections, so tests call them on a real database directly.
// Writes run inside the writer's transaction; reads in a read-only snapshot.
namespace chatterbox::server::handlers {

using Tx = pqxx::transaction_base;

// Reads.
Outcome ready(Tx &tx, const RequestContext &ctx, const std::vector<std::string> &features);
Outcome listParties(Tx &tx, const RequestContext &ctx, const protocol::ListParties &request);
Outcome fetchHistory(Tx &tx, const RequestContext &ctx, const protocol::FetchHistory &request);
// A message of a party the caller is in; a deleted one as its tombstone.
Outcome getMessage(Tx &tx, const RequestContext &ctx, const protocol::GetMessage &request);
Outcome syncTopics(Tx &tx, const RequestContext &ctx, const protocol::SyncTopics &request);
Outcome listInvites(Tx &tx, const RequestContext &ctx, const protocol::ListInvites &request);
Outcome previewInvite(Tx &tx, const RequestContext &ctx, const protocol::PreviewInvite &request);
// Checks the caller may see the topic and yields a typing event; nothing is written.
Outcome startTyping(Tx &tx, const RequestContext &ctx, const protocol::StartTyping &request);

// Writes.
Outcome createParty(Tx &tx, const RequestContext &ctx, const protocol::CreateParty &request);
Outcome renameParty(Tx &tx, const RequestContext &ctx, const protocol::RenameParty &request);
Outcome deleteParty(Tx &tx, const RequestContext &ctx, const protocol::DeleteParty &request);
Outcome leaveParty(Tx &tx, const RequestContext &ctx, const protocol::LeaveParty &request);
Outcome transferOwnership(Tx &tx, const RequestContext &ctx, const protocol::TransferOwnership &request);
Outcome setMemberRole(Tx &tx, const RequestContext &ctx, const protocol::SetMemberRole &request);
Outcome kickMember(Tx &tx, const RequestContext &ctx, const protocol::KickMember &request);
Outcome createTopic(Tx &tx, const RequestContext &ctx, const protocol::CreateTopic &request);
Outcome renameTopic(Tx &tx, const RequestContext &ctx, const protocol::RenameTopic &request);
Outcome deleteTopic(Tx &tx, const RequestContext &ctx, const protocol::DeleteTopic &request);
Outcome reorderTopics(Tx &tx, const RequestContext &ctx, const protocol::ReorderTopics &request);
Outcome sendMessage(Tx &tx, const RequestContext &ctx, const protocol::SendMessage &request);
// Many sends as one statement; outcome i answers sends[i], and a send that fails changed nothing.
struct SendRequest {
    RequestContext context;
    protocol::SendMessage request;
};
std::vector<Outcome> sendMessages(Tx &tx, const std::vector<const SendRequest *> &sends);
Outcome editMessage(Tx &tx, const RequestContext &ctx, const protocol::EditMessage &request);
Outcome deleteMessage(Tx &tx, const RequestContext &ctx, const protocol::DeleteMessage &request);
Outcome createInvite(Tx &tx, const RequestContext &ctx, const protocol::CreateInvite &request);
Outcome revokeInvite(Tx &tx, const RequestContext &ctx, const protocol::RevokeInvite &request);
Outcome joinInvite(Tx &tx, const RequestContext &ctx, const protocol::JoinInvite &request);
Outcome updateProfile(Tx &tx, const RequestContext &ctx, const protocol::UpdateProfile &request);
Outcome markRead(Tx &tx, const RequestContext &ctx, const protocol::MarkRead &request);

} // namespace chatterbox::server::handlers
