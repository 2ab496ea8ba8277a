// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "shared/codec.h"
#include "shared/events.h"
#include "shared/requests.h"
#include "shared/result.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

// Whole frames: the text that travels in one WebSocket message.
//
//   client -> server   {"type":"party.create","id":7,"name":"Friends"}
//   server -> client   {"type":"result","id":7,"result":{...}}
//                      {"type":"error","id":7,"code":"not_found","message":"..."}
//                      {"type":"event","event":"message.created","data":{...}}
namespace chatterbox::protocol {

// A request frame that could not be decoded, with the id to answer to when one was readable
// (0 when not: the error then goes out with "id": null).
struct FrameError {
    std::int64_t id = 0;
    Error error;
};

// Parses and validates a client frame. Never throws: every bad input becomes a FrameError.
std::variant<ClientFrame, FrameError> decodeClientFrame(std::string_view text);

std::string encodeRequest(std::int64_t id, const Request &request);

std::string encodeResult(std::int64_t id, const nlohmann::json &result);
std::string encodeResult(std::int64_t id, const Reply &reply);
nlohmann::json replyData(const Reply &reply);
std::string encodeError(std::int64_t id, const Error &error);
std::string encodeEvent(const Event &event);
nlohmann::json eventData(const Event &event);

// Server frames, as a client reads them.
struct ReplyFrame { std::int64_t id = 0; nlohmann::json result; };
struct ErrorFrame { std::int64_t id = 0; Error error; };
struct EventFrame { Event event; };
using ServerFrame = std::variant<ReplyFrame, ErrorFrame, EventFrame>;

Result<ServerFrame> decodeServerFrame(std::string_view text);

template <typename T>
std::string encodeResult(std::int64_t id, const T &result)
{
    return encodeResult(id, nlohmann::json(result));
}

} // namespace chatterbox::protocol
