// SPDX-License-Identifier: GPL-3.0-or-later
// Property: whatever happens, in whatever order, with the connection dropping now and then, the
// app's local state ends up equal to what a fresh start (ready + history) shows.

#include "appfixture.h"

#include <QRandomGenerator>
#include <QTemporaryDir>

#include <map>
#include <sstream>

using namespace chatterbox;
using namespace chatterbox::test;
using nlohmann::json;

namespace {

// One message as a person sees it: text, edits, the quote it answers, reactions.
std::string describeMessage(const protocol::Message &m)
{
    std::ostringstream out;
    out << m.seq << ' ' << m.authorId.substr(0, 8) << ' ' << (m.deleted ? "[deleted]" : m.body) << (m.editedAt ? " (edited)" : "");
    if (m.replyTo)
        out << " re " << m.replyTo->seq << " '" << m.replyTo->excerpt << "'" << (m.replyTo->deleted ? " [deleted]" : "");
    for (const auto &r : m.reactions) {
        auto people = r.userIds;
        std::sort(people.begin(), people.end());
        out << " [" << r.emoji;
        for (const auto &p : people)
            out << ' ' << p.substr(0, 8);
        out << ']';
    }
    return out.str();
}

std::string describeMessages(const std::vector<protocol::Message> &messages)
{
    std::string out;
    for (const auto &m : messages)
        out += "    " + describeMessage(m) + '\n';
    return out;
}

// Everything a person sees, in a canonical text form.
std::string describe(const Store &store, const std::vector<std::string> &topicsWithHistory)
{
    std::ostringstream out;
    auto parties = store.parties();
    std::sort(parties.begin(), parties.end(), [](const auto &a, const auto &b) { return a.id < b.id; });
    for (const auto &p : parties) {
        out << "party " << p.id << " '" << p.name << "' owner " << p.ownerId << '\n';
        for (const auto &t : p.topics) {
            out << "  topic " << t.id << " '" << t.name << "' lastSeq " << t.lastSeq << '\n';
            if (std::find(topicsWithHistory.begin(), topicsWithHistory.end(), t.id) == topicsWithHistory.end())
                continue;
            const auto *loaded = store.messages(t.id);
            out << describeMessages(loaded ? loaded->messages : std::vector<protocol::Message>{});
        }
        auto members = p.members;
        std::sort(members.begin(), members.end(), [](const auto &a, const auto &b) { return a.userId < b.userId; });
        for (const auto &m : members)
            out << "  member " << m.userId.substr(0, 8) << " '" << m.displayName << "' " << protocol::roleName(m.role) << '\n';
    }
    return out.str();
}

// Pages a topic's whole history into the app's store (from its local store, then the server).
bool loadAll(App &app, const std::string &topicId)
{
    app.timeline.setTopicId(QString::fromStdString(topicId));
    if (!QTest::qWaitFor([&] { return app.store.messages(topicId) && app.store.messages(topicId)->loaded; }, 10000))
        return false;
    while (app.store.messages(topicId)->hasOlder) {
        bool done = false;
        app.connection.loadOlder(QString::fromStdString(topicId), [&](bool) { done = true; });
        if (!QTest::qWaitFor([&] { return done; }, 10000))
            return false;
    }
    return true;
}

} // namespace

class TestE2eAppState : public QObject {
    Q_OBJECT

