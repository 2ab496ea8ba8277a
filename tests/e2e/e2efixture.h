// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A real server on a fresh database, and helpers to connect signed-in clients to it.

#include "support/testclient.h"
#include "support/testdatabase.h"
#include "support/testserver.h"

#include <QTest>
#include <QUuid>

#include <pqxx/pqxx>

#include <memory>

namespace chatterbox::test {

inline std::string uuid()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString();
}

// The reply to the request with this id (sent with post()), once it has come; empty after 10 s.
inline json replyTo(TestClient &client, std::int64_t id)
{
    json found;
    (void)QTest::qWaitFor([&] {
        for (const auto &r : client.replies) {
            if (r.value("id", std::int64_t(-1)) == id) {
                found = r;
                return true;
            }
        }
        return false;
    }, 10000);
    return found;
}

struct Person {
    Login login;
    std::unique_ptr<TestClient> client;
    json ready;
    TestClient *operator->() { return client.get(); }
};

class Harness {
public:
    explicit Harness(QStringList serverArguments = {}) : m_server(nullptr), m_arguments(std::move(serverArguments)) {}

    // Call from initTestCase(); QVERIFY inside reports the reason.
    bool start()
    {
        if (!m_db.isValid()) {
            qWarning("%s", qPrintable(m_db.error()));
            return false;
        }
        m_server = std::make_unique<TestServer>(m_db.url(), m_arguments);
        if (!m_server->start()) {
            qWarning("server did not start:\n%s", qPrintable(m_server->output()));
            return false;
        }
        return true;
    }

    TestServer &server() { return *m_server; }
    const std::string &databaseUrl() const { return m_db.url(); }

    // A count from the test database: `sql` is a SELECT count(*) ... with $1 for `parameter`.
    long long count(const std::string &sql, const std::string &parameter) const
    {
        pqxx::connection c(m_db.url());
        pqxx::read_transaction tx(c);
        return tx.exec_params1(sql, parameter)[0].as<long long>();
    }

    // Signs in (creating the account on first use), opens a WebSocket and says hello.
    Person connect(const QString &name)
    {
        Person p;
        p.login = m_server->login(name);
        p.client = std::make_unique<TestClient>();
        if (p.login.accessToken.isEmpty() || !p.client->open(m_server->webSocketUrl(), p.login.accessToken))
            return p;
        p.ready = p.client->hello();
        return p;
    }

    // Another connection for someone already signed in.
    Person reconnect(const Person &who)
    {
        Person p;
        p.login = who.login;
        p.client = std::make_unique<TestClient>();
        if (p.client->open(m_server->webSocketUrl(), p.login.accessToken))
            p.ready = p.client->hello();
        return p;
    }

    struct PartyIds {
        std::string partyId;
        std::string topicId;   // its "general" topic
    };

    // A new party owned by `owner`; empty ids when that failed.
    static PartyIds createParty(Person &owner, const std::string &name)
    {
        const json reply = owner->request("party.create", {{"name", name}});
        if (!isOk(reply))
            return {};
        return {reply["result"]["party"]["id"], reply["result"]["party"]["topics"][0]["id"]};
    }

    // `who` joins the party the way people do: `inviter` makes an invite, `who` redeems it.
    static bool join(Person &inviter, const std::string &partyId, Person &who)
    {
        const json invite = inviter->request("invite.create", {{"partyId", partyId}});
        return isOk(invite) && isOk(who->request("invite.join", {{"code", invite["result"]["invite"]["code"]}}));
    }

private:
    TestDatabase m_db;
    std::unique_ptr<TestServer> m_server;
    QStringList m_arguments;
};

} // namespace chatterbox::test
