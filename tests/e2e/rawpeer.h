#pragma once

// A WebSocket client made by hand from a TCP socket, for the peers QWebSocket will not imitate:
// one that never answers pings, one that stops reading.

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
        return head.startsWith("HTTP/1.1 101");
    }
    // A masked text frame, as a client must send.
    void sendText(const QByteArray &payload)
    {
        QByteArray frame;
        frame.append(char(0x81));
        if (payload.size() < 126) {
            frame.append(char(0x80 | payload.size()));
        } else {
            frame.append(char(0x80 | 126));
            frame.append(char((payload.size() >> 8) & 0xff));
            frame.append(char(payload.size() & 0xff));
        }
        const char mask[4] = {0x11, 0x22, 0x33, 0x44};
        frame.append(mask, 4);
        for (qsizetype i = 0; i < payload.size(); ++i)
            frame.append(char(payload[i] ^ mask[i % 4]));
        m_socket.write(frame);
        m_socket.flush();
    }
    bool waitForDisconnect(int ms)
    {
        return QTest::qWaitFor([&] { return m_socket.state() == QAbstractSocket::UnconnectedState; }, ms);
    }
    QTcpSocket m_socket;
};

} // namespace chatterbox::test
