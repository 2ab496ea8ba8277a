// SPDX-License-Identifier: GPL-3.0-or-later
// chatterbox-demo: the demo a newcomer lands in. Signs two demo members in through a server's
// development sign-in, makes sure the party "Welcome to Chatterbox" exists with a few topics and
// some history, prints an invite link to it, and then stays connected so that the demo members
// are online, welcome whoever joins, and answer when mentioned. Run by scripts/run.sh.
//
//   chatterbox-demo --server http://127.0.0.1:8080 [--link-file FILE]

#include "shared/limits.h"

#include <nlohmann/json.hpp>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>
#include <QUuid>
#include <QWebSocket>

#include <cstdio>
#include <functional>
#include <map>

using nlohmann::json;

namespace {

const std::string kPartyName = "Welcome to Chatterbox";

std::string newId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString();
}

// One demo member: signed in, connected, answering requests through callbacks.
class Member final : public QObject {
public:
    using Reply = std::function<void(const json &result)>;

    Member(QString name, QUrl server, QNetworkAccessManager &network) : m_name(std::move(name)), m_server(std::move(server)), m_network(network)
    {
        connect(&m_socket, &QWebSocket::textMessageReceived, this, &Member::onText);
        connect(&m_socket, &QWebSocket::disconnected, this, [this] {
            m_ready = false;
            QTimer::singleShot(2000, this, &Member::start); // the server restarted, or the token expired
        });
    }

    std::function<void(Member &, const json &ready)> onReady;
    std::function<void(Member &, const std::string &name, const json &event)> onEvent;
    const std::string &id() const { return m_id; }
    QString name() const { return m_name; }

    void start()
    {
        QNetworkRequest login(m_server.resolved(QUrl(QStringLiteral("/auth/dev"))));
        login.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
        QNetworkReply *reply = m_network.post(login, QByteArray::fromStdString(json{{"name", m_name.toStdString()}}.dump()));
        connect(reply, &QNetworkReply::finished, this, [this, reply] {
            reply->deleteLater();
            const json answer = json::parse(reply->readAll().toStdString(), nullptr, false);
            if (reply->error() != QNetworkReply::NoError || !answer.contains("access_token")) {
                std::fprintf(stderr, "chatterbox-demo: %s could not sign in (%s); trying again\n", qPrintable(m_name),
                             qPrintable(reply->errorString()));
                QTimer::singleShot(2000, this, &Member::start);
                return;
            }
            discoverAndConnect(QByteArray::fromStdString(answer["access_token"].get<std::string>()));
        });
    }

    void request(const std::string &type, json fields, Reply reply = {})
    {
        const std::int64_t id = m_nextId++;
        fields["type"] = type;
        fields["id"] = id;
        if (reply)
            m_replies[id] = std::move(reply);
        m_socket.sendTextMessage(QString::fromStdString(fields.dump()));
    }

    void say(const std::string &topicId, const std::string &body)
    {
        request("message.send", {{"topicId", topicId}, {"clientMsgId", newId()}, {"body", body}});
    }

private:
    void discoverAndConnect(const QByteArray &token)
    {
        QNetworkReply *reply = m_network.get(QNetworkRequest(m_server.resolved(QUrl(QStringLiteral("/.well-known/chatterbox")))));
        connect(reply, &QNetworkReply::finished, this, [this, reply, token] {
            reply->deleteLater();
            const json info = json::parse(reply->readAll().toStdString(), nullptr, false);
            if (!info.contains("websocket")) {
                QTimer::singleShot(2000, this, &Member::start);
                return;
            }
            QNetworkRequest open(QUrl(QString::fromStdString(info["websocket"].get<std::string>())));
            open.setRawHeader("Authorization", "Bearer " + token);
            m_socket.open(open);
            connect(&m_socket, &QWebSocket::connected, this, [this] {
                request("hello", {{"protocol", chatterbox::limits::kProtocolVersion}}, [this](const json &ready) {
                    m_id = ready["me"]["id"];
                    m_ready = true;
                    if (onReady)
                        onReady(*this, ready);
                });
            }, Qt::SingleShotConnection);
        });
    }

    void onText(const QString &text)
    {
        const json frame = json::parse(text.toStdString(), nullptr, false);
        if (!frame.is_object())
            return;
        const std::string type = frame.value("type", "");
        if (type == "result" || type == "error") {
            const auto it = m_replies.find(frame.value("id", std::int64_t(0)));
            if (it == m_replies.end())
                return;
            Reply reply = std::move(it->second);
            m_replies.erase(it);
            if (type == "result")
                reply(frame["result"]);
            else
                std::fprintf(stderr, "chatterbox-demo: %s\n", frame.dump().c_str());
            return;
        }
        if (type == "event" && m_ready && onEvent)
            onEvent(*this, frame.value("event", ""), frame.value("data", json::object()));
    }

    QString m_name;
    QUrl m_server;
    QNetworkAccessManager &m_network;
    QWebSocket m_socket;
    std::int64_t m_nextId = 1;
    std::map<std::int64_t, Reply> m_replies;
    std::string m_id;
    bool m_ready = false;
};

