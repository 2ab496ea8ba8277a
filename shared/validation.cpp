// SPDX-License-Identifier: GPL-3.0-or-later
#include "shared/validation.h"

#include "shared/searchquery.h"

#include "shared/limits.h"

#include <algorithm>
#include <unordered_set>

namespace chatterbox::protocol {

namespace {

Error invalid(std::string message)
{
    return Error{ErrorCode::InvalidRequest, std::move(message)};
}

std::optional<Error> checkId(const std::string &id, const char *what)
{
    if (!isUuid(id))
        return invalid(std::string(what) + " is not a valid id");
    return std::nullopt;
}

// Unicode's White_Space property.
bool isWhiteSpace(char32_t c)
{
    return (c >= 0x09 && c <= 0x0d) || c == 0x20 || c == 0x85 || c == 0xa0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200a)
           || c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000;
}

// Characters that draw nothing (Unicode's Default_Ignorable_Code_Point and the fillers that
// render as blanks): zero-width spaces and joiners, bidi marks, embeddings, overrides and
// isolates, the byte order mark, variation selectors, tags, Hangul fillers.
bool isInvisible(char32_t c)
{
    return c == 0xad || c == 0x34f || c == 0x61c || c == 0x115f || c == 0x1160 || c == 0x17b4 || c == 0x17b5
           || (c >= 0x180b && c <= 0x180f) || (c >= 0x200b && c <= 0x200f) || (c >= 0x202a && c <= 0x202e)
           || (c >= 0x2060 && c <= 0x206f) || c == 0x2800 || c == 0x3164 || (c >= 0xfe00 && c <= 0xfe0f) || c == 0xfeff
           || c == 0xffa0 || (c >= 0xfff0 && c <= 0xfff8) || (c >= 0x1bca0 && c <= 0x1bca3) || (c >= 0x1d173 && c <= 0x1d17a)
           || (c >= 0xe0000 && c <= 0xe0fff);
}

bool isControl(char32_t c, bool allowLineBreaks)
{
    if (allowLineBreaks && (c == U'\n' || c == U'\t'))
        return false;
    return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0x2028 || c == 0x2029;
}

// Decodes valid UTF-8 into code points; returns false on the first malformed sequence.
template <typename Visit>
bool forEachCodePoint(std::string_view text, Visit visit)
{
    std::size_t i = 0;
    while (i < text.size()) {
        const auto lead = static_cast<unsigned char>(text[i]);
        char32_t cp = 0;
        std::size_t extra = 0;
        if (lead < 0x80) { cp = lead; }
        else if ((lead & 0xe0) == 0xc0) { cp = lead & 0x1f; extra = 1; }
        else if ((lead & 0xf0) == 0xe0) { cp = lead & 0x0f; extra = 2; }
        else if ((lead & 0xf8) == 0xf0) { cp = lead & 0x07; extra = 3; }
        else return false;
        if (i + extra >= text.size() && extra > 0)
            return false;
        for (std::size_t k = 1; k <= extra; ++k) {
            const auto cont = static_cast<unsigned char>(text[i + k]);
            if ((cont & 0xc0) != 0x80)
                return false;
            cp = (cp << 6) | (cont & 0x3f);
        }
        // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
        if ((extra == 1 && cp < 0x80) || (extra == 2 && cp < 0x800) || (extra == 3 && cp < 0x10000)
            || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
            return false;
        if (!visit(cp))
            return true;
        i += extra + 1;
    }
    return true;
}

std::optional<Error> checkNameField(std::string &name, std::size_t maxChars, const char *what)
{
    name = trimmed(name);
    return checkName(name, maxChars, what);
}

struct Validator {
    std::optional<Error> operator()(Hello &r) const
    {
        if (r.features.size() > limits::kMaxFeatures)
            return invalid("too many features");
        for (const auto &f : r.features) {
            if (f.empty() || f.size() > limits::kMaxFeatureNameChars || !isValidUtf8(f))
                return invalid("a feature name is empty or too long");
        }
        return std::nullopt;
    }
    std::optional<Error> operator()(ListParties &) const { return std::nullopt; }
    std::optional<Error> operator()(CreateParty &r) const { return checkNameField(r.name, limits::kMaxNameChars, "party name"); }
    std::optional<Error> operator()(RenameParty &r) const
    {
        if (auto e = checkId(r.partyId, "partyId")) return e;
        return checkNameField(r.name, limits::kMaxNameChars, "party name");
    }
    std::optional<Error> operator()(ConfigureParty &r) const { return checkId(r.partyId, "partyId"); }
    std::optional<Error> operator()(DeleteParty &r) const { return checkId(r.partyId, "partyId"); }
    std::optional<Error> operator()(LeaveParty &r) const { return checkId(r.partyId, "partyId"); }
    std::optional<Error> operator()(TransferOwnership &r) const
    {
        if (auto e = checkId(r.partyId, "partyId")) return e;
        return checkId(r.userId, "userId");
    }
    std::optional<Error> operator()(SetMemberRole &r) const
    {
        if (auto e = checkId(r.partyId, "partyId")) return e;
        if (auto e = checkId(r.userId, "userId")) return e;
        if (r.role == Role::Owner)
            return invalid("role must be admin or member; use party.transfer to change the owner");
        return std::nullopt;
    }
    std::optional<Error> operator()(KickMember &r) const
    {
        if (auto e = checkId(r.partyId, "partyId")) return e;
        return checkId(r.userId, "userId");
    }
    std::optional<Error> operator()(CreateTopic &r) const
    {
        if (auto e = checkId(r.partyId, "partyId")) return e;
        return checkNameField(r.name, limits::kMaxNameChars, "topic name");
    }
    std::optional<Error> operator()(RenameTopic &r) const
    {
        if (auto e = checkId(r.topicId, "topicId")) return e;
        return checkNameField(r.name, limits::kMaxNameChars, "topic name");
    }
    std::optional<Error> operator()(DeleteTopic &r) const { return checkId(r.topicId, "topicId"); }
    std::optional<Error> operator()(ReorderTopics &r) const
    {
        if (auto e = checkId(r.partyId, "partyId")) return e;
        if (r.topicIds.empty() || r.topicIds.size() > limits::kMaxTopicsPerParty)
            return invalid("topicIds must list the party's topics");
        std::unordered_set<std::string> seen;
        for (const auto &id : r.topicIds) {
            if (auto e = checkId(id, "a topicId")) return e;
            if (!seen.insert(id).second)
                return invalid("topicIds lists a topic twice");
        }
        return std::nullopt;
    }
    std::optional<Error> operator()(SendMessage &r) const
    {
        if (auto e = checkId(r.topicId, "topicId")) return e;
        if (auto e = checkId(r.clientMsgId, "clientMsgId")) return e;
        if (r.replyTo)
            if (auto e = checkId(*r.replyTo, "replyTo")) return e;
        if (r.files.size() > limits::kMaxFilesPerMessage)
            return invalid("at most " + std::to_string(limits::kMaxFilesPerMessage) + " files in one message");
        for (std::size_t i = 0; i < r.files.size(); ++i) {
            if (auto e = checkId(r.files[i], "files")) return e;
            if (std::find(r.files.begin(), r.files.begin() + static_cast<std::ptrdiff_t>(i), r.files[i]) != r.files.begin() + static_cast<std::ptrdiff_t>(i))
                return invalid("a file is named twice in files");
        }
        // A message with files may say nothing else (no caption); one without must say something.
        if (!r.files.empty() && r.body.empty())
            return std::nullopt;
        return checkBody(r.body);
    }
    std::optional<Error> operator()(EditMessage &r) const
    {
        if (auto e = checkId(r.messageId, "messageId")) return e;
        return checkBody(r.body);
    }
    std::optional<Error> operator()(DeleteMessage &r) const { return checkId(r.messageId, "messageId"); }
    std::optional<Error> operator()(GetMessage &r) const { return checkId(r.messageId, "messageId"); }
    std::optional<Error> operator()(FetchHistory &r) const
    {
        if (auto e = checkId(r.topicId, "topicId")) return e;
        if (int(r.beforeSeq.has_value()) + int(r.afterSeq.has_value()) + int(r.aroundSeq.has_value()) > 1)
            return invalid("give one of beforeSeq, afterSeq and aroundSeq, not several");
        if ((r.beforeSeq && *r.beforeSeq < 1) || (r.afterSeq && *r.afterSeq < 0) || (r.aroundSeq && *r.aroundSeq < 1))
            return invalid("seq out of range");
        if (r.limit < 1 || r.limit > limits::kMaxHistoryPage)
            return invalid("limit must be between 1 and " + std::to_string(limits::kMaxHistoryPage));
        return std::nullopt;
    }
    std::optional<Error> operator()(SearchMessages &r) const
    {
        if (r.topicId) if (auto e = checkId(*r.topicId, "topicId")) return e;
        if (r.partyId) if (auto e = checkId(*r.partyId, "partyId")) return e;
        if (r.cursor && !parseSearchCursor(*r.cursor))
            return invalid("cursor is not one this server gave: pass a page's \"next\" as it came");
        if (r.limit < 1 || r.limit > limits::kMaxSearchPage)
            return invalid("limit must be between 1 and " + std::to_string(limits::kMaxSearchPage));
        if (r.utcOffsetMinutes < -limits::kMaxUtcOffsetMinutes || r.utcOffsetMinutes > limits::kMaxUtcOffsetMinutes)
            return invalid("utcOffsetMinutes must be between -840 and 840");
        const auto parsed = parseSearchQuery(r.query);
        if (!parsed)
            return parsed.error();
        return std::nullopt;
    }
    std::optional<Error> operator()(GetMessageVersions &r) const { return checkId(r.messageId, "messageId"); }
    std::optional<Error> operator()(AddReaction &r) const
    {
        if (auto e = checkId(r.messageId, "messageId")) return e;
        return checkEmoji(r.emoji);
    }
    std::optional<Error> operator()(RemoveReaction &r) const
    {
        if (auto e = checkId(r.messageId, "messageId")) return e;
        return checkEmoji(r.emoji);
    }
    std::optional<Error> operator()(PinMessage &r) const { return checkId(r.messageId, "messageId"); }
    std::optional<Error> operator()(ListPins &r) const { return checkId(r.topicId, "topicId"); }
    std::optional<Error> operator()(SyncTopics &r) const
    {
        if (r.topics.size() > limits::kMaxSyncTopics)
            return invalid("too many topics in one sync");
        std::unordered_set<std::string> seen;
        for (const auto &p : r.topics) {
            if (auto e = checkId(p.topicId, "topicId")) return e;
            if (!seen.insert(p.topicId).second)
                return invalid("a topic is listed twice");
            if (p.afterSeq < 0 || (p.afterRev && *p.afterRev < 0))
                return invalid("seq out of range");
        }
        return std::nullopt;
    }
    std::optional<Error> operator()(CreateInvite &r) const
    {
        if (auto e = checkId(r.partyId, "partyId")) return e;
        if (r.expiresInSeconds && (*r.expiresInSeconds < limits::kMinInviteLifetimeSeconds
                                   || *r.expiresInSeconds > limits::kMaxInviteLifetimeSeconds))
            return invalid("expiresInSeconds must be between 60 and 31536000 (a year)");
        if (r.maxUses && (*r.maxUses < 1 || *r.maxUses > limits::kMaxInviteUses))
            return invalid("maxUses must be between 1 and " + std::to_string(limits::kMaxInviteUses));
        return std::nullopt;
    }
    std::optional<Error> operator()(ListInvites &r) const { return checkId(r.partyId, "partyId"); }
    std::optional<Error> operator()(RevokeInvite &r) const
    {
        if (auto e = checkId(r.partyId, "partyId")) return e;
        return checkCode(r.code);
    }
    std::optional<Error> operator()(PreviewInvite &r) const { return checkCode(r.code); }
    std::optional<Error> operator()(JoinInvite &r) const { return checkCode(r.code); }
    std::optional<Error> operator()(OpenDirect &r) const
    {
        if (r.userIds.empty() || r.userIds.size() > limits::kMaxDirectMembers - 1)
            return invalid("userIds must name 1 to " + std::to_string(limits::kMaxDirectMembers - 1)
                           + " people besides you");
        for (auto &id : r.userIds) {
            if (auto e = checkId(id, "userIds")) return e;
        }
        // The same people in any order and with repeats are the same conversation.
        std::sort(r.userIds.begin(), r.userIds.end());
        r.userIds.erase(std::unique(r.userIds.begin(), r.userIds.end()), r.userIds.end());
        return std::nullopt;
    }
    std::optional<Error> operator()(BlockUser &r) const { return checkId(r.userId, "userId"); }
    std::optional<Error> operator()(UnblockUser &r) const { return checkId(r.userId, "userId"); }
    std::optional<Error> operator()(SetPresence &r) const
    {
        if (r.status == Presence::Offline)
            return invalid("status must be online, idle or dnd; offline is when no connection is open");
        return std::nullopt;
    }
    std::optional<Error> operator()(StartTyping &r) const { return checkId(r.topicId, "topicId"); }
    std::optional<Error> operator()(RenewAccess &r) const
    {
        if (r.accessToken.empty() || r.accessToken.size() > limits::kMaxAccessTokenBytes)
            return invalid("accessToken must be 1 to " + std::to_string(limits::kMaxAccessTokenBytes) + " bytes");
        return std::nullopt;
    }
    std::optional<Error> operator()(MarkRead &r) const
    {
        if (auto e = checkId(r.topicId, "topicId")) return e;
        if (r.seq < 0)
            return invalid("seq out of range");
        return std::nullopt;
    }
    std::optional<Error> operator()(UpdateProfile &r) const
    {
        if (!r.displayName && !r.avatarUrl && !r.avatarFileId && !r.statusText)
            return invalid("give displayName, avatarUrl, avatarFileId or statusText");
        if (r.statusExpiresAt && !r.statusText)
            return invalid("statusExpiresAt goes with a statusText");
        if (r.statusText && !r.statusText->empty())
            if (auto e = checkNameField(*r.statusText, limits::kMaxStatusChars, "status")) return e;
        // Up to the year 9999: a time the database and every client can hold.
        if (r.statusExpiresAt && (*r.statusExpiresAt <= 0 || *r.statusExpiresAt > 253402300799999LL))
            return invalid("statusExpiresAt must be a time in milliseconds since 1970");
        if (r.displayName)
            if (auto e = checkNameField(*r.displayName, limits::kMaxDisplayNameChars, "display name")) return e;
        if (r.avatarFileId && !r.avatarFileId->empty())
            if (auto e = checkId(*r.avatarFileId, "avatarFileId")) return e;
        if (r.avatarUrl)
            return checkAvatarUrl(*r.avatarUrl);
        return std::nullopt;
    }

    static std::optional<Error> checkCode(const std::string &code)
    {
        if (!isInviteCode(code))
            return invalid("not an invite code");
        return std::nullopt;
    }
};

} // namespace

bool isInviteCode(std::string_view text)
{
    if (text.size() != limits::kInviteCodeChars)
        return false;
    for (char c : text) {
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
            return false;
    }
    return true;
}

std::optional<Error> checkFileName(std::string_view name)
{
    if (name.find('/') != std::string_view::npos || name.find('\\') != std::string_view::npos || name == "." || name == "..")
        return invalid("the file name must not name a directory");
    if (auto e = checkName(name, limits::kMaxFileNameChars, "the file name"))
        return e;
    // "\u202egnp.exe" shows as "exe.png": a name's order of characters is the order it shows in.
    bool reordered = false;
    forEachCodePoint(name, [&](char32_t c) {
        reordered = reordered || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0x200e || c == 0x200f || c == 0x61c;
        return !reordered;
    });
    if (reordered)
        return invalid("the file name must not contain bidirectional controls");
    return std::nullopt;
}

std::optional<Error> checkMediaType(std::string_view type)
{
    const auto isTokenChar = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
    };
    const auto slash = type.find('/');
    if (type.size() > limits::kMaxMediaTypeBytes || slash == std::string_view::npos || slash == 0 || slash + 1 == type.size()
        || !std::all_of(type.begin(), type.begin() + static_cast<std::ptrdiff_t>(slash), isTokenChar)
        || !std::all_of(type.begin() + static_cast<std::ptrdiff_t>(slash) + 1, type.end(), isTokenChar))
        return invalid("the media type must be type/subtype in lower case, like image/png");
    return std::nullopt;
}

