// SPDX-License-Identifier: GPL-3.0-or-later
//
// The protocol decoder with its validation, fed any text a client (or a server, to the app)
// could send in one WebSocket message. It never throws; a frame it accepts encodes back into a
// frame that decodes to the same request (validation and normalization are settled after one
// pass, and nothing they produce is unencodable, such as a string cut inside a character); a
// refusal names a known code and says why.

#include "shared/frames.h"
#include "tests/fuzz/fuzzcheck.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

using namespace chatterbox::protocol;

namespace {

void checkClientFrame(std::string_view text)
{
    const auto decoded = decodeClientFrame(text);
    if (const auto *refused = std::get_if<FrameError>(&decoded)) {
        FUZZ_CHECK(refused->id >= 0);
        FUZZ_CHECK(!refused->error.message.empty());
        FUZZ_CHECK(!errorCodeName(refused->error.code).empty());
        // The answer to it must be sendable too.
        FUZZ_CHECK(!encodeError(refused->id, refused->error).empty());
        return;
    }
    const ClientFrame &frame = std::get<ClientFrame>(decoded);
    FUZZ_CHECK(frame.id > 0);
    const std::string once = encodeRequest(frame.id, frame.request);
    const auto again = decodeClientFrame(once);
    FUZZ_CHECK(std::holds_alternative<ClientFrame>(again));
    const ClientFrame &second = std::get<ClientFrame>(again);
    FUZZ_CHECK(second.id == frame.id && second.request.index() == frame.request.index());
    FUZZ_CHECK(encodeRequest(second.id, second.request) == once);
}

void checkServerFrame(std::string_view text)
{
    const Result<ServerFrame> decoded = decodeServerFrame(text);
    if (!decoded) {
        FUZZ_CHECK(!decoded.error().message.empty());
        return;
    }
    if (const auto *event = std::get_if<EventFrame>(&decoded.value())) {
        // The app keeps what an event says; saying it again must give the same event.
        const std::string once = encodeEvent(event->event);
        const Result<ServerFrame> again = decodeServerFrame(once);
        FUZZ_CHECK(again.ok() && std::holds_alternative<EventFrame>(again.value()));
        FUZZ_CHECK(encodeEvent(std::get<EventFrame>(again.value()).event) == once);
    } else if (const auto *error = std::get_if<ErrorFrame>(&decoded.value())) {
        FUZZ_CHECK(!errorCodeName(error->error.code).empty());
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char *>(data), size);
    checkClientFrame(text);
    checkServerFrame(text);
    return 0;
}
