// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/ws/wsframe.h"

#include <cstring>

namespace chatterbox::ws {

namespace {

constexpr std::uint8_t kFin = 0x80;
constexpr std::uint8_t kReservedBits = 0x70;
constexpr std::uint8_t kMaskBit = 0x80;
constexpr std::size_t kMaxControlPayload = 125;

// FIN set, no mask: the server never masks (RFC 6455 §5.1).
QByteArray encode(Opcode opcode, const char *payload, std::size_t size)
{
    QByteArray frame;
    const std::size_t header = size < 126 ? 2 : size <= 0xFFFF ? 4 : 10;
    frame.resize(static_cast<qsizetype>(header + size));
    auto *out = reinterpret_cast<std::uint8_t *>(frame.data());
    out[0] = kFin | static_cast<std::uint8_t>(opcode);
    if (size < 126) {
        out[1] = static_cast<std::uint8_t>(size);
    } else if (size <= 0xFFFF) {
        out[1] = 126;
        out[2] = static_cast<std::uint8_t>(size >> 8);
        out[3] = static_cast<std::uint8_t>(size);
    } else {
        out[1] = 127;
        for (int i = 0; i < 8; ++i)
            out[2 + i] = static_cast<std::uint8_t>(static_cast<std::uint64_t>(size) >> (56 - 8 * i));
    }
    if (size > 0)
        std::memcpy(out + header, payload, size);
    return frame;
}

bool isControl(std::uint8_t opcode) { return (opcode & 0x8) != 0; }

bool isKnown(std::uint8_t opcode)
{
    switch (static_cast<Opcode>(opcode)) {
    case Opcode::Continuation:
    case Opcode::Text:
    case Opcode::Binary:
    case Opcode::Close:
    case Opcode::Ping:
    case Opcode::Pong:
        return true;
    }
    return false;
}

// Codes a peer may send in a close frame (RFC 6455 §7.4): the defined ones that are not
// reserved for local use, and the ranges for libraries (3000–3999) and applications (4000–4999).
bool isSendableCloseCode(std::uint16_t code)
{
    if (code >= 3000 && code <= 4999)
        return true;
    return code >= 1000 && code <= 1014 && code != 1004 && code != 1005 && code != 1006;
}

void unmask(char *data, std::size_t size, const std::uint8_t key[4])
{
    for (std::size_t i = 0; i < size; ++i)
        data[i] = static_cast<char>(static_cast<std::uint8_t>(data[i]) ^ key[i & 3]);
}

} // namespace

Frame textFrame(std::string_view payload) { return {encode(Opcode::Text, payload.data(), payload.size())}; }

Frame pingFrame() { return {encode(Opcode::Ping, nullptr, 0)}; }

Frame pongFrame(QByteArrayView payload)
{
    return {encode(Opcode::Pong, payload.data(), static_cast<std::size_t>(std::min<qsizetype>(payload.size(), kMaxControlPayload)))};
}

Frame closeFrame(std::uint16_t code, std::string_view reason)
{
    std::size_t length = std::min(reason.size(), kMaxControlPayload - 2);
    // Never cut a character in two: step back over continuation bytes.
    while (length > 0 && length < reason.size() && (static_cast<std::uint8_t>(reason[length]) & 0xC0) == 0x80)
        --length;
    std::string payload;
    payload.reserve(2 + length);
    payload.push_back(static_cast<char>(code >> 8));
    payload.push_back(static_cast<char>(code & 0xFF));
    payload.append(reason.substr(0, length));
    return {encode(Opcode::Close, payload.data(), payload.size())};
}

bool isValidUtf8(std::string_view text)
{
    const auto *s = reinterpret_cast<const std::uint8_t *>(text.data());
    const std::size_t n = text.size();
    std::size_t i = 0;
    while (i < n) {
        // ASCII runs, eight bytes at a time.
        while (i + 8 <= n) {
            std::uint64_t word;
            std::memcpy(&word, s + i, 8);
            if (word & 0x8080808080808080ULL)
                break;
            i += 8;
        }
        if (i >= n)
            break;
        const std::uint8_t c = s[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t length;
        std::uint32_t min;
        std::uint32_t cp;
        if ((c & 0xE0) == 0xC0) {
            length = 2; min = 0x80; cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            length = 3; min = 0x800; cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            length = 4; min = 0x10000; cp = c & 0x07;
        } else {
            return false;
        }
        if (i + length > n)
            return false;
        for (std::size_t k = 1; k < length; ++k) {
            if ((s[i + k] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += length;
    }
    return true;
}

FrameReader::FrameReader(std::size_t maxFrameBytes, std::size_t maxMessageBytes)
    : m_maxFrameBytes(maxFrameBytes)
    , m_maxMessageBytes(maxMessageBytes)
{
}

FrameReader::Step FrameReader::fail(std::uint16_t code, const char *reason)
{
    m_failureCode = code;
    m_failureReason = reason;
    m_fragments.clear();
    return {Status::Failed, 0};
}

FrameReader::Step FrameReader::next(const char *data, std::size_t size, Message &message)
{
    std::size_t used = 0;
    for (;;) {
        const Step step = nextFrame(data + used, size - used, message);
        used += step.consumed;
        // A fragment was taken in; the message goes on in the next frame.
        if (step.status == Status::NeedMore && step.consumed > 0)
            continue;
        return {step.status, used};
    }
}

FrameReader::Step FrameReader::nextFrame(const char *data, std::size_t size, Message &message)
{
    if (m_failureCode != 0)
        return {Status::Failed, 0};
    const auto *in = reinterpret_cast<const std::uint8_t *>(data);
    if (size < 2)
        return {Status::NeedMore, 0};
    const std::uint8_t first = in[0];
    const std::uint8_t second = in[1];
    const bool fin = (first & kFin) != 0;
    const std::uint8_t opcode = first & 0x0F;
    // No extension is ever negotiated, so no reserved bit may be set.
    if (first & kReservedBits)
        return fail(closecode::ProtocolError, "reserved bits set");
    if (!isKnown(opcode))
        return fail(closecode::ProtocolError, "unknown opcode");
    if (!(second & kMaskBit))
        return fail(closecode::ProtocolError, "frames from a client must be masked");

    std::size_t header = 2;
    std::uint64_t length = second & 0x7F;
    if (length == 126) {
        if (size < 4)
            return {Status::NeedMore, 0};
        length = (std::uint64_t{in[2]} << 8) | in[3];
        header = 4;
    } else if (length == 127) {
        if (size < 10)
            return {Status::NeedMore, 0};
        length = 0;
        for (int i = 0; i < 8; ++i)
            length = (length << 8) | in[2 + i];
        header = 10;
        if (length >> 63)
            return fail(closecode::ProtocolError, "frame length out of range");
    }
    if (isControl(opcode)) {
        if (!fin)
            return fail(closecode::ProtocolError, "fragmented control frame");
        if (length > kMaxControlPayload)
            return fail(closecode::ProtocolError, "control frame too long");
    } else if (length > m_maxFrameBytes) {
        return fail(closecode::TooBig, "frame too large");
    }
    // Checked before waiting for the rest, so an oversized message is refused at its header.
    if (static_cast<Opcode>(opcode) == Opcode::Continuation) {
        if (!m_inMessage)
            return fail(closecode::ProtocolError, "continuation without a message");
        if (static_cast<std::uint64_t>(m_fragments.size()) + length > m_maxMessageBytes)
            return fail(closecode::TooBig, "message too large");
    } else if (!isControl(opcode) && m_inMessage) {
        return fail(closecode::ProtocolError, "new message before the last one ended");
    }

    const std::size_t total = header + 4 + static_cast<std::size_t>(length);
    if (size < total)
        return {Status::NeedMore, 0};
    const std::uint8_t *key = in + header;
    const char *payload = data + header + 4;
    const auto payloadSize = static_cast<std::size_t>(length);

    if (isControl(opcode)) {
        message.opcode = static_cast<Opcode>(opcode);
        message.payload = QByteArray(payload, static_cast<qsizetype>(payloadSize));
        unmask(message.payload.data(), payloadSize, key);
        message.closeCode = closecode::NoStatus;
        if (message.opcode == Opcode::Close) {
            if (payloadSize == 1)
                return fail(closecode::ProtocolError, "close frame with a one-byte code");
            if (payloadSize >= 2) {
                const auto *p = reinterpret_cast<const std::uint8_t *>(message.payload.constData());
                message.closeCode = static_cast<std::uint16_t>((p[0] << 8) | p[1]);
                if (!isSendableCloseCode(message.closeCode))
                    return fail(closecode::ProtocolError, "invalid close code");
                message.payload.remove(0, 2);
                if (!isValidUtf8({message.payload.constData(), static_cast<std::size_t>(message.payload.size())}))
                    return fail(closecode::InvalidPayload, "close reason is not UTF-8");
            }
        }
        return {Status::Message, total};
    }

    if (!m_inMessage && fin) {
        // The common case: a whole message in one frame, unmasked straight into its own buffer.
        message.opcode = static_cast<Opcode>(opcode);
        message.payload = QByteArray(payload, static_cast<qsizetype>(payloadSize));
        unmask(message.payload.data(), payloadSize, key);
    } else {
        if (!m_inMessage) {
            m_inMessage = true;
            m_messageOpcode = static_cast<Opcode>(opcode);
        }
        const qsizetype at = m_fragments.size();
        m_fragments.append(payload, static_cast<qsizetype>(payloadSize));
        unmask(m_fragments.data() + at, payloadSize, key);
        if (!fin)
            return {Status::NeedMore, total};
        message.opcode = m_messageOpcode;
        message.payload = std::move(m_fragments);
        m_fragments = QByteArray();
        m_inMessage = false;
    }
    if (message.opcode == Opcode::Text
        && !isValidUtf8({message.payload.constData(), static_cast<std::size_t>(message.payload.size())}))
        return fail(closecode::InvalidPayload, "text message is not UTF-8");
    return {Status::Message, total};
}

} // namespace chatterbox::ws
