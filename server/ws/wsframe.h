// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// WebSocket framing (RFC 6455 §5), server side, with no sockets: frames the server sends are
// encoded whole, once; frames clients send are read from a byte stream, checked and put back
// together into messages.

#include <QByteArray>

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace chatterbox::ws {

enum class Opcode : std::uint8_t { Continuation = 0x0, Text = 0x1, Binary = 0x2, Close = 0x8, Ping = 0x9, Pong = 0xA };

// Close codes of RFC 6455 §7.4.1 that this side sends.
namespace closecode {
inline constexpr std::uint16_t Normal = 1000;
inline constexpr std::uint16_t GoingAway = 1001;
inline constexpr std::uint16_t ProtocolError = 1002;
inline constexpr std::uint16_t UnsupportedData = 1003;
inline constexpr std::uint16_t NoStatus = 1005;       // never sent: a close frame without a code
inline constexpr std::uint16_t InvalidPayload = 1007;
inline constexpr std::uint16_t TooBig = 1009;
} // namespace closecode

// One frame from the server, header and payload in one buffer. QByteArray is implicitly shared,
// so an event sent to a thousand connections is encoded once and queued a thousand times.
struct Frame {
    QByteArray bytes;
};

Frame textFrame(std::string_view payload);
Frame pingFrame();
Frame pongFrame(QByteArrayView payload);
// The reason is cut to fit a control frame (123 bytes), at a character boundary.
Frame closeFrame(std::uint16_t code, std::string_view reason);

// Well-formed UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
bool isValidUtf8(std::string_view text);

// Reads what a client sends: masked frames, text or binary messages possibly in fragments, with
// control frames between the fragments. Anything RFC 6455 forbids, or a frame or message over
// the limits, is a failure with the close code to answer it with.
class FrameReader {
public:
    struct Message {
        Opcode opcode = Opcode::Text;   // Text, Binary (whole messages), Close, Ping or Pong
        QByteArray payload;             // unmasked; for Close, the reason only
        std::uint16_t closeCode = closecode::NoStatus;
    };
    enum class Status { NeedMore, Message, Failed };
    struct Step {
        Status status = Status::NeedMore;
        std::size_t consumed = 0;   // bytes of the input used, whatever the status
    };

    FrameReader(std::size_t maxFrameBytes, std::size_t maxMessageBytes);

    // Reads at most one frame from the front of `data`. With Status::Message, `message` holds
    // it; with Status::Failed, failureCode() and failureReason() say why, and the stream cannot
    // be read any further.
    Step next(const char *data, std::size_t size, Message &message);

    std::uint16_t failureCode() const { return m_failureCode; }
    const char *failureReason() const { return m_failureReason; }

private:
    // One frame; a fragment that does not end its message returns NeedMore with what it used.
    Step nextFrame(const char *data, std::size_t size, Message &message);
    Step fail(std::uint16_t code, const char *reason);

    const std::size_t m_maxFrameBytes;
    const std::size_t m_maxMessageBytes;
    bool m_inMessage = false;           // a fragmented message has begun
    Opcode m_messageOpcode = Opcode::Text;
    QByteArray m_fragments;
    std::uint16_t m_failureCode = 0;
    const char *m_failureReason = "";
};

} // namespace chatterbox::ws
