// SPDX-License-Identifier: GPL-3.0-or-later
// A person's picture through the real server, as an app sets it (docs/protocol.md,
// profile.update's avatarFileId): uploaded as a file, named in the profile, announced to and
// readable by the people who share a party with them and nobody else; the files it may not be;
// and the races a picture can lose: against a message.send of the same file, and against
// another change of picture at the same moment.

#include "e2efixture.h"

#include <QDateTime>
#include "support/filebytes.h"
#include "support/filehttp.h"

using namespace chatterbox::test;

namespace {

// What an app uploads as a picture: a square PNG it made. The server never decodes it, so the
// bytes need not be an image; what it checks is what the upload declares.
json picture(int side = 256, const std::string &type = "image/png")
{
    return {{"name", "me.png"}, {"type", type}, {"width", side}, {"height", side}};
}

std::string pictureOf(const json &profileReply)
{
    return profileReply["result"]["user"].value("avatarFileId", std::string());
}

} // namespace

class TestE2EAvatars : public QObject {
    Q_OBJECT

    Harness m_harness;
    std::unique_ptr<Http> m_http;
    Person m_alice, m_bob, m_carol;
    Harness::PartyIds m_party;

    std::string uploadPicture(std::size_t bytes = 20'000, json file = picture())
    {
        static std::uint64_t seed = 1;
        return m_http->upload(m_alice.login.accessToken, randomFileBytes(static_cast<qsizetype>(bytes), ++seed).toStdString(), std::move(file));
    }
    json setPicture(Person &who, const std::string &fileId)
    {
        return who->request("profile.update", {{"avatarFileId", fileId}});
    }
    int statusFor(Person &reader, const std::string &fileId)
    {
        return m_http->download(reader.login.accessToken, fileId).status;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_harness.start());
        m_http = std::make_unique<Http>(m_harness.server());
        m_alice = m_harness.connect(QStringLiteral("alice"));
        m_bob = m_harness.connect(QStringLiteral("bob"));
        m_carol = m_harness.connect(QStringLiteral("carol"));   // shares no party with Alice
        m_party = Harness::createParty(m_alice, "Climbing");
        QVERIFY(!m_party.topicId.empty());
        QVERIFY(Harness::join(m_alice, m_party.partyId, m_bob));
    }

