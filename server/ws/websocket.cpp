// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/ws/websocket.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cerrno>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

namespace chatterbox::ws {

namespace {

constexpr std::size_t kReadChunk = 64 * 1024;
// Reads per readiness before other sockets get their turn (the rest is read on the next pass).
constexpr int kReadsPerPass = 4;
constexpr std::size_t kFramesPerWrite = 64;

// One buffer for every socket of the thread: a socket keeps only what is left of a frame cut in
// two by the network, so an idle connection has no read buffer at all.
char *readScratch()
{
    thread_local std::array<char, kReadChunk> scratch;
    return scratch.data();
}

const Frame &sharedPing()
{
    static const Frame frame = pingFrame();
    return frame;
}

std::int64_t steadyMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

} // namespace

WebSocket::WebSocket(std::shared_ptr<SocketPoller> poller, int fd, SocketLimits limits)
    : m_poller(std::move(poller))
    , m_fd(fd)
    , m_reader(limits.maxFrameBytes, limits.maxMessageBytes)
    , m_limits(limits)
{
    ::fcntl(m_fd, F_SETFL, ::fcntl(m_fd, F_GETFL) | O_NONBLOCK);
    // Small frames must leave at once, not wait for Nagle.
    const int one = 1;
    ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (::getpeername(m_fd, reinterpret_cast<sockaddr *>(&address), &length) == 0)
        m_peer = QHostAddress(reinterpret_cast<const sockaddr *>(&address));
    m_handle = m_poller->add(m_fd, this);
    if (m_handle == 0)
        m_state = State::Closed;
}

WebSocket::~WebSocket()
{
    if (m_handle != 0)
        m_poller->remove(m_handle, m_fd);
    if (m_fd >= 0)
        ::close(m_fd);
}

void WebSocket::send(const Frame &frame)
{
    if (m_state == State::Open)
        queue(frame.bytes);
}

void WebSocket::ping() { send(sharedPing()); }

void WebSocket::close(std::uint16_t code, std::string_view reason)
{
    if (m_state != State::Open)
        return;
    queue(closeFrame(code, reason).bytes);
    m_state = State::Closing;
}

void WebSocket::abort() { finish(); }

void WebSocket::queue(QByteArray bytes)
{
    m_queuedBytes += static_cast<std::size_t>(bytes.size());
    m_queue.push_back({std::move(bytes), steadyMs()});
    scheduleFlush();
}

std::int64_t WebSocket::unsentForMs() const
{
    if (m_queueHead >= m_queue.size())
        return 0;
    const std::int64_t since = std::max(m_queue[m_queueHead].queuedAtMs, m_lastProgressMs);
    return std::max<std::int64_t>(1, steadyMs() - since);
}

void WebSocket::updateInterest()
{
    if (m_handle != 0)
        m_poller->setInterest(m_handle, m_fd, !m_readPaused, m_writeBlocked);
}

// A blocked socket is flushed when the kernel can take more; otherwise at the end of the pass.
void WebSocket::scheduleFlush()
{
    if (!m_flushScheduled && !m_writeBlocked) {
        m_flushScheduled = true;
        m_poller->scheduleFlush(m_handle);
    }
}

void WebSocket::readable()
{
    char *buffer = readScratch();
    for (int round = 0; round < kReadsPerPass && m_state != State::Closed; ++round) {
        if (m_queuedBytes > m_limits.pauseReadingAboveBytes && m_state == State::Open) {
            // Its requests wait in the kernel (and then on its side) until it reads.
            m_readPaused = true;
            updateInterest();
            return;
        }
        const ssize_t n = ::recv(m_fd, buffer, kReadChunk, 0);
        if (n == 0) {
            finish();
            return;
        }
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                finish();
            return;
        }
        if (m_discardInput)
            continue;
        const char *data = buffer;
        std::size_t size = static_cast<std::size_t>(n);
        if (!m_pending.isEmpty()) {
            m_pending.append(buffer, n);
            data = m_pending.constData();
            size = static_cast<std::size_t>(m_pending.size());
        }
        std::size_t used = 0;
        if (m_state == State::Upgrading)
            readUpgrade(data, size, used);
        if (m_state == State::Open || m_state == State::Closing)
            readFrames(data, size, used);
        if (m_state == State::Closed || m_discardInput || used == size)
            m_pending = QByteArray();
        else if (data != m_pending.constData() || used > 0)
            m_pending = QByteArray(data + used, static_cast<qsizetype>(size - used));
        if (static_cast<std::size_t>(n) < kReadChunk)
            return;
    }
}

void WebSocket::readUpgrade(const char *data, std::size_t size, std::size_t &used)
{
    UpgradeParse parse = parseUpgradeRequest({data, static_cast<qsizetype>(size)}, m_limits.maxUpgradeBytes);
    switch (parse.status) {
    case UpgradeParse::Status::Incomplete:
        return;
    case UpgradeParse::Status::TooLarge:
        return refuse({431, "Request Header Fields Too Large", "upgrade request too large\n", {}});
    case UpgradeParse::Status::Malformed:
        return refuse({400, "Bad Request", QByteArray(parse.problem) + '\n', {}});
    case UpgradeParse::Status::WrongVersion:
        return refuse({426, "Upgrade Required", QByteArray(parse.problem) + '\n', "Sec-WebSocket-Version: 13\r\n"});
    case UpgradeParse::Status::Complete:
        break;
    }
    used = parse.headBytes;
    m_forwardedFor = parse.request.header("X-Forwarded-For").left(1024);
    if (onUpgradeRequest) {
        if (const std::optional<Refusal> refusal = onUpgradeRequest(parse.request))
            return refuse(*refusal);
    }
    queue(switchingProtocols(parse.request.key));
    m_state = State::Open;
    if (onOpened)
        onOpened();
}

