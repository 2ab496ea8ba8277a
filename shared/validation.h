// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "shared/errors.h"
#include "shared/requests.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

// The rules for every field that comes from outside. decode() applies them, so a request
// that reaches a handler already fits its limits.
namespace chatterbox::protocol {

bool isValidUtf8(std::string_view text);
// Code points in valid UTF-8 text.
std::size_t codePointCount(std::string_view text);
// Canonical lower-case 8-4-4-4-12 UUID text.
bool isUuid(std::string_view text);
// Leading and trailing ASCII white space removed.
std::string trimmed(std::string_view text);

// A party, topic or display name: trimmed, 1..maxChars code points, no control characters, and
// something visible in it once white space and invisible characters (zero-width, bidi controls,
// byte order marks, variation selectors) are left out.
std::optional<Error> checkName(std::string_view name, std::size_t maxChars, const char *what);
// A message body: 1..kMaxBodyChars code points, not only white space, no NUL or control
// characters other than tab and newline.
std::optional<Error> checkBody(std::string_view body);

// One emoji as a reaction: 1..kMaxEmojiBytes of UTF-8 made of pictographs (emoji blocks,
// flags' regional indicators), the joiners and selectors between them, or a keycap; so "👍",
// "👍🏽", "❤️", "🇫🇷", "1️⃣" and "👩‍👩‍👧" pass and "lol", "é", "日本", "<b>", a bidi override
// or a zero-width space do not.
std::optional<Error> checkEmoji(std::string_view emoji);

// 22 characters of URL-safe base64.
bool isInviteCode(std::string_view text);
// Empty, or an http(s) URL of at most kMaxAvatarUrlBytes with no spaces or control characters.
std::optional<Error> checkAvatarUrl(std::string_view url);

// A shared file's name, as shown and as it is saved: 1..kMaxFileNameChars code points of UTF-8,
// no control characters, no directory (no '/' or '\\'), not "." or "..", something visible, and
// no bidirectional controls (which make "exe.png" of a name that ends in ".exe").
std::optional<Error> checkFileName(std::string_view name);
// A media type as a file's sender declares it: "type/subtype", lower case, each an RFC 9110
// token, at most kMaxMediaTypeBytes, no parameters.
std::optional<Error> checkMediaType(std::string_view type);

// Trims names in place (so "  general " is "general") and then checks every field.
std::optional<Error> normalizeAndValidate(Request &request);

} // namespace chatterbox::protocol