    void picture_announcedAndReadByPartySharersOnly()
    {
        const std::string bytes = randomFileBytes(30'000, 7).toStdString();
        const std::string id = m_http->upload(m_alice.login.accessToken, bytes, picture());
        QVERIFY(!id.empty());
        QCOMPARE(statusFor(m_bob, id), 404);   // an unsent upload is its uploader's alone

        m_bob->events.clear();
        const json set = setPicture(m_alice, id);
        QVERIFY2(isOk(set), set.dump().c_str());
        QCOMPARE(pictureOf(set), id);
        const auto updated = m_bob->waitForEvent("profile.updated");
        QVERIFY(updated);
        QCOMPARE((*updated)["user"]["avatarFileId"].get<std::string>(), id);
        QVERIFY(m_carol->noEvent("profile.updated", 300));

        // Bob reads it; Carol gets what a made-up id gets.
        const Reply read = m_http->download(m_bob.login.accessToken, id);
        QCOMPARE(read.status, 200);
        QCOMPARE(read.body, QByteArray::fromStdString(bytes));
        const Reply madeUp = m_http->download(m_carol.login.accessToken, uuid());
        const Reply stranger = m_http->download(m_carol.login.accessToken, id);
        QCOMPARE(stranger.status, 404);
        QCOMPARE(stranger.body, madeUp.body);

        // A new connection learns it from ready: Alice as herself, Bob in the party's members.
        Person aliceAgain = m_harness.reconnect(m_alice);
        QCOMPARE(aliceAgain.ready["me"]["avatarFileId"].get<std::string>(), id);
        Person bobAgain = m_harness.reconnect(m_bob);
        std::string seen;
        for (const auto &party : bobAgain.ready["parties"])
            for (const auto &member : party["members"])
                if (member["userId"] == m_alice.login.userId)
                    seen = member.value("avatarFileId", std::string());
        QCOMPARE(seen, id);

        // Once Bob has left the party they shared, he reads it no more.
        QVERIFY(isOk(m_bob->request("party.leave", {{"partyId", m_party.partyId}})));
        QCOMPARE(statusFor(m_bob, id), 404);
        QVERIFY(Harness::join(m_alice, m_party.partyId, m_bob));
        QCOMPARE(statusFor(m_bob, id), 200);
    }

    void picture_replacedAndRemoved_theOldOneNoLongerShared()
    {
        const std::string first = uploadPicture();
        const std::string second = uploadPicture();
        QVERIFY(isOk(setPicture(m_alice, first)));
        QCOMPARE(pictureOf(setPicture(m_alice, second)), second);
        QCOMPARE(statusFor(m_bob, second), 200);
        QCOMPARE(statusFor(m_bob, first), 404);     // an unsent upload again, for the sweep
        QCOMPARE(statusFor(m_alice, first), 200);

        m_bob->events.clear();
        const json removed = setPicture(m_alice, "");
        QVERIFY(isOk(removed));
        QVERIFY(!removed["result"]["user"].contains("avatarFileId"));
        const auto updated = m_bob->waitForEvent("profile.updated");
        QVERIFY(updated);
        QVERIFY(!(*updated)["user"].contains("avatarFileId"));
        QCOMPARE(statusFor(m_bob, second), 404);
        // Its display name and link are left as they were.
        const json renamed = m_alice->request("profile.update", {{"displayName", "Alice A."}});
        QVERIFY(!renamed["result"]["user"].contains("avatarFileId"));
    }

    void picture_refusedUnlessASmallSquareImageOfYourOwn()
    {
        const std::string current = uploadPicture();
        QVERIFY(isOk(setPicture(m_alice, current)));
        const auto refusedWith = [&](const std::string &fileId, const std::string &code, const std::string &words) {
            const json reply = setPicture(m_alice, fileId);
            if (errorCode(reply) != code || reply.value("message", std::string()).find(words) == std::string::npos) {
                qWarning("%s", reply.dump().c_str());
                return false;
            }
            return true;
        };
        QVERIFY(refusedWith(uploadPicture(20'000, {{"name", "wide.png"}, {"type", "image/png"}, {"width", 300}, {"height", 200}}),
                            "invalid_request", "square"));
        QVERIFY(refusedWith(uploadPicture(20'000, {{"name", "doc.png"}, {"type", "image/png"}}), "invalid_request", "square"));
        QVERIFY(refusedWith(uploadPicture(20'000, picture(2000)), "invalid_request", "1024"));
        QVERIFY(refusedWith(uploadPicture(300'000), "invalid_request", "256 KiB"));
        QVERIFY(refusedWith(uploadPicture(20'000, picture(256, "image/gif")), "invalid_request", "PNG, JPEG or WebP"));
        QVERIFY(refusedWith(uploadPicture(20'000, picture(256, "text/html")), "invalid_request", "PNG, JPEG or WebP"));
        // Declared, not uploaded whole.
        json half = picture();
        half["size"] = 5000;
        const Reply declared = m_http->declare(m_alice.login.accessToken, half);
        QCOMPARE(declared.status, 201);
        QVERIFY(refusedWith(declared.data()["id"].get<std::string>(), "invalid_request", "whole"));
        // Sent in a message.
        const std::string sentOne = uploadPicture();
        QVERIFY(isOk(m_alice->request("message.send", {{"topicId", m_party.topicId}, {"clientMsgId", uuid()}, {"body", ""}, {"files", {sentOne}}})));
        QVERIFY(refusedWith(sentOne, "invalid_request", "sent in a message"));
        // Someone else's, or none at all: the same answer.
        const std::string bobs = m_http->upload(m_bob.login.accessToken, randomFileBytes(1000, 99).toStdString(), picture());
        QVERIFY(refusedWith(bobs, "not_found", "no such file"));
        QVERIFY(refusedWith(uuid(), "not_found", "no such file"));
        QVERIFY(refusedWith("../../etc/passwd", "invalid_request", "avatarFileId"));
        QCOMPARE(errorCode(m_alice->request("profile.update", json::object())), std::string("invalid_request"));

        // None of it changed the picture.
        Person again = m_harness.reconnect(m_alice);
        QCOMPARE(again.ready["me"]["avatarFileId"].get<std::string>(), current);
        QCOMPARE(statusFor(m_bob, current), 200);
        QCOMPARE(statusFor(m_alice, bobs), 404);   // Bob's upload stayed his alone
    }

    void picture_cannotBeSentInAMessage()
    {
        const std::string id = uploadPicture();
        QVERIFY(isOk(setPicture(m_alice, id)));
        const json sent = m_alice->request("message.send", {{"topicId", m_party.topicId}, {"clientMsgId", uuid()}, {"body", ""}, {"files", {id}}});
        QCOMPARE(errorCode(sent), std::string("not_found"));
    }

    void pictureAndSendOfOneFileAtOnce_oneWins()
    {
        // Forty rounds: one connection of Alice's sets a new file as her picture while another
        // sends the same file in a message, at the same moment. One wins, and what it won holds.
        Person second = m_harness.reconnect(m_alice);
        for (int round = 0; round < 40; ++round) {
            const std::string id = uploadPicture(2000);
            QVERIFY(!id.empty());
            const std::int64_t a = m_alice->post("profile.update", {{"avatarFileId", id}});
            const std::int64_t b = second->post("message.send", {{"topicId", m_party.topicId}, {"clientMsgId", uuid()}, {"body", ""}, {"files", {id}}});
            const json asPicture = replyTo(*m_alice.client, a);
            const json asMessage = replyTo(*second.client, b);
            QVERIFY2(int(isOk(asPicture)) + int(isOk(asMessage)) == 1, (asPicture.dump() + asMessage.dump()).c_str());
            Person check = m_harness.reconnect(m_alice);
            const std::string now = check.ready["me"].value("avatarFileId", std::string());
            QCOMPARE(now == id, isOk(asPicture));
            // A sent file is read by the party; a picture too: Bob reads it either way. Carol never.
            QCOMPARE(statusFor(m_bob, id), 200);
            QCOMPARE(statusFor(m_carol, id), 404);
            if (isOk(asPicture))
                QVERIFY(isOk(setPicture(m_alice, "")));
        }
    }

    void twoPicturesAtOnce_theOneNamedIsTheOneShared()
    {
        // Two connections of Alice's set two different pictures at the same moment, twenty
        // rounds: whichever the profile names afterwards is the one Bob can read, and the other
        // is an unsent upload again (not kept as a picture forever).
        Person second = m_harness.reconnect(m_alice);
        for (int round = 0; round < 20; ++round) {
            const std::string one = uploadPicture(2000);
            const std::string other = uploadPicture(2000);
            const std::int64_t a = m_alice->post("profile.update", {{"avatarFileId", one}});
            const std::int64_t b = second->post("profile.update", {{"avatarFileId", other}});
            QVERIFY(isOk(replyTo(*m_alice.client, a)));
            QVERIFY(isOk(replyTo(*second.client, b)));
            Person check = m_harness.reconnect(m_alice);
            const std::string named = check.ready["me"].value("avatarFileId", std::string());
            QVERIFY(named == one || named == other);
            const std::string unnamed = named == one ? other : one;
            QCOMPARE(statusFor(m_bob, named), 200);
            QCOMPARE(statusFor(m_bob, unnamed), 404);
        }
    }

    // A status line: announced as the picture is, gone once its time has passed, and refused
    // when hostile. "Last seen" comes with the profile too.
    void status_sharedWithPartySharers_untilItExpires()
    {
        m_bob->events.clear();
        const std::int64_t inAnHour = QDateTime::currentMSecsSinceEpoch() + 3600 * 1000;
        const json set = m_alice->request("profile.update", {{"statusText", "On the wall <b>today</b>"}, {"statusExpiresAt", inAnHour}});
        QVERIFY2(isOk(set), set.dump().c_str());
        QCOMPARE(set["result"]["user"]["statusText"].get<std::string>(), std::string("On the wall <b>today</b>"));
        QCOMPARE(set["result"]["user"]["statusExpiresAt"].get<std::int64_t>(), inAnHour);
        const auto told = m_bob->waitForEvent("profile.updated", [](const json &d) { return d["user"].contains("statusText"); });
        QVERIFY(told);
        QVERIFY((*told)["user"].contains("lastSeenAt"));   // Alice is online: seen when she came
        QVERIFY(m_carol->noEvent("profile.updated", 300));
        Person bobAgain = m_harness.reconnect(m_bob);
        std::string seen;
        for (const auto &party : bobAgain.ready["parties"])
            for (const auto &member : party["members"])
                if (member["userId"] == m_alice.login.userId)
                    seen = member.value("statusText", std::string());
        QCOMPARE(seen, std::string("On the wall <b>today</b>"));

        // One that ended a moment ago is not sent at all.
        const json past = m_alice->request("profile.update", {{"statusText", "Back at 3"}, {"statusExpiresAt", QDateTime::currentMSecsSinceEpoch() + 300}});
        QVERIFY(isOk(past));
        QTest::qWait(600);
        Person aliceAgain = m_harness.reconnect(m_alice);
        QVERIFY2(!aliceAgain.ready["me"].contains("statusText"), aliceAgain.ready["me"].dump().c_str());
        QVERIFY(!aliceAgain.ready["me"].contains("statusExpiresAt"));
        // Cleared with "", and hostile ones refused with nothing changed.
        QVERIFY(isOk(m_alice->request("profile.update", {{"statusText", "Climbing"}})));
        QCOMPARE(errorCode(m_alice->request("profile.update", {{"statusText", std::string(101, 'x')}})), std::string("invalid_request"));
        QCOMPARE(errorCode(m_alice->request("profile.update", {{"statusExpiresAt", inAnHour}})), std::string("invalid_request"));
        QCOMPARE(m_harness.reconnect(m_alice).ready["me"]["statusText"].get<std::string>(), std::string("Climbing"));
        const json cleared = m_alice->request("profile.update", {{"statusText", ""}});
        QVERIFY(isOk(cleared));
        QVERIFY(!cleared["result"]["user"].contains("statusText"));
    }
};

QTEST_GUILESS_MAIN(TestE2EAvatars)
#include "tst_e2e_avatars.moc"
