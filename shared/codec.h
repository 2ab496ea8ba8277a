// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "shared/events.h"
#include "shared/replies.h"
#include "shared/requests.h"
#include "shared/types.h"

#include <nlohmann/json_fwd.hpp>

#include <stdexcept>

// JSON form of every protocol struct. from_json throws on a missing or mistyped field;
// only decode() in frames.h is allowed to let that happen, and it turns it into an Error.
namespace chatterbox::protocol {

using nlohmann::json;

// What from_json throws for a missing or mistyped field; the text names the field.
struct CodecError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

#define CHATTERBOX_JSON_CODEC(Type)                                                                \
    void to_json(json &j, const Type &value);                                                      \
    void from_json(const json &j, Type &value);

CHATTERBOX_JSON_CODEC(User)
CHATTERBOX_JSON_CODEC(Member)
CHATTERBOX_JSON_CODEC(Topic)
CHATTERBOX_JSON_CODEC(Party)
CHATTERBOX_JSON_CODEC(Reaction)
CHATTERBOX_JSON_CODEC(ReplyPreview)
CHATTERBOX_JSON_CODEC(FileInfo)
CHATTERBOX_JSON_CODEC(Message)
CHATTERBOX_JSON_CODEC(MessageVersion)
CHATTERBOX_JSON_CODEC(ReadState)
CHATTERBOX_JSON_CODEC(Invite)
CHATTERBOX_JSON_CODEC(InvitePreview)

CHATTERBOX_JSON_CODEC(Hello)
CHATTERBOX_JSON_CODEC(ListParties)
CHATTERBOX_JSON_CODEC(CreateParty)
CHATTERBOX_JSON_CODEC(RenameParty)
CHATTERBOX_JSON_CODEC(ConfigureParty)
CHATTERBOX_JSON_CODEC(DeleteParty)
CHATTERBOX_JSON_CODEC(LeaveParty)
CHATTERBOX_JSON_CODEC(TransferOwnership)
CHATTERBOX_JSON_CODEC(SetMemberRole)
CHATTERBOX_JSON_CODEC(KickMember)
CHATTERBOX_JSON_CODEC(CreateTopic)
CHATTERBOX_JSON_CODEC(RenameTopic)
CHATTERBOX_JSON_CODEC(DeleteTopic)
CHATTERBOX_JSON_CODEC(ReorderTopics)
CHATTERBOX_JSON_CODEC(SendMessage)
CHATTERBOX_JSON_CODEC(EditMessage)
CHATTERBOX_JSON_CODEC(DeleteMessage)
CHATTERBOX_JSON_CODEC(GetMessage)
CHATTERBOX_JSON_CODEC(FetchHistory)
CHATTERBOX_JSON_CODEC(SearchMessages)
CHATTERBOX_JSON_CODEC(GetMessageVersions)
CHATTERBOX_JSON_CODEC(AddReaction)
CHATTERBOX_JSON_CODEC(RemoveReaction)
CHATTERBOX_JSON_CODEC(PinMessage)
CHATTERBOX_JSON_CODEC(ListPins)
CHATTERBOX_JSON_CODEC(SyncPosition)
CHATTERBOX_JSON_CODEC(SyncTopics)
CHATTERBOX_JSON_CODEC(CreateInvite)
CHATTERBOX_JSON_CODEC(ListInvites)
CHATTERBOX_JSON_CODEC(RevokeInvite)
CHATTERBOX_JSON_CODEC(PreviewInvite)
CHATTERBOX_JSON_CODEC(JoinInvite)
CHATTERBOX_JSON_CODEC(OpenDirect)
CHATTERBOX_JSON_CODEC(BlockUser)
CHATTERBOX_JSON_CODEC(UnblockUser)
CHATTERBOX_JSON_CODEC(SetPresence)
CHATTERBOX_JSON_CODEC(StartTyping)
CHATTERBOX_JSON_CODEC(RenewAccess)
CHATTERBOX_JSON_CODEC(MarkRead)
CHATTERBOX_JSON_CODEC(UpdateProfile)

CHATTERBOX_JSON_CODEC(Ready)
CHATTERBOX_JSON_CODEC(BlockList)
CHATTERBOX_JSON_CODEC(PartyList)
CHATTERBOX_JSON_CODEC(PartyReply)
CHATTERBOX_JSON_CODEC(JoinedParty)
CHATTERBOX_JSON_CODEC(TopicReply)
CHATTERBOX_JSON_CODEC(TopicOrder)
CHATTERBOX_JSON_CODEC(MessageReply)
CHATTERBOX_JSON_CODEC(Empty)
CHATTERBOX_JSON_CODEC(History)
CHATTERBOX_JSON_CODEC(TextRange)
CHATTERBOX_JSON_CODEC(SearchHit)
CHATTERBOX_JSON_CODEC(SearchResults)
CHATTERBOX_JSON_CODEC(MessageVersions)
CHATTERBOX_JSON_CODEC(PinnedMessages)
CHATTERBOX_JSON_CODEC(TopicCatchUp)
CHATTERBOX_JSON_CODEC(SyncResult)
CHATTERBOX_JSON_CODEC(InviteReply)
CHATTERBOX_JSON_CODEC(InviteList)
CHATTERBOX_JSON_CODEC(InvitePreviewReply)
CHATTERBOX_JSON_CODEC(ReadStateReply)
CHATTERBOX_JSON_CODEC(ProfileReply)
CHATTERBOX_JSON_CODEC(RenewedAccess)

CHATTERBOX_JSON_CODEC(PartyCreated)
CHATTERBOX_JSON_CODEC(PartyJoined)
CHATTERBOX_JSON_CODEC(PartyUpdated)
CHATTERBOX_JSON_CODEC(PartyDeleted)
CHATTERBOX_JSON_CODEC(MemberJoined)
CHATTERBOX_JSON_CODEC(MemberUpdated)
CHATTERBOX_JSON_CODEC(MemberLeft)
CHATTERBOX_JSON_CODEC(TopicCreated)
CHATTERBOX_JSON_CODEC(TopicUpdated)
CHATTERBOX_JSON_CODEC(TopicDeleted)
CHATTERBOX_JSON_CODEC(TopicsReordered)
CHATTERBOX_JSON_CODEC(MessageCreated)
CHATTERBOX_JSON_CODEC(MessageUpdated)
CHATTERBOX_JSON_CODEC(MessageDeleted)
CHATTERBOX_JSON_CODEC(ReactionAdded)
CHATTERBOX_JSON_CODEC(ReactionRemoved)
CHATTERBOX_JSON_CODEC(PinChanged)
CHATTERBOX_JSON_CODEC(PresenceUpdated)
CHATTERBOX_JSON_CODEC(Typing)
CHATTERBOX_JSON_CODEC(ReadStateUpdated)
CHATTERBOX_JSON_CODEC(ProfileUpdated)
CHATTERBOX_JSON_CODEC(BlocksUpdated)

#undef CHATTERBOX_JSON_CODEC

} // namespace chatterbox::protocol
