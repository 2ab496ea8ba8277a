// SPDX-License-Identifier: GPL-3.0-or-later
// Three chatterbox-server instances on one database, clients spread across them: messages,
// edits, deletes, typing and presence cross instances; an instance killed outright under a
// steady send load loses nothing: its clients reconnect to the others and every acknowledged
// message reaches every member exactly once, in order.

#include "e2efixture.h"

#include <QElapsedTimer>

#include <map>
#include <set>

using namespace chatterbox::test;

namespace {

const QStringList kServerArguments = {QStringLiteral("--instance-timeout"), QStringLiteral("3")};

std::function<bool(const json &)> presenceOf(const std::string &userId, const char *status)
{
    return [userId, status](const json &d) { return d["userId"] == userId && d["status"] == status; };
}

// One person's view of the topic while the load runs: what they sent and what reached them,
// over however many connections.
struct Member {
    std::string name;
    Login login;
    std::unique_ptr<TestClient> client;
    int server = 0;
    std::map<std::string, std::string> unacked;        // clientMsgId -> body
    std::map<std::int64_t, std::string> inFlight;      // request id -> clientMsgId, this connection
    std::map<std::string, std::string> acked;          // clientMsgId -> message id
    std::set<std::string> received;                    // message ids, from events and sync
    std::set<std::string> receivedHere;                // message ids from this connection's events
    std::int64_t newestSeq = 0;
    std::int64_t newestSeqHere = 0;
    qsizetype eventsRead = 0;
    qsizetype repliesRead = 0;
    int sent = 0;
    bool live = true;   // sending and expected to stay connected
};

} // namespace

class TestE2eCluster : public QObject {
    Q_OBJECT

    TestDatabase m_db;
    std::vector<std::unique_ptr<TestServer>> m_servers;

    Person connectTo(int server, const QString &name)
    {
        Person p;
        p.login = m_servers[server]->login(name);
        p.client = std::make_unique<TestClient>();
        if (!p.login.accessToken.isEmpty() && p.client->open(m_servers[server]->webSocketUrl(), p.login.accessToken))
            p.ready = p.client->hello();
        return p;
    }

    // Records what arrived on a member's connection since the last look, and checks that no
    // message arrives twice on one connection and that seqs only rise.
    bool collect(Member &m, const std::string &topicId)
    {
        for (; m.eventsRead < m.client->events.size(); ++m.eventsRead) {
            const json &e = m.client->events.at(m.eventsRead);
            if (e["event"] != "message.created" || e["data"]["message"]["topicId"] != topicId)
                continue;
            const json &message = e["data"]["message"];
            const std::int64_t seq = message["seq"];
            const std::string id = message["id"];
            if (!m.receivedHere.insert(id).second) {
                qWarning("%s got message seq %lld twice", m.name.c_str(), static_cast<long long>(seq));
                return false;
            }
            if (seq <= m.newestSeqHere) {
                qWarning("%s got seq %lld after %lld", m.name.c_str(), static_cast<long long>(seq),
                         static_cast<long long>(m.newestSeqHere));
                return false;
            }
            m.newestSeqHere = seq;
            m.newestSeq = std::max(m.newestSeq, seq);
            m.received.insert(id);
        }
        for (; m.repliesRead < m.client->replies.size(); ++m.repliesRead) {
            const json &reply = m.client->replies.at(m.repliesRead);
            const auto it = m.inFlight.find(reply.value("id", std::int64_t(0)));
            if (it == m.inFlight.end())
                continue;
            if (reply.value("type", std::string()) == "result") {
                m.acked[it->second] = reply["result"]["message"]["id"];
                m.unacked.erase(it->second);
            }
            m.inFlight.erase(it);   // an error leaves it unacked: it is sent again
        }
        return true;
    }

    void send(Member &m, const std::string &topicId, const std::string &clientMsgId)
    {
        const auto id = m.client->post("message.send", {{"topicId", topicId}, {"clientMsgId", clientMsgId},
                                                        {"body", m.unacked.at(clientMsgId)}});
        m.inFlight[id] = clientMsgId;
    }

