// SPDX-License-Identifier: GPL-3.0-or-later
// Replies, reactions, pins, history around a message and edit history, through the real
// handlers on a real database: each rule, the limits under racing requests, and what a
// stranger sees (the same as for a message that does not exist).

#include "dbfixture.h"

#include "shared/limits.h"

#include <QTest>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

using namespace chatterbox;
using namespace chatterbox::server;
using namespace chatterbox::protocol;

namespace {

// Runs `body(round, thread)` on `threads` threads at once, each with its own connection, and
// waits for all of them: requests that race as two instances' writers would.
template <typename Body>
void race(const std::string &url, int threads, Body body)
{
    std::atomic<int> waiting{threads};
    std::vector<std::thread> running;
    for (int t = 0; t < threads; ++t) {
        running.emplace_back([&, t] {
            pqxx::connection c(url);
            --waiting;
            while (waiting.load() > 0)
                std::this_thread::yield();
            body(c, t);
        });
    }
    for (auto &t : running)
        t.join();
}

Message messageOf(const Outcome &o) { return o.resultJson()["message"].get<Message>(); }

} // namespace

class TestConversation : public QObject {
    Q_OBJECT

    test::TestDatabase m_db;
    std::string m_alice, m_bob, m_mallory;

    Message send(pqxx::connection &c, const std::string &user, const std::string &topicId, const std::string &body,
                 std::optional<std::string> replyTo = std::nullopt)
    {
        const auto o = test::run(c, handlers::sendMessage, user, SendMessage{topicId, test::newUuid(), body, replyTo});
        if (!o.ok())
            qFatal("send failed: %s", o.error->message.c_str());
        return messageOf(o);
    }
    Message get(pqxx::connection &c, const std::string &user, const std::string &messageId)
    {
        return messageOf(test::run(c, handlers::getMessage, user, GetMessage{messageId}));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_db.isValid(), qPrintable(m_db.error()));
        QVERIFY2(m_db.migrate(), qPrintable(m_db.error()));
        m_alice = test::createUser(m_db.url(), "Alice");
        m_bob = test::createUser(m_db.url(), "Bob");
        m_mallory = test::createUser(m_db.url(), "Mallory");
    }

    void reply_quotesItsOriginal_untilDeleted()
    {
        pqxx::connection c(m_db.url());
        const auto [partyId, topicId] = test::makeParty(c, m_alice, {m_bob});
        const auto original = send(c, m_alice, topicId, std::string(150, 'x'));
        const auto reply = send(c, m_bob, topicId, "agreed", original.id);
        QVERIFY(reply.replyTo);
        QCOMPARE(reply.replyTo->messageId, original.id);
        QCOMPARE(reply.replyTo->seq, original.seq);
        QCOMPARE(reply.replyTo->authorId, m_alice);
        QCOMPARE(reply.replyTo->excerpt, std::string(limits::kReplyExcerptChars, 'x'));
        QVERIFY(!reply.replyTo->deleted);

        // Read back the same way, in history too.
        const auto page = test::run(c, handlers::fetchHistory, m_bob, FetchHistory{topicId, std::nullopt, std::nullopt, 10});
        const auto messages = page.resultJson()["messages"].get<std::vector<Message>>();
        QCOMPARE(messages.back().replyTo->messageId, original.id);

        QVERIFY(test::run(c, handlers::deleteMessage, m_alice, DeleteMessage{original.id}).ok());
        const auto after = get(c, m_bob, reply.id);
        QVERIFY(after.replyTo->deleted);
        QCOMPARE(after.replyTo->excerpt, std::string());
    }

    void reply_toAnotherTopicOrUnknownMessage_isRefused()
    {
        pqxx::connection c(m_db.url());
        const auto [partyId, topicId] = test::makeParty(c, m_alice, {m_bob});
        const auto other = test::run(c, handlers::createTopic, m_alice, CreateTopic{partyId, "other"}).resultJson()["topic"]["id"].get<std::string>();
        const auto elsewhere = send(c, m_alice, other, "in another topic");
        const auto [strangerParty, strangerTopic] = test::makeParty(c, m_mallory);
        const auto secret = send(c, m_mallory, strangerTopic, "secret");
        for (const auto &target : {elsewhere.id, secret.id, test::newUuid()}) {
            const auto o = test::run(c, handlers::sendMessage, m_bob, SendMessage{topicId, test::newUuid(), "re", target});
            QCOMPARE(test::errorCode(o), std::string("not_found"));
        }
        pqxx::work tx(c);
        QCOMPARE(tx.exec_params1("SELECT count(*) FROM messages WHERE topic_id = $1", topicId)[0].as<int>(), 0);
    }

    void reactions_addRemove_oneEventEach_andIdempotent()
    {
        pqxx::connection c(m_db.url());
        const auto [partyId, topicId] = test::makeParty(c, m_alice, {m_bob});
        const auto m = send(c, m_alice, topicId, "react to me");
        const auto added = test::run(c, handlers::addReaction, m_bob, AddReaction{m.id, "👍"});
        QVERIFY(added.ok());
        QCOMPARE(added.events.size(), std::size_t(1));
        const auto &event = std::get<ReactionAdded>(added.events[0].event);
        QCOMPARE(event.emoji, std::string("👍"));
        QCOMPARE(event.userId, m_bob);
        QCOMPARE(event.seq, m.seq);
        QVERIFY(event.rev > m.rev);
        QCOMPARE(added.events[0].partyId, partyId);

        // The same again changes nothing and says nothing.
        const auto again = test::run(c, handlers::addReaction, m_bob, AddReaction{m.id, "👍"});
        QVERIFY(again.ok());
        QVERIFY(again.events.empty());
        QVERIFY(test::run(c, handlers::addReaction, m_alice, AddReaction{m.id, "👍"}).ok());
        QVERIFY(test::run(c, handlers::addReaction, m_alice, AddReaction{m.id, "🎉"}).ok());

        auto now = get(c, m_alice, m.id);
        QCOMPARE(now.reactions.size(), std::size_t(2));
        QCOMPARE(now.reactions[0].emoji, std::string("👍"));
        QCOMPARE(now.reactions[0].userIds, (std::vector<std::string>{m_bob, m_alice}));
        QCOMPARE(now.reactions[1].emoji, std::string("🎉"));
        QCOMPARE(now.rev, tx_lastRev(c, topicId));

        const auto removed = test::run(c, handlers::removeReaction, m_bob, RemoveReaction{m.id, "👍"});
        QCOMPARE(removed.events.size(), std::size_t(1));
        QVERIFY(std::holds_alternative<ReactionRemoved>(removed.events[0].event));
        QVERIFY(test::run(c, handlers::removeReaction, m_bob, RemoveReaction{m.id, "👍"}).events.empty());
        now = get(c, m_alice, m.id);
        QCOMPARE(now.reactions[0].userIds, (std::vector<std::string>{m_alice}));

        // message.sync with afterRev brings the message with its reactions after a reconnect.
        const auto sync = test::run(c, handlers::syncTopics, m_bob, SyncTopics{{SyncPosition{topicId, m.seq, m.rev}}});
        const auto caught = sync.resultJson()["topics"][0]["messages"].get<std::vector<Message>>();
        QCOMPARE(caught.size(), std::size_t(1));
        QCOMPARE(caught[0].reactions.size(), std::size_t(2));
    }

    void reactions_strangerAndDeleted()
    {
        pqxx::connection c(m_db.url());
        const auto [partyId, topicId] = test::makeParty(c, m_alice, {m_bob});
        const auto m = send(c, m_alice, topicId, "members only");
        const auto stranger = test::run(c, handlers::addReaction, m_mallory, AddReaction{m.id, "👍"});
        const auto missing = test::run(c, handlers::addReaction, m_mallory, AddReaction{test::newUuid(), "👍"});
        QCOMPARE(test::errorCode(stranger), std::string("not_found"));
        QCOMPARE(stranger.error->message, missing.error->message);
        QCOMPARE(test::errorCode(test::run(c, handlers::removeReaction, m_mallory, RemoveReaction{m.id, "👍"})), std::string("not_found"));

        QVERIFY(test::run(c, handlers::addReaction, m_bob, AddReaction{m.id, "👍"}).ok());
        QVERIFY(test::run(c, handlers::deleteMessage, m_alice, DeleteMessage{m.id}).ok());
        QVERIFY(get(c, m_bob, m.id).reactions.empty());
        QCOMPARE(test::errorCode(test::run(c, handlers::addReaction, m_bob, AddReaction{m.id, "👍"})), std::string("conflict"));
    }

    // Many people adding different new emoji at once, as on two instances: never more than
    // the limit, and every one that was refused left nothing behind.
    void reactions_distinctEmojiLimit_holdsUnderRaces()
    {
        pqxx::connection c(m_db.url());
        std::vector<std::string> people;
        for (int i = 0; i < 30; ++i)
            people.push_back(test::createUser(m_db.url(), "Reactor " + std::to_string(i)));
        const auto [partyId, topicId] = test::makeParty(c, m_alice, people);
        // Thirty different emoji: U+1F600 onwards.
        const auto emoji = [](int i) {
            const char32_t cp = 0x1F600 + static_cast<char32_t>(i);
            std::string s;
            s += static_cast<char>(0xF0 | (cp >> 18));
            s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            s += static_cast<char>(0x80 | (cp & 0x3F));
            return s;
        };
        for (int round = 0; round < 5; ++round) {
            const auto m = send(c, m_alice, topicId, "race " + std::to_string(round));
            std::atomic<int> accepted{0}, refused{0};
            race(m_db.url(), 30, [&](pqxx::connection &own, int t) {
                const auto o = test::run(own, handlers::addReaction, people[t], AddReaction{m.id, emoji(t)});
                (o.ok() ? accepted : refused)++;
                if (!o.ok() && test::errorCode(o) != "conflict")
                    qWarning("unexpected refusal: %s", o.error->message.c_str());
            });
            QCOMPARE(accepted.load(), int(limits::kMaxReactionsPerMessage));
            QCOMPARE(refused.load(), 30 - int(limits::kMaxReactionsPerMessage));
            pqxx::work tx(c);
            QCOMPARE(tx.exec_params1("SELECT count(DISTINCT emoji) FROM message_reactions WHERE message_id = $1", m.id)[0].as<int>(),
                     int(limits::kMaxReactionsPerMessage));
        }
    }

    // Concurrent reactions on one message each get their own rev, and the message ends at the
    // newest: a client that applies events by rev ends where the database is.
    void reactions_concurrent_revsDistinct()
    {
        pqxx::connection c(m_db.url());
        std::vector<std::string> people;
        for (int i = 0; i < 8; ++i)
            people.push_back(test::createUser(m_db.url(), "Racer " + std::to_string(i)));
        const auto [partyId, topicId] = test::makeParty(c, m_alice, people);
        const auto m = send(c, m_alice, topicId, "everyone likes this");
        std::mutex lock;
        std::vector<std::int64_t> revs;
        race(m_db.url(), 8, [&](pqxx::connection &own, int t) {
            // Add, remove, add ... eleven times: each ends with its reaction there.
            for (int i = 0; i < 11; ++i) {
                const auto o = i % 2 ? test::run(own, handlers::removeReaction, people[t], RemoveReaction{m.id, "👍"})
                                     : test::run(own, handlers::addReaction, people[t], AddReaction{m.id, "👍"});
                std::lock_guard guard(lock);
                for (const auto &e : o.events) {
                    if (const auto *a = std::get_if<ReactionAdded>(&e.event))
                        revs.push_back(a->rev);
                    else if (const auto *r = std::get_if<ReactionRemoved>(&e.event))
                        revs.push_back(r->rev);
                }
            }
        });
        QCOMPARE(revs.size(), std::size_t(8 * 11));
        std::sort(revs.begin(), revs.end());
        QVERIFY(std::adjacent_find(revs.begin(), revs.end()) == revs.end());
        const auto now = get(c, m_alice, m.id);
        QCOMPARE(now.rev, revs.back());
        QCOMPARE(now.rev, tx_lastRev(c, topicId));
        QCOMPARE(now.reactions.size(), std::size_t(1));
        QCOMPARE(now.reactions[0].userIds.size(), std::size_t(8));
    }

    // A delete racing reactions, a pin and an edit (as on other instances): whatever order they
    // commit in, a deleted message keeps no reaction, no pin and no text, and the topic's pin
    // count is the number of pinned messages.
    void delete_racingReactionsPinsAndEdits_leavesNothing()
    {
        pqxx::connection c(m_db.url());
        const auto [partyId, topicId] = test::makeParty(c, m_alice, {m_bob});
        for (int round = 0; round < 15; ++round) {
            const auto m = send(c, m_alice, topicId, "racing " + std::to_string(round));
            race(m_db.url(), 4, [&](pqxx::connection &own, int t) {
                if (t == 0)
                    test::run(own, handlers::deleteMessage, m_alice, DeleteMessage{m.id});
                else if (t == 1)
                    test::run(own, handlers::addReaction, m_bob, AddReaction{m.id, "\xf0\x9f\x91\x8d"});
                else if (t == 2)
                    test::run(own, handlers::pinMessage, m_alice, PinMessage{m.id, true});
                else
                    test::run(own, handlers::editMessage, m_alice, EditMessage{m.id, "secret second draft"});
            });
            pqxx::work tx(c);
            QCOMPARE(tx.exec_params1("SELECT count(*) FROM message_reactions WHERE message_id = $1", m.id)[0].as<int>(), 0);
            QCOMPARE(tx.exec_params1("SELECT count(*) FROM message_versions WHERE message_id = $1", m.id)[0].as<int>(), 0);
            const auto row = tx.exec_params1("SELECT body, pinned_at IS NULL, deleted_at IS NOT NULL FROM messages WHERE id = $1", m.id);
            QCOMPARE(row[0].as<std::string>(), std::string());
            QVERIFY(row[1].as<bool>());
            QVERIFY(row[2].as<bool>());
            QCOMPARE(tx.exec_params1("SELECT pinned_count FROM topics WHERE id = $1", topicId)[0].as<int>(),
                     tx.exec_params1("SELECT count(*) FROM messages WHERE topic_id = $1 AND pinned_at IS NOT NULL", topicId)[0].as<int>());
        }
    }

    void pins_ownersAndAdminsOnly_countedInTheTopic()
    {
        pqxx::connection c(m_db.url());
        const auto [partyId, topicId] = test::makeParty(c, m_alice, {m_bob});
        const auto m = send(c, m_bob, topicId, "pin me");
        QCOMPARE(test::errorCode(test::run(c, handlers::pinMessage, m_bob, PinMessage{m.id, true})), std::string("forbidden"));
        QCOMPARE(test::errorCode(test::run(c, handlers::pinMessage, m_mallory, PinMessage{m.id, true})), std::string("not_found"));
        const auto pinned = test::run(c, handlers::pinMessage, m_alice, PinMessage{m.id, true});
        QVERIFY(pinned.ok());
        QVERIFY(messageOf(pinned).pinnedAt);
        QCOMPARE(messageOf(pinned).pinnedBy, m_alice);
        QCOMPARE(std::get<PinChanged>(pinned.events.at(0).event).pinnedCount, 1);
        QVERIFY(test::run(c, handlers::pinMessage, m_alice, PinMessage{m.id, true}).events.empty());   // already pinned

        QVERIFY(test::run(c, handlers::setMemberRole, m_alice, SetMemberRole{partyId, m_bob, Role::Admin}).ok());
        const auto second = send(c, m_alice, topicId, "and me");
        QVERIFY(test::run(c, handlers::pinMessage, m_bob, PinMessage{second.id, true}).ok());
        const auto list = test::run(c, handlers::listPins, m_bob, ListPins{topicId}).resultJson()["messages"].get<std::vector<Message>>();
        QCOMPARE(list.size(), std::size_t(2));
        QCOMPARE(list[0].id, second.id);   // the most recently pinned first
        QCOMPARE(test::errorCode(test::run(c, handlers::listPins, m_mallory, ListPins{topicId})), std::string("not_found"));

        const auto party = test::run(c, handlers::listParties, m_alice, ListParties{}).resultJson();
        int count = -1;
        for (const auto &p : party["parties"])
            for (const auto &t : p["topics"])
                if (t["id"] == topicId)
                    count = t["pinnedCount"];
        QCOMPARE(count, 2);

        // Unpinning, and deleting a pinned message, bring the count down.
        const auto unpinned = test::run(c, handlers::pinMessage, m_bob, PinMessage{m.id, false});
        QVERIFY(!messageOf(unpinned).pinnedAt);
        QCOMPARE(std::get<PinChanged>(unpinned.events.at(0).event).pinnedCount, 1);
        const auto deleted = test::run(c, handlers::deleteMessage, m_alice, DeleteMessage{second.id});
        QCOMPARE(deleted.events.size(), std::size_t(2));
        QCOMPARE(std::get<PinChanged>(deleted.events[1].event).pinnedCount, 0);
        QVERIFY(test::run(c, handlers::listPins, m_bob, ListPins{topicId}).resultJson()["messages"].empty());
    }

    void pins_limitHoldsUnderRaces()
    {
        pqxx::connection c(m_db.url());
        const auto [partyId, topicId] = test::makeParty(c, m_alice);
        std::vector<std::string> ids;
        for (int i = 0; i < 60; ++i)
            ids.push_back(send(c, m_alice, topicId, "p" + std::to_string(i)).id);
        std::atomic<int> accepted{0};
        race(m_db.url(), 6, [&](pqxx::connection &own, int t) {
            for (int i = t; i < 60; i += 6)
                accepted += test::run(own, handlers::pinMessage, m_alice, PinMessage{ids[static_cast<std::size_t>(i)], true}).ok();
        });
        QCOMPARE(accepted.load(), int(limits::kMaxPinsPerTopic));
        pqxx::work tx(c);
        QCOMPARE(tx.exec_params1("SELECT count(*) FROM messages WHERE topic_id = $1 AND pinned_at IS NOT NULL", topicId)[0].as<int>(),
                 int(limits::kMaxPinsPerTopic));
        QCOMPARE(tx.exec_params1("SELECT pinned_count FROM topics WHERE id = $1", topicId)[0].as<int>(), int(limits::kMaxPinsPerTopic));
    }

    void historyAround_centersOnTheMessage()
    {
        pqxx::connection c(m_db.url());
        const auto [partyId, topicId] = test::makeParty(c, m_alice, {m_bob});
        for (int i = 1; i <= 100; ++i)
            send(c, m_alice, topicId, "m" + std::to_string(i));
        FetchHistory around{topicId, std::nullopt, std::nullopt, 10, 40};
        const auto page = test::run(c, handlers::fetchHistory, m_bob, around).resultJson();
        const auto messages = page["messages"].get<std::vector<Message>>();
        QCOMPARE(messages.size(), std::size_t(10));
        QCOMPARE(messages.front().seq, std::int64_t(35));
        QCOMPARE(messages.back().seq, std::int64_t(44));
        QCOMPARE(page["hasMore"].get<bool>(), true);
        QCOMPARE(page["hasNewer"].get<bool>(), true);

        // At the edges: the first message, and the newest.
        around.aroundSeq = 1;
        auto edge = test::run(c, handlers::fetchHistory, m_bob, around).resultJson();
        QCOMPARE(edge["messages"][0]["seq"].get<int>(), 1);
        QCOMPARE(edge["hasMore"].get<bool>(), false);
        around.aroundSeq = 100;
        edge = test::run(c, handlers::fetchHistory, m_bob, around).resultJson();
        QCOMPARE(edge["messages"].back()["seq"].get<int>(), 100);
        QVERIFY(!edge.contains("hasNewer"));

        // A stranger learns nothing, the same as for a topic that does not exist.
        const auto stranger = test::run(c, handlers::fetchHistory, m_mallory, around);
        around.topicId = test::newUuid();
        const auto missing = test::run(c, handlers::fetchHistory, m_mallory, around);
        QCOMPARE(test::errorCode(stranger), std::string("not_found"));
        QCOMPARE(stranger.error->message, missing.error->message);
    }

    void editHistory_keptInOrder_andErasedWithTheMessage()
    {
        pqxx::connection c(m_db.url());
        const auto [partyId, topicId] = test::makeParty(c, m_alice, {m_bob});
        const auto m = send(c, m_alice, topicId, "first draft with a secret");
        const auto reply = send(c, m_bob, topicId, "re", m.id);
        QVERIFY(test::run(c, handlers::editMessage, m_alice, EditMessage{m.id, "second draft"}).ok());
        QVERIFY(test::run(c, handlers::editMessage, m_alice, EditMessage{m.id, "final"}).ok());
        const auto versions = test::run(c, handlers::getMessageVersions, m_bob, GetMessageVersions{m.id}).resultJson()
                                  .get<MessageVersions>();
        QCOMPARE(versions.authorId, m_alice);
        QCOMPARE(versions.versions.size(), std::size_t(2));
        QCOMPARE(versions.versions[0].body, std::string("first draft with a secret"));
        QCOMPARE(versions.versions[0].writtenAt, m.createdAt);
        QCOMPARE(versions.versions[1].body, std::string("second draft"));
        QVERIFY(versions.versions[1].writtenAt >= versions.versions[0].writtenAt);
        QCOMPARE(test::errorCode(test::run(c, handlers::getMessageVersions, m_mallory, GetMessageVersions{m.id})),
                 std::string("not_found"));

        // The events those changes caused, as the executor stores them.
        const char *kAppendEvent = "WITH head AS (UPDATE event_log_head SET last_id = last_id + 1 RETURNING last_id)"
                                   " INSERT INTO events (id, party_id, kind, payload) SELECT last_id, $1, 'message.updated', $2::jsonb FROM head";
        {
            pqxx::work tx(c);
            for (const auto *body : {"first draft with a secret", "second draft", "final"}) {
                Message version = m;
                version.body = body;
                tx.exec_params0(kAppendEvent, partyId,
                                nlohmann::json{{"message", version}}.dump());
            }
            auto quoting = reply;
            tx.exec_params0(kAppendEvent, partyId,
                            nlohmann::json{{"message", quoting}}.dump());
            tx.commit();
        }
        QVERIFY(test::run(c, handlers::deleteMessage, m_alice, DeleteMessage{m.id}).ok());
        QVERIFY(test::run(c, handlers::getMessageVersions, m_bob, GetMessageVersions{m.id}).resultJson()["versions"].empty());
        pqxx::work tx(c);
        QCOMPARE(tx.exec_params1("SELECT count(*) FROM message_versions WHERE message_id = $1", m.id)[0].as<int>(), 0);
        // Not a word of it anywhere in the change log.
        QCOMPARE(tx.exec_params1("SELECT count(*) FROM events WHERE payload::text LIKE '%draft%' OR payload::text LIKE '%final%'")[0].as<int>(), 0);
        QCOMPARE(tx.exec_params1("SELECT count(*) FROM events WHERE payload->'message'->>'id' = $1", reply.id)[0].as<int>(), 1);
    }

    // @everyone reaches every member but its author, @here those online; only from owners and
    // admins unless the owner lets every member; from anyone else it is plain text.
    void massMentions_onlyFromThoseAllowed_countedForThoseReached()
    {
        pqxx::connection c(m_db.url());
        const std::string carol = test::createUser(m_db.url(), "Carol");
        const auto [partyId, topicId] = test::makeParty(c, m_alice, {m_bob, carol});
        const auto mentionsOf = [&](const std::string &user) {
            const auto ready = handlers::ready(*std::make_unique<pqxx::work>(c), RequestContext{user}, {});
            for (const auto &rs : std::get<Ready>(ready.result).readStates)
                if (rs.topicId == topicId)
                    return rs.mentions;
            return std::int64_t(-1);
        };
        const auto fromBob = send(c, m_bob, topicId, "@everyone free pizza");
        QCOMPARE(fromBob.massMention, MassMention::None);   // a member, in a party that does not allow it
        QCOMPARE(mentionsOf(carol), std::int64_t(0));

        const auto fromAlice = send(c, m_alice, topicId, "@everyone meeting moved");
        QCOMPARE(fromAlice.massMention, MassMention::Everyone);
        QVERIFY(fromAlice.mentions.empty());   // the message names no one in particular
        QCOMPARE(get(c, m_bob, fromAlice.id).massMention, MassMention::Everyone);
        QCOMPARE(mentionsOf(m_bob), std::int64_t(1));
        QCOMPARE(mentionsOf(carol), std::int64_t(1));
        QCOMPARE(mentionsOf(m_alice), std::int64_t(0));

        // @here: only Carol is online.
        {
            pqxx::work tx(c);
            const auto instance = test::newUuid();
            tx.exec_params0("INSERT INTO server_instances (id) VALUES ($1)", instance);
            tx.exec_params0("INSERT INTO instance_presence (instance_id, user_id, status) VALUES ($1, $2, 'online')", instance, carol);
            tx.commit();
        }
        QCOMPARE(send(c, m_alice, topicId, "@here anyone around?").massMention, MassMention::Here);
        QCOMPARE(mentionsOf(carol), std::int64_t(2));
        QCOMPARE(mentionsOf(m_bob), std::int64_t(1));

        // The owner lets every member; admins may not change that, strangers do not see it.
        QCOMPARE(test::errorCode(test::run(c, handlers::configureParty, m_bob, ConfigureParty{partyId, MassMentionRule::Members, std::nullopt})),
                 std::string("forbidden"));
        QCOMPARE(test::errorCode(test::run(c, handlers::configureParty, m_mallory, ConfigureParty{partyId, MassMentionRule::Members, std::nullopt})),
                 std::string("not_found"));
        const auto configured = test::run(c, handlers::configureParty, m_alice, ConfigureParty{partyId, MassMentionRule::Members, std::nullopt});
        QVERIFY(configured.ok());
        QCOMPARE(std::get<PartyUpdated>(configured.events.at(0).event).massMentions, MassMentionRule::Members);
        QCOMPARE(send(c, m_bob, topicId, "@everyone second try").massMention, MassMention::Everyone);
        QCOMPARE(mentionsOf(carol), std::int64_t(3));

        // Editing it away takes the mentions back.
        const auto edited = test::run(c, handlers::editMessage, m_alice, EditMessage{fromAlice.id, "meeting moved"});
        QCOMPARE(messageOf(edited).massMention, MassMention::None);
        QCOMPARE(mentionsOf(carol), std::int64_t(2));
    }

    void notifyDefault_setByTheOwner_aloneOfTheSettings()
    {
        pqxx::connection c(m_db.url());
        const auto [partyId, topicId] = test::makeParty(c, m_alice, {m_bob});
        const auto partyOf = [&](const std::string &user) {
            const auto ready = handlers::ready(*std::make_unique<pqxx::work>(c), RequestContext{user}, {});
            for (const auto &p : std::get<Ready>(ready.result).parties)
                if (p.id == partyId)
                    return p;
            return Party{};
        };
        QCOMPARE(partyOf(m_bob).notifyDefault, NotifyLevel::All);   // a new party tells of every message

        ConfigureParty quieter{partyId, std::nullopt, NotifyLevel::Mentions};
        QCOMPARE(test::errorCode(test::run(c, handlers::configureParty, m_bob, quieter)), std::string("forbidden"));
        QCOMPARE(test::errorCode(test::run(c, handlers::configureParty, m_mallory, quieter)), std::string("not_found"));
        QCOMPARE(partyOf(m_alice).notifyDefault, NotifyLevel::All);

        const auto configured = test::run(c, handlers::configureParty, m_alice, quieter);
        QVERIFY(configured.ok());
        const auto &updated = std::get<PartyUpdated>(configured.events.at(0).event);
        QCOMPARE(updated.notifyDefault, NotifyLevel::Mentions);
        QCOMPARE(updated.massMentions, MassMentionRule::Admins);   // what was not given stays
        QCOMPARE(partyOf(m_bob).notifyDefault, NotifyLevel::Mentions);

        // Changing the other setting leaves this one.
        QVERIFY(test::run(c, handlers::configureParty, m_alice, ConfigureParty{partyId, MassMentionRule::Members, std::nullopt}).ok());
        QCOMPARE(partyOf(m_bob).notifyDefault, NotifyLevel::Mentions);
        QCOMPARE(partyOf(m_bob).massMentions, MassMentionRule::Members);
    }

private:
    std::int64_t tx_lastRev(pqxx::connection &c, const std::string &topicId)
    {
        pqxx::work tx(c);
        return tx.exec_params1("SELECT last_rev FROM topics WHERE id = $1", topicId)[0].as<std::int64_t>();
    }
};

QTEST_GUILESS_MAIN(TestConversation)
#include "tst_conversation.moc"
