// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// In-process stand-ins for the network, for unit tests of the connection logic.

#include "app/core/transport.h"
#include "shared/frames.h"

#include <QStringList>

namespace chatterbox::test {

// Records what the connection sends; the test plays the server by calling deliver()/drop().
class FakeTransport final : public app::Transport {
    Q_OBJECT

public:
    int opens = 0;
    QByteArray lastToken;
    std::vector<nlohmann::json> sent;

    int pings = 0;
    bool answersOpen = true;   // false: an open that hangs, as a connect to a partitioned host does

    void open(const QUrl &, const QByteArray &token) override
    {
        ++opens;
        lastToken = token;
        if (!answersOpen)
            return;
        m_open = true;
        QMetaObject::invokeMethod(this, [this] { Q_EMIT opened(); }, Qt::QueuedConnection);
    }
    void ping() override
    {
        if (m_open)
            ++pings;
    }
    void sendText(const QString &text) override
    {
        if (m_open)
            sent.push_back(nlohmann::json::parse(text.toStdString()));
    }
    void close() override { m_open = false; }

    // The server speaks.
    void deliver(const std::string &frame) { Q_EMIT textReceived(QString::fromStdString(frame)); }
    void reply(const nlohmann::json &request, const nlohmann::json &result)
    {
        deliver(protocol::encodeResult(request["id"].get<std::int64_t>(), result));
    }
    void pong() { Q_EMIT pongReceived(); }
    void drop(int code = 1006)
    {
        m_open = false;
        Q_EMIT closed(code, {});
    }
    // The newest request of a type, or null.
    nlohmann::json lastOf(const std::string &type) const
    {
        for (auto it = sent.rbegin(); it != sent.rend(); ++it) {
            if ((*it)["type"] == type)
                return *it;
        }
        return nullptr;
    }
    int countOf(const std::string &type) const
    {
        int n = 0;
        for (const auto &s : sent)
            n += s["type"] == type;
        return n;
    }

private:
    bool m_open = false;
};

class FakeTokens final : public app::TokenSource {
public:
    bool signedIn = true;
    QByteArray token = "token-1";
    int refreshes = 0;
    bool refreshSucceeds = true;

    bool isSignedIn() const override { return signedIn; }
    QByteArray currentAccessToken() const override { return token; }
    QUrl webSocketUrl() const override { return QUrl(QStringLiteral("ws://127.0.0.1:1/")); }
    void refreshAccess(std::function<void(bool)> done) override
    {
        ++refreshes;
        if (refreshSucceeds)
            token = "token-" + QByteArray::number(refreshes + 1);
        signedIn = refreshSucceeds;
        done(refreshSucceeds);
    }
};

} // namespace chatterbox::test
