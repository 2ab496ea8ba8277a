// SPDX-License-Identifier: GPL-3.0-or-later
// Someone outside a party learns nothing about it: every request on its ids gets exactly the
// answer a made-up id gets, and none of its events reach them.

#include "e2efixture.h"

#include "shared/requests.h"

#include <map>
#include <set>

using namespace chatterbox::test;

namespace {

template <typename... Ts>
std::vector<std::string> requestTypes(const std::variant<Ts...> *)
{
    return {Ts::kType...};
}

// Requests that name no party, topic, message or person, so there is nothing of anyone else's
// to probe with them; every other request type must be in the sweep.
const std::map<std::string, const char *> kNamesNothing = {
    {"hello", "opens the connection"},
    {"party.list", "the caller's own parties"},
    {"party.create", "a new party"},
    {"presence.set", "the caller's own status"},
    {"profile.update", "the caller's own profile (someone else's file as a picture: filesOfOthers_lookLikeMissingFiles)"},
    {"session.renew", "the caller's own token (tst_e2e_renew refuses others')"},
    {"invite.preview", "a code is the capability itself (tst_e2e_invites)"},
    {"invite.join", "a code is the capability itself (tst_e2e_invites)"},
};

// Every search filter at once, each one that could let something through.
const char *const kEveryFilter = "secr from:owner in:#general in:Private has:link has:file mentions:me after:2000-01-01 before:2999-01-01";

} // namespace

class TestE2eAuthorization : public QObject {
    Q_OBJECT

    Harness m_harness;
    Person m_owner, m_stranger;
    std::string m_partyId, m_topicId, m_messageId, m_memberId, m_inviteCode;
    int m_invitesBefore = 0;

    // Every request that names something, filled with the given ids.
    std::vector<std::pair<std::string, json>> sweep(const std::string &party, const std::string &topic,
                                                    const std::string &message, const std::string &user, const std::string &code)
    {
        return {
            {"party.rename", {{"partyId", party}, {"name", "mine now"}}},
            {"party.configure", {{"partyId", party}, {"massMentions", "members"}, {"notifyDefault", "nothing"}}},
            {"party.delete", {{"partyId", party}}},
            {"party.leave", {{"partyId", party}}},
            {"party.transfer", {{"partyId", party}, {"userId", user}}},
            {"member.setRole", {{"partyId", party}, {"userId", user}, {"role", "admin"}}},
            {"member.kick", {{"partyId", party}, {"userId", user}}},
            {"topic.create", {{"partyId", party}, {"name", "intrusion"}}},
            {"topic.rename", {{"topicId", topic}, {"name", "intrusion"}}},
            {"topic.delete", {{"topicId", topic}}},
            {"topic.reorder", {{"partyId", party}, {"topicIds", {topic}}}},
            {"message.send", {{"topicId", topic}, {"clientMsgId", uuid()}, {"body", "hello?"}}},
            {"message.edit", {{"messageId", message}, {"body", "changed"}}},
            {"message.delete", {{"messageId", message}}},
            {"message.history", {{"topicId", topic}, {"limit", 50}}},
            {"message.history", {{"topicId", topic}, {"beforeSeq", 5}, {"limit", 50}}},
            {"message.sync", {{"topics", {{{"topicId", topic}, {"afterSeq", 0}}}}}},
            {"message.get", {{"messageId", message}}},
            {"message.history", {{"topicId", topic}, {"aroundSeq", 1}, {"limit", 50}}},
            {"message.versions", {{"messageId", message}}},
            {"message.search", {{"query", "secret"}, {"topicId", topic}}},
            {"message.search", {{"query", "secret"}, {"partyId", party}}},
            {"message.search", {{"query", kEveryFilter}, {"topicId", topic}}},
            {"message.send", {{"topicId", topic}, {"clientMsgId", uuid()}, {"body", "re"}, {"replyTo", message}}},
            {"reaction.add", {{"messageId", message}, {"emoji", "\xf0\x9f\x91\x8d"}}},
            {"reaction.remove", {{"messageId", message}, {"emoji", "\xf0\x9f\x91\x8d"}}},
            {"message.pin", {{"messageId", message}, {"pinned", true}}},
            {"message.pin", {{"messageId", message}, {"pinned", false}}},
            {"pin.list", {{"topicId", topic}}},
            {"topic.markRead", {{"topicId", topic}, {"seq", 1}}},
            {"typing.start", {{"topicId", topic}}},
            {"invite.create", {{"partyId", party}}},
            {"invite.list", {{"partyId", party}}},
            {"invite.revoke", {{"partyId", party}, {"code", code}}},
            {"direct.open", {{"userIds", {user}}}},
            {"user.block", {{"userId", user}}},
            {"user.unblock", {{"userId", user}}},
        };
    }

