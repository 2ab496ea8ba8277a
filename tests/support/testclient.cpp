// SPDX-License-Identifier: GPL-3.0-or-later
#include "testclient.h"

#include <QNetworkRequest>
#include <QTest>

namespace chatterbox::test {

TestClient::TestClient()
{
    connect(&m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
        const json frame = json::parse(text.toStdString(), nullptr, false);
        if (!frame.is_object())
            return;
        received.push_back(frame);
        if (frame.value("type", std::string()) == "event")
            events.push_back({{"event", frame["event"]}, {"data", frame["data"]}});
        else
            replies.push_back(frame);
    });
    connect(&m_socket, &QWebSocket::disconnected, this, [this] {
        m_closed = true;
        m_closeCode = m_socket.closeCode();
    });
}

TestClient::~TestClient()
{
    m_socket.abort();
}

bool TestClient::open(const QUrl &url, const QByteArray &token)
{
    return open(url, token, {});
}

bool TestClient::open(const QUrl &url, const QByteArray &token, const QList<std::pair<QByteArray, QByteArray>> &headers)
{
    QNetworkRequest request(url);
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    if (!token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + token);
    m_closed = false;
    m_closeCode = -1;
    m_socket.open(request);
    return QTest::qWaitFor([this] { return m_socket.state() == QAbstractSocket::ConnectedState || m_closed
                                           || m_socket.state() == QAbstractSocket::UnconnectedState; }, 10000)
           && m_socket.state() == QAbstractSocket::ConnectedState;
}

json TestClient::hello()
{
    const json reply = request("hello", {{"protocol", 1}, {"features", {"message.sync", "message.edit"}}});
    return isOk(reply) ? reply["result"] : json();
}

json TestClient::sendRaw(const QByteArray &text, int timeoutMs)
{
    const auto before = replies.size();
    m_socket.sendTextMessage(QString::fromUtf8(text));
    (void)QTest::qWaitFor([&] { return replies.size() > before || m_closed; }, timeoutMs);
    return replies.size() > before ? replies.at(before) : json();
}

std::int64_t TestClient::post(const std::string &type, json fields)
{
    const std::int64_t id = m_nextId++;
    fields["type"] = type;
    fields["id"] = id;
    m_socket.sendTextMessage(QString::fromStdString(fields.dump()));
    return id;
}

json TestClient::request(const std::string &type, json fields, int timeoutMs)
{
    const std::int64_t id = m_nextId++;
    fields["type"] = type;
    fields["id"] = id;
    const auto before = replies.size();
    m_socket.sendTextMessage(QString::fromStdString(fields.dump()));
    json found;
    (void)QTest::qWaitFor([&] {
        for (qsizetype i = before; i < replies.size(); ++i) {
            const json &r = replies.at(i);
            if (r.contains("id") && r["id"].is_number_integer() && r["id"].get<std::int64_t>() == id) {
                found = r;
                return true;
            }
        }
        return m_closed;
    }, timeoutMs);
    return found;
}

std::optional<json> TestClient::waitForEvent(const std::string &name, const std::function<bool(const json &)> &match,
                                             int timeoutMs)
{
    std::optional<json> found;
    qsizetype checked = 0;
    (void)QTest::qWaitFor([&] {
        for (; checked < events.size(); ++checked) {
            const auto &e = events.at(checked);
            if (e["event"] == name && (!match || match(e["data"]))) {
                found = e["data"];
                return true;
            }
        }
        return false;
    }, timeoutMs);
    return found;
}

bool TestClient::noEvent(const std::string &name, int waitMs)
{
    const auto before = events.size();
    QTest::qWait(waitMs);
    for (qsizetype i = before; i < events.size(); ++i) {
        if (events.at(i)["event"] == name)
            return false;
    }
    return true;
}

bool TestClient::waitForClose(int timeoutMs)
{
    return QTest::qWaitFor([this] { return m_closed; }, timeoutMs);
}

void TestClient::close()
{
    m_socket.close();
    waitForClose(5000);
}

void TestClient::abort()
{
    m_socket.abort();
}

bool isOk(const json &reply)
{
    return reply.is_object() && reply.value("type", std::string()) == "result";
}

std::string errorCode(const json &reply)
{
    if (!reply.is_object() || reply.value("type", std::string()) != "error")
        return {};
    return reply.value("code", std::string());
}

} // namespace chatterbox::test
