// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A TCP proxy on loopback that can cut the network between its two sides as a real partition
// does: while cut, nothing passes either way, not even a close, and new connections are taken
// but get no further; when healed, the bytes held back pass on (TCP retransmits them), and a
// side that closed meanwhile ends the other.

#include <QHostAddress>
#include <QTcpServer>
#include <QTcpSocket>

#include <memory>
#include <vector>

namespace chatterbox::test {

class PartitionProxy final : public QObject {
public:
    explicit PartitionProxy(quint16 upstreamPort) : m_upstreamPort(upstreamPort)
    {
        m_listener.listen(QHostAddress::LocalHost);
        connect(&m_listener, &QTcpServer::newConnection, this, &PartitionProxy::accept);
    }

    ~PartitionProxy() override
    {
        // Sockets closing as they are destroyed must not reach pump() on half-destroyed links.
        for (const auto &link : m_links) {
            link->down->disconnect(this);
            if (link->up)
                link->up->disconnect(this);
        }
    }

    bool isListening() const { return m_listener.isListening(); }
    quint16 port() const { return m_listener.serverPort(); }
    bool isCut() const { return m_cut; }
    int connectionsMade() const { return m_made; }

    void cut() { m_cut = true; }

    void heal()
    {
        m_cut = false;
        for (const auto &link : m_links) {
            if (!link->up)
                dialUp(*link);
            pump(*link);
        }
    }

private:
    struct Link {
        std::unique_ptr<QTcpSocket> down;   // the client's side
        std::unique_ptr<QTcpSocket> up;     // towards the server; made once the network lets it
        bool upReady = false;
        bool downClosed = false;
        bool upClosed = false;
    };

    void accept()
    {
        while (QTcpSocket *socket = m_listener.nextPendingConnection()) {
            auto link = std::make_shared<Link>();
            link->down.reset(socket);
            socket->setParent(nullptr);
            // A small buffer, so that held bytes back up into the kernel as on a real path.
            socket->setReadBufferSize(64 * 1024);
            ++m_made;
            Link *raw = link.get();
            connect(socket, &QTcpSocket::readyRead, this, [this, raw] { pump(*raw); });
            connect(socket, &QTcpSocket::disconnected, this, [this, raw] {
                raw->downClosed = true;
                pump(*raw);
            });
            m_links.push_back(link);
            if (!m_cut)
                dialUp(*link);
        }
    }

    void dialUp(Link &link)
    {
        if (link.downClosed && link.down->bytesAvailable() == 0)
            return;
        link.up = std::make_unique<QTcpSocket>();
        link.up->setReadBufferSize(64 * 1024);
        Link *raw = &link;
        connect(link.up.get(), &QTcpSocket::connected, this, [this, raw] {
            raw->upReady = true;
            pump(*raw);
        });
        connect(link.up.get(), &QTcpSocket::readyRead, this, [this, raw] { pump(*raw); });
        connect(link.up.get(), &QTcpSocket::disconnected, this, [this, raw] {
            raw->upClosed = true;
            pump(*raw);
        });
        link.up->connectToHost(QHostAddress::LocalHost, m_upstreamPort);
    }

    // Moves what each side has to the other, and passes a close on once its bytes are through.
    void pump(Link &link)
    {
        if (m_cut || !link.up || !link.upReady)
            return;
        if (link.down->bytesAvailable() > 0)
            link.up->write(link.down->readAll());
        if (link.up->bytesAvailable() > 0)
            link.down->write(link.up->readAll());
        if (link.downClosed && link.up->state() == QAbstractSocket::ConnectedState)
            link.up->disconnectFromHost();
        if (link.upClosed && link.down->state() == QAbstractSocket::ConnectedState)
            link.down->disconnectFromHost();
    }

    QTcpServer m_listener;
    quint16 m_upstreamPort;
    bool m_cut = false;
    int m_made = 0;
    std::vector<std::shared_ptr<Link>> m_links;
};

} // namespace chatterbox::test
