// chatterbox-bench-reference: the stack's own limit. A bare broadcast loop on the same WebSocket
// library the server uses (Qt WebSockets): every text message any client sends goes to every
// connected client, with no sign-in, database or protocol. chatterbox-bench --reference measures
// it the same way it measures the server.
//
//   chatterbox-bench-reference [--listen 127.0.0.1:9090]

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QWebSocket>
#include <QWebSocketServer>

#include <cstdio>
#include <vector>

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
    QWebSocketServer server(QStringLiteral("reference"), QWebSocketServer::NonSecureMode);
    if (!server.listen(QHostAddress(where.section(QLatin1Char(':'), 0, 0)), static_cast<quint16>(where.section(QLatin1Char(':'), 1).toUInt()))) {
        std::fprintf(stderr, "cannot listen on %s\n", qPrintable(where));
        return 1;
    }
    std::vector<QWebSocket *> clients;
    QObject::connect(&server, &QWebSocketServer::newConnection, [&] {
        while (QWebSocket *socket = server.nextPendingConnection()) {
            clients.push_back(socket);
            QObject::connect(socket, &QWebSocket::textMessageReceived, [&](const QString &text) {
                for (QWebSocket *client : clients)
                    client->sendTextMessage(text);
            });
            QObject::connect(socket, &QWebSocket::disconnected, [&, socket] {
                std::erase(clients, socket);
                socket->deleteLater();
            });
        }
    });
    std::printf("chatterbox-bench-reference: listening on ws://%s\n", qPrintable(where));
    std::fflush(stdout);
    return app.exec();
}
