// SPDX-License-Identifier: GPL-3.0-or-later
//
// The WebSocket frame reader, fed what a client could send, in pieces of any size as a socket
// delivers them. Beyond "no crash, no leak, no undefined behaviour": the reader never claims
// more bytes than it was given, what it hands on stays within its limits, every text message it
// hands on is UTF-8, and its UTF-8 check agrees with a plain reference decoder.

#include "server/ws/wsframe.h"
#include "tests/fuzz/fuzzcheck.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

using namespace chatterbox::ws;

namespace {

// RFC 3629, written as directly as possible: a second opinion, not a fast one.
bool referenceUtf8(std::string_view text)
{
    static constexpr std::uint32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
    std::size_t i = 0;
    while (i < text.size()) {
        const auto lead = static_cast<std::uint8_t>(text[i]);
        std::size_t length = 0;
        std::uint32_t codePoint = 0;
        if (lead < 0x80) {
            ++i;
            continue;
        }
        if ((lead & 0xE0) == 0xC0) {
            length = 2;
            codePoint = lead & 0x1F;
        } else if ((lead & 0xF0) == 0xE0) {
            length = 3;
            codePoint = lead & 0x0F;
        } else if ((lead & 0xF8) == 0xF0) {
            length = 4;
            codePoint = lead & 0x07;
        } else {
            return false;
        }
        if (i + length > text.size())
            return false;
        for (std::size_t k = 1; k < length; ++k) {
            const auto next = static_cast<std::uint8_t>(text[i + k]);
            if ((next & 0xC0) != 0x80)
                return false;
            codePoint = (codePoint << 6) | (next & 0x3F);
        }
        if (codePoint < kSmallest[length] || codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF))
            return false;
        i += length;
    }
    return true;
}

bool isKnownCloseCode(std::uint16_t code)
{
    return code == closecode::ProtocolError || code == closecode::UnsupportedData
        || code == closecode::InvalidPayload || code == closecode::TooBig;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 1)
        return 0;
    // The first byte decides how the rest arrives: all at once, or in pieces of 1 to 31 bytes.
    const std::size_t piece = data[0] % 32 == 0 ? size : data[0] % 32;
    const auto *stream = reinterpret_cast<const char *>(data + 1);
    const std::size_t streamSize = size - 1;

    FUZZ_CHECK(isValidUtf8({stream, streamSize}) == referenceUtf8({stream, streamSize}));

    // Small limits, so that inputs libFuzzer can reach cross them.
    constexpr std::size_t kMaxFrame = 300;
    constexpr std::size_t kMaxMessage = 700;
    FrameReader reader(kMaxFrame, kMaxMessage);
    QByteArray buffer;   // what arrived and is not read yet, as the connection keeps it
    std::size_t delivered = 0;
    bool failed = false;
    while (delivered < streamSize && !failed) {
        const std::size_t n = std::min(piece, streamSize - delivered);
        buffer.append(stream + delivered, static_cast<qsizetype>(n));
        delivered += n;
        for (;;) {
            FrameReader::Message message;
            const auto available = static_cast<std::size_t>(buffer.size());
            const FrameReader::Step step = reader.next(buffer.constData(), available, message);
            FUZZ_CHECK(step.consumed <= available);
            buffer.remove(0, static_cast<qsizetype>(step.consumed));
            if (step.status == FrameReader::Status::Failed) {
                FUZZ_CHECK(isKnownCloseCode(reader.failureCode()));
                FUZZ_CHECK(reader.failureReason()[0] != '\0');
                failed = true;
                break;
            }
            if (step.status == FrameReader::Status::NeedMore)
                break;
            FUZZ_CHECK(step.consumed > 0);
            const auto payload = std::string_view(message.payload.constData(), static_cast<std::size_t>(message.payload.size()));
            switch (message.opcode) {
            case Opcode::Text:
                FUZZ_CHECK(referenceUtf8(payload));
                [[fallthrough]];
            case Opcode::Binary:
                FUZZ_CHECK(payload.size() <= kMaxMessage);
                break;
            case Opcode::Close:
                FUZZ_CHECK(referenceUtf8(payload));
                [[fallthrough]];
            case Opcode::Ping:
            case Opcode::Pong:
                FUZZ_CHECK(payload.size() <= 125);
                break;
            case Opcode::Continuation:
                FUZZ_CHECK(!"a continuation is never handed on by itself");
            }
        }
    }
    return 0;
}