    Harness m_harness;

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_harness.start()); }

    void randomHistory_localStateEqualsFreshStart_data()
    {
        QTest::addColumn<quint32>("seed");
        for (quint32 seed : {1u, 7u, 42u})
            QTest::newRow(qPrintable(QStringLiteral("seed %1").arg(seed))) << seed;
    }
    void randomHistory_localStateEqualsFreshStart()
    {
        QFETCH(quint32, seed);
        QRandomGenerator random(seed);
        MemorySecretStore secrets;
        const QString name = QStringLiteral("prop%1").arg(seed);
        App app(name, secrets, {});
        QVERIFY(app.signIn(m_harness.server().httpUrl(QString())));
        QVERIFY(app.connect());
        Person other = m_harness.connect(name + QStringLiteral("-friend"));

        const json created = app.call("party.create", {{"name", "Property " + std::to_string(seed)}});
        const std::string partyId = created["party"]["id"];
        const json invite = app.call("invite.create", {{"partyId", partyId}});
        QVERIFY(isOk(other->request("invite.join", {{"code", invite["invite"]["code"]}})));
        QVERIFY(QTest::qWaitFor([&] { return app.store.party(partyId) && app.store.party(partyId)->members.size() == 2; }, 5000));

        std::vector<std::string> opened;
        std::map<std::string, std::vector<std::string>> myMessages, theirMessages; // topic -> message ids
        const auto topics = [&] {
            std::vector<std::string> ids;
            if (const auto *p = app.store.party(partyId))
                for (const auto &t : p->topics)
                    ids.push_back(t.id);
            return ids;
        };
        const auto pick = [&](const std::vector<std::string> &from) { return from.at(random.bounded(static_cast<quint32>(from.size()))); };

        for (int step = 0; step < 120; ++step) {
            QVERIFY(app.online());
            const auto ts = topics();
            const std::string topic = pick(ts);
            switch (random.bounded(12)) {
            case 0: case 1: case 2: {   // I write
                app.call("message.send", {{"topicId", topic}, {"clientMsgId", uuid()}, {"body", "mine " + std::to_string(step)}});
                break;
            }
            case 3: case 4: {           // they write
                const json r = other->request("message.send", {{"topicId", topic}, {"clientMsgId", uuid()}, {"body", "theirs " + std::to_string(step)}});
                if (isOk(r))
                    theirMessages[topic].push_back(r["result"]["message"]["id"]);
                break;
            }
            case 5: {                   // they edit or delete one of theirs
                auto &ids = theirMessages[topic];
                if (ids.empty())
                    break;
                const std::string id = pick(ids);
                if (random.bounded(2))
                    other->request("message.edit", {{"messageId", id}, {"body", "edited " + std::to_string(step)}});
                else
                    other->request("message.delete", {{"messageId", id}});
                break;
            }
            case 6: {                   // I open a topic (history loads)
                app.timeline.setTopicId(QString::fromStdString(topic));
                if (std::find(opened.begin(), opened.end(), topic) == opened.end())
                    opened.push_back(topic);
                break;
            }
            case 7: {                   // topics come and go
                if (ts.size() < 4 || random.bounded(2))
                    app.call("topic.create", {{"partyId", partyId}, {"name", "t" + std::to_string(step)}});
                else if (topic != ts.front())
                    app.call("topic.delete", {{"topicId", topic}});
                break;
            }
            case 8: {                   // renames and reorders
                if (random.bounded(2)) {
                    app.call("topic.rename", {{"topicId", topic}, {"name", "renamed " + std::to_string(step)}});
                } else {
                    auto order = ts;
                    std::reverse(order.begin(), order.end());
                    app.call("topic.reorder", {{"partyId", partyId}, {"topicIds", order}});
                }
                break;
            }
            case 9:
                other->request("profile.update", {{"displayName", "friend " + std::to_string(step)}});
                break;
            case 10:
                app.call("party.rename", {{"partyId", partyId}, {"name", "Property " + std::to_string(step)}});
                break;
            case 11:                    // the connection drops; the app comes back by itself
                app.transport.close();
                app.connection.reconnectNow();
                break;
            }
        }
        // Quiet: every change has come back to the app.
        QVERIFY(QTest::qWaitFor([&] { return app.connection.state() == Connection::State::Online; }, 20000));
        app.call("party.list", json::object());
        QTest::qWait(300);
        std::vector<std::string> stillOpen;
        for (const auto &t : opened) {
            if (app.store.topic(t))
                stillOpen.push_back(t);
        }

        // A fresh start of the same person: ready, then every opened topic's whole history.
        MemorySecretStore freshSecrets;
        App fresh(name, freshSecrets, {});
        QVERIFY(fresh.signIn(m_harness.server().httpUrl(QString())));
        QVERIFY(fresh.connect());
        for (const auto &t : stillOpen) {
            fresh.timeline.setTopicId(QString::fromStdString(t));
            QVERIFY(QTest::qWaitFor([&] {
                const auto *m = fresh.store.messages(t);
                if (m && m->loaded && m->hasOlder && fresh.timeline.hasOlder())
                    fresh.timeline.loadOlder();
                return m && m->loaded && !m->hasOlder;
            }, 10000));
            // The app's window may start later than seq 1 if it was opened late: compare the same span.
            const auto *mine = app.store.messages(t);
            while (app.timeline.setTopicId(QString::fromStdString(t)), mine && mine->hasOlder) {
                bool done = false;
                app.connection.loadOlder(QString::fromStdString(t), [&](bool) { done = true; });
                QVERIFY(QTest::qWaitFor([&] { return done; }, 10000));
            }
        }
        const std::string local = describe(app.store, stillOpen);
        const std::string truth = describe(fresh.store, stillOpen);
        if (local != truth)
            qWarning("seed %u\n--- app\n%s--- fresh start\n%s", seed, local.c_str(), truth.c_str());
        QCOMPARE(QString::fromStdString(local), QString::fromStdString(truth));
    }

    // The same with the local store: the app is closed and started again now and then (from
    // its store, before the connection is up, while the others go on), it scrolls up through
    // pages the store keeps (five messages each here, so that edits, reactions and quotes land
    // on messages the app holds only on disk). After catching up, the store on disk, read alone,
    // equals a fresh fetch from the server.
    void randomHistoryWithRestarts_storeEqualsFreshFetch_data()
    {
        QTest::addColumn<quint32>("seed");
        for (quint32 seed : {3u, 11u, 29u})
            QTest::newRow(qPrintable(QStringLiteral("seed %1").arg(seed))) << seed;
    }
    void randomHistoryWithRestarts_storeEqualsFreshFetch()
    {
        QFETCH(quint32, seed);
        QRandomGenerator random(seed);
        QTemporaryDir dir;
        const QString storePath = dir.filePath(QStringLiteral("store.sqlite"));
        const QString name = QStringLiteral("restart%1").arg(seed);
        const QUrl server = m_harness.server().httpUrl(QString());
        MemorySecretStore secrets;
        std::string current;   // the topic on screen
        const auto startApp = [&] {
            auto app = std::make_unique<App>(name, secrets, QString());
            app->local.setPageSize(5);
            app->local.open(storePath);
            if (!current.empty())
                app->timeline.setTopicId(QString::fromStdString(current));   // shown from the store, offline
            if (!app->signIn(server) || !app->connect())
                return std::unique_ptr<App>();
            return app;
        };
        auto app = startApp();
        QVERIFY(app);
        Person other = m_harness.connect(name + QStringLiteral("-friend"));
        const json created = app->call("party.create", {{"name", "Restarts " + std::to_string(seed)}});
        const std::string partyId = created["party"]["id"];
        const json invite = app->call("invite.create", {{"partyId", partyId}});
        QVERIFY(isOk(other->request("invite.join", {{"code", invite["invite"]["code"]}})));
        QVERIFY(QTest::qWaitFor([&] { return app->store.party(partyId) && app->store.party(partyId)->members.size() == 2; }, 5000));
        app->call("topic.create", {{"partyId", partyId}, {"name", "second"}});

        std::vector<std::string> messageIds, theirs;
        const auto topics = [&] {
            std::vector<std::string> ids;
            if (const auto *p = app->store.party(partyId))
                for (const auto &t : p->topics)
                    ids.push_back(t.id);
            return ids;
        };
        const auto pick = [&](const std::vector<std::string> &from) { return from.at(random.bounded(static_cast<quint32>(from.size()))); };
        const auto theyWrite = [&](const std::string &topic, int step) {
            json fields{{"topicId", topic}, {"clientMsgId", uuid()}, {"body", "theirs " + std::to_string(step)}};
            if (!messageIds.empty() && random.bounded(3) == 0)
                fields["replyTo"] = pick(messageIds);   // refused when it is in another topic: fine
            json r = other->request("message.send", fields);
            if (!isOk(r)) {
                fields.erase("replyTo");
                r = other->request("message.send", fields);
            }
            if (isOk(r)) {
                theirs.push_back(r["result"]["message"]["id"]);
                messageIds.push_back(theirs.back());
            }
        };
        const auto theyChange = [&](int step) {
            if (theirs.empty())
                return;
            const std::string id = pick(theirs);
            switch (random.bounded(4)) {
            case 0: other->request("message.delete", {{"messageId", id}}); break;
            case 1: other->request("message.edit", {{"messageId", id}, {"body", "edited " + std::to_string(step)}}); break;
            default: other->request(random.bounded(3) ? "reaction.add" : "reaction.remove", {{"messageId", pick(messageIds)}, {"emoji", "👍"}});
            }
        };

        for (int step = 0; step < 150; ++step) {
            QVERIFY(app->online());
            const auto ts = topics();
            const std::string topic = pick(ts);
            switch (random.bounded(12)) {
            case 0: case 1: {   // I write
                const json r = app->call("message.send", {{"topicId", topic}, {"clientMsgId", uuid()}, {"body", "mine " + std::to_string(step)}});
                if (r.contains("message"))
                    messageIds.push_back(r["message"]["id"]);
                break;
            }
            case 2: case 3: case 4:
                theyWrite(topic, step);
                break;
            case 5: case 6:
                theyChange(step);
                break;
            case 7:             // I react to something, far up or not
                if (!messageIds.empty())
                    app->call("reaction.add", {{"messageId", pick(messageIds)}, {"emoji", "🎉"}});
                break;
            case 8:             // I open a topic, or scroll up in the one open
                if (random.bounded(2) || current.empty()) {
                    current = topic;
                    app->timeline.setTopicId(QString::fromStdString(topic));
                } else {
                    app->connection.loadOlder(QString::fromStdString(current));
                }
                break;
            case 9:
                if (ts.size() < 4)
                    app->call("topic.create", {{"partyId", partyId}, {"name", "t" + std::to_string(step)}});
                else if (topic != ts.front() && topic != current)
                    app->call("topic.delete", {{"topicId", topic}});
                break;
            case 10:            // the connection drops; the app comes back by itself
                app->transport.close();
                app->connection.reconnectNow();
                break;
            case 11: {          // the app is closed; the others go on; it starts again from its store
                app.reset();
                for (int i = 0; i < 4; ++i) {
                    theyWrite(pick(ts), step);
                    theyChange(step);
                }
                app = startApp();
                QVERIFY(app);
                break;
            }
            }
        }
        QVERIFY(app->online());
        app->call("party.list", json::object());
        QTest::qWait(300);
        std::vector<std::string> stillThere;
        for (const auto &t : topics()) {
            if (app->local.storedMessages(t).size() > 0 || (app->store.messages(t) && app->store.messages(t)->loaded))
                stillThere.push_back(t);
        }

        MemorySecretStore freshSecrets;
        App fresh(name, freshSecrets, {});
        QVERIFY(fresh.signIn(server));
        QVERIFY(fresh.connect());
        for (const auto &t : stillThere) {
            QVERIFY(loadAll(fresh, t));
            QVERIFY(loadAll(*app, t));
        }
        const std::string truth = describe(fresh.store, stillThere);
        const std::string local = describe(app->store, stillThere);
        if (local != truth)
            qWarning("seed %u\n--- app\n%s--- fresh fetch\n%s", seed, local.c_str(), truth.c_str());
        QCOMPARE(QString::fromStdString(local), QString::fromStdString(truth));

        // The file alone, read by an app that is not connected at all.
        app.reset();
        App reader(name, secrets, {});
        QVERIFY(reader.local.open(storePath));
        for (const auto &t : stillThere) {
            QVERIFY(reader.local.restoreTopic(t));
            while (reader.local.restoreOlder(t)) {
            }
            QVERIFY2(!reader.store.messages(t)->hasOlder, t.c_str());
        }
        const std::string stored = describe(reader.store, stillThere);
        if (stored != truth)
            qWarning("seed %u\n--- stored\n%s--- fresh fetch\n%s", seed, stored.c_str(), truth.c_str());
        QCOMPARE(QString::fromStdString(stored), QString::fromStdString(truth));
    }
};

QTEST_GUILESS_MAIN(TestE2eAppState)
#include "tst_e2e_appstate.moc"
