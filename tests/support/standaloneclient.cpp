// SPDX-License-Identifier: GPL-3.0-or-later
// chatterbox-test-client URL TOKEN [TOPIC_ID]: connects, says hello, prints "ready", and stays
// connected until killed. Tests use it to see what the server makes of a client that dies, or
// that is frozen (SIGSTOP).
//
// With a topic it also follows the topic the way the app does: it holds the messages it has
// seen, and when the connection ends it reconnects, syncs from the newest seq it holds, and
// prints "held COUNT NEWEST" whenever what it holds changes.

#include "testclient.h"

#include <QCoreApplication>
#include <QTimer>

#include <cstdio>
#include <map>
#include <memory>

namespace {

using chatterbox::test::json;
using chatterbox::test::TestClient;

class Follower final : public QObject {
public:
    Follower(QUrl url, QByteArray token, std::string topicId)
        : m_url(std::move(url)), m_token(std::move(token)), m_topicId(std::move(topicId))
    {
        m_poll.setInterval(50);
        connect(&m_poll, &QTimer::timeout, this, [this] { poll(); });
    }

    bool connectAndCatchUp()
    {
        m_client = std::make_unique<TestClient>();
        if (!m_client->open(m_url, m_token) || !m_client->hello().is_object())
            return false;
        const std::int64_t after = m_held.empty() ? 0 : m_held.rbegin()->first;
        for (std::int64_t from = after;;) {
            const json sync = m_client->request("message.sync", {{"topics", {{{"topicId", m_topicId}, {"afterSeq", from}}}}});
            if (sync.value("type", std::string()) != "result")
                return false;
            const json &topic = sync["result"]["topics"][0];
            for (const json &m : topic["messages"]) {
                m_held[m["seq"].get<std::int64_t>()] = m;
                from = std::max(from, m["seq"].get<std::int64_t>());
            }
            if (!topic["hasMore"].get<bool>())
                break;
        }
        report();
        m_poll.start();
        return true;
    }

private:
    void poll()
    {
        for (const json &e : m_client->events) {
            if (e["event"] == "message.created" && e["data"]["message"]["topicId"] == m_topicId)
                m_held[e["data"]["message"]["seq"].get<std::int64_t>()] = e["data"]["message"];
        }
        if (!m_client->events.isEmpty()) {
            m_client->events.clear();
            report();
        }
        if (!m_client->isOpen()) {
            m_poll.stop();
            std::printf("disconnected %d\n", m_client->closeCode());
            std::fflush(stdout);
            QTimer::singleShot(500, this, [this] {
                if (!connectAndCatchUp())
                    QTimer::singleShot(500, this, [this] { connectAndCatchUp(); });
            });
        }
    }

    void report()
    {
        std::printf("held %zu %lld\n", m_held.size(), static_cast<long long>(m_held.empty() ? 0 : m_held.rbegin()->first));
        std::fflush(stdout);
    }

    QUrl m_url;
    QByteArray m_token;
    std::string m_topicId;
    std::unique_ptr<TestClient> m_client;
    std::map<std::int64_t, json> m_held;
    QTimer m_poll;
};

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (argc != 3 && argc != 4) {
        std::fprintf(stderr, "usage: chatterbox-test-client WS_URL ACCESS_TOKEN [TOPIC_ID]\n");
        return 2;
    }
    const QUrl url(QString::fromLocal8Bit(argv[1]));
    if (argc == 4) {
        Follower follower(url, QByteArray(argv[2]), argv[3]);
        if (!follower.connectAndCatchUp()) {
            std::fprintf(stderr, "could not connect\n");
            return 1;
        }
        std::printf("ready\n");
        std::fflush(stdout);
        return app.exec();
    }
    TestClient client;
    if (!client.open(url, QByteArray(argv[2])) || !client.hello().is_object()) {
        std::fprintf(stderr, "could not connect\n");
        return 1;
    }
    std::printf("ready\n");
    std::fflush(stdout);
    return app.exec();
}
