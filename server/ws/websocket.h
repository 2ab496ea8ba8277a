// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/ws/socketpoller.h"
#include "server/ws/wsframe.h"
#include "server/ws/wshandshake.h"

#include <QByteArray>
#include <QHostAddress>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace chatterbox::ws {

// The answer to an upgrade request: nothing to switch protocols, or a plain HTTP refusal.
struct Refusal {
    int status = 400;
    const char *reason = "Bad Request";
    QByteArray body;
    QByteArray extraHeaders;   // whole lines, each ending in "\r\n"
};

struct SocketLimits {
    std::size_t maxUpgradeBytes = 8192;
    std::size_t maxFrameBytes = 64 * 1024;
    std::size_t maxMessageBytes = 64 * 1024;
    // Back-pressure: with more than this unsent, the peer's frames are not read until it has
    // read its way down to half of it, so a peer that asks faster than it reads is slowed, not
    // buried in replies.
    std::size_t pauseReadingAboveBytes = 4 * 1024 * 1024;
};

// The server's end of one WebSocket (RFC 6455) on a connected TCP socket of its own: it reads
// the upgrade request, answers it, then reads and writes frames. Frames to send are queued as
// they are (shared, never copied) and written together, several per system call, when the
// poller flushes; the kernel's buffer is the only per-socket buffer that is kept, so an idle
// connection holds no memory of its own beyond this object.
//
// The owner learns what happens through the callbacks. None of them may destroy the socket
// while it runs (destroy it later, from the event loop).
class WebSocket final : private SocketPoller::Watcher {
public:
    enum class State { Upgrading, Open, Closing, Closed };

    // Takes `fd`, a connected non-blocking TCP socket; closes it when destroyed.
    WebSocket(std::shared_ptr<SocketPoller> poller, int fd, SocketLimits limits);
    ~WebSocket() override;
    WebSocket(const WebSocket &) = delete;
    WebSocket &operator=(const WebSocket &) = delete;

    // A complete upgrade request: nothing to accept it, a refusal to answer and close.
    std::function<std::optional<Refusal>(const UpgradeRequest &)> onUpgradeRequest;
    std::function<void()> onOpened;
    // A whole text message, valid UTF-8.
    std::function<void(const QByteArray &)> onText;
    // A whole binary message; without a handler the connection is closed with 1003.
    std::function<void(const QByteArray &)> onBinary;
    std::function<void()> onPong;
    // The TCP connection is gone; called once, whatever ended it.
    std::function<void()> onClosed;

    State state() const { return m_state; }
    bool isOpen() const { return m_state == State::Open; }
    const QHostAddress &peerAddress() const { return m_peer; }
    // What the upgrade request's X-Forwarded-For said (believed only of trusted proxies).
    const QByteArray &forwardedFor() const { return m_forwardedFor; }
    // Bytes queued and not yet taken by the kernel.
    std::size_t bytesQueued() const { return m_queuedBytes; }
    // How long the peer has left what is queued unread: since the oldest frame still queued was
    // queued, or since the kernel last took any of it if that is later (a large frame being
    // written out is progress); 0 when nothing waits.
    std::int64_t unsentForMs() const;
    bool isReadingPaused() const { return m_readPaused; }

    void send(const Frame &frame);
    void ping();
    // Starts the closing handshake; the connection ends when the peer answers (or goes).
    void close(std::uint16_t code, std::string_view reason);
    // Ends the TCP connection now, with whatever is still queued.
    void abort();

private:
    void readable() override;
    void writable() override;
    void flush() override;

    void queue(QByteArray bytes);
    void scheduleFlush();
    void updateInterest();
    void resumeReadingIfDrained();
    void readUpgrade(const char *data, std::size_t size, std::size_t &used);
    void readFrames(const char *data, std::size_t size, std::size_t &used);
    void handle(FrameReader::Message &message);
    void fail(std::uint16_t code, const char *reason);
    void refuse(const Refusal &refusal);
    // After our close frame (or refusal) is written: no more writes; end once the peer does.
    void finishWhenFlushed();
    void finish();

    std::shared_ptr<SocketPoller> m_poller;
    int m_fd;
    std::uint64_t m_handle = 0;
    QHostAddress m_peer;
    QByteArray m_forwardedFor;
    State m_state = State::Upgrading;
    FrameReader m_reader;
    SocketLimits m_limits;
    QByteArray m_pending;                 // bytes read that do not yet make a whole frame
    struct Queued {
        QByteArray bytes;
        std::int64_t queuedAtMs = 0;      // steady clock
    };
    std::vector<Queued> m_queue;          // frames waiting for the kernel, from m_queueHead
    std::size_t m_queueHead = 0;
    std::size_t m_headOffset = 0;         // bytes of m_queue[m_queueHead] already written
    std::size_t m_queuedBytes = 0;
    bool m_flushScheduled = false;
    bool m_writeBlocked = false;
    bool m_readPaused = false;            // too much unsent: the peer's frames wait
    std::int64_t m_lastProgressMs = 0;    // when the kernel last took bytes (steady clock)
    bool m_shutdownAfterFlush = false;    // our last word is queued
    bool m_peerSaidClose = false;
    bool m_discardInput = false;          // after a protocol failure the stream cannot be read
};

} // namespace chatterbox::ws
