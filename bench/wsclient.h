#pragma once

#include <QHostAddress>
#include <QObject>
#include <QTcpSocket>

#include <cstdint>

namespace chatterbox::bench {

// A small WebSocket client (RFC 6455) on a plain QTcpSocket, so that each connection can be
// bound to its own source address in 127.0.0.0/8: one address has ~28,000 ephemeral ports, and
// the benchmark opens more connections than that. Text frames only; answers pings; unmasked
// frames from the server, masked frames to it, as the RFC requires.
class WsClient final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WsClient)

public:
    explicit WsClient(QObject *parent = nullptr);

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
    void onReadyRead();
    bool parseHandshake();
    void parseFrames();
    void sendFrame(quint8 opcode, const QByteArray &payload);

    QTcpSocket m_socket;
    QByteArray m_buffer;
    QByteArray m_message;     // a fragmented message being put together
    QByteArray m_request;
    bool m_open = false;
    std::uint32_t m_maskState;
};

} // namespace chatterbox::bench
