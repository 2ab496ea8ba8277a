// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/http/httpmessage.h"

#include <cstddef>
#include <string_view>

namespace chatterbox::server::http {

struct ParseLimits {
    std::size_t maxHeadBytes = 8 * 1024;
    std::size_t maxBodyBytes = 16 * 1024;
    std::size_t maxHeaders = 64;
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
    std::size_t consumed = 0;
    Request request;
    const char *problem = "";
};

Parse parseRequest(std::string_view data, const ParseLimits &limits);

// The status code a failed parse is answered with (0 for Incomplete and Complete).
int statusFor(Parse::Status status);

} // namespace chatterbox::server::http
