// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace chatterbox::protocol {

struct MentionCandidate {
    std::string userId;
    std::string displayName;
};

// The people a message body names with "@Display Name". A mention is '@' followed by a
// candidate's display name (ASCII letters compared without case), not followed by a letter,
// digit or underscore; where names overlap ("@Ann" and "@Ann Lee"), the longest match wins.
// Returns each user id once, in order of first mention.
std::vector<std::string> resolveMentions(std::string_view body, const std::vector<MentionCandidate> &candidates);

// "@everyone" (every member of the party) and "@here" (the members online when it is sent),
// matched as mentions are; "everyone" when the body has both.
enum class MassMention { None, Here, Everyone };
MassMention massMentionIn(std::string_view body);
const char *massMentionName(MassMention mention);   // "", "here", "everyone"
bool massMentionFromName(std::string_view name, MassMention &out);

// Who may use them in a party: its owner and admins (the default), or every member.
enum class MassMentionRule { Admins, Members };
const char *massMentionRuleName(MassMentionRule rule);
bool massMentionRuleFromName(std::string_view name, MassMentionRule &out);

} // namespace chatterbox::protocol
