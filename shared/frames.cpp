// SPDX-License-Identifier: GPL-3.0-or-later
#include "shared/frames.h"

#include "shared/validation.h"

#include <array>
#include <utility>

namespace chatterbox::protocol {

namespace {

constexpr std::array<std::pair<ErrorCode, const char *>, 11> kErrorNames = {{
    {ErrorCode::BadFrame, "bad_frame"},
    {ErrorCode::UnknownType, "unknown_type"},
    {ErrorCode::InvalidRequest, "invalid_request"},
    {ErrorCode::NotReady, "not_ready"},
    {ErrorCode::ProtocolMismatch, "protocol_mismatch"},
    {ErrorCode::NotFound, "not_found"},
    {ErrorCode::Forbidden, "forbidden"},
    {ErrorCode::Conflict, "conflict"},
    {ErrorCode::RateLimited, "rate_limited"},
    {ErrorCode::Unavailable, "unavailable"},
    {ErrorCode::Internal, "internal"},
}};

template <typename T>
constexpr const char *nameOf()
{
    if constexpr (requires { T::kType; })
        return T::kType;
    else
        return T::kName;
}

// Decodes j as whichever alternative of the variant carries this name; false when none does.
template <typename T, typename Variant>
bool decodeAs(std::string_view name, const nlohmann::json &j, Variant &out)
{
    if (name != nameOf<T>())
        return false;
    T value;
    from_json(j, value);
    out = std::move(value);
    return true;
}

template <typename... Ts>
bool decodeNamed(std::string_view name, const nlohmann::json &j, std::variant<Ts...> &out)
{
    return (decodeAs<Ts>(name, j, out) || ...);
}

// nlohmann's messages start with "[json.exception.parse_error.101] "; people need only the rest.
std::string withoutExceptionTag(const char *what)
{
    std::string text(what);
    if (!text.empty() && text.front() == '[') {
        const auto end = text.find("] ");
        if (end != std::string::npos)
            text.erase(0, end + 2);
    }
    return text;
}

} // namespace

std::string_view errorCodeName(ErrorCode code)
{
    for (const auto &[c, name] : kErrorNames) {
        if (c == code)
            return name;
    }
    return "internal";
}

bool errorCodeFromName(std::string_view name, ErrorCode &out)
{
    for (const auto &[c, n] : kErrorNames) {
        if (name == n) {
            out = c;
            return true;
        }
    }
    return false;
}

const char *eventName(const Event &event)
{
    return std::visit([](const auto &e) { return std::decay_t<decltype(e)>::kName; }, event);
}

std::variant<ClientFrame, FrameError> decodeClientFrame(std::string_view text)
{
    const auto bad = [](std::int64_t id, ErrorCode code, std::string message) {
        return FrameError{id, Error{code, std::move(message)}};
    };
    // allow_exceptions=false: a parse failure is a discarded value, not a throw.
    const nlohmann::json j = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
    if (j.is_discarded())
        return bad(0, ErrorCode::BadFrame, "frame is not valid JSON (or not UTF-8)");
    if (!j.is_object())
        return bad(0, ErrorCode::BadFrame, "frame must be a JSON object");
    const auto idIt = j.find("id");
    if (idIt == j.end() || !idIt->is_number_integer())
        return bad(0, ErrorCode::BadFrame, "frame needs an integer \"id\"");
    const std::int64_t id = idIt->get<std::int64_t>();
    if (id <= 0)
        return bad(0, ErrorCode::BadFrame, "\"id\" must be a positive integer");
    const auto typeIt = j.find("type");
    if (typeIt == j.end() || !typeIt->is_string())
        return bad(id, ErrorCode::BadFrame, "frame needs a string \"type\"");
    const std::string type = typeIt->get<std::string>();

    ClientFrame frame;
    frame.id = id;
    try {
        if (!decodeNamed(type, j, frame.request))
            return bad(id, ErrorCode::UnknownType, "unknown request type");
    } catch (const CodecError &e) {
        return bad(id, ErrorCode::InvalidRequest, e.what());
    } catch (const nlohmann::json::exception &e) {
        return bad(id, ErrorCode::InvalidRequest, withoutExceptionTag(e.what()));
    }
    if (auto error = normalizeAndValidate(frame.request))
        return FrameError{id, std::move(*error)};
    return frame;
}

std::string encodeRequest(std::int64_t id, const Request &request)
{
    return std::visit([id](const auto &r) {
        nlohmann::json j = r;
        j["type"] = std::decay_t<decltype(r)>::kType;
        j["id"] = id;
        return j.dump();
    }, request);
}

std::string encodeResult(std::int64_t id, const nlohmann::json &result)
{
    return nlohmann::json{{"type", "result"}, {"id", id}, {"result", result}}.dump();
}

nlohmann::json replyData(const Reply &reply)
{
    return std::visit([](const auto &r) { return nlohmann::json(r); }, reply);
}

std::string encodeResult(std::int64_t id, const Reply &reply)
{
    return encodeResult(id, replyData(reply));
}

std::string encodeError(std::int64_t id, const Error &error)
{
    nlohmann::json j{{"type", "error"}, {"code", errorCodeName(error.code)}, {"message", error.message}};
    j["id"] = id > 0 ? nlohmann::json(id) : nlohmann::json(nullptr);
    // Replace rather than throw if a message ever carries bytes that are not UTF-8.
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

nlohmann::json eventData(const Event &event)
{
    return std::visit([](const auto &e) { return nlohmann::json(e); }, event);
}

std::string encodeEvent(const Event &event)
{
    return nlohmann::json{{"type", "event"}, {"event", eventName(event)}, {"data", eventData(event)}}.dump();
}

Result<ServerFrame> decodeServerFrame(std::string_view text)
{
    const nlohmann::json j = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return makeError(ErrorCode::BadFrame, "frame is not a JSON object");
    try {
        const std::string type = j.at("type").get<std::string>();
        if (type == "result")
            return ServerFrame{ReplyFrame{j.at("id").get<std::int64_t>(), j.at("result")}};
        if (type == "error") {
            ErrorFrame frame;
            frame.id = j.at("id").is_null() ? 0 : j.at("id").get<std::int64_t>();
            if (!errorCodeFromName(j.at("code").get<std::string>(), frame.error.code))
                frame.error.code = ErrorCode::Internal;
            frame.error.message = j.at("message").get<std::string>();
            return ServerFrame{frame};
        }
        if (type == "event") {
            EventFrame frame;
            if (!decodeNamed(j.at("event").get<std::string>(), j.at("data"), frame.event))
                return makeError(ErrorCode::UnknownType, "unknown event");
            return ServerFrame{std::move(frame)};
        }
        return makeError(ErrorCode::UnknownType, "unknown frame type");
    } catch (const CodecError &e) {
        return makeError(ErrorCode::BadFrame, e.what());
    } catch (const nlohmann::json::exception &e) {
        return makeError(ErrorCode::BadFrame, withoutExceptionTag(e.what()));
    }
}

} // namespace chatterbox::protocol
