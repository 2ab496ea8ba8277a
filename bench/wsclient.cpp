#include "bench/wsclient.h"

#include <QRandomGenerator>

namespace chatterbox::bench {

WsClient::WsClient(QObject *parent) : QObject(parent), m_maskState(QRandomGenerator::global()->generate() | 1u)
{
    connect(&m_socket, &QTcpSocket::readyRead, this, &WsClient::onReadyRead);
    connect(&m_socket, &QTcpSocket::connected, this, [this] {
        m_socket.setSocketOption(QAbstractSocket::LowDelayOption, 1);
        m_socket.write(m_request);
    });
    connect(&m_socket, &QTcpSocket::disconnected, this, [this] {
        m_open = false;
        Q_EMIT closed();
    });
    connect(&m_socket, &QTcpSocket::errorOccurred, this, [this] {
        if (!m_open)
            Q_EMIT failed(m_socket.errorString());
    });
}

void WsClient::open(const QHostAddress &source, const QHostAddress &host, quint16 port, const QByteArray &token)
{
    QByteArray key(16, Qt::Uninitialized);
    for (char &c : key)
        c = static_cast<char>(QRandomGenerator::global()->bounded(256));
    m_request = "GET / HTTP/1.1\r\nHost: " + host.toString().toLatin1() + ':' + QByteArray::number(port)
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
                + key.toBase64() + "\r\n";
    if (!token.isEmpty())
        m_request += "Authorization: Bearer " + token + "\r\n";
    m_request += "\r\n";
    if (!source.isNull())
        m_socket.bind(source, 0);
    m_socket.connectToHost(host, port);
}

void WsClient::close()
{
    if (m_open)
        sendFrame(0x8, QByteArray("\x03\xe8", 2));
    m_socket.disconnectFromHost();
}

void WsClient::onReadyRead()
{
    m_buffer.append(m_socket.readAll());
    if (!m_open && !parseHandshake())
        return;
    parseFrames();
}

bool WsClient::parseHandshake()
{
    const qsizetype end = m_buffer.indexOf("\r\n\r\n");
    if (end < 0)
        return false;
    const QByteArray head = m_buffer.left(end);
    m_buffer.remove(0, end + 4);
    if (!head.startsWith("HTTP/1.1 101")) {
        Q_EMIT failed(QString::fromLatin1(head.left(head.indexOf('\r'))));
        m_socket.abort();
        return false;
    }
    m_open = true;
    Q_EMIT opened();
    return true;
}

void WsClient::parseFrames()
{
    for (;;) {
        if (m_buffer.size() < 2)
            return;
        const auto *p = reinterpret_cast<const unsigned char *>(m_buffer.constData());
        const bool fin = p[0] & 0x80;
        const quint8 opcode = p[0] & 0x0f;
        quint64 length = p[1] & 0x7f;
        qsizetype header = 2;
        if (length == 126) {
            if (m_buffer.size() < 4)
                return;
            length = (quint64(p[2]) << 8) | p[3];
            header = 4;
        } else if (length == 127) {
            if (m_buffer.size() < 10)
                return;
            length = 0;
            for (int i = 0; i < 8; ++i)
                length = (length << 8) | p[2 + i];
            header = 10;
        }
        if (quint64(m_buffer.size() - header) < length)
            return;
        const QByteArray payload = m_buffer.mid(header, static_cast<qsizetype>(length));
        m_buffer.remove(0, header + static_cast<qsizetype>(length));
        switch (opcode) {
        case 0x0:
        case 0x1:
        case 0x2:
            m_message += payload;
            if (fin) {
                if (opcode != 0x2)
                    Q_EMIT textReceived(m_message);
                m_message.clear();
            }
            break;
        case 0x8:
            m_socket.disconnectFromHost();
            return;
        case 0x9:
            sendFrame(0xA, payload);
            break;
        default:
            break;
        }
    }
}

void WsClient::sendFrame(quint8 opcode, const QByteArray &payload)
{
    QByteArray frame;
    frame.reserve(payload.size() + 14);
    frame.append(static_cast<char>(0x80 | opcode));
    const auto n = static_cast<quint64>(payload.size());
    if (n < 126) {
        frame.append(static_cast<char>(0x80 | n));
    } else if (n < 65536) {
        frame.append(static_cast<char>(0x80 | 126));
        frame.append(static_cast<char>(n >> 8));
        frame.append(static_cast<char>(n & 0xff));
    } else {
        frame.append(static_cast<char>(0x80 | 127));
        for (int i = 7; i >= 0; --i)
            frame.append(static_cast<char>((n >> (8 * i)) & 0xff));
    }
    // A cheap per-frame mask (xorshift): the masking key only has to be unpredictable to
    // intermediaries, and a benchmark must not spend its time in a cryptographic generator.
    m_maskState ^= m_maskState << 13;
    m_maskState ^= m_maskState >> 17;
    m_maskState ^= m_maskState << 5;
    const char mask[4] = {static_cast<char>(m_maskState), static_cast<char>(m_maskState >> 8),
                          static_cast<char>(m_maskState >> 16), static_cast<char>(m_maskState >> 24)};
    frame.append(mask, 4);
    const qsizetype start = frame.size();
    frame.append(payload);
    char *data = frame.data() + start;
    for (qsizetype i = 0; i < payload.size(); ++i)
        data[i] = static_cast<char>(data[i] ^ mask[i & 3]);
    m_socket.write(frame);
}

void WsClient::sendText(const QByteArray &payload)
{
    sendFrame(0x1, payload);
}

} // namespace chatterbox::bench
