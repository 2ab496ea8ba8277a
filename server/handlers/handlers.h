// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/handlers/outcome.h"
#include "shared/requests.h"

#include <pqxx/transaction_base>

#include <string>
#include <vector>

// Request handlers: plain functions of (transaction, caller, request) -> the request's reply
// (AnswerTo<Request>: its Reply, or a refusal).
// They hold no state and open no connections, so tests call them on a real database directly.
// Writes run inside the writer's transaction; reads in a read-only snapshot.
namespace chatterbox::server::handlers {

using Tx = pqxx::transaction_base;

// Reads.
Answer<protocol::Ready> ready(Tx &tx, const RequestContext &ctx, const std::vector<std::string> &features);
AnswerTo<protocol::ListParties> listParties(Tx &tx, const RequestContext &ctx, const protocol::ListParties &request);
AnswerTo<protocol::FetchHistory> fetchHistory(Tx &tx, const RequestContext &ctx, const protocol::FetchHistory &request);
// A message of a party the caller is in; a deleted one as its tombstone.
AnswerTo<protocol::GetMessage> getMessage(Tx &tx, const RequestContext &ctx, const protocol::GetMessage &request);
// The earlier texts of a message the caller can see; none once it is deleted.
AnswerTo<protocol::SearchMessages> searchMessages(Tx &tx, const RequestContext &ctx, const protocol::SearchMessages &request);
AnswerTo<protocol::GetMessageVersions> getMessageVersions(Tx &tx, const RequestContext &ctx, const protocol::GetMessageVersions &request);
AnswerTo<protocol::ListPins> listPins(Tx &tx, const RequestContext &ctx, const protocol::ListPins &request);
AnswerTo<protocol::SyncTopics> syncTopics(Tx &tx, const RequestContext &ctx, const protocol::SyncTopics &request);
AnswerTo<protocol::ListInvites> listInvites(Tx &tx, const RequestContext &ctx, const protocol::ListInvites &request);
AnswerTo<protocol::PreviewInvite> previewInvite(Tx &tx, const RequestContext &ctx, const protocol::PreviewInvite &request);
// Checks the caller may see the topic and yields a typing event; nothing is written.
AnswerTo<protocol::StartTyping> startTyping(Tx &tx, const RequestContext &ctx, const protocol::StartTyping &request);

// Writes.
AnswerTo<protocol::CreateParty> createParty(Tx &tx, const RequestContext &ctx, const protocol::CreateParty &request);
AnswerTo<protocol::RenameParty> renameParty(Tx &tx, const RequestContext &ctx, const protocol::RenameParty &request);
AnswerTo<protocol::ConfigureParty> configureParty(Tx &tx, const RequestContext &ctx, const protocol::ConfigureParty &request);
AnswerTo<protocol::DeleteParty> deleteParty(Tx &tx, const RequestContext &ctx, const protocol::DeleteParty &request);
AnswerTo<protocol::LeaveParty> leaveParty(Tx &tx, const RequestContext &ctx, const protocol::LeaveParty &request);
AnswerTo<protocol::TransferOwnership> transferOwnership(Tx &tx, const RequestContext &ctx, const protocol::TransferOwnership &request);
AnswerTo<protocol::SetMemberRole> setMemberRole(Tx &tx, const RequestContext &ctx, const protocol::SetMemberRole &request);
AnswerTo<protocol::KickMember> kickMember(Tx &tx, const RequestContext &ctx, const protocol::KickMember &request);
AnswerTo<protocol::CreateTopic> createTopic(Tx &tx, const RequestContext &ctx, const protocol::CreateTopic &request);
AnswerTo<protocol::RenameTopic> renameTopic(Tx &tx, const RequestContext &ctx, const protocol::RenameTopic &request);
AnswerTo<protocol::DeleteTopic> deleteTopic(Tx &tx, const RequestContext &ctx, const protocol::DeleteTopic &request);
AnswerTo<protocol::ReorderTopics> reorderTopics(Tx &tx, const RequestContext &ctx, const protocol::ReorderTopics &request);
AnswerTo<protocol::SendMessage> sendMessage(Tx &tx, const RequestContext &ctx, const protocol::SendMessage &request);
// Many sends as one statement; outcome i answers sends[i], and a send that fails changed nothing.
struct SendRequest {
    RequestContext context;
    protocol::SendMessage request;
};
std::vector<AnswerTo<protocol::SendMessage>> sendMessages(Tx &tx, const std::vector<const SendRequest *> &sends);
AnswerTo<protocol::EditMessage> editMessage(Tx &tx, const RequestContext &ctx, const protocol::EditMessage &request);
AnswerTo<protocol::DeleteMessage> deleteMessage(Tx &tx, const RequestContext &ctx, const protocol::DeleteMessage &request);
// A message deleted by the server itself (retention, an operator), as its author's delete would
// do it, without asking who may: the events for the change log; none when it is not there or
// deleted already.
std::vector<PartyEvent> expungeMessage(Tx &tx, const std::string &messageId);
// Any member reacts; at most kMaxReactionsPerMessage distinct emoji on a message.
AnswerTo<protocol::AddReaction> addReaction(Tx &tx, const RequestContext &ctx, const protocol::AddReaction &request);
AnswerTo<protocol::RemoveReaction> removeReaction(Tx &tx, const RequestContext &ctx, const protocol::RemoveReaction &request);
// Owners and admins; at most kMaxPinsPerTopic pinned in a topic.
AnswerTo<protocol::PinMessage> pinMessage(Tx &tx, const RequestContext &ctx, const protocol::PinMessage &request);
AnswerTo<protocol::CreateInvite> createInvite(Tx &tx, const RequestContext &ctx, const protocol::CreateInvite &request);
AnswerTo<protocol::RevokeInvite> revokeInvite(Tx &tx, const RequestContext &ctx, const protocol::RevokeInvite &request);
AnswerTo<protocol::JoinInvite> joinInvite(Tx &tx, const RequestContext &ctx, const protocol::JoinInvite &request);
// direct.cpp: direct conversations and blocks.
// A refusal for a role that does not allow something: in a direct conversation, where nobody
// has a role, one that says so.
Refusal forbiddenIn(Tx &tx, const std::string &partyId, const char *refusal);
AnswerTo<protocol::OpenDirect> openDirect(Tx &tx, const RequestContext &ctx, const protocol::OpenDirect &request);
AnswerTo<protocol::BlockUser> blockUser(Tx &tx, const RequestContext &ctx, const protocol::BlockUser &request);
AnswerTo<protocol::UnblockUser> unblockUser(Tx &tx, const RequestContext &ctx, const protocol::UnblockUser &request);
AnswerTo<protocol::UpdateProfile> updateProfile(Tx &tx, const RequestContext &ctx, const protocol::UpdateProfile &request);
AnswerTo<protocol::MarkRead> markRead(Tx &tx, const RequestContext &ctx, const protocol::MarkRead &request);

} // namespace chatterbox::server::handlers
