// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/core/loopbackreceiver.h"

#include "shared/webpage.h"

#include <QRandomGenerator>
#include <QTcpSocket>
#include <QUrl>

namespace chatterbox::app {

namespace {

// The browser's last page of the sign-in, in the look of the server's pages.
QByteArray page(std::string_view title, std::string_view text)
{
    const QByteArray body = QByteArray::fromStdString(web::messagePage(title, text));
    return "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nCache-Control: no-store\r\n"
           "Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'\r\n"
           "X-Content-Type-Options: nosniff\r\nReferrer-Policy: no-referrer\r\n"
           "Connection: close\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

} // namespace

LoopbackReceiver::LoopbackReceiver(QObject *parent) : QObject(parent)
{
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, [this] {
        stop();
        Q_EMIT timedOut();
    });
    connect(&m_server, &QTcpServer::newConnection, this, &LoopbackReceiver::onConnection);
    // A path nobody can guess, so a stray request to the port is not taken for the answer.
    m_path = QStringLiteral("/chatterbox/") + QString::number(QRandomGenerator::system()->generate64(), 36);
}

bool LoopbackReceiver::listen(int timeoutMs)
{
    m_done = false;
    if (!m_server.listen(QHostAddress::LocalHost, 0))
        return false;
    // Kept: the token request must repeat it after the listener has closed.
    m_redirectUri = QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_server.serverPort()).arg(m_path));
    m_timeout.start(timeoutMs);
    return true;
}

QUrl LoopbackReceiver::redirectUri() const
{
    return m_redirectUri;
}

void LoopbackReceiver::stop()
{
    m_timeout.stop();
    m_server.close();
}

void LoopbackReceiver::onConnection()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] {
            const QByteArray head = socket->peek(8192);
            if (!head.contains("\r\n")) {
                if (head.size() >= 8192)
                    socket->abort();
                return;
            }
            const QList<QByteArray> requestLine = head.left(head.indexOf("\r\n")).split(' ');
            const QUrl target(QString::fromLatin1(requestLine.value(1)));
            if (requestLine.value(0) != "GET" || target.path() != m_path || m_done) {
                socket->write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                socket->disconnectFromHost();
                return;
            }
            m_done = true;
            const QUrlQuery query(target);
            socket->write(query.hasQueryItem(QStringLiteral("error"))
                              ? page("Sign-in did not finish", "Go back to Chatterbox to see what happened.")
                              : page("You are signed in", "You can close this tab and go back to Chatterbox."));
            socket->disconnectFromHost();
            stop();
            Q_EMIT received(query);
        });
    }
}

} // namespace chatterbox::app
