// SPDX-License-Identifier: GPL-3.0-or-later
// The app's connection logic against an in-process fake server: hello and ready, the outbox,
// catch-up after a reconnect, re-authentication on 4001, gaps, and the backoff schedule.

#include "app/core/connection.h"
#include "faketransport.h"

#include <QElapsedTimer>
#include <QTest>

using namespace chatterbox;
using namespace chatterbox::app;
using namespace chatterbox::test;
using nlohmann::json;

namespace {

const std::string kParty = "00000000-0000-4000-8000-00000000aaaa";
const std::string kTopic = "00000000-0000-4000-8000-00000000bbbb";
const std::string kMe = "00000000-0000-4000-8000-000000000001";

json readyJson(std::int64_t lastSeq)
{
    protocol::Ready ready;
    ready.protocol = 1;
    ready.me = {kMe, "Me", {}, {}};
    protocol::Party party;
    party.id = kParty;
    party.name = "P";
    party.ownerId = kMe;
    party.topics = {{kTopic, kParty, "general", 0, lastSeq, lastSeq}};
    party.members = {{kMe, "Me", {}, protocol::Role::Owner, 0, {}}};
    ready.parties = {party};
    return ready;
}

json messageJson(std::int64_t seq, const std::string &clientId = {})
{
    protocol::Message m;
    m.id = "m" + std::to_string(seq);
    m.topicId = kTopic;
    m.partyId = kParty;
    m.seq = seq;
    m.rev = seq;
    m.authorId = "someone";
    m.clientMsgId = clientId.empty() ? "c" + std::to_string(seq) : clientId;
    m.body = "b";
    return m;
}

// One app's connection wired to an in-process fake server; started by each test.
struct Rig {
    FakeTransport transport;
    FakeTokens tokens;
    Store store;
    Outbox outbox{QString()};
    Connection connection{transport, tokens, store, outbox};
};

} // namespace

class TestAppConnection : public QObject {
    Q_OBJECT

    // Connects and answers hello; returns when the connection is online.
    static bool bringOnline(FakeTransport &transport, Connection &connection, std::int64_t lastSeq)
    {
        if (!QTest::qWaitFor([&] { return !transport.lastOf("hello").is_null() && transport.countOf("hello") > transport.countOf("__answered_hello"); }, 5000))
            return false;
        json hello = transport.lastOf("hello");
        transport.reply(hello, readyJson(lastSeq));
        transport.sent.push_back({{"type", "__answered_hello"}});
        return connection.state() == Connection::State::Online;
    }

private Q_SLOTS:
    void hello_ready_thenOutboxSent()
    {
        Rig rig;
        auto &[transport, tokens, store, outbox, connection] = rig;
        const QString pending = outbox.add(QString::fromStdString(kTopic), QStringLiteral("written before connecting"));
        connection.start();
        QCOMPARE(connection.state(), Connection::State::Connecting);
        QVERIFY(bringOnline(transport, connection, 0));
        QCOMPARE(transport.lastOf("hello")["protocol"].get<int>(), 1);
        QCOMPARE(store.parties().size(), std::size_t(1));
        const json send = transport.lastOf("message.send");
        QCOMPARE(QString::fromStdString(send["clientMsgId"].get<std::string>()), pending);
        transport.reply(send, {{"message", messageJson(1, pending.toStdString())}});
        QVERIFY(outbox.entries().isEmpty());

        // A permanent refusal stops the retries and says why.
        const QString bad = outbox.add(QString::fromStdString(kTopic), QStringLiteral("x"));
        const json refused = transport.lastOf("message.send");
        transport.deliver(protocol::encodeError(refused["id"].get<std::int64_t>(), {protocol::ErrorCode::Forbidden, "not allowed here"}));
        QCOMPARE(outbox.entries().size(), 1);
        QVERIFY(outbox.entries().at(0).failed);
        QCOMPARE(outbox.entries().at(0).error, QStringLiteral("not allowed here"));
        QCOMPARE(outbox.entries().at(0).clientMsgId, bad);
    }

