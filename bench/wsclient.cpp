// SPDX-License-Identifier: GPL-3.0-or-later
#include "bench/wsclient.h"

#include <QRandomGenerator>

#include <array>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace chatterbox::bench {

namespace {

// One epoll set for every client of the process, alive while any client is.
std::shared_ptr<ws::SocketPoller> sharedPoller()
{
    static std::weak_ptr<ws::SocketPoller> current;
    auto poller = current.lock();
    if (!poller) {
        poller = std::make_shared<ws::SocketPoller>();
        current = poller;
    }
    return poller;
}

sockaddr_in toSockaddr(const QHostAddress &address, quint16 port)
{
    sockaddr_in out{};
    out.sin_family = AF_INET;
    out.sin_port = htons(port);
    out.sin_addr.s_addr = htonl(address.toIPv4Address());
    return out;
}

} // namespace

WsClient::WsClient(QObject *parent)
    : QObject(parent)
    , m_poller(sharedPoller())
    , m_maskState(QRandomGenerator::global()->generate() | 1u)
{
}

WsClient::~WsClient()
{
    if (m_handle != 0)
        m_poller->remove(m_handle, m_fd);
    if (m_fd >= 0)
        ::close(m_fd);
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

    // A failure here is reported from the event loop, as a failed connect would be.
    const auto failLater = [this](int error) {
        const QString why = QString::fromLocal8Bit(std::strerror(error));
        QMetaObject::invokeMethod(this, [this, why] { fail(why); }, Qt::QueuedConnection);
    };
    m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (m_fd < 0)
        return failLater(errno);
    const int one = 1;
    ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (!source.isNull()) {
        // The port is chosen at connect(), per destination, not at bind().
        ::setsockopt(m_fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
        const sockaddr_in from = toSockaddr(source, 0);
        if (::bind(m_fd, reinterpret_cast<const sockaddr *>(&from), sizeof from) != 0)
            return failLater(errno);
    }
    m_handle = m_poller->add(m_fd, this);
    const sockaddr_in to = toSockaddr(host, port);
    if (::connect(m_fd, reinterpret_cast<const sockaddr *>(&to), sizeof to) != 0 && errno != EINPROGRESS)
        return failLater(errno);
    m_connecting = true;
    m_poller->setWriteInterest(m_handle, m_fd, true);
}

void WsClient::writable()
{
    if (m_connecting) {
        int error = 0;
        socklen_t length = sizeof error;
        ::getsockopt(m_fd, SOL_SOCKET, SO_ERROR, &error, &length);
        if (error != 0)
            return fail(QString::fromLocal8Bit(std::strerror(error)));
        m_connecting = false;
        m_poller->setWriteInterest(m_handle, m_fd, false);
        write(m_request);
        return;
    }
    flush();
}

// After send() or recv() returned -1: true when it was interrupted (try again); otherwise it
// would block (the poller says when to go on) or the connection failed, which is reported.
bool WsClient::interruptedElseFailed()
{
    if (errno == EINTR)
        return true;
    if (errno != EAGAIN && errno != EWOULDBLOCK)
        fail(QString::fromLocal8Bit(std::strerror(errno)));
    return false;
}

void WsClient::flush()
{
    while (!m_out.isEmpty()) {
        const ssize_t n = ::send(m_fd, m_out.constData(), static_cast<std::size_t>(m_out.size()), MSG_NOSIGNAL);
        if (n < 0) {
            if (interruptedElseFailed())
                continue;
            return;
        }
        m_out.remove(0, n);
    }
    m_poller->setWriteInterest(m_handle, m_fd, false);
}

void WsClient::write(const QByteArray &bytes)
{
    if (m_fd < 0 || m_connecting)
        return;
    if (!m_out.isEmpty()) {
        m_out += bytes;
        return;
    }
    // Sent at once: a benchmark's sends are its clock.
    const ssize_t n = ::send(m_fd, bytes.constData(), static_cast<std::size_t>(bytes.size()), MSG_NOSIGNAL);
    if (n == bytes.size())
        return;
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
        return fail(QString::fromLocal8Bit(std::strerror(errno)));
    m_out = bytes.mid(n < 0 ? 0 : n);
    m_poller->setWriteInterest(m_handle, m_fd, true);
}

void WsClient::close()
{
    if (m_open)
        sendFrame(0x8, QByteArray("\x03\xe8", 2));
    if (m_fd >= 0)
        ::shutdown(m_fd, SHUT_WR);
}

void WsClient::readable()
{
    std::array<char, 64 * 1024> buffer;
    for (;;) {
        const ssize_t n = ::recv(m_fd, buffer.data(), buffer.size(), 0);
        if (n == 0)
            return fail(QStringLiteral("closed by the server"));
        if (n < 0) {
            if (interruptedElseFailed())
                continue;
            return;
        }
        m_buffer.append(buffer.data(), n);
        if (static_cast<std::size_t>(n) < buffer.size())
            break;
    }
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
        fail(QString::fromLatin1(head.left(head.indexOf('\r'))));
        return false;
    }
    m_open = true;
    Q_EMIT opened();
    return true;
}

void WsClient::parseFrames()
{
    qsizetype at = 0;
    while (m_fd >= 0) {
        const qsizetype left = m_buffer.size() - at;
        if (left < 2)
            break;
        const auto *p = reinterpret_cast<const unsigned char *>(m_buffer.constData() + at);
        const bool fin = p[0] & 0x80;
        const quint8 opcode = p[0] & 0x0f;
        quint64 length = p[1] & 0x7f;
        qsizetype header = 2;
        if (length == 126) {
            if (left < 4)
                break;
            length = (quint64(p[2]) << 8) | p[3];
            header = 4;
        } else if (length == 127) {
            if (left < 10)
                break;
            length = 0;
            for (int i = 0; i < 8; ++i)
                length = (length << 8) | p[2 + i];
            header = 10;
        }
        if (quint64(left - header) < length)
            break;
        const QByteArray payload = m_buffer.mid(at + header, static_cast<qsizetype>(length));
        at += header + static_cast<qsizetype>(length);
        switch (opcode) {
        case 0x0:
        case 0x1:
        case 0x2:
            if (fin && m_message.isEmpty()) {
                if (opcode != 0x2)
                    Q_EMIT textReceived(payload);
                break;
            }
            m_message += payload;
            if (fin) {
                if (opcode != 0x2)
                    Q_EMIT textReceived(m_message);
                m_message.clear();
            }
            break;
        case 0x8:
            ::shutdown(m_fd, SHUT_WR);
            break;
        case 0x9:
            sendFrame(0xA, payload);
            break;
        default:
            break;
        }
    }
    m_buffer.remove(0, at);
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
    write(frame);
}

void WsClient::sendText(const QByteArray &payload)
{
    sendFrame(0x1, payload);
}

// Before the upgrade, a failure; after it, the end of the connection.
void WsClient::fail(const QString &why)
{
    const bool wasOpen = m_open;
    const bool wasLive = m_fd >= 0 || !m_request.isEmpty();
    drop();
    m_request.clear();
    if (!wasOpen && wasLive)
        Q_EMIT failed(why);
}

// The connection is over: no more events from it.
void WsClient::drop()
{
    if (m_fd < 0)
        return;
    if (m_handle != 0)
        m_poller->remove(m_handle, m_fd);
    m_handle = 0;
    ::close(m_fd);
    m_fd = -1;
    m_connecting = false;
    if (m_open) {
        m_open = false;
        Q_EMIT closed();
    }
}

} // namespace chatterbox::bench