    // What a client does after its connection dropped: another instance, hello, catch up with
    // message.sync, and send again whatever was never acknowledged (same clientMsgId).
    bool reconnect(Member &m, const std::string &topicId, int server)
    {
        m.client = std::make_unique<TestClient>();
        m.server = server;
        m.eventsRead = m.repliesRead = 0;
        m.inFlight.clear();
        m.receivedHere.clear();
        m.newestSeqHere = 0;
        if (!m.client->open(m_servers[server]->webSocketUrl(), m.login.accessToken) || m.client->hello().is_null())
            return false;
        const json sync = m.client->request("message.sync", {{"topics", {{{"topicId", topicId}, {"afterSeq", m.newestSeq}}}}});
        if (!isOk(sync))
            return false;
        for (const auto &message : sync["result"]["topics"][0]["messages"]) {
            m.received.insert(message["id"].get<std::string>());
            m.newestSeq = std::max<std::int64_t>(m.newestSeq, message["seq"]);
        }
        m.repliesRead = m.client->replies.size();
        for (const auto &[clientMsgId, body] : m.unacked)
            send(m, topicId, clientMsgId);
        return true;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_db.isValid(), qPrintable(m_db.error()));
        for (int i = 0; i < 3; ++i) {
            m_servers.push_back(std::make_unique<TestServer>(m_db.url(), kServerArguments));
            QVERIFY2(m_servers.back()->start(), qPrintable(m_servers.back()->output()));
        }
    }

    void everythingCrossesInstances()
    {
        Person ann = connectTo(0, QStringLiteral("ann"));
        Person bob = connectTo(1, QStringLiteral("bob"));
        Person cat = connectTo(2, QStringLiteral("cat"));
        QVERIFY(!ann.ready.is_null() && !bob.ready.is_null() && !cat.ready.is_null());
        const auto [partyId, topicId] = Harness::createParty(ann, "Spread out");
        QVERIFY(!partyId.empty());
        // Joined through an invite made on another instance; the members hear of each other.
        QVERIFY(Harness::join(ann, partyId, bob));
        QVERIFY(ann->waitForEvent("member.joined", [&](const json &d) { return d["member"]["userId"] == bob.login.userId; }));
        QVERIFY(Harness::join(ann, partyId, cat));
        QVERIFY(bob->waitForEvent("member.joined", [&](const json &d) { return d["member"]["userId"] == cat.login.userId; }));
        // Bob is online on instance 1, and cat on 2 learns it when joining.
        const json joined = cat->replies.back();
        QCOMPARE(joined["result"]["presence"][bob.login.userId].get<std::string>(), std::string("online"));

        const json sent = ann->request("message.send", {{"topicId", topicId}, {"clientMsgId", uuid()}, {"body", "hello from 0"}});
        QVERIFY(isOk(sent));
        const std::string messageId = sent["result"]["message"]["id"];
        for (Person *p : {&bob, &cat}) {
            const auto created = (*p)->waitForEvent("message.created", [&](const json &d) { return d["message"]["id"] == messageId; });
            QVERIFY(created);
            QCOMPARE((*created)["message"]["body"].get<std::string>(), std::string("hello from 0"));
        }
        QVERIFY(isOk(ann->request("message.edit", {{"messageId", messageId}, {"body", "edited on 0"}})));
        for (Person *p : {&bob, &cat})
            QVERIFY((*p)->waitForEvent("message.updated", [&](const json &d) { return d["message"]["body"] == "edited on 0"; }));
        QVERIFY(isOk(cat->request("message.send", {{"topicId", topicId}, {"clientMsgId", uuid()}, {"body", "from 2"}})));
        QVERIFY(ann->waitForEvent("message.created", [](const json &d) { return d["message"]["body"] == "from 2"; }));
        QVERIFY(isOk(ann->request("message.delete", {{"messageId", messageId}})));
        for (Person *p : {&bob, &cat})
            QVERIFY((*p)->waitForEvent("message.deleted", [&](const json &d) { return d["message"]["id"] == messageId; }));

        // Typing, never stored, crosses too; not back to the typist.
        QVERIFY(isOk(bob->request("typing.start", {{"topicId", topicId}})));
        for (Person *p : {&ann, &cat})
            QVERIFY((*p)->waitForEvent("typing", [&](const json &d) { return d["userId"] == bob.login.userId; }));
        QVERIFY(bob->noEvent("typing", 300));

        // Presence: one per person, whichever instances they are on.
        ann->events.clear();
        Person bobAgain = connectTo(0, QStringLiteral("bob"));   // a second connection, on another instance
        QVERIFY(!bobAgain.ready.is_null());
        QCOMPARE(bobAgain.ready["presence"][cat.login.userId].get<std::string>(), std::string("online"));
        QVERIFY(isOk(bob->request("presence.set", {{"status", "idle"}})));
        QVERIFY(ann->noEvent("presence.updated", 800));   // still online on instance 0
        bob->close();
        QVERIFY(cat->noEvent("presence.updated", 800));
        bobAgain->close();
        QVERIFY(ann->waitForEvent("presence.updated", presenceOf(bob.login.userId, "offline")));
        QVERIFY(cat->waitForEvent("presence.updated", presenceOf(bob.login.userId, "offline")));
        ann->events.clear();
        Person bobBack = connectTo(2, QStringLiteral("bob"));
        QVERIFY(ann->waitForEvent("presence.updated", presenceOf(bob.login.userId, "online")));
    }

    // A reply, a reaction and a pin made on one instance reach a client on another at once,
    // and one that was offline through message.sync when it comes back, elsewhere.
    void conversationCrossesInstances_andReachesTheOffline()
    {
        Person ann = connectTo(0, QStringLiteral("ann-c"));
        Person bob = connectTo(1, QStringLiteral("bob-c"));
        Person dan = connectTo(1, QStringLiteral("dan-c"));
        QVERIFY(!ann.ready.is_null() && !bob.ready.is_null() && !dan.ready.is_null());
        const auto [partyId, topicId] = Harness::createParty(ann, "Conversation");
        QVERIFY(Harness::join(ann, partyId, bob));
        QVERIFY(Harness::join(ann, partyId, dan));
        const json sent = ann->request("message.send", {{"topicId", topicId}, {"clientMsgId", uuid()}, {"body", "Lunch at noon?"}});
        QVERIFY(isOk(sent));
        const json original = sent["result"]["message"];
        const std::string originalId = original["id"];
        QVERIFY(dan->waitForEvent("message.created", [&](const json &d) { return d["message"]["id"] == originalId; }));
        dan->close();   // offline from here, having seen the original at its first rev

        const json reply = bob->request("message.send", {{"topicId", topicId}, {"clientMsgId", uuid()}, {"body", "Yes!"}, {"replyTo", originalId}});
        QVERIFY(isOk(reply));
        const auto replied = ann->waitForEvent("message.created", [&](const json &d) { return d["message"]["body"] == "Yes!"; });
        QVERIFY(replied);
        QCOMPARE((*replied)["message"]["replyTo"]["messageId"].get<std::string>(), originalId);
        QCOMPARE((*replied)["message"]["replyTo"]["excerpt"].get<std::string>(), std::string("Lunch at noon?"));

        QVERIFY(isOk(bob->request("reaction.add", {{"messageId", originalId}, {"emoji", "\xf0\x9f\x91\x8d"}})));
        const auto reacted = ann->waitForEvent("reaction.added", [&](const json &d) { return d["messageId"] == originalId; });
        QVERIFY(reacted);
        QCOMPARE((*reacted)["userId"].get<std::string>(), bob.login.userId);
        QVERIFY(ann->noEvent("message.updated", 300));   // one event, not the message again

        QVERIFY(isOk(ann->request("message.pin", {{"messageId", originalId}, {"pinned", true}})));
        const auto pinned = bob->waitForEvent("pin.changed", [&](const json &d) { return d["message"]["id"] == originalId; });
        QVERIFY(pinned);
        QCOMPARE((*pinned)["pinnedCount"].get<int>(), 1);

        // Dan comes back on another instance and catches up from where he was.
        Person danBack = connectTo(2, QStringLiteral("dan-c"));
        QVERIFY(!danBack.ready.is_null());
        const json sync = danBack->request("message.sync", {{"topics", {{{"topicId", topicId}, {"afterSeq", original["seq"]}, {"afterRev", original["rev"]}}}}});
        QVERIFY(isOk(sync));
        const json messages = sync["result"]["topics"][0]["messages"];
        QCOMPARE(int(messages.size()), 2);
        QCOMPARE(messages[0]["id"].get<std::string>(), originalId);
        QCOMPARE(messages[0]["reactions"][0]["userIds"][0].get<std::string>(), bob.login.userId);
        QVERIFY(messages[0].contains("pinnedAt"));
        QCOMPARE(messages[1]["replyTo"]["messageId"].get<std::string>(), originalId);
        int pinnedCount = -1;
        for (const auto &party : danBack.ready["parties"])
            for (const auto &topic : party["topics"])
                if (topic["id"] == topicId)
                    pinnedCount = topic["pinnedCount"];
        QCOMPARE(pinnedCount, 1);
    }

    void killedInstance_nothingLost()
    {
        const std::vector<QString> names = {QStringLiteral("ann"), QStringLiteral("bob"), QStringLiteral("cat")};
        std::vector<Member> members;
        std::vector<Person> people;
        for (int i = 0; i < 3; ++i) {
            people.push_back(connectTo(i, names[i] + QStringLiteral("-load")));
            QVERIFY(!people.back().ready.is_null());
        }
        const auto [partyId, topicId] = Harness::createParty(people[0], "Under load");
        QVERIFY(Harness::join(people[0], partyId, people[1]));
        QVERIFY(Harness::join(people[0], partyId, people[2]));
        // Dave is only on the instance that dies, and does not come back.
        Person dave = connectTo(1, QStringLiteral("dave-load"));
        QVERIFY(Harness::join(people[0], partyId, dave));
        QVERIFY(people[0]->waitForEvent("member.joined", [&](const json &d) { return d["member"]["userId"] == dave.login.userId; }));
        for (int i = 0; i < 3; ++i) {
            Member m;
            m.name = names[i].toStdString();
            m.login = people[i].login;
            m.client = std::move(people[i].client);
            m.server = i;
            m.eventsRead = m.client->events.size();
            m.repliesRead = m.client->replies.size();
            members.push_back(std::move(m));
        }
        people[0].client = nullptr;

        // Each member sends every 20 ms; instance 1 is killed a second in.
        QElapsedTimer clock;
        clock.start();
        bool killed = false;
        while (clock.elapsed() < 3000) {
            QTest::qWait(20);
            if (!killed && clock.elapsed() > 1000) {
                m_servers[1]->kill();
                killed = true;
            }
            for (auto &m : members) {
                QVERIFY(collect(m, topicId));
                if (!m.client->isOpen()) {
                    QVERIFY2(m.server == 1, m.name.c_str());
                    QVERIFY(reconnect(m, topicId, 0));
                }
                const std::string clientMsgId = uuid();
                m.unacked[clientMsgId] = m.name + " " + std::to_string(++m.sent);
                send(m, topicId, clientMsgId);
            }
        }
        QVERIFY(killed);
        QCOMPARE(members[1].server, 0);

        // Every message is acknowledged in the end (anything refused in the tumble is sent again).
        QVERIFY(QTest::qWaitFor([&] {
            bool done = true;
            for (auto &m : members) {
                if (!collect(m, topicId))
                    return false;
                if (!m.unacked.empty() && m.inFlight.empty())
                    for (const auto &[clientMsgId, body] : m.unacked)
                        send(m, topicId, clientMsgId);
                done = done && m.unacked.empty();
            }
            return done;
        }, 20000));
        std::set<std::string> allAcked;
        std::size_t sent = 0;
        for (const auto &m : members) {
            sent += std::size_t(m.sent);
            for (const auto &[clientMsgId, messageId] : m.acked)
                allAcked.insert(messageId);
        }
        // One message per clientMsgId, however often it was sent.
        qInfo("%zu messages sent and acknowledged; %s reconnected to instance 0", sent, members[1].name.c_str());
        QCOMPARE(allAcked.size(), sent);
        // ...and every member has every one of them.
        QVERIFY(QTest::qWaitFor([&] {
            for (auto &m : members) {
                if (!collect(m, topicId))
                    return false;
                for (const auto &id : allAcked)
                    if (!m.received.count(id))
                        return false;
            }
            return true;
        }, 15000));
        for (const auto &m : members) {
            QCOMPARE(m.received.size(), allAcked.size());
            QCOMPARE(m.newestSeq, std::int64_t(allAcked.size()));
        }
        pqxx::connection c(m_db.url());
        QCOMPARE(pqxx::work(c).exec_params1("SELECT count(*) FROM messages WHERE topic_id = $1", topicId)[0].as<std::size_t>(),
                 allAcked.size());

        // Dave's only instance is gone: he is offline once it is presumed dead (3 s without a
        // heartbeat); bob, who reconnected elsewhere, is online.
        QVERIFY(members[0].client->waitForEvent("presence.updated", presenceOf(dave.login.userId, "offline"), 10000));
        Person erin = connectTo(2, QStringLiteral("erin-load"));
        const json invite = members[0].client->request("invite.create", {{"partyId", partyId}});
        QVERIFY2(isOk(invite), invite.dump().c_str());
        const json joined = erin->request("invite.join", {{"code", invite["result"]["invite"]["code"]}});
        QVERIFY(isOk(joined));
        QCOMPARE(joined["result"]["presence"][members[1].login.userId].get<std::string>(), std::string("online"));
        QVERIFY(!joined["result"]["presence"].contains(dave.login.userId));
    }
};

QTEST_GUILESS_MAIN(TestE2eCluster)
#include "tst_e2e_cluster.moc"