std::optional<Error> checkAvatarUrl(std::string_view url)
{
    if (url.empty())
        return std::nullopt;
    if (url.size() > limits::kMaxAvatarUrlBytes)
        return invalid("avatarUrl is longer than " + std::to_string(limits::kMaxAvatarUrlBytes) + " bytes");
    if (url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0)
        return invalid("avatarUrl must start with https:// or http://");
    for (char c : url) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u == 0x7f || c == '"' || c == '<' || c == '>' || c == '\\')
            return invalid("avatarUrl must not contain spaces, quotes, angle brackets or control characters");
    }
    if (!isValidUtf8(url))
        return invalid("avatarUrl is not valid UTF-8");
    return std::nullopt;
}

bool isValidUtf8(std::string_view text)
{
    return forEachCodePoint(text, [](char32_t) { return true; });
}

std::size_t codePointCount(std::string_view text)
{
    std::size_t count = 0;
    forEachCodePoint(text, [&](char32_t) { ++count; return true; });
    return count;
}

bool isUuid(std::string_view text)
{
    if (text.size() != 36)
        return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-')
                return false;
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return false;
        }
    }
    return true;
}

std::string trimmed(std::string_view text)
{
    const auto isSpace = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; };
    std::size_t begin = 0;
    std::size_t end = text.size();
    while (begin < end && isSpace(text[begin])) ++begin;
    while (end > begin && isSpace(text[end - 1])) --end;
    return std::string(text.substr(begin, end - begin));
}