// The conversation the demo party starts with: (who, topic index, text).
struct Line {
    int who;
    int topic;
    const char *body;
};
const Line kHistory[] = {
    {0, 0, "Welcome to **Chatterbox**! This party is a demo on your own server."},
    {1, 0, "Parties are groups of people; topics (on the left) keep conversations apart."},
    {0, 0, "Messages take *Markdown*: **bold**, *italics*, `inline code`, lists and links like https://example.org"},
    {1, 0, "Try mentioning one of us: type @ and pick a name."},
    {0, 1, "Anything goes in here."},
    {1, 1, "Ctrl+K jumps to any topic; Alt+Up and Alt+Down step through them."},
    {0, 2, "Ask here if something is unclear. Invite friends from the party menu at the top left."},
};

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Fills a development Chatterbox server with a demo party and keeps its demo members online."));
    parser.addHelpOption();
    const QCommandLineOption serverOption(QStringLiteral("server"), QStringLiteral("The server's address."), QStringLiteral("url"),
                                          QStringLiteral("http://127.0.0.1:8080"));
    const QCommandLineOption linkOption(QStringLiteral("link-file"), QStringLiteral("Also write the invite link to this file."),
                                        QStringLiteral("file"));
    parser.addOption(serverOption);
    parser.addOption(linkOption);
    parser.process(app);
    const QUrl server(parser.value(serverOption));

    QNetworkAccessManager network;
    Member ada(QStringLiteral("Ada (demo)"), server, network);
    Member linus(QStringLiteral("Linus (demo)"), server, network);
    std::string partyId;
    std::vector<std::string> topics;
    bool seeded = false;

    auto publishInvite = [&] {
        ada.request("invite.create", {{"partyId", partyId}}, [&](const json &result) {
            const std::string url = result["invite"]["url"];
            std::printf("Demo party \"%s\": join with %s\n", kPartyName.c_str(), url.c_str());
            std::fflush(stdout);
            if (parser.isSet(linkOption)) {
                QFile file(parser.value(linkOption));
                if (file.open(QIODevice::WriteOnly | QIODevice::Truncate))
                    file.write(QByteArray::fromStdString(url + "\n"));
            }
        });
    };
    auto seedHistory = [&] {
        if (seeded)
            return;
        seeded = true;
        for (const Line &line : kHistory)
            (line.who == 0 ? ada : linus).say(topics[static_cast<std::size_t>(line.topic)], line.body);
        publishInvite();
    };

    linus.onReady = [&](Member &, const json &ready) {
        for (const auto &party : ready["parties"]) {
            if (party["id"] == partyId)
                return seedHistory();
        }
        if (partyId.empty())
            return; // Ada has not made the party yet; she brings Linus in when she has
        ada.request("invite.create", {{"partyId", partyId}, {"maxUses", 1}}, [&](const json &invite) {
            linus.request("invite.join", {{"code", invite["invite"]["code"]}}, [&](const json &) { seedHistory(); });
        });
    };
    ada.onReady = [&](Member &, const json &ready) {
        for (const auto &party : ready["parties"]) {
            if (party["name"] == kPartyName && party["ownerId"] == ada.id()) {
                partyId = party["id"];
                for (const auto &topic : party["topics"])
                    topics.push_back(topic["id"]);
                seeded = true; // there from an earlier run: reuse it
                publishInvite();
                linus.start();
                return;
            }
        }
        ada.request("party.create", {{"name", kPartyName}}, [&](const json &created) {
            partyId = created["party"]["id"];
            topics = {created["party"]["topics"][0]["id"].get<std::string>()};
            ada.request("topic.create", {{"partyId", partyId}, {"name", "random"}}, [&](const json &random) {
                topics.push_back(random["topic"]["id"]);
                ada.request("topic.create", {{"partyId", partyId}, {"name", "help"}}, [&](const json &help) {
                    topics.push_back(help["topic"]["id"]);
                    linus.start();
                });
            });
        });
    };
    // Newcomers are welcomed; a mention gets an answer.
    linus.onEvent = [&](Member &self, const std::string &name, const json &data) {
        if (name == "member.joined" && data.value("partyId", "") == partyId && data["member"]["userId"] != ada.id()
            && data["member"]["userId"] != self.id() && !topics.empty()) {
            self.say(topics[0], "Welcome, " + data["member"]["displayName"].get<std::string>()
                                    + "! Say hello, or try `code` and **bold** in a message.");
        }
    };
    ada.onEvent = [&](Member &self, const std::string &name, const json &data) {
        if (name != "message.created")
            return;
        const json &m = data["message"];
        const auto &mentions = m.value("mentions", json::array());
        if (m["authorId"] != self.id() && std::find(mentions.begin(), mentions.end(), self.id()) != mentions.end())
            self.say(m["topicId"], "Hi! I am a demo member; this server is yours to try things on.");
    };
    ada.start();
    return app.exec();
}
