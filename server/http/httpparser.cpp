// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/http/httpparser.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace chatterbox::server::http {

namespace {

// RFC 9110 §5.6.2: tchar.
bool isTokenChar(char c)
{
    return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool isToken(std::string_view text)
{
    return !text.empty() && std::all_of(text.begin(), text.end(), isTokenChar);
}

// Visible ASCII, spaces and tabs, and bytes from 0x80 (obs-text): what a field value may hold.
bool isFieldValue(std::string_view text)
{
    return std::all_of(text.begin(), text.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u == '\t' || (u >= 0x20 && u != 0x7f);
    });
}

std::string_view trimmed(std::string_view text)
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    return text;
}

Parse fail(Parse::Status status, const char *problem)
{
    Parse p;
    p.status = status;
    p.problem = problem;
    return p;
}

} // namespace

std::size_t ParseLimits::bodyLimitFor(const Request &head) const
{
    for (const auto &large : largeBodies) {
        if (head.method == large.method && head.path.rfind(large.pathPrefix, 0) == 0)
            return large.maxBytes;
    }
    return maxBodyBytes;
}

std::size_t ParseLimits::largestBody() const
{
    std::size_t most = maxBodyBytes;
    for (const auto &large : largeBodies)
        most = std::max(most, large.maxBytes);
    return most;
}

namespace {

std::string lowered(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

} // namespace

Parse parseRequest(std::string_view data, const ParseLimits &limits)
{
    const auto headEnd = data.find("\r\n\r\n");
    if (headEnd == std::string_view::npos) {
        if (data.size() > limits.maxHeadBytes)
            return fail(Parse::Status::HeadTooLarge, "request head too large");
        // Say no at once to what can never become a request.
        if (!data.empty() && !isTokenChar(data.front()) && data.front() != '\r')
            return fail(Parse::Status::Malformed, "not an HTTP request");
        return {};
    }
    if (headEnd + 4 > limits.maxHeadBytes)
        return fail(Parse::Status::HeadTooLarge, "request head too large");
    const std::string_view head = data.substr(0, headEnd);
    Parse parse;
    Request &request = parse.request;

    // The request line: method SP target SP HTTP/1.x
    const auto lineEnd = head.find("\r\n");
    const std::string_view line = head.substr(0, lineEnd);
    const auto firstSpace = line.find(' ');
    const auto secondSpace = firstSpace == std::string_view::npos ? std::string_view::npos : line.find(' ', firstSpace + 1);
    if (secondSpace == std::string_view::npos || line.find(' ', secondSpace + 1) != std::string_view::npos)
        return fail(Parse::Status::Malformed, "malformed request line");
    const std::string_view method = line.substr(0, firstSpace);
    const std::string_view target = line.substr(firstSpace + 1, secondSpace - firstSpace - 1);
    const std::string_view version = line.substr(secondSpace + 1);
    if (!isToken(method))
        return fail(Parse::Status::Malformed, "malformed method");
    if (version.size() != 8 || version.substr(0, 7) != "HTTP/1." || !std::isdigit(static_cast<unsigned char>(version[7])))
        return fail(version.substr(0, 5) == "HTTP/" ? Parse::Status::BadVersion : Parse::Status::Malformed, "not HTTP/1.x");
    // Origin form only (RFC 9112 §3.2.1): a path, perhaps a query; nothing the proxy forms allow.
    if (target.empty() || target.front() != '/'
        || !std::all_of(target.begin(), target.end(), [](char c) { return static_cast<unsigned char>(c) > 0x20 && c != 0x7f; }))
        return fail(Parse::Status::Malformed, "malformed request target");
    request.method = std::string(method);
    request.target = std::string(target);
    request.minorVersion = version[7] - '0';
    const auto question = target.find('?');
    if (!percentDecode(target.substr(0, question), request.path, false) || request.path.find('\0') != std::string::npos)
        return fail(Parse::Status::Malformed, "malformed path");
    request.query = question == std::string_view::npos ? std::string() : std::string(target.substr(question + 1));

    // The header fields.
    std::size_t at = lineEnd == std::string_view::npos ? head.size() : lineEnd + 2;
    while (at < head.size()) {
        const auto end = std::min(head.find("\r\n", at), head.size());
        const std::string_view field = head.substr(at, end - at);
        at = end + 2;
        if (field.empty() || field.front() == ' ' || field.front() == '\t')
            return fail(Parse::Status::Malformed, "folded or empty header line");
        if (field.find('\n') != std::string_view::npos || field.find('\r') != std::string_view::npos)
            return fail(Parse::Status::Malformed, "bare CR or LF in a header");
        const auto colon = field.find(':');
        if (colon == std::string_view::npos || !isToken(field.substr(0, colon)))
            return fail(Parse::Status::Malformed, "malformed header name");
        const std::string_view value = trimmed(field.substr(colon + 1));
        if (!isFieldValue(value))
            return fail(Parse::Status::Malformed, "control characters in a header value");
        if (request.headers.size() >= limits.maxHeaders)
            return fail(Parse::Status::HeadTooLarge, "too many header fields");
        std::string name(field.substr(0, colon));
        std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        request.headers.emplace_back(std::move(name), std::string(value));
    }
    if (request.minorVersion >= 1 && request.headerCount("host") != 1)
        return fail(Parse::Status::Malformed, "HTTP/1.1 needs exactly one Host");

    // The body: Content-Length bytes; chunked transfer coding is not taken.
    std::size_t length = 0;
    if (request.headerCount("transfer-encoding") > 0)
        return fail(Parse::Status::LengthRequired, "send the body with Content-Length");
    if (request.headerCount("content-length") > 1)
        return fail(Parse::Status::Malformed, "more than one Content-Length");
    if (request.headerCount("content-length") == 1) {
        const std::string text = request.header("content-length");
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), length);
        if (error != std::errc() || end != text.data() + text.size() || text.empty())
            return fail(Parse::Status::Malformed, "malformed Content-Length");
        if (length > limits.bodyLimitFor(request))
            return fail(Parse::Status::BodyTooLarge, "request body too large");
    }
    const std::size_t bodyStart = headEnd + 4;
    if (data.size() - bodyStart < length) {
        // The body is still on its way; a client that waits to be told to send it is told so
        // (RFC 9110 §10.1.1) by the server, once.
        Parse waiting;
        waiting.headComplete = true;
        waiting.bodyLength = length;
        waiting.expectsContinue = request.minorVersion >= 1 && lowered(request.header("expect")) == "100-continue";
        waiting.request = std::move(request);
        return waiting;
    }
    request.body = std::string(data.substr(bodyStart, length));
    parse.consumed = bodyStart + length;
    request.params = parseForm(request.query);
    // Forms are small; a large body (a piece of a file) is never read as one, whatever it says.
    if (request.mediaType() == "application/x-www-form-urlencoded" && length <= limits.maxBodyBytes)
        request.params.merge(parseForm(request.body));
    parse.status = Parse::Status::Complete;
    return parse;
}

int statusFor(Parse::Status status)
{
    switch (status) {
    case Parse::Status::Incomplete:
    case Parse::Status::Complete: return 0;
    case Parse::Status::Malformed: return 400;
    case Parse::Status::HeadTooLarge: return 431;
    case Parse::Status::BodyTooLarge: return 413;
    case Parse::Status::LengthRequired: return 411;
    case Parse::Status::BadVersion: return 505;
    }
    return 400;
}

} // namespace chatterbox::server::http
