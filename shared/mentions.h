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

} // namespace chatterbox::protocol
