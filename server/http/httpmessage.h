// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace chatterbox::server::http {

// One HTTP/1.1 request as the server's routes see it (RFC 9110, RFC 9112), read whole before any
// route runs.
struct Request {
    std::string method;                                        // "GET", "POST"
    std::string target;                                        // as sent: "/oauth/authorize?x=1"
    std::string path;                                          // the target before '?', percent-decoded
    std::string query;                                         // the target after '?'
    int minorVersion = 1;                                      // HTTP/1.minorVersion
    std::vector<std::pair<std::string, std::string>> headers;  // names in lower case, in order
    std::string body;
    std::string remoteAddress;                                 // the peer: "127.0.0.1", "::1"
    std::string clientAddress;                                 // who it is for: the peer, or from a trusted proxy's X-Forwarded-For
    std::string localAddress;                                  // where it arrived: the server's own address and port
    unsigned localPort = 0;
    std::vector<std::string> matches;                          // what the route's pattern captured, [0] the whole path
    std::multimap<std::string, std::string> params;            // query, then an urlencoded form body

    // The header's value, or empty; and how many times it was sent.
    std::string header(std::string_view name) const;
    std::size_t headerCount(std::string_view name) const;
    std::string param(std::string_view name) const;
    bool hasParam(std::string_view name) const;
    // The media type of Content-Type without parameters, lower case: "application/json".
    std::string mediaType() const;
};

struct Response {
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    bool headOnly = false;   // the answer to HEAD: the headers of GET's answer, no body
    std::optional<std::size_t> headLength;   // HEAD: the Content-Length GET's body would have, when the route did not make it
    std::shared_ptr<const void> hold;        // kept until the answer is written (a ByteBudget's token)

    void setHeader(std::string name, std::string value);
    void setContent(std::string content, std::string contentType);
    // The bytes on the wire; keepAlive decides the Connection header.
    std::string serialize(bool keepAlive) const;
};

// The reason phrase for a status code ("Not Found").
const char *reasonPhrase(int status);

// application/x-www-form-urlencoded (and query strings): '+' is a space, %XX a byte.
std::multimap<std::string, std::string> parseForm(std::string_view text);
// Percent-decoding; nothing when an escape is broken.
bool percentDecode(std::string_view text, std::string &out, bool plusIsSpace);

} // namespace chatterbox::server::http