    // A topic that cannot be loaded says so (with the server's words) instead of staying an
    // empty timeline, and trying again sends the load again; a reply the app cannot read is an
    // error, not a silent nothing.
    void topicLoadRefused_reported_andRetried()
    {
        Rig rig;
        auto &[transport, tokens, store, outbox, connection] = rig;
        std::vector<std::pair<QString, QString>> failures;
        int loaded = 0;
        connect(&connection, &Connection::topicLoadFailed, &connection, [&](const QString &t, const QString &why) { failures.emplace_back(t, why); });
        connect(&connection, &Connection::topicLoaded, &connection, [&] { ++loaded; });
        connection.start();
        QVERIFY(bringOnline(transport, connection, 2));
        const QString topic = QString::fromStdString(kTopic);
        connection.openTopic(topic);
        json history = transport.lastOf("message.history");
        transport.deliver(protocol::encodeError(history["id"].get<std::int64_t>(), {protocol::ErrorCode::Unavailable, "the database is unreachable"}));
        QCOMPARE(failures.size(), std::size_t(1));
        QCOMPARE(failures[0].first, topic);
        QVERIFY(failures[0].second.contains(QStringLiteral("the database is unreachable")));
        QVERIFY(!store.messages(kTopic) || !store.messages(kTopic)->loaded);

        connection.retryTopic(topic);
        history = transport.lastOf("message.history");
        transport.reply(history, {{"topicId", kTopic}, {"messages", "not a list"}, {"hasMore", false}});
        QCOMPARE(failures.size(), std::size_t(2));
        QVERIFY(failures[1].second.contains(QStringLiteral("could not be read")));

        connection.retryTopic(topic);
        QCOMPARE(transport.countOf("message.history"), 3);
        transport.reply(transport.lastOf("message.history"), {{"topicId", kTopic}, {"messages", {messageJson(1), messageJson(2)}}, {"hasMore", false}});
        QCOMPARE(store.messages(kTopic)->messages.size(), std::size_t(2));
        QCOMPARE(loaded, 1);
        QCOMPARE(failures.size(), std::size_t(2));
    }

    void reconnect_syncsFromWhereItWas_andResends()
    {
        Rig rig;
        auto &[transport, tokens, store, outbox, connection] = rig;
        connection.start();
        QVERIFY(bringOnline(transport, connection, 2));
        // The topic is open with messages 1-2 loaded.
        connection.openTopic(QString::fromStdString(kTopic));
        const json history = transport.lastOf("message.history");
        transport.reply(history, {{"topicId", kTopic}, {"messages", {messageJson(1), messageJson(2)}}, {"hasMore", false}});
        QCOMPARE(store.messages(kTopic)->messages.size(), std::size_t(2));

        // Pending on the dead connection: it goes again on the next one.
        const QString id = outbox.add(QString::fromStdString(kTopic), QStringLiteral("in flight"));
        transport.drop(1006);
        QCOMPARE(connection.state(), Connection::State::Offline);
        QVERIFY(connection.reason().contains(QStringLiteral("Reconnecting in")));
        QVERIFY(QTest::qWaitFor([&] { return transport.opens == 2; }, 3000)); // first backoff is at most 1 s
        QVERIFY(bringOnline(transport, connection, 5));
        const json sync = transport.lastOf("message.sync");
        QCOMPARE(sync["topics"][0]["topicId"].get<std::string>(), kTopic);
        QCOMPARE(sync["topics"][0]["afterSeq"].get<int>(), 2);
        QCOMPARE(sync["topics"][0]["afterRev"].get<int>(), 2);
        transport.reply(sync, {{"topics", {{{"topicId", kTopic}, {"messages", {messageJson(3), messageJson(4), messageJson(5)}}, {"hasMore", false}}}}});
        QCOMPARE(store.messages(kTopic)->messages.size(), std::size_t(5));
        QCOMPARE(QString::fromStdString(transport.lastOf("message.send")["clientMsgId"].get<std::string>()), id);
    }