void WebSocket::readFrames(const char *data, std::size_t size, std::size_t &used)
{
    FrameReader::Message message;
    while (used < size && m_state != State::Closed && !m_discardInput) {
        const FrameReader::Step step = m_reader.next(data + used, size - used, message);
        used += step.consumed;
        if (step.status == FrameReader::Status::NeedMore)
            return;
        if (step.status == FrameReader::Status::Failed)
            return fail(m_reader.failureCode(), m_reader.failureReason());
        handle(message);
    }
}

void WebSocket::handle(FrameReader::Message &message)
{
    switch (message.opcode) {
    case Opcode::Text:
        if (m_state == State::Open && onText)
            onText(message.payload);
        return;
    case Opcode::Binary:
        if (m_state != State::Open)
            return;
        if (onBinary)
            onBinary(message.payload);
        else
            close(closecode::UnsupportedData, "binary messages are not accepted");
        return;
    case Opcode::Ping:
        if (m_state == State::Open)
            queue(pongFrame(message.payload).bytes);
        return;
    case Opcode::Pong:
        if (onPong)
            onPong();
        return;
    case Opcode::Close:
        if (m_state == State::Open) {
            // Answer with the code it gave (RFC 6455 §5.5.1), then end once the answer is out.
            const std::uint16_t code = message.closeCode == closecode::NoStatus ? closecode::Normal : message.closeCode;
            queue(closeFrame(code, {}).bytes);
            m_state = State::Closing;
        }
        m_peerSaidClose = true;
        if (m_queueHead == m_queue.size())
            finish();
        return;
    case Opcode::Continuation:
        return;   // never a whole message
    }
}

void WebSocket::fail(std::uint16_t code, const char *reason)
{
    if (m_state == State::Open)
        queue(closeFrame(code, reason).bytes);
    m_state = State::Closing;
    finishWhenFlushed();
}

void WebSocket::refuse(const Refusal &refusal)
{
    queue(httpRefusal(refusal.status, refusal.reason, refusal.body, refusal.extraHeaders));
    m_state = State::Closing;
    finishWhenFlushed();
}

void WebSocket::finishWhenFlushed()
{
    // What follows on the stream cannot be read as frames; the peer learns it is over from our
    // last words and then the end of our side of the stream.
    m_discardInput = true;
    m_shutdownAfterFlush = true;
    m_pending = QByteArray();
    scheduleFlush();
}

void WebSocket::writable() { flush(); }

void WebSocket::flush()
{
    m_flushScheduled = false;
    if (m_state == State::Closed)
        return;
    while (m_queueHead < m_queue.size()) {
        std::array<iovec, kFramesPerWrite> parts;
        std::size_t count = 0;
        for (std::size_t i = m_queueHead; i < m_queue.size() && count < kFramesPerWrite; ++i, ++count) {
            const std::size_t skip = i == m_queueHead ? m_headOffset : 0;
            parts[count].iov_base = const_cast<char *>(m_queue[i].bytes.constData()) + skip;
            parts[count].iov_len = static_cast<std::size_t>(m_queue[i].bytes.size()) - skip;
        }
        msghdr message{};
        message.msg_iov = parts.data();
        message.msg_iovlen = count;
        const ssize_t written = ::sendmsg(m_fd, &message, MSG_NOSIGNAL);
        if (written < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                if (!m_writeBlocked) {
                    m_writeBlocked = true;
                    updateInterest();
                }
                resumeReadingIfDrained();
                return;
            }
            finish();
            return;
        }
        auto left = static_cast<std::size_t>(written);
        m_queuedBytes -= left;
        if (left > 0)
            m_lastProgressMs = steadyMs();
        while (left > 0) {
            const std::size_t rest = static_cast<std::size_t>(m_queue[m_queueHead].bytes.size()) - m_headOffset;
            if (left < rest) {
                m_headOffset += left;
                break;
            }
            left -= rest;
            m_queue[m_queueHead++] = Queued{};
            m_headOffset = 0;
        }
    }
    // All written: let go of the queue's storage too, if it grew for a burst.
    if (m_queue.capacity() > 16)
        std::vector<Queued>().swap(m_queue);
    else
        m_queue.clear();
    m_queueHead = 0;
    m_headOffset = 0;
    if (m_writeBlocked) {
        m_writeBlocked = false;
        updateInterest();
    }
    resumeReadingIfDrained();
    if (m_peerSaidClose) {
        finish();
    } else if (m_shutdownAfterFlush) {
        m_shutdownAfterFlush = false;
        ::shutdown(m_fd, SHUT_WR);
    }
}

// Level-triggered epoll reports what waited in the kernel on its next pass.
void WebSocket::resumeReadingIfDrained()
{
    if (m_readPaused && m_state != State::Closed && m_queuedBytes <= m_limits.pauseReadingAboveBytes / 2) {
        m_readPaused = false;
        updateInterest();
    }
}

void WebSocket::finish()
{
    if (m_state == State::Closed)
        return;
    m_state = State::Closed;
    if (m_handle != 0)
        m_poller->remove(m_handle, m_fd);
    m_handle = 0;
    ::close(m_fd);
    m_fd = -1;
    m_queue = {};
    m_queueHead = 0;
    m_headOffset = 0;
    m_queuedBytes = 0;
    m_pending = QByteArray();
    if (onClosed)
        onClosed();
}

} // namespace chatterbox::ws
