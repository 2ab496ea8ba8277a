// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QUrl>
#include <QWebSocket>

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <string>

namespace chatterbox::test {

using nlohmann::json;

// A protocol client over a real QWebSocket, with blocking helpers for tests: each waits on
// the event loop (never sleeps) and gives up after a timeout.
class TestClient final : public QObject {
    Q_OBJECT

public:
    TestClient();
    ~TestClient() override;

    // Opens the WebSocket with "Authorization: Bearer <token>" (none when empty).
    bool open(const QUrl &url, const QByteArray &token);
    // The same with more request headers (as a proxy adds them).
    bool open(const QUrl &url, const QByteArray &token, const QList<std::pair<QByteArray, QByteArray>> &headers);
    // Sends hello and returns the ready result (empty on failure).
    json hello();
    // Sends a request (type + fields), waits for its reply: {"type":"result",...} or {"type":"error",...}.
    json request(const std::string &type, json fields = json::object(), int timeoutMs = 10000);
    // Sends a request without waiting; returns its id.
    std::int64_t post(const std::string &type, json fields = json::object());
    // Sends raw text and waits for the next reply frame.
    json sendRaw(const QByteArray &text, int timeoutMs = 10000);
    // Waits for an event; returns its data.
    std::optional<json> waitForEvent(const std::string &name, const std::function<bool(const json &)> &match = {},
                                     int timeoutMs = 10000);
    // True when no matching event arrives within the time (after processing what is queued).
    bool noEvent(const std::string &name, int waitMs = 500);
    bool waitForClose(int timeoutMs = 10000);
    // Refuses (closing with 1009) any message from the server larger than this, as many
    // WebSocket libraries do by default at 1 MiB.
    void limitIncomingMessageBytes(qint64 bytes)
    {
        m_socket.setMaxAllowedIncomingMessageSize(static_cast<quint64>(bytes));
        m_socket.setMaxAllowedIncomingFrameSize(static_cast<quint64>(bytes));
    }
    void close();
    void abort();

    bool isOpen() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    int closeCode() const { return m_closeCode; }
    QList<json> events;        // every event received, in order: {"event": name, "data": {...}}
    QList<json> replies;       // every reply received, in order
    QList<json> received;      // every frame, replies and events, in the order they came

private:
    QWebSocket m_socket;
    std::int64_t m_nextId = 1;
    int m_closeCode = -1;
    bool m_closed = false;
};

// Convenience: the "result" of a reply, failing the test's QVERIFY when it is an error.
bool isOk(const json &reply);
std::string errorCode(const json &reply);

} // namespace chatterbox::test
