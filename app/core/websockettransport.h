// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/core/transport.h"

#include <QWebSocket>

namespace chatterbox::app {

class WebSocketTransport final : public Transport {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WebSocketTransport)

public:
    explicit WebSocketTransport(QObject *parent = nullptr);
    void open(const QUrl &url, const QByteArray &accessToken) override;
    void sendText(const QString &text) override;
    void ping() override;
    void close() override;

private:
    QWebSocket m_socket;
    bool m_open = false;
};

} // namespace chatterbox::app
