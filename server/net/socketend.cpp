#include "server/net/socketend.h"

namespace chatterbox::server {

LocalSocketEnd::LocalSocketEnd(std::unique_ptr<ws::WebSocket> socket) : m_socket(std::move(socket))
{
    peerAddress = m_socket->peerAddress().toString().toStdString();
    // Looked up when called: the owner sets its callbacks after this is made.
    m_socket->onText = [this](const QByteArray &text) { if (onText) onText(text); };
    m_socket->onBinary = [this](const QByteArray &data) { if (onBinary) onBinary(data); };
    m_socket->onPong = [this] { if (onPong) onPong(); };
    m_socket->onClosed = [this] { if (onClosed) onClosed(); };
}

} // namespace chatterbox::server