std::optional<Error> checkName(std::string_view name, std::size_t maxChars, const char *what)
{
    if (!isValidUtf8(name))
        return invalid(std::string(what) + " is not valid UTF-8");
    if (name.empty())
        return invalid(std::string(what) + " must not be empty");
    bool hasControl = false;
    bool hasVisible = false;
    std::size_t count = 0;
    forEachCodePoint(name, [&](char32_t c) {
        ++count;
        hasControl = hasControl || isControl(c, false);
        hasVisible = hasVisible || !(isWhiteSpace(c) || isInvisible(c));
        return true;
    });
    if (hasControl)
        return invalid(std::string(what) + " must not contain control characters");
    // A name of spaces and zero-width characters shows as nothing: it could pass for anyone.
    if (!hasVisible)
        return invalid(std::string(what) + " must have a visible character");
    if (count > maxChars)
        return invalid(std::string(what) + " is longer than " + std::to_string(maxChars) + " characters");
    return std::nullopt;
}

std::optional<Error> checkBody(std::string_view body)
{
    if (!isValidUtf8(body))
        return invalid("body is not valid UTF-8");
    bool hasControl = false;
    bool hasVisible = false;
    std::size_t count = 0;
    forEachCodePoint(body, [&](char32_t c) {
        ++count;
        hasControl = hasControl || (c != U'\r' && isControl(c, true));
        hasVisible = hasVisible || !(isWhiteSpace(c) || isInvisible(c));
        return true;
    });
    if (!hasVisible)
        return invalid("body must not be empty");
    if (hasControl)
        return invalid("body must not contain NUL or control characters");
    if (count > limits::kMaxBodyChars)
        return invalid("body is longer than " + std::to_string(limits::kMaxBodyChars) + " characters");
    return std::nullopt;
}

