// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A WebSocket client made by hand from a TCP socket, for the peers QWebSocket will not imitate:
// one that never answers pings, one that stops reading, one that breaks the framing rules.

#include <QTcpSocket>
#include <QTest>
#include <QUrl>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

namespace chatterbox::test {

class RawPeer {
public:
    bool upgrade(const QUrl &url, const QByteArray &token, int receiveBuffer = 0)
    {
        if (receiveBuffer > 0) {
            // The receive buffer must be small before connecting, or the kernel's autotuning
            // (tens of MB) would soak up everything the server sends. Qt sets options too late.
            const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
            ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receiveBuffer, sizeof receiveBuffer);
            sockaddr_in address{};
            address.sin_family = AF_INET;
            address.sin_port = htons(static_cast<quint16>(url.port()));
            ::inet_pton(AF_INET, url.host().toLatin1().constData(), &address.sin_addr);
            // Qt would otherwise keep reading into its own unbounded buffer.
            m_socket.setReadBufferSize(receiveBuffer);
            if (::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0 || !m_socket.setSocketDescriptor(fd))
                return false;
        } else {
            m_socket.connectToHost(url.host(), static_cast<quint16>(url.port()));
            if (!m_socket.waitForConnected(5000))
                return false;
        }
        m_socket.write("GET / HTTP/1.1\r\nHost: " + url.host().toUtf8() + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                       "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                       "Authorization: Bearer " + token + "\r\n\r\n");
        QByteArray head;
        while (!head.contains("\r\n\r\n")) {
            if (!m_socket.waitForReadyRead(5000))
                return false;
            head += m_socket.readAll();
        }
        m_in = head.mid(head.indexOf("\r\n\r\n") + 4);
        return head.startsWith("HTTP/1.1 101");
    }
    // The server's answer to an upgrade request written as is: its head, or empty.
    QByteArray upgradeWith(const QUrl &url, const QByteArray &request)
    {
        m_socket.connectToHost(url.host(), static_cast<quint16>(url.port()));
        if (!m_socket.waitForConnected(5000))
            return {};
        m_socket.write(request);
        QByteArray answer;
        while (!answer.contains("\r\n\r\n") && m_socket.waitForReadyRead(5000))
            answer += m_socket.readAll();
        return answer;
    }
    // A masked text frame, as a client must send.
    void sendText(const QByteArray &payload) { sendFrame(char(0x81), payload); }
    // Any frame: the first byte (FIN, reserved bits, opcode) as given, masked unless told not to.
    void sendFrame(char first, const QByteArray &payload, bool masked = true)
    {
        QByteArray frame;
        frame.append(first);
        const char maskBit = masked ? char(0x80) : char(0);
        if (payload.size() < 126) {
            frame.append(char(maskBit | payload.size()));
        } else {
            frame.append(char(maskBit | 126));
            frame.append(char((payload.size() >> 8) & 0xff));
            frame.append(char(payload.size() & 0xff));
        }
        const char mask[4] = {0x11, 0x22, 0x33, 0x44};
        if (masked)
            frame.append(mask, 4);
        for (qsizetype i = 0; i < payload.size(); ++i)
            frame.append(masked ? char(payload[i] ^ mask[i % 4]) : payload[i]);
        m_socket.write(frame);
        m_socket.flush();
    }
    struct ServerFrame {
        int opcode = -1;   // -1: none came
        QByteArray payload;
        int closeCode() const { return payload.size() >= 2 ? (quint8(payload[0]) << 8) | quint8(payload[1]) : -1; }
    };
    // The next frame the server sends (unmasked, never fragmented by this server).
    ServerFrame readFrame(int ms = 5000)
    {
        for (;;) {
            if (m_in.size() >= 2) {
                qsizetype header = 2;
                qint64 length = quint8(m_in[1]) & 0x7F;
                if (length == 126 && m_in.size() >= 4) {
                    length = (quint8(m_in[2]) << 8) | quint8(m_in[3]);
                    header = 4;
                } else if (length == 127 && m_in.size() >= 10) {
                    length = 0;
                    for (int i = 2; i < 10; ++i)
                        length = (length << 8) | quint8(m_in[i]);
                    header = 10;
                }
                if (length < 126 || header > 2) {
                    if (m_in.size() >= header + length) {
                        ServerFrame frame{quint8(m_in[0]) & 0x0F, m_in.mid(header, length)};
                        m_in.remove(0, header + length);
                        return frame;
                    }
                }
            }
            if (!m_socket.waitForReadyRead(ms))
                return {};
            m_in += m_socket.readAll();
        }
    }
    // Frames until a close frame: its code, or -1 if none came.
    int readUntilClose(int ms = 5000)
    {
        for (ServerFrame frame = readFrame(ms); frame.opcode != -1; frame = readFrame(ms)) {
            if (frame.opcode == 0x8)
                return frame.closeCode();
        }
        return -1;
    }
    bool waitForDisconnect(int ms)
    {
        return QTest::qWaitFor([&] { return m_socket.state() == QAbstractSocket::UnconnectedState; }, ms);
    }
    QTcpSocket m_socket;
    QByteArray m_in;
};

} // namespace chatterbox::test
