// SPDX-License-Identifier: GPL-3.0-or-later
// chatterbox-server admin, the real binary against the database of a running server: finding
// people, suspending one (signed out everywhere at once, no new sign-in), exporting what is kept
// about them, deleting them with everything they wrote (the others' apps hear of it, the change
// log keeps none of it), deleting a party, listing instances; and what it refuses.

#include "e2efixture.h"

#include <QProcess>
#include <QUrlQuery>

using namespace chatterbox::test;

namespace {

struct AdminRun {
    int status = -1;
    QString out;
    QString err;
};

} // namespace

class TestE2eAdmin : public QObject {
    Q_OBJECT

    Harness m_harness;

    AdminRun admin(const QStringList &arguments)
    {
        QProcess process;
        process.start(QStringLiteral(CHATTERBOX_SERVER_BINARY),
                      QStringList{QStringLiteral("admin"), QStringLiteral("--database-url"), QString::fromStdString(m_harness.databaseUrl())}
                          + arguments);
        AdminRun run;
        if (!process.waitForFinished(60000)) {
            process.kill();
            process.waitForFinished();
        }
        run.status = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        run.out = QString::fromUtf8(process.readAllStandardOutput());
        run.err = QString::fromUtf8(process.readAllStandardError());
        return run;
    }

    int refreshStatus(const QByteArray &refreshToken)
    {
        QUrlQuery form;
        form.addQueryItem(QStringLiteral("grant_type"), QStringLiteral("refresh_token"));
        form.addQueryItem(QStringLiteral("client_id"), QStringLiteral("chatterbox"));
        form.addQueryItem(QStringLiteral("refresh_token"), QString::fromLatin1(refreshToken));
        return m_harness.server()
            .http("POST", QStringLiteral("/oauth/token"), form.toString(QUrl::FullyEncoded).toLatin1(), "application/x-www-form-urlencoded")
            .first;
    }

    std::string send(Person &who, const std::string &topicId, const std::string &body)
    {
        const json reply = who->request("message.send", {{"topicId", topicId}, {"clientMsgId", QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString()},
                                                         {"body", body}});
        return isOk(reply) ? reply["result"]["message"]["id"].get<std::string>() : std::string();
    }