namespace {

// Code points that are pictures in emoji (Unicode's Extended_Pictographic, by block, with the
// regional indicators of flags), and the ones that only join, modify or qualify them.
bool isPictograph(char32_t c)
{
    return (c >= 0x1F000 && c <= 0x1FAFF) || (c >= 0x2600 && c <= 0x27BF) || (c >= 0x2300 && c <= 0x23FF)
           || (c >= 0x2B00 && c <= 0x2BFF) || (c >= 0x2190 && c <= 0x21FF) || (c >= 0x25A0 && c <= 0x25FF)
           || (c >= 0x2900 && c <= 0x297F) || c == 0x00A9 || c == 0x00AE || c == 0x203C || c == 0x2049 || c == 0x2122
           || c == 0x2139 || c == 0x24C2 || c == 0x3030 || c == 0x303D || c == 0x3297 || c == 0x3299;
}

bool isEmojiModifier(char32_t c)
{
    return c == 0x200D || c == 0xFE0F || c == 0xFE0E || c == 0x20E3 || (c >= 0xE0020 && c <= 0xE007F);
}

} // namespace

std::optional<Error> checkEmoji(std::string_view emoji)
{
    if (emoji.empty() || emoji.size() > limits::kMaxEmojiBytes)
        return invalid("emoji must be 1 to " + std::to_string(limits::kMaxEmojiBytes) + " bytes");
    if (!isValidUtf8(emoji))
        return invalid("emoji is not valid UTF-8");
    bool pictograph = false;
    bool keycap = false;
    bool other = false;
    forEachCodePoint(emoji, [&](char32_t c) {
        const bool keycapBase = (c >= '0' && c <= '9') || c == '#' || c == '*';
        pictograph = pictograph || isPictograph(c);
        keycap = keycap || c == 0x20E3;
        // Letters of any script, white space, controls, bidi overrides, zero-width spaces: text.
        other = other || !(isPictograph(c) || isEmojiModifier(c) || keycapBase);
        return true;
    });
    if (other || !(pictograph || keycap))
        return invalid("emoji must be one emoji, not text");
    return std::nullopt;
}

std::optional<Error> normalizeAndValidate(Request &request)
{
    return std::visit(Validator{}, request);
}

} // namespace chatterbox::protocol
