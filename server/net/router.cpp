// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/net/router.h"

#include "server/handlers/handlers.h"
#include "shared/features.h"

namespace chatterbox::server {

namespace {

// A handler answers with the reply its request declares (AnswerTo<Request>), or does not bind.
template <typename Request>
Route bind(RouteKind kind, AnswerTo<Request> (*handler)(handlers::Tx &, const RequestContext &, const Request &),
           const Request &request, const RequestContext &context, ThrottleKind throttle = ThrottleKind::None)
{
    return Route{kind, throttle, [handler, request, context](pqxx::transaction_base &tx) -> Outcome { return handler(tx, context, request); }};
}

std::vector<Outcome> sendAll(pqxx::transaction_base &tx, const std::vector<const std::any *> &requests)
{
    std::vector<const handlers::SendRequest *> sends;
    sends.reserve(requests.size());
    for (const std::any *request : requests)
        sends.push_back(&std::any_cast<const handlers::SendRequest &>(*request));
    auto answers = handlers::sendMessages(tx, sends);
    return {std::make_move_iterator(answers.begin()), std::make_move_iterator(answers.end())};
}

struct Router {
    const RequestContext &ctx;

    // The hub checks the protocol version and the connection's state first.
    Route operator()(const protocol::Hello &hello) const
    {
        return Route{RouteKind::Read, ThrottleKind::None, [features = protocol::commonFeatures(hello.features), ctx = ctx](pqxx::transaction_base &tx) {
                         return handlers::ready(tx, ctx, features);
                     }};
    }
    Route operator()(const protocol::ListParties &r) const { return bind(RouteKind::Read, handlers::listParties, r, ctx); }
    Route operator()(const protocol::GetMessage &r) const { return bind(RouteKind::Read, handlers::getMessage, r, ctx); }
    Route operator()(const protocol::FetchHistory &r) const { return bind(RouteKind::Read, handlers::fetchHistory, r, ctx); }
    Route operator()(const protocol::SearchMessages &r) const { return bind(RouteKind::Read, handlers::searchMessages, r, ctx, ThrottleKind::Search); }
    Route operator()(const protocol::GetMessageVersions &r) const { return bind(RouteKind::Read, handlers::getMessageVersions, r, ctx); }
    Route operator()(const protocol::ListPins &r) const { return bind(RouteKind::Read, handlers::listPins, r, ctx); }
    Route operator()(const protocol::AddReaction &r) const { return bind(RouteKind::Write, handlers::addReaction, r, ctx, ThrottleKind::Reaction); }
    Route operator()(const protocol::RemoveReaction &r) const { return bind(RouteKind::Write, handlers::removeReaction, r, ctx, ThrottleKind::Reaction); }
    Route operator()(const protocol::PinMessage &r) const { return bind(RouteKind::Write, handlers::pinMessage, r, ctx); }
    Route operator()(const protocol::SyncTopics &r) const { return bind(RouteKind::Read, handlers::syncTopics, r, ctx); }
    Route operator()(const protocol::CreateParty &r) const { return bind(RouteKind::Write, handlers::createParty, r, ctx); }
    Route operator()(const protocol::RenameParty &r) const { return bind(RouteKind::Write, handlers::renameParty, r, ctx); }
    Route operator()(const protocol::ConfigureParty &r) const { return bind(RouteKind::Write, handlers::configureParty, r, ctx); }
    Route operator()(const protocol::DeleteParty &r) const { return bind(RouteKind::Write, handlers::deleteParty, r, ctx); }
    Route operator()(const protocol::LeaveParty &r) const { return bind(RouteKind::Write, handlers::leaveParty, r, ctx); }
    Route operator()(const protocol::TransferOwnership &r) const { return bind(RouteKind::Write, handlers::transferOwnership, r, ctx); }
    Route operator()(const protocol::SetMemberRole &r) const { return bind(RouteKind::Write, handlers::setMemberRole, r, ctx); }
    Route operator()(const protocol::KickMember &r) const { return bind(RouteKind::Write, handlers::kickMember, r, ctx); }
    Route operator()(const protocol::CreateTopic &r) const { return bind(RouteKind::Write, handlers::createTopic, r, ctx); }
    Route operator()(const protocol::RenameTopic &r) const { return bind(RouteKind::Write, handlers::renameTopic, r, ctx); }
    Route operator()(const protocol::DeleteTopic &r) const { return bind(RouteKind::Write, handlers::deleteTopic, r, ctx); }
    Route operator()(const protocol::ReorderTopics &r) const { return bind(RouteKind::Write, handlers::reorderTopics, r, ctx); }
    Route operator()(const protocol::SendMessage &r) const
    {
        return Route{RouteKind::Write, ThrottleKind::None, {}, Executor::Combinable{sendAll, handlers::SendRequest{ctx, r}}};
    }
    Route operator()(const protocol::EditMessage &r) const { return bind(RouteKind::Write, handlers::editMessage, r, ctx); }
    Route operator()(const protocol::DeleteMessage &r) const { return bind(RouteKind::Write, handlers::deleteMessage, r, ctx); }
    Route operator()(const protocol::CreateInvite &r) const { return bind(RouteKind::Write, handlers::createInvite, r, ctx); }
    Route operator()(const protocol::ListInvites &r) const { return bind(RouteKind::Read, handlers::listInvites, r, ctx); }
    Route operator()(const protocol::RevokeInvite &r) const { return bind(RouteKind::Write, handlers::revokeInvite, r, ctx); }
    Route operator()(const protocol::PreviewInvite &r) const { return bind(RouteKind::Read, handlers::previewInvite, r, ctx, ThrottleKind::InviteLookup); }
    Route operator()(const protocol::JoinInvite &r) const { return bind(RouteKind::Write, handlers::joinInvite, r, ctx, ThrottleKind::InviteLookup); }
    Route operator()(const protocol::OpenDirect &r) const { return bind(RouteKind::Write, handlers::openDirect, r, ctx, ThrottleKind::DirectOpen); }
    Route operator()(const protocol::BlockUser &r) const { return bind(RouteKind::Write, handlers::blockUser, r, ctx); }
    Route operator()(const protocol::UnblockUser &r) const { return bind(RouteKind::Write, handlers::unblockUser, r, ctx); }
    Route operator()(const protocol::StartTyping &r) const { return bind(RouteKind::Read, handlers::startTyping, r, ctx, ThrottleKind::Typing); }
    Route operator()(const protocol::MarkRead &r) const { return bind(RouteKind::Write, handlers::markRead, r, ctx); }
    Route operator()(const protocol::UpdateProfile &r) const { return bind(RouteKind::Write, handlers::updateProfile, r, ctx); }
    // Presence is live state held by the hub, and a connection's token is the hub's to check.
    Route operator()(const protocol::RenewAccess &) const { return Route{RouteKind::Hub}; }
    Route operator()(const protocol::SetPresence &) const { return Route{RouteKind::Hub}; }
};

} // namespace

Route routeRequest(const protocol::Request &request, const RequestContext &context)
{
    return std::visit(Router{context}, request);
}

} // namespace chatterbox::server
