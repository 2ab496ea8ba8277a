// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <string_view>

namespace chatterbox::protocol {

// Stable error codes carried in error replies. Clients switch on these strings;
// the message beside them is for people and may change.
enum class ErrorCode {
    BadFrame,          // not JSON, not an object, or missing "type"/"id"
    UnknownType,       // a "type" this server does not know
    InvalidRequest,    // a field missing, of the wrong type, or outside its limit
    NotReady,          // a request before the hello/ready exchange
    ProtocolMismatch,  // hello asked for a protocol version this server does not speak
    NotFound,          // no such thing, or not visible to you (the two look the same)
    Forbidden,         // you can see it but your role does not allow this
    Conflict,          // the change clashes with the current state (e.g. a name taken)
    RateLimited,       // too many requests; slow down
    Unavailable,       // the database is unreachable; try again later
    Internal,          // a bug on the server; the request may be retried
};

std::string_view errorCodeName(ErrorCode code);
bool errorCodeFromName(std::string_view name, ErrorCode &out);

struct Error {
    ErrorCode code = ErrorCode::Internal;
    std::string message;
};

} // namespace chatterbox::protocol
