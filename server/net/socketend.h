// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/ws/websocket.h"

#include <QByteArray>

#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <string_view>

namespace chatterbox::server {

// The client an upgraded socket is for: its peer, or who a trusted proxy forwarded it for.
std::string clientAddressOf(const ws::WebSocket &socket, const std::set<std::string> &trustedProxies);

// A connection's WebSocket as the hub's thread sees it, wherever the socket itself lives: on the
// hub's thread (LocalSocketEnd), or on a network thread (NetworkLane's ends). The callbacks run
// on the hub's thread; none may destroy the end while it runs.
class SocketEnd {
public:
    virtual ~SocketEnd() = default;

    virtual void send(const ws::Frame &frame) = 0;
    virtual void ping() = 0;
    virtual void close(std::uint16_t code, std::string_view reason) = 0;
    virtual void abort() = 0;
    // Bytes queued for the client, and how long the oldest has waited; 0 where the socket's own
    // thread watches the queue (a network thread closes a slow consumer itself and says so
    // through onSlowConsumer).
    virtual std::size_t bytesQueued() const = 0;
    virtual std::int64_t unsentForMs() const = 0;

    std::string peerAddress;
    std::function<void(const QByteArray &)> onText;
    std::function<void(const QByteArray &)> onBinary;
    std::function<void()> onPong;
    std::function<void()> onSlowConsumer;
    std::function<void()> onClosed;
};

// The socket on the hub's own thread.
class LocalSocketEnd final : public SocketEnd {
public:
    explicit LocalSocketEnd(std::unique_ptr<ws::WebSocket> socket);

    void send(const ws::Frame &frame) override { m_socket->send(frame); }
    void ping() override { m_socket->ping(); }
    void close(std::uint16_t code, std::string_view reason) override { m_socket->close(code, reason); }
    void abort() override { m_socket->abort(); }
    std::size_t bytesQueued() const override { return m_socket->bytesQueued(); }
    std::int64_t unsentForMs() const override { return m_socket->unsentForMs(); }

private:
    std::unique_ptr<ws::WebSocket> m_socket;
};

} // namespace chatterbox::server
