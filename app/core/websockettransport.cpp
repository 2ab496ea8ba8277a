// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/core/websockettransport.h"

#include "shared/limits.h"

#include <QNetworkRequest>

namespace chatterbox::app {

WebSocketTransport::WebSocketTransport(QObject *parent) : Transport(parent)
{
    // The server's frames are bounded too; refuse anything larger than the protocol allows.
    m_socket.setMaxAllowedIncomingFrameSize(16 * 1024 * 1024);   // the server sends a message as one frame
    m_socket.setMaxAllowedIncomingMessageSize(16 * 1024 * 1024);
    connect(&m_socket, &QWebSocket::connected, this, [this] {
        m_open = true;
        Q_EMIT opened();
    });
    connect(&m_socket, &QWebSocket::textMessageReceived, this, &Transport::textReceived);
    connect(&m_socket, &QWebSocket::pong, this, [this] { Q_EMIT pongReceived(); });
    connect(&m_socket, &QWebSocket::disconnected, this, [this] {
        m_open = false;
        const int code = m_socket.closeCode() == QWebSocketProtocol::CloseCodeNormal && m_socket.closeReason().isEmpty()
                             ? 1006 : static_cast<int>(m_socket.closeCode());
        Q_EMIT closed(code, m_socket.closeReason());
    });
}

void WebSocketTransport::open(const QUrl &url, const QByteArray &accessToken)
{
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", "Bearer " + accessToken);
    m_socket.open(request);
}

void WebSocketTransport::sendText(const QString &text)
{
    if (m_open)
        m_socket.sendTextMessage(text);
}

void WebSocketTransport::ping()
{
    if (m_open)
        m_socket.ping();
}

void WebSocketTransport::close()
{
    m_socket.abort();
}

} // namespace chatterbox::app
