// SPDX-License-Identifier: GPL-3.0-or-later
#include "shared/mentions.h"

#include <algorithm>

namespace chatterbox::protocol {

namespace {

char lowerAscii(char c)
{
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool isWordChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

bool matchesAt(std::string_view body, std::size_t at, std::string_view name)
{
    if (name.empty() || at + name.size() > body.size())
        return false;
    for (std::size_t i = 0; i < name.size(); ++i) {
        if (lowerAscii(body[at + i]) != lowerAscii(name[i]))
            return false;
    }
    const std::size_t end = at + name.size();
    return end == body.size() || !isWordChar(body[end]);
}

} // namespace

std::vector<std::string> resolveMentions(std::string_view body, const std::vector<MentionCandidate> &candidates)
{
    std::vector<std::string> found;
    for (std::size_t at = body.find('@'); at != std::string_view::npos; at = body.find('@', at + 1)) {
        // An e-mail address is not a mention: '@' must start the text or follow a non-word character.
        if (at > 0 && isWordChar(body[at - 1]))
            continue;
        const MentionCandidate *best = nullptr;
        for (const auto &c : candidates) {
            if (matchesAt(body, at + 1, c.displayName) && (!best || c.displayName.size() > best->displayName.size()))
                best = &c;
        }
        if (best && std::find(found.begin(), found.end(), best->userId) == found.end())
            found.push_back(best->userId);
    }
    return found;
}

MassMention massMentionIn(std::string_view body)
{
    MassMention found = MassMention::None;
    for (std::size_t at = body.find('@'); at != std::string_view::npos; at = body.find('@', at + 1)) {
        if (at > 0 && isWordChar(body[at - 1]))
            continue;
        if (matchesAt(body, at + 1, "everyone"))
            return MassMention::Everyone;
        if (matchesAt(body, at + 1, "here"))
            found = MassMention::Here;
    }
    return found;
}

const char *massMentionName(MassMention mention)
{
    switch (mention) {
    case MassMention::None: return "";
    case MassMention::Here: return "here";
    case MassMention::Everyone: return "everyone";
    }
    return "";
}

bool massMentionFromName(std::string_view name, MassMention &out)
{
    if (name.empty()) out = MassMention::None;
    else if (name == "here") out = MassMention::Here;
    else if (name == "everyone") out = MassMention::Everyone;
    else return false;
    return true;
}

const char *massMentionRuleName(MassMentionRule rule)
{
    return rule == MassMentionRule::Members ? "members" : "admins";
}

bool massMentionRuleFromName(std::string_view name, MassMentionRule &out)
{
    if (name == "admins") out = MassMentionRule::Admins;
    else if (name == "members") out = MassMentionRule::Members;
    else return false;
    return true;
}

} // namespace chatterbox::protocol
