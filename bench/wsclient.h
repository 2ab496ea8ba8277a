// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/ws/socketpoller.h"

#include <QByteArray>
#include <QHostAddress>
#include <QObject>

#include <cstdint>
#include <memory>

namespace chatterbox::bench {

// A small WebSocket client (RFC 6455) on a socket of its own, so that each connection can be
// bound to its own source address in 127.0.0.0/8: one address has ~28,000 ephemeral ports, and
// the benchmark opens more connections than that. Its sockets are watched through the same
// epoll set as the server's (server/ws), so that the load generator does not pay Qt's cost per
// socket per pass and become the limit it measures. Text frames only; answers pings; unmasked
// frames from the server, masked frames to it, as the RFC requires.
class WsClient final : public QObject, private ws::SocketPoller::Watcher {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WsClient)

public:
    explicit WsClient(QObject *parent = nullptr);
    ~WsClient() override;

    // Connects from `source` (any when null) and upgrades with "Authorization: Bearer token".
    void open(const QHostAddress &source, const QHostAddress &host, quint16 port, const QByteArray &token);
    void sendText(const QByteArray &payload);
    void close();
    bool isOpen() const { return m_open; }

Q_SIGNALS:
    void opened();
    void textReceived(const QByteArray &payload);
    void failed(const QString &why);
    void closed();

private:
    void readable() override;
    void writable() override;
    void flush() override;

    bool parseHandshake();
    void parseFrames();
    void sendFrame(quint8 opcode, const QByteArray &payload);
    void write(const QByteArray &bytes);
    void fail(const QString &why);
    bool interruptedElseFailed();
    void drop();

    std::shared_ptr<ws::SocketPoller> m_poller;
    int m_fd = -1;
    std::uint64_t m_handle = 0;
    bool m_connecting = false;
    bool m_open = false;
    QByteArray m_buffer;
    QByteArray m_out;         // what the kernel did not take yet
    QByteArray m_message;     // a fragmented message being put together
    QByteArray m_request;
    std::uint32_t m_maskState;
};

} // namespace chatterbox::bench