    // A reply cut short by size (hasMore) is continued from the newest seq and rev it brought,
    // keeping afterRev, so that edits past the cut are not lost (it once went on from seq 0
    // when the topic's part of the reply was empty, and dropped afterRev).
    void sync_hasMore_continuesFromWhatItGot()
    {
        Rig rig;
        auto &[transport, tokens, store, outbox, connection] = rig;
        connection.start();
        QVERIFY(bringOnline(transport, connection, 2));
        connection.openTopic(QString::fromStdString(kTopic));
        transport.reply(transport.lastOf("message.history"), {{"topicId", kTopic}, {"messages", {messageJson(1), messageJson(2)}}, {"hasMore", false}});
        transport.drop(1006);
        QVERIFY(QTest::qWaitFor([&] { return transport.opens == 2; }, 3000));
        QVERIFY(bringOnline(transport, connection, 9));
        const json first = transport.lastOf("message.sync");
        QCOMPARE(first["topics"][0]["afterSeq"].get<int>(), 2);
        json edited = messageJson(1);
        edited["rev"] = 7;
        transport.reply(first, {{"topics", {{{"topicId", kTopic}, {"messages", {edited, messageJson(3)}}, {"hasMore", true}}}}});
        const json second = transport.lastOf("message.sync");
        QVERIFY(second != first);
        QCOMPARE(second["topics"][0]["afterSeq"].get<int>(), 3);
        QCOMPARE(second["topics"][0]["afterRev"].get<int>(), 7);
        // Nothing of this topic fitted: it goes on from where it asked, not from the start.
        transport.reply(second, {{"topics", {{{"topicId", kTopic}, {"messages", json::array()}, {"hasMore", true}}}}});
        const json third = transport.lastOf("message.sync");
        QCOMPARE(third["topics"][0]["afterSeq"].get<int>(), 3);
        QCOMPARE(third["topics"][0]["afterRev"].get<int>(), 7);
        transport.reply(third, {{"topics", {{{"topicId", kTopic}, {"messages", {messageJson(4)}}, {"hasMore", false}}}}});
        QCOMPARE(transport.countOf("message.sync"), 3);
        QCOMPARE(store.messages(kTopic)->messages.size(), std::size_t(4));
    }

    // Traffic dropped both ways tells no one: the app pings, and a connection that answers
    // nothing (no frame, no pong) for the silent time is given up and reconnected.
    void silentConnection_declaredDead_andReconnected()
    {
        Rig rig;
        auto &[transport, tokens, store, outbox, connection] = rig;
        connection.setLiveness({50, 400, 400});
        connection.start();
        QVERIFY(bringOnline(transport, connection, 1));
        // Answered pings keep it alive well past the silent time.
        QElapsedTimer alive;
        alive.start();
        while (alive.elapsed() < 1000) {
            transport.pong();
            QTest::qWait(50);
        }
        QCOMPARE(connection.state(), Connection::State::Online);
        QVERIFY(transport.pings > 5);
        // Then nothing comes back.
        QVERIFY(QTest::qWaitFor([&] { return connection.state() != Connection::State::Online; }, 2000));
        QVERIFY2(connection.reason().contains(QStringLiteral("stopped answering")), qPrintable(connection.reason()));
        QVERIFY(QTest::qWaitFor([&] { return transport.opens == 2; }, 3000));
        QVERIFY(bringOnline(transport, connection, 1));
    }

    // A connect into a partition hangs rather than fails: it is given up after the connect time
    // and tried again, so the app is back soon after the network is.
    void hangingConnect_givenUp_andRetried()
    {
        Rig rig;
        auto &[transport, tokens, store, outbox, connection] = rig;
        connection.setLiveness({50, 400, 300});
        transport.answersOpen = false;
        connection.start();
        QCOMPARE(transport.opens, 1);
        QVERIFY(QTest::qWaitFor([&] { return connection.reason().contains(QStringLiteral("could not be reached")); }, 2000));
        transport.answersOpen = true;
        QVERIFY(QTest::qWaitFor([&] { return transport.opens >= 2; }, 3000));
        QVERIFY(bringOnline(transport, connection, 1));
    }