    // The stranger sends every request of the sweep with these real ids, and with made-up ones:
    // the answers must be the same not_found.
    void expectSweepLooksMadeUp(TestClient &stranger, const std::string &party, const std::string &topic,
                                const std::string &message, const std::string &user, const std::string &code)
    {
        const auto real = sweep(party, topic, message, user, code);
        const auto fake = sweep(uuid(), uuid(), uuid(), uuid(), "Zz9Zz9Zz9Zz9Zz9Zz9Zz9A");
        QCOMPARE(real.size(), fake.size());
        for (std::size_t i = 0; i < real.size(); ++i) {
            const json onReal = stranger.request(real[i].first, real[i].second);
            const json onFake = stranger.request(fake[i].first, fake[i].second);
            const QByteArray what = QByteArray::fromStdString(real[i].first + ": " + onReal.dump());
            QVERIFY2(errorCode(onReal) == "not_found", what.constData());
            QCOMPARE(QString::fromStdString(onReal["message"].dump()), QString::fromStdString(onFake["message"].dump()));
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_harness.start());
        m_owner = m_harness.connect(QStringLiteral("owner"));
        m_stranger = m_harness.connect(QStringLiteral("stranger"));
        QVERIFY(m_owner.ready.is_object() && m_stranger.ready.is_object());
        const json party = m_owner->request("party.create", {{"name", "Private"}});
        m_partyId = party["result"]["party"]["id"];
        m_topicId = party["result"]["party"]["topics"][0]["id"];
        Person member = m_harness.connect(QStringLiteral("member"));
        QVERIFY(Harness::join(m_owner, m_partyId, member));
        m_memberId = member.login.userId;
        const json sent = m_owner->request("message.send", {{"topicId", m_topicId}, {"clientMsgId", uuid()}, {"body", "secret"}});
        m_messageId = sent["result"]["message"]["id"];
        const json invite = m_owner->request("invite.create", {{"partyId", m_partyId}});
        m_inviteCode = invite["result"]["invite"]["code"];
        m_invitesBefore = int(m_owner->request("invite.list", {{"partyId", m_partyId}})["result"]["invites"].size());
    }

    // Built from the request variant: a new request type fails here until it is swept or said
    // to name nothing.
    void sweep_coversEveryRequestType()
    {
        std::set<std::string> swept;
        for (const auto &[type, fields] : sweep(uuid(), uuid(), uuid(), uuid(), "code"))
            swept.insert(type);
        for (const std::string &type : requestTypes(static_cast<const chatterbox::protocol::Request *>(nullptr)))
            QVERIFY2(swept.count(type) || kNamesNothing.count(type), ("not in the authorization sweep: " + type).c_str());
    }

    void everyRequest_onRealIds_looksLikeMadeUpIds()
    {
        expectSweepLooksMadeUp(*m_stranger.client, m_partyId, m_topicId, m_messageId, m_memberId, m_inviteCode);
        if (QTest::currentTestFailed())
            return;
        // Nothing changed: the owner still sees the message unedited, the party unrenamed.
        const json history = m_owner->request("message.history", {{"topicId", m_topicId}, {"limit", 10}});
        QCOMPARE(int(history["result"]["messages"].size()), 1);
        QCOMPARE(history["result"]["messages"][0]["body"].get<std::string>(), std::string("secret"));
        QVERIFY(!history["result"]["messages"][0].contains("reactions"));
        QVERIFY(!history["result"]["messages"][0].contains("pinnedAt"));
        const json parties = m_owner->request("party.list");
        QCOMPARE(parties["result"]["parties"][0]["name"].get<std::string>(), std::string("Private"));
        QCOMPARE(int(parties["result"]["parties"][0]["topics"].size()), 1);
        const json invites = m_owner->request("invite.list", {{"partyId", m_partyId}});
        QCOMPARE(int(invites["result"]["invites"].size()), m_invitesBefore);   // none made, none revoked
    }

