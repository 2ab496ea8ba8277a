// SPDX-License-Identifier: GPL-3.0-or-later
// Invites end to end: a link that opens the app, a preview before joining, joining, limits,
// revocation, and a guesser who gets throttled.

#include "e2efixture.h"

#include "shared/limits.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>

using namespace chatterbox::test;

class TestE2eInvites : public QObject {
    Q_OBJECT

    Harness m_harness;
    Person m_owner;
    std::string m_partyId, m_topicId;

    json createInvite(json extra = json::object())
    {
        extra["partyId"] = m_partyId;
        return m_owner->request("invite.create", extra);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_harness.start());
        m_owner = m_harness.connect(QStringLiteral("owner"));
        const auto ids = Harness::createParty(m_owner, "Garden club");
        m_partyId = ids.partyId;
        m_topicId = ids.topicId;
    }

    void invite_previewThenJoin_everyoneTold()
    {
        const json created = createInvite({{"maxUses", 10}, {"expiresInSeconds", 3600}});
        QVERIFY2(isOk(created), created.dump().c_str());
        const std::string code = created["result"]["invite"]["code"];
        const QUrl link(QString::fromStdString(created["result"]["invite"]["url"].get<std::string>()));
        QCOMPARE(link.path(), QStringLiteral("/invite/") + QString::fromStdString(code));
        QCOMPARE(link.port(), m_harness.server().httpUrl().port());

        Person guest = m_harness.connect(QStringLiteral("guest"));
        Person guestElsewhere = m_harness.reconnect(guest);
        const json preview = guest->request("invite.preview", {{"code", code}});
        QVERIFY(isOk(preview));
        QCOMPARE(preview["result"]["preview"]["partyName"].get<std::string>(), std::string("Garden club"));
        QCOMPARE(preview["result"]["preview"]["memberCount"].get<int>(), 1);
        QCOMPARE(preview["result"]["preview"]["inviterName"].get<std::string>(), std::string("owner"));
        // Looking is not joining.
        QCOMPARE(errorCode(guest->request("message.history", {{"topicId", m_topicId}})), std::string("not_found"));

        const json joined = guest->request("invite.join", {{"code", code}});
        QVERIFY(isOk(joined));
        QCOMPARE(joined["result"]["party"]["id"].get<std::string>(), m_partyId);
        QCOMPARE(joined["result"]["presence"][m_owner.login.userId].get<std::string>(), std::string("online"));
        QVERIFY(m_owner->waitForEvent("member.joined", [&](const json &d) { return d["member"]["userId"] == guest.login.userId; }));
        QVERIFY(guestElsewhere->waitForEvent("party.joined", [&](const json &d) { return d["party"]["id"] == m_partyId; }));

        // A member now: talks and hears.
        QVERIFY(isOk(guest->request("message.send", {{"topicId", m_topicId}, {"clientMsgId", uuid()}, {"body", "hello garden"}})));
        QVERIFY(m_owner->waitForEvent("message.created", [](const json &d) { return d["message"]["body"] == "hello garden"; }));
        QVERIFY(guestElsewhere->waitForEvent("message.created", [](const json &d) { return d["message"]["body"] == "hello garden"; }));

        const json list = m_owner->request("invite.list", {{"partyId", m_partyId}});
        QCOMPARE(list["result"]["invites"][0]["uses"].get<int>(), 1);
        QCOMPARE(errorCode(guest->request("invite.list", {{"partyId", m_partyId}})), std::string("forbidden"));
    }

    void link_opensApp_revealsNothing()
    {
        const json created = createInvite();
        const std::string code = created["result"]["invite"]["code"];
        QNetworkAccessManager manager;
        QNetworkReply *reply = manager.get(QNetworkRequest(m_harness.server().httpUrl(QStringLiteral("/invite/") + QString::fromStdString(code))));
        QVERIFY(QTest::qWaitFor([&] { return reply->isFinished(); }, 10000));
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        QVERIFY(reply->header(QNetworkRequest::ContentTypeHeader).toString().startsWith(QStringLiteral("text/html")));
        QVERIFY(reply->rawHeader("Content-Security-Policy").contains("default-src 'none'"));
        const QString page = QString::fromUtf8(reply->readAll());
        delete reply;
        const QString base = m_harness.server().httpUrl(QString()).toString();
        const QString appLink = QStringLiteral("chatterbox://invite?server=") + QString::fromLatin1(QUrl::toPercentEncoding(base))
                                + QStringLiteral("&amp;code=") + QString::fromStdString(code);
        QVERIFY2(page.contains(appLink), qPrintable(page.mid(page.indexOf(QStringLiteral("href")), 160) + QStringLiteral(" vs ") + appLink));
        QVERIFY(page.contains(QStringLiteral("Open in Chatterbox")));
        QVERIFY(!page.contains(QStringLiteral("Garden club")));

        for (const QString &bad : {QStringLiteral("/invite/short"), QStringLiteral("/invite/%3Cscript%3E")}) {
            const auto [status, body] = m_harness.server().http("GET", bad);
            QCOMPARE(status, 404);
        }
    }

    // A message's permalink page, like the invite page, hands the app link on and reads nothing:
    // a page for a message nobody may see looks like any other.
    void messagePage_opensApp_revealsNothing()
    {
        const std::string party = "8a1c4a52-5e43-4c59-9a53-2f4a0d0b7e11";
        const std::string topic = "0b7e4a0c-1f9e-4d44-8c27-7d1f5b2a9c30";
        const auto [status, page] = m_harness.server().http("GET", QString::fromStdString("/message/" + party + "/" + topic + "/42"));
        QCOMPARE(status, 200);
        const QString base = m_harness.server().httpUrl(QString()).toString();
        const QString appLink = QStringLiteral("chatterbox://message?server=") + QString::fromLatin1(QUrl::toPercentEncoding(base))
                                + QStringLiteral("&amp;party=%1&amp;topic=%2&amp;seq=42").arg(QString::fromStdString(party), QString::fromStdString(topic));
        QVERIFY2(QString::fromUtf8(page).contains(appLink), page.constData());
        for (const QString &bad : {QStringLiteral("/message/x/y/1"), QString::fromStdString("/message/" + party + "/" + topic + "/0"),
                                   QString::fromStdString("/message/" + party + "/" + topic + "/1%3Cscript%3E")}) {
            const auto [badStatus, body] = m_harness.server().http("GET", bad);
            QCOMPARE(badStatus, 404);
        }
    }

    void maxUses_thenNoMore_andRevoke()
    {
        const json created = createInvite({{"maxUses", 1}});
        const std::string code = created["result"]["invite"]["code"];
        Person first = m_harness.connect(QStringLiteral("first"));
        Person second = m_harness.connect(QStringLiteral("second"));
        QVERIFY(isOk(first->request("invite.join", {{"code", code}})));
        QCOMPARE(errorCode(second->request("invite.join", {{"code", code}})), std::string("not_found"));

        const std::string other = createInvite()["result"]["invite"]["code"];
        QVERIFY(isOk(m_owner->request("invite.revoke", {{"partyId", m_partyId}, {"code", other}})));
        QCOMPARE(errorCode(second->request("invite.preview", {{"code", other}})), std::string("not_found"));
        QCOMPARE(errorCode(first->request("invite.create", {{"partyId", m_partyId}})), std::string("forbidden"));
    }

    // Last: it spends this machine's address budget for failed look-ups.
    void manyJoinAtOnce_fromOneAddress_allGetIn()
    {
        // A room full of people behind one address (one NAT) clicks the same link at once: more
        // look-ups at a time than the failure budget, all good, so nobody may be refused.
        const json invite = createInvite();
        QVERIFY(isOk(invite));
        const std::string code = invite["result"]["invite"]["code"];
        std::vector<Person> people;
        for (int i = 0; i < 30; ++i)
            people.push_back(m_harness.connect(QStringLiteral("crowd-%1").arg(i)));
        std::vector<std::int64_t> ids;
        for (auto &p : people)
            ids.push_back(p->post("invite.join", {{"code", code}}));
        for (std::size_t i = 0; i < people.size(); ++i) {
            Person &p = people[i];
            const std::int64_t id = ids[i];
            QVERIFY(QTest::qWaitFor([&] {
                for (const auto &r : p->replies)
                    if (r.value("id", std::int64_t(0)) == id)
                        return true;
                return false;
            }, 10000));
            for (const auto &r : p->replies) {
                if (r.value("id", std::int64_t(0)) == id)
                    QVERIFY2(r.value("type", "") == "result", r.dump().c_str());
            }
        }
    }

    void guessing_tenThousandWrongCodes_throttled()
    {
        Person guesser = m_harness.connect(QStringLiteral("guesser"));
        const std::string realCode = createInvite()["result"]["invite"]["code"];
        const auto failedSoFar = [&] {
            const auto [status, metrics] = m_harness.server().http("GET", QStringLiteral("/metrics"));
            const QByteArray name = "chatterbox_invite_lookups_failed_total";
            const QByteArray line = metrics.mid(metrics.indexOf(QByteArray("\n") + name + ' ') + 1).split('\n').first();
            return line.split(' ').last().toInt();
        };
        const int failedBefore = failedSoFar();
        QElapsedTimer timer;
        timer.start();
        int sent = 0, reconnects = 0;
        std::unique_ptr<TestClient> client = std::move(guesser.client);
        while (sent < 10000) {
            const auto before = client->replies.size();
            const int batch = std::min(100, 10000 - sent);
            for (int i = 0; i < batch; ++i) {
                char code[23];
                std::snprintf(code, sizeof code, "WRONG%017d", sent + i);
                client->post("invite.join", {{"code", code}});
            }
            sent += batch;
            (void)QTest::qWaitFor([&] { return client->replies.size() >= before + batch || !client->isOpen(); }, 10000);
            if (!client->isOpen()) {
                // Flooding gets the connection closed (4004); a persistent guesser comes back.
                QCOMPARE(client->closeCode(), 4004);
                client = std::make_unique<TestClient>();
                QVERIFY(client->open(m_harness.server().webSocketUrl(), guesser.login.accessToken));
                QVERIFY(client->hello().is_object());
                ++reconnects;
            }
        }
        const auto [status, metrics] = m_harness.server().http("GET", QStringLiteral("/metrics"));
        const auto counter = [&](const char *name) {
            const QByteArray line = metrics.mid(metrics.indexOf(QByteArray("\n") + name + ' ') + 1).split('\n').first();
            return line.split(' ').last().toInt();
        };
        const int lookedUp = counter("chatterbox_invite_lookups_failed_total") - failedBefore;
        const int throttled = counter("chatterbox_invite_lookups_throttled_total");
        // The guesser's own budget: 10, plus one per 6 s.
        const int allowed = 10 + int(timer.elapsed() / 6000) + 1;
        qInfo("10000 wrong codes in %lld ms: %d looked up, %d refused by the invite budget (the rest by the request "
              "rate), %d reconnects", static_cast<long long>(timer.elapsed()), lookedUp, throttled, reconnects);
        QVERIFY2(lookedUp <= allowed, qPrintable(QStringLiteral("%1 wrong codes were looked up").arg(lookedUp)));
        QVERIFY(throttled > 0);
        // While throttled, even a good code waits (after the connection's own budget refilled,
        // so that it is the invite budget saying no).
        QTest::qWait(1500);
        const json refused = client->request("invite.join", {{"code", realCode}});
        QCOMPARE(errorCode(refused), std::string("rate_limited"));
        QVERIFY(refused["message"].get<std::string>().find("invite") != std::string::npos);
    }

    void behindATrustedProxy_theForwardedAddressIsTheClients()
    {
        // A server behind a proxy on this machine: each client's address is the one the proxy
        // forwards, so one address's guessers do not hold another's.
        Harness proxied({QStringLiteral("--trusted-proxy"), QStringLiteral("127.0.0.1")});
        QVERIFY(proxied.start());
        const auto via = [&](const QString &name, const QByteArray &address) {
            auto client = std::make_unique<TestClient>();
            const Login login = proxied.server().login(name);
            if (!client->open(proxied.server().webSocketUrl(), login.accessToken, {{"X-Forwarded-For", "203.0.113.7, " + address}})
                || !client->hello().is_object())
                return std::unique_ptr<TestClient>();
            return client;
        };
        const auto wrong = [](TestClient &client, int i) {
            char code[23];
            std::snprintf(code, sizeof code, "NOPE%018d", i);
            return errorCode(client.request("invite.preview", {{"code", code}}));
        };
        // Enough accounts at one forwarded address, each using up its own ten, to use up the
        // address's two hundred.
        const int accounts = int(chatterbox::limits::kInviteAddressFailureBurst / chatterbox::limits::kInviteFailureBurst) + 1;
        for (int a = 0; a < accounts; ++a) {
            auto client = via(QStringLiteral("sock %1").arg(a), "10.9.0.1");
            QVERIFY(client);
            for (int i = 0; i < int(chatterbox::limits::kInviteFailureBurst); ++i)
                wrong(*client, a * 100 + i);
        }
        auto late = via(QStringLiteral("late sock"), "10.9.0.1");
        QVERIFY(late);
        QCOMPARE(wrong(*late, 9000), std::string("not_found"));      // it had failed nothing yet
        // Now the address holds it, long before its own ten are spent. (The address regains one
        // a second: on a loaded machine the loop above leaves it a few, never ten.)
        int before = 1;
        while (before < int(chatterbox::limits::kInviteFailureBurst) && wrong(*late, 9000 + before) != "rate_limited")
            ++before;
        QVERIFY2(before < int(chatterbox::limits::kInviteFailureBurst), "the forwarded address's budget did not hold");
        // Someone forwarded from another address has their own budget.
        auto elsewhere = via(QStringLiteral("elsewhere"), "10.9.0.2");
        QVERIFY(elsewhere);
        QCOMPARE(wrong(*elsewhere, 9100), std::string("not_found"));
        QCOMPARE(wrong(*elsewhere, 9101), std::string("not_found"));
    }

    void othersAtTheGuessersAddress_stillGetIn()
    {
        // The guesser above is out of budget, from this address. People at the same address
        // (behind one NAT) with a good code are not.
        const std::string code = createInvite()["result"]["invite"]["code"];
        for (const char *name : {"neighbour one", "neighbour two", "neighbour three"}) {
            Person p = m_harness.connect(QString::fromLatin1(name));
            const json joined = p->request("invite.join", {{"code", code}});
            QVERIFY2(isOk(joined), joined.dump().c_str());
        }
    }
};

QTEST_GUILESS_MAIN(TestE2eInvites)
#include "tst_e2e_invites.moc"
