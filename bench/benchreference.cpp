// SPDX-License-Identifier: GPL-3.0-or-later
// chatterbox-bench-reference: the stack's own limit. A bare broadcast loop on the same WebSocket
// transport the server uses (server/ws: the same framing, epoll set and batched writes, on the
// same Qt event loop): every text message any client sends goes to every connected client, with
// no sign-in, database or protocol. chatterbox-bench --reference measures it the same way it
// measures the server.
//
//   chatterbox-bench-reference [--listen 127.0.0.1:9090]

#include "server/ws/websocket.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTcpServer>

#include <cstdio>
#include <memory>
#include <unordered_map>

namespace {

class BroadcastServer final : public QTcpServer {
public:
    BroadcastServer() : m_poller(std::make_shared<chatterbox::ws::SocketPoller>()) {}

protected:
    void incomingConnection(qintptr descriptor) override
    {
        auto socket = std::make_unique<chatterbox::ws::WebSocket>(m_poller, static_cast<int>(descriptor),
                                                                 chatterbox::ws::SocketLimits{});
        chatterbox::ws::WebSocket *raw = socket.get();
        raw->onText = [this](const QByteArray &text) {
            // Encoded once, queued to everyone.
            const chatterbox::ws::Frame frame = chatterbox::ws::textFrame({text.constData(), static_cast<std::size_t>(text.size())});
            for (const auto &[client, owned] : m_clients)
                client->send(frame);
        };
        raw->onClosed = [this, raw] {
            auto it = m_clients.find(raw);
            // Destroyed from the event loop, not from inside its own callback.
            auto *gone = it->second.release();
            m_clients.erase(it);
            QMetaObject::invokeMethod(this, [gone] { delete gone; }, Qt::QueuedConnection);
        };
        m_clients.emplace(raw, std::move(socket));
    }

private:
    std::shared_ptr<chatterbox::ws::SocketPoller> m_poller;
    std::unordered_map<chatterbox::ws::WebSocket *, std::unique_ptr<chatterbox::ws::WebSocket>> m_clients;
};

} // namespace

int main(int argc, char *argv[])
{
    // The same event dispatcher as chatterbox-server (glib's costs far more with many sockets).
    qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption listen(QStringLiteral("listen"), QStringLiteral("Address and port."), QStringLiteral("host:port"),
                                    QStringLiteral("127.0.0.1:9090"));
    parser.addOption(listen);
    parser.process(app);
    const QString where = parser.value(listen);
    BroadcastServer server;
    server.setListenBacklogSize(4096);
    if (!server.listen(QHostAddress(where.section(QLatin1Char(':'), 0, 0)), static_cast<quint16>(where.section(QLatin1Char(':'), 1).toUInt()))) {
        std::fprintf(stderr, "cannot listen on %s\n", qPrintable(where));
        return 1;
    }
    std::printf("chatterbox-bench-reference: listening on ws://%s\n", qPrintable(where));
    std::fflush(stdout);
    return app.exec();
}