    // A direct conversation between two members is invisible to anyone outside it, as a party is.
    void directConversation_onRealIds_looksLikeMadeUpIds()
    {
        const json opened = m_owner->request("direct.open", {{"userIds", {m_memberId}}});
        QVERIFY2(isOk(opened), opened.dump().c_str());
        const std::string partyId = opened["result"]["party"]["id"];
        const std::string topicId = opened["result"]["party"]["topics"][0]["id"];
        const json sent = m_owner->request("message.send", {{"topicId", topicId}, {"clientMsgId", uuid()}, {"body", "confidential"}});
        QVERIFY(isOk(sent));
        // On a connection of its own: the sweep before spent this one's request budget.
        Person stranger = m_harness.reconnect(m_stranger);
        expectSweepLooksMadeUp(*stranger.client, partyId, topicId, sent["result"]["message"]["id"], m_memberId, m_inviteCode);
        if (QTest::currentTestFailed())
            return;
        const json history = m_owner->request("message.history", {{"topicId", topicId}, {"limit", 10}});
        QCOMPARE(int(history["result"]["messages"].size()), 1);
        QCOMPARE(history["result"]["messages"][0]["body"].get<std::string>(), std::string("confidential"));
        QCOMPARE(int(stranger->request("message.search", {{"query", "confidential"}})["result"]["results"].size()), 0);
        // Gone again, so that the searches that follow see the party's message alone.
        QVERIFY(isOk(m_owner->request("message.delete", {{"messageId", sent["result"]["message"]["id"]}})));
    }

    // A reply in the stranger's own party to a message of a party they are not in: refused as
    // if the message did not exist, and nothing of it is quoted.
    void replyAcrossParties_looksLikeAMissingMessage()
    {
        const json own = m_stranger->request("party.create", {{"name", "Mine"}});
        const std::string ownTopic = own["result"]["party"]["topics"][0]["id"];
        const json onReal = m_stranger->request("message.send", {{"topicId", ownTopic}, {"clientMsgId", uuid()}, {"body", "re"}, {"replyTo", m_messageId}});
        const json onFake = m_stranger->request("message.send", {{"topicId", ownTopic}, {"clientMsgId", uuid()}, {"body", "re"}, {"replyTo", uuid()}});
        QCOMPARE(errorCode(onReal), std::string("not_found"));
        QCOMPARE(QString::fromStdString(onReal["message"].dump()), QString::fromStdString(onFake["message"].dump()));
        QCOMPARE(int(m_stranger->request("message.history", {{"topicId", ownTopic}, {"limit", 10}})["result"]["messages"].size()), 0);
        QVERIFY(isOk(m_stranger->request("party.delete", {{"partyId", own["result"]["party"]["id"]}})));
        QVERIFY(m_stranger->waitForEvent("party.deleted"));
        m_stranger->events.clear();   // their own party's; the next test counts the owner's
    }

