// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/net/socketend.h"

#include "server/http/clientaddress.h"

namespace chatterbox::server {

LocalSocketEnd::LocalSocketEnd(std::unique_ptr<ws::WebSocket> socket) : m_socket(std::move(socket))
{
    peerAddress = clientAddressOf(*m_socket, {});
    // Looked up when called: the owner sets its callbacks after this is made.
    m_socket->onText = [this](const QByteArray &text) { if (onText) onText(text); };
    m_socket->onBinary = [this](const QByteArray &data) { if (onBinary) onBinary(data); };
    m_socket->onPong = [this] { if (onPong) onPong(); };
    m_socket->onClosed = [this] { if (onClosed) onClosed(); };
}

std::string clientAddressOf(const ws::WebSocket &socket, const std::set<std::string> &trustedProxies)
{
    QString peer = socket.peerAddress().toString();
    if (peer.startsWith(QLatin1String("::ffff:")) && peer.count(QLatin1Char('.')) == 3)
        peer = peer.mid(7);
    return http::clientAddressFor(peer.toStdString(), socket.forwardedFor().toStdString(), trustedProxies);
}

} // namespace chatterbox::server
