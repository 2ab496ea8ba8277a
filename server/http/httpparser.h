// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/http/httpmessage.h"

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>
#include <string_view>

namespace chatterbox::server::http {

struct ParseLimits {
    std::size_t maxHeadBytes = 8 * 1024;
    std::size_t maxBodyBytes = 16 * 1024;
    std::size_t maxHeaders = 64;
    // Requests that may carry more (a piece of an upload): this method to a path that starts
    // with this prefix, up to this many bytes.
    struct LargeBody {
        std::string method;
        std::string pathPrefix;
        std::size_t maxBytes = 0;
    };
    std::vector<LargeBody> largeBodies;

    std::size_t bodyLimitFor(const Request &head) const;
    std::size_t largestBody() const;
};

// Reads one request (RFC 9112) from the start of what a connection has received so far, with no
// sockets: the head, strictly (CRLF line ends, tokens where tokens go, no folded headers), then a
// body of Content-Length bytes. Never throws.
struct Parse {
    enum class Status {
        Incomplete,       // wait for more bytes
        Complete,         // `request` holds it; `consumed` bytes were it
        Malformed,        // 400
        HeadTooLarge,     // 431
        BodyTooLarge,     // 413
        LengthRequired,   // 411: a body sent without Content-Length (chunked is not taken)
        BadVersion,       // 505
    };
    Status status = Status::Incomplete;
    bool headComplete = false;      // Incomplete: the head is whole (in `request`, without its body), the body on its way
    std::size_t bodyLength = 0;     // then: its Content-Length
    bool expectsContinue = false;   // then: it asks for 100 Continue before it sends the body
    std::size_t consumed = 0;
    Request request;
    const char *problem = "";
};

Parse parseRequest(std::string_view data, const ParseLimits &limits);

// The status code a failed parse is answered with (0 for Incomplete and Complete).
int statusFor(Parse::Status status);

} // namespace chatterbox::server::http