    // Files of a party the stranger is not in, sent or not: naming one in a message of their own
    // party or as their picture, or fetching it, gets what a made-up id gets.
    void filesOfOthers_lookLikeMissingFiles()
    {
        QNetworkAccessManager network;
        const auto http = [&](const QByteArray &method, const QString &path, const QByteArray &token, const QByteArray &body,
                              const QByteArray &offset = {}) {
            QNetworkRequest request(m_harness.server().httpUrl(path));
            request.setRawHeader("Authorization", "Bearer " + token);
            request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
            if (!offset.isEmpty())
                request.setRawHeader("Upload-Offset", offset);
            QNetworkReply *reply = network.sendCustomRequest(request, method, body);
            (void)QTest::qWaitFor([&] { return reply->isFinished(); }, 10000);
            const std::pair<int, QByteArray> answer{reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll()};
            reply->deleteLater();
            return answer;
        };
        const auto upload = [&]() {
            const auto begun = http("POST", QStringLiteral("/files"), m_owner.login.accessToken,
                                    R"({"name":"secret.pdf","type":"application/pdf","size":6})");
            const std::string id = json::parse(begun.second.toStdString())["id"];
            http("PATCH", QStringLiteral("/files/") + QString::fromStdString(id), m_owner.login.accessToken, "secret", "0");
            return id;
        };
        const std::string unsent = upload();
        const std::string sent = upload();
        const json message = m_owner->request("message.send", {{"topicId", m_topicId}, {"clientMsgId", uuid()}, {"body", ""}, {"files", {sent}}});
        QVERIFY(isOk(message));

        const json own = m_stranger->request("party.create", {{"name", "Mine too"}});
        const std::string ownTopic = own["result"]["party"]["topics"][0]["id"];
        const auto sendWith = [&](const std::string &file) {
            return m_stranger->request("message.send", {{"topicId", ownTopic}, {"clientMsgId", uuid()}, {"body", "look"}, {"files", {file}}});
        };
        const json madeUp = sendWith(uuid());
        QCOMPARE(errorCode(madeUp), std::string("not_found"));
        // On a connection of its own: the sweep spends the first one's burst of requests.
        Person strangerAgain = m_harness.reconnect(m_stranger);
        const auto asPicture = [&](const std::string &file) {
            return strangerAgain->request("profile.update", {{"avatarFileId", file}});
        };
        const json madeUpPicture = asPicture(uuid());
        QCOMPARE(errorCode(madeUpPicture), std::string("not_found"));
        for (const auto &file : {unsent, sent}) {
            const json attempt = sendWith(file);
            QCOMPARE(QString::fromStdString(attempt["message"].dump()), QString::fromStdString(madeUp["message"].dump()));
            const json picture = asPicture(file);
            QCOMPARE(QString::fromStdString(picture["message"].dump()), QString::fromStdString(madeUpPicture["message"].dump()));
            QCOMPARE(http("GET", QStringLiteral("/files/") + QString::fromStdString(file), m_stranger.login.accessToken, {}),
                     http("GET", QStringLiteral("/files/") + QString::fromStdString(uuid()), m_stranger.login.accessToken, {}));
            QCOMPARE(http("GET", QStringLiteral("/files/") + QString::fromStdString(file) + QStringLiteral("/thumbnail"),
                          m_stranger.login.accessToken, {}).first, 404);
            QCOMPARE(http("GET", QStringLiteral("/files/") + QString::fromStdString(file) + QStringLiteral("/upload"),
                          m_stranger.login.accessToken, {}).first, 404);
            QCOMPARE(http("PATCH", QStringLiteral("/files/") + QString::fromStdString(file), m_stranger.login.accessToken, "x", "6").first, 404);
        }
        QCOMPARE(int(m_stranger->request("message.history", {{"topicId", ownTopic}, {"limit", 10}})["result"]["messages"].size()), 0);
        QVERIFY(isOk(m_stranger->request("party.delete", {{"partyId", own["result"]["party"]["id"]}})));
        QVERIFY(m_stranger->waitForEvent("party.deleted"));
        m_stranger->events.clear();
        // The party holds what the other tests expect again.
        QVERIFY(isOk(m_owner->request("message.delete", {{"messageId", message["result"]["message"]["id"]}})));
        m_owner->events.clear();
    }

    // Unscoped, search runs over the caller's own parties: with any filter, a stranger finds
    // nothing of a party they are not in, where its owner finds the message.
    void search_withEveryFilter_findsNothingOfOthersParties()
    {
        QTest::qWait(3000);   // the sweep spent the stranger's burst of requests
        for (const char *query : {"secret", "secr", "\"secret\"", "secret from:owner", "in:#general secret", "in:Private secret",
                                  "after:2000-01-01 secret", "before:2999-01-01 secret", "from:owner"}) {
            const json mine = m_owner->request("message.search", {{"query", query}});
            QVERIFY2(mine["result"]["results"].size() == 1, (std::string(query) + ": " + mine.dump()).c_str());
            const json theirs = m_stranger->request("message.search", {{"query", query}});
            QVERIFY2(theirs.contains("result") && theirs["result"]["results"].empty(), (std::string(query) + ": " + theirs.dump()).c_str());
            QTest::qWait(60);   // under the request rate
        }
        for (const char *query : {kEveryFilter, "has:link", "has:file", "mentions:me", "from:me"}) {
            const json theirs = m_stranger->request("message.search", {{"query", query}});
            QVERIFY2(theirs.contains("result") && theirs["result"]["results"].empty(), (std::string(query) + ": " + theirs.dump()).c_str());
            QTest::qWait(250);   // under the search rate (5 a second)
        }
    }

    void stranger_getsNoEvents()
    {
        QVERIFY(isOk(m_owner->request("message.send", {{"topicId", m_topicId}, {"clientMsgId", uuid()}, {"body", "psst"}})));
        QVERIFY(isOk(m_owner->request("topic.create", {{"partyId", m_partyId}, {"name", "more"}})));
        QVERIFY(m_owner->waitForEvent("topic.created"));
        QTest::qWait(300);
        QCOMPARE(int(m_stranger->events.size()), 0);
        const json list = m_stranger->request("party.list");
        QCOMPARE(int(list["result"]["parties"].size()), 0);
    }
};

QTEST_GUILESS_MAIN(TestE2eAuthorization)
#include "tst_e2e_authorization.moc"
