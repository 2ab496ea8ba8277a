// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QTcpServer>
#include <QTimer>
#include <QUrlQuery>

namespace chatterbox::app {

// The app's end of a browser sign-in (RFC 8252 7.3): listens on 127.0.0.1 only, on a port the
// system picks, for one request to its path; answers the browser with a short page, then stops.
// Gives up after a timeout (the person closed the tab).
class LoopbackReceiver final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LoopbackReceiver)

public:
    explicit LoopbackReceiver(QObject *parent = nullptr);

    // Ten minutes: as long as the server keeps a sign-in attempt open.
    bool listen(int timeoutMs = 10 * 60 * 1000);
    QUrl redirectUri() const;
    void stop();

Q_SIGNALS:
    void received(const QUrlQuery &query);
    void timedOut();

private:
    void onConnection();

    QTcpServer m_server;
    QTimer m_timeout;
    QString m_path;
    QUrl m_redirectUri;
    bool m_done = false;
};

} // namespace chatterbox::app
