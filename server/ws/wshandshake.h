// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The opening handshake (RFC 6455 §4.2): reading a client's upgrade request and writing the
// server's answer, with no sockets.

#include <QByteArray>

#include <cstddef>
#include <utility>
#include <vector>

namespace chatterbox::ws {

struct UpgradeRequest {
    QByteArray target;                                    // the request target, "/" usually
    std::vector<std::pair<QByteArray, QByteArray>> headers;
    QByteArray key;                                       // Sec-WebSocket-Key

    // The value of a header, or empty. Names are case-insensitive (RFC 9110 §5.1).
    QByteArray header(QByteArrayView name) const;
    // How many times a header was sent (for those that must come once).
    int headerCount(QByteArrayView name) const;
};

struct UpgradeParse {
    enum class Status {
        Incomplete,      // the head has not all arrived yet
        Complete,        // `request` holds it and `headBytes` its length
        TooLarge,        // 431
        Malformed,       // 400: not an HTTP/1.1 GET upgrading to websocket
        WrongVersion,    // 426: Sec-WebSocket-Version is not 13
    };
    Status status = Status::Incomplete;
    std::size_t headBytes = 0;
    UpgradeRequest request;
    const char *problem = "";
};

UpgradeParse parseUpgradeRequest(QByteArrayView data, std::size_t maxHeadBytes);

// Sec-WebSocket-Accept for a key: base64(SHA-1(key + the RFC's GUID)).
QByteArray acceptKey(QByteArrayView key);
QByteArray switchingProtocols(QByteArrayView key);
// A plain HTTP answer that ends the connection (Connection: close).
QByteArray httpRefusal(int status, const char *reason, QByteArrayView body, QByteArrayView extraHeaders = {});

} // namespace chatterbox::ws