    long long count(const std::string &sql, const std::string &parameter) { return m_harness.count(sql, parameter); }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_harness.start()); }

    void help_andBadUsage()
    {
        const AdminRun help = admin({QStringLiteral("--help")});
        QCOMPARE(help.status, 0);
        QVERIFY(help.out.contains(QStringLiteral("delete-person PERSON --yes")));
        const AdminRun unknown = admin({QStringLiteral("frobnicate")});
        QCOMPARE(unknown.status, 2);
        QVERIFY2(unknown.err.contains(QStringLiteral("unknown command")), qPrintable(unknown.err));
        const AdminRun missing = admin({QStringLiteral("suspend")});
        QCOMPARE(missing.status, 2);
        for (const QString &bad : {QStringLiteral("not-an-id"), QStringLiteral("'; DROP TABLE users; --"), QStringLiteral("00000000-0000-0000-0000-000000000000")}) {
            const AdminRun run = admin({QStringLiteral("suspend"), bad});
            QCOMPARE(run.status, 1);
            QVERIFY2(run.err.contains(QStringLiteral("no person")), qPrintable(run.err));
        }
        QVERIFY(count("SELECT count(*) FROM users WHERE $1 = $1", "x") >= 0);   // the table is still there
    }

    // A name made to take over the operator's terminal is printed without its control characters.
    void people_findsAndPrintsSafely()
    {
        Person hostile = m_harness.connect(QStringLiteral("mallory"));
        QVERIFY(hostile.ready.is_object());
        // The protocol refuses such a name; one stored before that rule, or by a provider, is not.
        {
            pqxx::connection c(m_harness.databaseUrl());
            pqxx::work tx(c);
            tx.exec_params0("UPDATE users SET display_name = $2 WHERE id = $1::uuid", hostile.login.userId,
                            std::string("mallory\x1b]0;owned\x07\x1b[2J"));
            tx.commit();
        }
        const AdminRun run = admin({QStringLiteral("people"), QStringLiteral("mallory")});
        QCOMPARE(run.status, 0);
        QVERIFY2(run.out.contains(QString::fromStdString(hostile.login.userId)), qPrintable(run.out));
        QVERIFY2(run.out.contains(QStringLiteral("dev:mallory")), qPrintable(run.out));
        QVERIFY2(!run.out.contains(QChar(0x1b)) && !run.out.contains(QChar(0x07)), qPrintable(run.out));
        QVERIFY(run.out.contains(QStringLiteral("active")));
    }

    // Suspended: the live connection closes at once, the refresh token is refused, a new sign-in
    // is refused with the reason; the others are untouched. Unsuspended, they sign in again.
    void suspend_signsOutEverywhere_thenUnsuspend()
    {
        Person alice = m_harness.connect(QStringLiteral("alice-s"));
        Person sam = m_harness.connect(QStringLiteral("sam"));
        Person samAgain = m_harness.reconnect(sam);
        QVERIFY(sam.ready.is_object() && samAgain.ready.is_object());
        const AdminRun run = admin({QStringLiteral("suspend"), QString::fromStdString(sam.login.userId), QStringLiteral("spam")});
        QVERIFY2(run.status == 0, qPrintable(run.err));
        QVERIFY2(run.out.contains(QStringLiteral("2 sign-in(s) ended")) || run.out.contains(QStringLiteral("1 sign-in(s) ended")), qPrintable(run.out));
        QVERIFY(sam->waitForClose(10000));
        QVERIFY(samAgain->waitForClose(10000));
        QVERIFY(refreshStatus(sam.login.refreshToken) >= 400);
        const auto [status, body] = m_harness.server().http("POST", QStringLiteral("/auth/dev"), R"({"name":"sam"})");
        QCOMPARE(status, 403);
        QVERIFY2(body.contains("suspended"), body.constData());
        // The old access token opens nothing either.
        TestClient stale;
        QVERIFY(!stale.open(m_harness.server().webSocketUrl(), sam.login.accessToken) || stale.waitForClose(5000));
        QVERIFY(alice->isOpen());
        QVERIFY(isOk(alice->request("party.list")));
        QVERIFY(admin({QStringLiteral("people"), QStringLiteral("sam")}).out.contains(QStringLiteral("suspended")));

        QCOMPARE(admin({QStringLiteral("unsuspend"), QString::fromStdString(sam.login.userId)}).status, 0);
        const Login back = m_harness.server().login(QStringLiteral("sam"));
        QCOMPARE(back.userId, sam.login.userId);
    }

    // Suspensions racing sign-ins and refreshes: whatever order they land in, no sign-in of the
    // person survives the suspension.
    void suspend_racingSignIns_leavesNone()
    {
        for (int round = 0; round < 5; ++round) {
            const QString name = QStringLiteral("racer-%1").arg(round);
            const Login first = m_harness.server().login(name);
            QVERIFY(!first.userId.empty());
            QProcess suspender;
            suspender.start(QStringLiteral(CHATTERBOX_SERVER_BINARY),
                            {QStringLiteral("admin"), QStringLiteral("--database-url"), QString::fromStdString(m_harness.databaseUrl()),
                             QStringLiteral("suspend"), QString::fromStdString(first.userId)});
            QList<Login> during;
            for (int i = 0; i < 10; ++i)
                during << m_harness.server().login(name);
            // (false when it finished already, during the sign-ins)
            QVERIFY(suspender.waitForFinished(30000) || suspender.state() == QProcess::NotRunning);
            QCOMPARE(suspender.exitCode(), 0);
            QVERIFY(refreshStatus(first.refreshToken) >= 400);
            for (const Login &login : during) {
                if (!login.refreshToken.isEmpty())
                    QVERIFY2(refreshStatus(login.refreshToken) >= 400, "a sign-in made during the suspension outlived it");
            }
            QCOMPARE(count("SELECT count(*) FROM refresh_tokens WHERE user_id = $1::uuid AND revoked_at IS NULL AND spent_at IS NULL", first.userId), 0LL);
        }
    }

    // Export, then delete: the export holds what they wrote; after the deletion the others' apps
    // get the deletions, the party they owned alone is gone, the shared one passes on, and the
    // text is nowhere in the database (messages, versions, the change log).
    void exportThenDelete_person()
    {
        Person alice = m_harness.connect(QStringLiteral("alice-d"));
        Person bob = m_harness.connect(QStringLiteral("bob-d"));
        const auto shared = Harness::createParty(bob, "Bob's club");
        const auto alone = Harness::createParty(bob, "Bob alone");
        QVERIFY(Harness::join(bob, shared.partyId, alice));
        const std::string secret = "the-secret-text-" + QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString();
        const std::string first = send(bob, shared.topicId, secret + " first");
        const std::string draft = "draft-" + secret.substr(16);
        const std::string second = send(bob, shared.topicId, draft);
        QVERIFY(!first.empty() && !second.empty());
        QVERIFY(isOk(bob->request("message.edit", {{"messageId", second}, {"body", secret + " edited"}})));
        // An edit leaves the replaced text in the message's versions alone, not in the change log.
        QCOMPARE(count("SELECT count(*) FROM events WHERE strpos(payload::text, $1) > 0", draft), 0LL);
        const std::string alices = send(alice, shared.topicId, "hello bob");
        QVERIFY(isOk(bob->request("reaction.add", {{"messageId", alices}, {"emoji", "👍"}})));
        QVERIFY(count("SELECT count(*) FROM events WHERE strpos(payload::text, $1) > 0", secret) > 0);

        const AdminRun exported = admin({QStringLiteral("export"), QString::fromStdString(bob.login.userId)});
        QCOMPARE(exported.status, 0);
        const json data = json::parse(exported.out.toStdString(), nullptr, false);
        QVERIFY2(data.is_object(), qPrintable(exported.out));
        QCOMPARE(data["person"]["id"].get<std::string>(), bob.login.userId);
        QCOMPARE(data["identities"][0]["provider"].get<std::string>(), std::string("dev"));
        QCOMPARE(data["parties"].size(), 2u);
        QCOMPARE(data["messages"].size(), 2u);
        QCOMPARE(data["messages"][1]["body"].get<std::string>(), secret + " edited");
        QCOMPARE(data["messages"][1]["earlierVersions"][0]["body"].get<std::string>(), draft);
        QCOMPARE(data["reactions"][0]["emoji"].get<std::string>(), std::string("👍"));

        const AdminRun unconfirmed = admin({QStringLiteral("delete-person"), QString::fromStdString(bob.login.userId)});
        QCOMPARE(unconfirmed.status, 1);
        QVERIFY2(unconfirmed.err.contains(QStringLiteral("--yes")), qPrintable(unconfirmed.err));
        QCOMPARE(count("SELECT count(*) FROM messages WHERE author_id = $1::uuid AND deleted_at IS NULL", bob.login.userId), 2LL);

        const AdminRun deleted = admin({QStringLiteral("delete-person"), QString::fromStdString(bob.login.userId), QStringLiteral("--yes")});
        QVERIFY2(deleted.status == 0, qPrintable(deleted.err));
        QVERIFY2(deleted.out.contains(QStringLiteral("2 message(s)")), qPrintable(deleted.out));
        // Alice's app hears of each of it.
        QVERIFY(alice->waitForEvent("message.deleted", [&](const json &e) { return e["message"]["id"] == first; }));
        QVERIFY(alice->waitForEvent("message.deleted", [&](const json &e) { return e["message"]["id"] == second; }));
        QVERIFY(alice->waitForEvent("member.left", [&](const json &e) { return e["userId"] == bob.login.userId; }));
        QVERIFY(alice->waitForEvent("profile.updated", [&](const json &e) { return e["user"]["id"] == bob.login.userId; }));
        QVERIFY(bob->waitForClose(10000));
        // The shared party is Alice's now; the one Bob was alone in is gone.
        const json parties = alice->request("party.list");
        QVERIFY(isOk(parties));
        QCOMPARE(parties["result"]["parties"].size(), 1u);
        QCOMPARE(parties["result"]["parties"][0]["ownerId"].get<std::string>(), alice.login.userId);
        QCOMPARE(count("SELECT count(*) FROM parties WHERE id = $1::uuid", alone.partyId), 0LL);
        // The text is nowhere.
        QCOMPARE(count("SELECT count(*) FROM events WHERE strpos(payload::text, $1) > 0", secret), 0LL);
        QCOMPARE(count("SELECT count(*) FROM messages WHERE strpos(body, $1) > 0", secret), 0LL);
        QCOMPARE(count("SELECT count(*) FROM message_versions v JOIN messages m ON m.id = v.message_id WHERE m.author_id = $1::uuid", bob.login.userId), 0LL);
        QCOMPARE(count("SELECT count(*) FROM message_reactions WHERE user_id = $1::uuid", bob.login.userId), 0LL);
        QCOMPARE(count("SELECT count(*) FROM identities WHERE user_id = $1::uuid", bob.login.userId), 0LL);
        // Signing in with the same identity makes a new person, not the deleted one.
        const Login again = m_harness.server().login(QStringLiteral("bob-d"));
        QVERIFY(!again.userId.empty());
        QVERIFY(again.userId != bob.login.userId);
        // Deleting again is refused, and changes nothing.
        QCOMPARE(admin({QStringLiteral("delete-person"), QString::fromStdString(bob.login.userId), QStringLiteral("--yes")}).status, 1);
    }

    void deleteParty_membersHearOfIt()
    {
        Person owner = m_harness.connect(QStringLiteral("owner-p"));
        Person member = m_harness.connect(QStringLiteral("member-p"));
        const auto party = Harness::createParty(owner, "Doomed");
        QVERIFY(Harness::join(owner, party.partyId, member));
        QCOMPARE(admin({QStringLiteral("delete-party"), QString::fromStdString(party.partyId)}).status, 1);
        QCOMPARE(count("SELECT count(*) FROM parties WHERE id = $1::uuid", party.partyId), 1LL);
        QCOMPARE(admin({QStringLiteral("delete-party"), QString::fromStdString(party.partyId), QStringLiteral("--yes")}).status, 0);
        QVERIFY(member->waitForEvent("party.deleted", [&](const json &e) { return e["partyId"] == party.partyId; }));
        QCOMPARE(count("SELECT count(*) FROM parties WHERE id = $1::uuid", party.partyId), 0LL);
    }

    // --allow-sign-in: the people it names sign in, others are refused with a reason, and
    // nobody is created for them.
    void allowSignIn_onlyNamedPeople()
    {
        TestServer restricted(m_harness.databaseUrl(), {QStringLiteral("--allow-sign-in"), QStringLiteral("person:dev:invited")});
        QVERIFY2(restricted.start(), qPrintable(restricted.output()));
        QVERIFY(!restricted.login(QStringLiteral("invited")).userId.empty());
        const auto [status, body] = restricted.http("POST", QStringLiteral("/auth/dev"), R"({"name":"gatecrasher"})");
        QCOMPARE(status, 403);
        QVERIFY2(body.contains("does not let this account sign in"), body.constData());
        QCOMPARE(count("SELECT count(*) FROM identities WHERE subject = $1", "gatecrasher"), 0LL);
        // A rule that is not one stops the server at start, naming it.
        QProcess bad;
        bad.setProcessChannelMode(QProcess::MergedChannels);
        bad.start(QStringLiteral(CHATTERBOX_SERVER_BINARY), {QStringLiteral("--allow-sign-in"), QStringLiteral("everyone")});
        QVERIFY(bad.waitForFinished(10000));
        QCOMPARE(bad.exitCode(), 2);
        QVERIFY(bad.readAll().contains("--allow-sign-in"));
    }

    void instances_listsTheRunningServer()
    {
        Person someone = m_harness.connect(QStringLiteral("counted"));
        QVERIFY(someone.ready.is_object());
        const AdminRun run = admin({QStringLiteral("instances")});
        QCOMPARE(run.status, 0);
        // The heading, then each instance the database knows, the running one among them.
        QVERIFY(run.out.count(QLatin1Char('\n')) >= 2);
        pqxx::connection c(m_harness.databaseUrl());
        pqxx::read_transaction tx(c);
        for (const auto &row : tx.exec("SELECT id FROM server_instances"))
            QVERIFY2(run.out.contains(QString::fromStdString(row[0].as<std::string>())), qPrintable(run.out));
    }
};

QTEST_GUILESS_MAIN(TestE2eAdmin)
#include "tst_e2e_admin.moc"