    // A refreshed token goes to the open connection (session.renew), so it is not closed with
    // 4001 when the one it opened with expires; offline there is nothing to renew.
    void renewAccess_sendsTheNewTokenWhenOnline()
    {
        Rig rig;
        auto &[transport, tokens, store, outbox, connection] = rig;
        connection.renewAccess();
        QVERIFY(transport.lastOf("session.renew").is_null());
        connection.start();
        QVERIFY(bringOnline(transport, connection, 1));
        tokens.token = "token-2";
        connection.renewAccess();
        const json renew = transport.lastOf("session.renew");
        QVERIFY(!renew.is_null());
        QCOMPARE(renew["accessToken"].get<std::string>(), std::string("token-2"));
        transport.reply(renew, {{"expiresAt", 1795800000000}});
        QCOMPARE(connection.state(), Connection::State::Online);
    }

    void gap_inLiveEvents_triggersSync()
    {
        Rig rig;
        auto &[transport, tokens, store, outbox, connection] = rig;
        connection.start();
        QVERIFY(bringOnline(transport, connection, 1));
        connection.openTopic(QString::fromStdString(kTopic));
        transport.reply(transport.lastOf("message.history"), {{"topicId", kTopic}, {"messages", {messageJson(1)}}, {"hasMore", false}});
        const int syncsBefore = transport.countOf("message.sync");
        transport.deliver(protocol::encodeEvent(protocol::MessageCreated{messageJson(3).get<protocol::Message>()}));
        QCOMPARE(transport.countOf("message.sync"), syncsBefore + 1);
        QCOMPARE(transport.lastOf("message.sync")["topics"][0]["afterSeq"].get<int>(), 1);
    }

    void expiredToken_refreshesAndReconnects_orSignsOut()
    {
        Rig rig;
        auto &[transport, tokens, store, outbox, connection] = rig;
        connection.start();
        QVERIFY(bringOnline(transport, connection, 0));
        transport.drop(4001);
        QCOMPARE(tokens.refreshes, 1);
        QVERIFY(QTest::qWaitFor([&] { return transport.opens == 2; }, 2000));
        QCOMPARE(transport.lastToken, QByteArray("token-2"));
        QVERIFY(bringOnline(transport, connection, 0));

        tokens.refreshSucceeds = false;
        transport.drop(4001);
        QCOMPARE(connection.state(), Connection::State::Offline);
        QVERIFY(connection.reason().contains(QStringLiteral("Sign in again")));
        QTest::qWait(1500);
        QCOMPARE(transport.opens, 2);
    }

    void requestsOnADeadConnection_failAtOnce()
    {
        Rig rig;
        auto &[transport, tokens, store, outbox, connection] = rig;
        connection.start();
        QVERIFY(bringOnline(transport, connection, 0));
        std::optional<protocol::ErrorCode> code;
        connection.call(protocol::ListParties{}, [&](const protocol::Result<protocol::PartyList> &answer) {
            code = answer ? protocol::ErrorCode::Internal : answer.error().code;
        });
        transport.drop(1001);
        QCOMPARE(code, std::optional(protocol::ErrorCode::Unavailable));
        QVERIFY(connection.reason().contains(QStringLiteral("restarting")));
        connection.stop();
    }

    void backoff_growsWithJitter_cappedAt30s()
    {
        Backoff backoff;
        const int ceilings[] = {1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000};
        for (int ceiling : ceilings) {
            const auto wait = backoff.next().count();
            QVERIFY2(wait >= ceiling / 2 && wait <= ceiling, qPrintable(QString::number(wait)));
        }
        backoff.reset();
        QVERIFY(backoff.next().count() <= 1000);
    }
};

QTEST_GUILESS_MAIN(TestAppConnection)
#include "tst_appconnection.moc"
