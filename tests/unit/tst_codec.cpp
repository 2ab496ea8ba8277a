// SPDX-License-Identifier: GPL-3.0-or-later
// The wire format: every request, reply and event survives a round trip through its struct,
// and no bad frame gets past decodeClientFrame() as anything but a clear error.

#include "shared/frames.h"
#include "shared/limits.h"

#include <QFile>
#include <QTest>

#include <map>
#include <optional>
#include <set>
#include <typeinfo>

using namespace chatterbox::protocol;
using nlohmann::json;

namespace {

json loadFixture(const char *name)
{
    QFile f(QStringLiteral(CHATTERBOX_TEST_FIXTURES "/protocol/") + QLatin1String(name));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return json::parse(f.readAll().toStdString(), nullptr, false);
}

template <typename T>
json roundTrip(const json &j)
{
    T value;
    from_json(j, value);
    json out;
    to_json(out, value);
    return out;
}

template <typename... Ts>
std::vector<std::string> namesOf(const std::variant<Ts...> *)
{
    std::vector<std::string> names;
    (names.push_back([] {
        if constexpr (requires { Ts::kType; })
            return Ts::kType;
        else
            return Ts::kName;
    }()), ...);
    return names;
}

// Round-trips a result through the Reply type its request declares, and says which alternative
// of the Reply variant that is; nothing when no request has this type.
template <typename... Rs>
std::optional<std::pair<json, std::size_t>> roundTripReplyOf(const std::string &requestType, const json &result, const std::variant<Rs...> *)
{
    std::optional<std::pair<json, std::size_t>> out;
    ((requestType == Rs::kType ? (out = std::pair{roundTrip<typename Rs::Reply>(result), Reply(typename Rs::Reply{}).index()}, true) : false) || ...);
    return out;
}

template <typename... Ts>
std::vector<std::string> replyNames(const std::variant<Ts...> *)
{
    return {typeid(Ts).name()...};
}

// Request types by the ids the client fixture uses: a result fixture answers the request with its id.
std::map<std::int64_t, std::string> requestTypesById()
{
    std::map<std::int64_t, std::string> out;
    for (const auto &f : loadFixture("client-frames.json"))
        out[f["id"].get<std::int64_t>()] = f["type"].get<std::string>();
    return out;
}

} // namespace

class TestCodec : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void clientFrames_roundTrip_unchanged_data()
    {
        QTest::addColumn<QString>("frame");
        const json frames = loadFixture("client-frames.json");
        QVERIFY2(frames.is_array(), "fixture missing");
        for (const auto &f : frames)
            QTest::newRow((f["type"].get<std::string>() + "#" + std::to_string(f["id"].get<int>())).c_str())
                << QString::fromStdString(f.dump());
    }
    void clientFrames_roundTrip_unchanged()
    {
        QFETCH(QString, frame);
        const auto decoded = decodeClientFrame(frame.toStdString());
        if (auto *error = std::get_if<FrameError>(&decoded))
            QFAIL(error->error.message.c_str());
        const auto &clientFrame = std::get<ClientFrame>(decoded);
        const json again = json::parse(encodeRequest(clientFrame.id, clientFrame.request));
        QCOMPARE(QString::fromStdString(again.dump()), QString::fromStdString(json::parse(frame.toStdString()).dump()));
    }

    void serverFrames_roundTrip_unchanged_data()
    {
        QTest::addColumn<QString>("frame");
        const json frames = loadFixture("server-frames.json");
        QVERIFY2(frames.is_array(), "fixture missing");
        int n = 0;
        for (const auto &f : frames)
            QTest::newRow((f.value("event", f["type"].get<std::string>()) + "#" + std::to_string(n++)).c_str())
                << QString::fromStdString(f.dump());
    }
    void serverFrames_roundTrip_unchanged()
    {
        QFETCH(QString, frame);
        const json original = json::parse(frame.toStdString());
        const auto decoded = decodeServerFrame(frame.toStdString());
        QVERIFY2(decoded.ok(), decoded.ok() ? "" : decoded.error().message.c_str());
        std::string again;
        if (const auto *reply = std::get_if<ReplyFrame>(&decoded.value())) {
            const auto answered = roundTripReplyOf(requestTypesById()[reply->id], reply->result, static_cast<const Request *>(nullptr));
            QVERIFY2(answered, "a result whose id answers no request of the client fixture");
            again = encodeResult(reply->id, answered->first);
        }
        else if (const auto *error = std::get_if<ErrorFrame>(&decoded.value()))
            again = encodeError(error->id, error->error);
        else
            again = encodeEvent(std::get<EventFrame>(decoded.value()).event);
        QCOMPARE(QString::fromStdString(json::parse(again).dump()), QString::fromStdString(original.dump()));
    }

    // Each request, reply and event of the protocol has a fixture: a new one fails here until
    // it is written down (and the round trips above then check its codec).
    void fixtures_coverEveryRequestReplyAndEvent()
    {
        std::set<std::string> requests, events;
        for (const auto &f : loadFixture("client-frames.json"))
            requests.insert(f["type"].get<std::string>());
        for (const auto &name : namesOf(static_cast<const Request *>(nullptr)))
            QVERIFY2(requests.count(name), ("no client fixture for " + name).c_str());

        const auto types = requestTypesById();
        std::set<std::size_t> replies;
        for (const auto &f : loadFixture("server-frames.json")) {
            if (f["type"] == "event")
                events.insert(f["event"].get<std::string>());
            if (f["type"] == "result") {
                const auto type = types.find(f["id"].get<std::int64_t>());
                if (type == types.end())
                    continue;
                if (const auto answered = roundTripReplyOf(type->second, f["result"], static_cast<const Request *>(nullptr)))
                    replies.insert(answered->second);
            }
        }
        for (const auto &name : namesOf(static_cast<const Event *>(nullptr)))
            QVERIFY2(events.count(name), ("no server fixture for the event " + name).c_str());
        const auto replyTypes = replyNames(static_cast<const Reply *>(nullptr));
        for (std::size_t i = 0; i < replyTypes.size(); ++i)
            QVERIFY2(replies.count(i), ("no result fixture holds the reply type " + replyTypes[i]).c_str());
    }

    void badFrames_decode_clearError_data()
    {
        QTest::addColumn<QByteArray>("frame");
        QTest::addColumn<QString>("code");
        QTest::addColumn<qint64>("id");
        const QByteArray t = "\"topicId\":\"0b7e4a0c-1f9e-4d44-8c27-7d1f5b2a9c30\"";
        const QByteArray c = "\"clientMsgId\":\"c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f\"";
        QTest::newRow("empty") << QByteArray("") << "bad_frame" << qint64(0);
        QTest::newRow("not json") << QByteArray("hello") << "bad_frame" << qint64(0);
        QTest::newRow("truncated") << QByteArray("{\"type\":\"party.list\",\"id\":1") << "bad_frame" << qint64(0);
        QTest::newRow("array") << QByteArray("[1,2]") << "bad_frame" << qint64(0);
        QTest::newRow("no id") << QByteArray("{\"type\":\"party.list\"}") << "bad_frame" << qint64(0);
        QTest::newRow("string id") << QByteArray("{\"type\":\"party.list\",\"id\":\"1\"}") << "bad_frame" << qint64(0);
        QTest::newRow("negative id") << QByteArray("{\"type\":\"party.list\",\"id\":-4}") << "bad_frame" << qint64(0);
        QTest::newRow("float id") << QByteArray("{\"type\":\"party.list\",\"id\":1.5}") << "bad_frame" << qint64(0);
        QTest::newRow("no type") << QByteArray("{\"id\":3}") << "bad_frame" << qint64(3);
        QTest::newRow("unknown type") << QByteArray("{\"type\":\"party.explode\",\"id\":3}") << "unknown_type" << qint64(3);
        QTest::newRow("missing field") << QByteArray("{\"type\":\"party.create\",\"id\":3}") << "invalid_request" << qint64(3);
        QTest::newRow("wrong field type") << QByteArray("{\"type\":\"party.create\",\"id\":3,\"name\":7}") << "invalid_request" << qint64(3);
        QTest::newRow("null field") << QByteArray("{\"type\":\"party.create\",\"id\":3,\"name\":null}") << "invalid_request" << qint64(3);
        QTest::newRow("empty name") << QByteArray("{\"type\":\"party.create\",\"id\":3,\"name\":\"   \"}") << "invalid_request" << qint64(3);
        QTest::newRow("name too long") << QByteArray("{\"type\":\"party.create\",\"id\":3,\"name\":\"" + QByteArray(101, 'x') + "\"}") << "invalid_request" << qint64(3);
        QTest::newRow("name with newline") << QByteArray("{\"type\":\"party.create\",\"id\":3,\"name\":\"a\\nb\"}") << "invalid_request" << qint64(3);
        QTest::newRow("NUL in body") << QByteArray("{\"type\":\"message.send\",\"id\":3," + t + "," + c + ",\"body\":\"a\\u0000b\"}") << "invalid_request" << qint64(3);
        QTest::newRow("bell in body") << QByteArray("{\"type\":\"message.send\",\"id\":3," + t + "," + c + ",\"body\":\"a\\u0007b\"}") << "invalid_request" << qint64(3);
        QTest::newRow("lone surrogate escape") << QByteArray("{\"type\":\"message.send\",\"id\":3," + t + "," + c + ",\"body\":\"\\ud800\"}") << "bad_frame" << qint64(0);
        QTest::newRow("invalid UTF-8 bytes") << QByteArray("{\"type\":\"message.send\",\"id\":3," + t + "," + c + ",\"body\":\"\xff\xfe\"}") << "bad_frame" << qint64(0);
        QTest::newRow("overlong UTF-8") << QByteArray("{\"type\":\"party.create\",\"id\":3,\"name\":\"\xc0\xaf\"}") << "bad_frame" << qint64(0);
        QTest::newRow("whitespace body") << QByteArray("{\"type\":\"message.send\",\"id\":3," + t + "," + c + ",\"body\":\" \\n\\t \"}") << "invalid_request" << qint64(3);
        QTest::newRow("body too long") << QByteArray("{\"type\":\"message.send\",\"id\":3," + t + "," + c + ",\"body\":\"" + QByteArray(4001, 'a') + "\"}") << "invalid_request" << qint64(3);
        QTest::newRow("files: not a list") << QByteArray("{\"type\":\"message.send\",\"id\":3," + t + "," + c + ",\"body\":\"\",\"files\":\"6f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0\"}") << "invalid_request" << qint64(3);
        QTest::newRow("files: not ids") << QByteArray("{\"type\":\"message.send\",\"id\":3," + t + "," + c + ",\"body\":\"\",\"files\":[\"../x\"]}") << "invalid_request" << qint64(3);
        QTest::newRow("files: one twice") << QByteArray("{\"type\":\"message.send\",\"id\":3," + t + "," + c + ",\"body\":\"\",\"files\":[\"6f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0\",\"6f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0\"]}") << "invalid_request" << qint64(3);
        QTest::newRow("files: eleven") << QByteArray("{\"type\":\"message.send\",\"id\":3," + t + "," + c + ",\"body\":\"\",\"files\":[" + QByteArray("\"6f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0\",").repeated(10) + "\"6f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0\"]}") << "invalid_request" << qint64(3);
        QTest::newRow("files: none and no body") << QByteArray("{\"type\":\"message.send\",\"id\":3," + t + "," + c + ",\"body\":\"\",\"files\":[]}") << "invalid_request" << qint64(3);
        QTest::newRow("bad topic id") << QByteArray("{\"type\":\"message.send\",\"id\":3,\"topicId\":\"../etc\"," + c + ",\"body\":\"hi\"}") << "invalid_request" << qint64(3);
        QTest::newRow("upper-case uuid") << QByteArray("{\"type\":\"topic.delete\",\"id\":3,\"topicId\":\"0B7E4A0C-1F9E-4D44-8C27-7D1F5B2A9C30\"}") << "invalid_request" << qint64(3);
        QTest::newRow("sql in id") << QByteArray("{\"type\":\"topic.delete\",\"id\":3,\"topicId\":\"'; DROP TABLE messages; --\"}") << "invalid_request" << qint64(3);
        QTest::newRow("history limit 0") << QByteArray("{\"type\":\"message.history\",\"id\":3," + t + ",\"limit\":0}") << "invalid_request" << qint64(3);
        QTest::newRow("history limit 101") << QByteArray("{\"type\":\"message.history\",\"id\":3," + t + ",\"limit\":101}") << "invalid_request" << qint64(3);
        QTest::newRow("history both ways") << QByteArray("{\"type\":\"message.history\",\"id\":3," + t + ",\"beforeSeq\":5,\"afterSeq\":1}") << "invalid_request" << qint64(3);
        QTest::newRow("huge seq") << QByteArray("{\"type\":\"message.history\",\"id\":3," + t + ",\"beforeSeq\":1e400}") << "bad_frame" << qint64(0);
        QTest::newRow("owner via setRole") << QByteArray("{\"type\":\"member.setRole\",\"id\":3,\"partyId\":\"0b7e4a0c-1f9e-4d44-8c27-7d1f5b2a9c30\",\"userId\":\"0b7e4a0c-1f9e-4d44-8c27-7d1f5b2a9c30\",\"role\":\"owner\"}") << "invalid_request" << qint64(3);
        QTest::newRow("unknown role") << QByteArray("{\"type\":\"member.setRole\",\"id\":3,\"partyId\":\"0b7e4a0c-1f9e-4d44-8c27-7d1f5b2a9c30\",\"userId\":\"0b7e4a0c-1f9e-4d44-8c27-7d1f5b2a9c30\",\"role\":\"god\"}") << "invalid_request" << qint64(3);
        QTest::newRow("duplicate reorder") << QByteArray("{\"type\":\"topic.reorder\",\"id\":3,\"partyId\":\"0b7e4a0c-1f9e-4d44-8c27-7d1f5b2a9c30\",\"topicIds\":[\"0b7e4a0c-1f9e-4d44-8c27-7d1f5b2a9c30\",\"0b7e4a0c-1f9e-4d44-8c27-7d1f5b2a9c30\"]}") << "invalid_request" << qint64(3);
        QTest::newRow("short invite code") << QByteArray("{\"type\":\"invite.join\",\"id\":3,\"code\":\"abc\"}") << "invalid_request" << qint64(3);
        QTest::newRow("invite code with slash") << QByteArray("{\"type\":\"invite.preview\",\"id\":3,\"code\":\"../../../etc/passwd/xx\"}") << "invalid_request" << qint64(3);
        QTest::newRow("invite forever-ish") << QByteArray("{\"type\":\"invite.create\",\"id\":3,\"partyId\":\"0b7e4a0c-1f9e-4d44-8c27-7d1f5b2a9c30\",\"expiresInSeconds\":99999999999}") << "invalid_request" << qint64(3);
        QTest::newRow("invite zero uses") << QByteArray("{\"type\":\"invite.create\",\"id\":3,\"partyId\":\"0b7e4a0c-1f9e-4d44-8c27-7d1f5b2a9c30\",\"maxUses\":0}") << "invalid_request" << qint64(3);
        QTest::newRow("presence offline") << QByteArray("{\"type\":\"presence.set\",\"id\":3,\"status\":\"offline\"}") << "invalid_request" << qint64(3);
        QTest::newRow("presence unknown") << QByteArray("{\"type\":\"presence.set\",\"id\":3,\"status\":\"away\"}") << "invalid_request" << qint64(3);
        QTest::newRow("direct nobody") << QByteArray("{\"type\":\"direct.open\",\"id\":4,\"userIds\":[]}") << "invalid_request" << qint64(4);
        QTest::newRow("direct not a list") << QByteArray("{\"type\":\"direct.open\",\"id\":4,\"userIds\":\"6e3a9c2f-4d5b-4f70-8c1e-2b3d4f5a6b7c\"}") << "invalid_request" << qint64(4);
        QTest::newRow("direct bad id") << QByteArray("{\"type\":\"direct.open\",\"id\":4,\"userIds\":[\"../../etc\"]}") << "invalid_request" << qint64(4);
        QTest::newRow("direct upper-case id") << QByteArray("{\"type\":\"direct.open\",\"id\":4,\"userIds\":[\"6E3A9C2F-4D5B-4F70-8C1E-2B3D4F5A6B7C\"]}") << "invalid_request" << qint64(4);
        QTest::newRow("direct numbers") << QByteArray("{\"type\":\"direct.open\",\"id\":4,\"userIds\":[1,2]}") << "invalid_request" << qint64(4);
        {
            QByteArray crowd = "{\"type\":\"direct.open\",\"id\":4,\"userIds\":[";
            for (int i = 0; i < 10; ++i)
                crowd += (i ? "," : "") + QByteArray("\"6e3a9c2f-4d5b-4f70-8c1e-2b3d4f5a6b7") + QByteArray::number(i) + '"';
            QTest::newRow("direct ten others") << crowd + "]}" << "invalid_request" << qint64(4);
        }
        QTest::newRow("status too long") << (QByteArray("{\"type\":\"profile.update\",\"id\":6,\"statusText\":\"") + QByteArray(101, 'a') + "\"}") << "invalid_request" << qint64(6);
        QTest::newRow("status control characters") << QByteArray("{\"type\":\"profile.update\",\"id\":6,\"statusText\":\"away\\u0007\"}") << "invalid_request" << qint64(6);
        QTest::newRow("status invisible") << QByteArray("{\"type\":\"profile.update\",\"id\":6,\"statusText\":\"\\u200b\\u200b\"}") << "invalid_request" << qint64(6);
        QTest::newRow("status expiry alone") << QByteArray("{\"type\":\"profile.update\",\"id\":6,\"statusExpiresAt\":1796400000000}") << "invalid_request" << qint64(6);
        QTest::newRow("status expiry negative") << QByteArray("{\"type\":\"profile.update\",\"id\":6,\"statusText\":\"x\",\"statusExpiresAt\":-5}") << "invalid_request" << qint64(6);
        QTest::newRow("status expiry far") << QByteArray("{\"type\":\"profile.update\",\"id\":6,\"statusText\":\"x\",\"statusExpiresAt\":9223372036854775807}") << "invalid_request" << qint64(6);
        QTest::newRow("status not text") << QByteArray("{\"type\":\"profile.update\",\"id\":6,\"statusText\":42}") << "invalid_request" << qint64(6);
        QTest::newRow("block missing") << QByteArray("{\"type\":\"user.block\",\"id\":5}") << "invalid_request" << qint64(5);
        QTest::newRow("block bad id") << QByteArray("{\"type\":\"user.block\",\"id\":5,\"userId\":\"<b>bob</b>\"}") << "invalid_request" << qint64(5);
        QTest::newRow("unblock null") << QByteArray("{\"type\":\"user.unblock\",\"id\":5,\"userId\":null}") << "invalid_request" << qint64(5);
        QTest::newRow("empty profile") << QByteArray("{\"type\":\"profile.update\",\"id\":3}") << "invalid_request" << qint64(3);
        QTest::newRow("javascript avatar") << QByteArray("{\"type\":\"profile.update\",\"id\":3,\"avatarUrl\":\"javascript:alert(1)\"}") << "invalid_request" << qint64(3);
        QTest::newRow("avatar with quote") << QByteArray("{\"type\":\"profile.update\",\"id\":3,\"avatarUrl\":\"https://x/\\\"onerror=\"}") << "invalid_request" << qint64(3);
        QTest::newRow("picture not an id") << QByteArray("{\"type\":\"profile.update\",\"id\":3,\"avatarFileId\":\"../../files/x\"}") << "invalid_request" << qint64(3);
        QTest::newRow("picture not text") << QByteArray("{\"type\":\"profile.update\",\"id\":3,\"avatarFileId\":42}") << "invalid_request" << qint64(3);
        QTest::newRow("negative read seq") << QByteArray("{\"type\":\"topic.markRead\",\"id\":3,\"topicId\":\"0b7e4a0c-1f9e-4d44-8c27-7d1f5b2a9c30\",\"seq\":-1}") << "invalid_request" << qint64(3);
        QTest::newRow("sync not array") << QByteArray("{\"type\":\"message.sync\",\"id\":3,\"topics\":{}}") << "invalid_request" << qint64(3);
        const QByteArray m = "\"messageId\":\"9f8e7d6c-5b4a-4321-8fed-cba987654321\"";
        const auto react = [&](const QByteArray &emoji) { return QByteArray("{\"type\":\"reaction.add\",\"id\":3," + m + ",\"emoji\":\"" + emoji + "\"}"); };
        QTest::newRow("reaction: text") << react("lol") << "invalid_request" << qint64(3);
        QTest::newRow("reaction: empty") << react("") << "invalid_request" << qint64(3);
        QTest::newRow("reaction: html") << react("<b>\xe2\x9d\xa4</b>") << "invalid_request" << qint64(3);
        QTest::newRow("reaction: emoji and a word") << react("\xf0\x9f\x91\x8d ok") << "invalid_request" << qint64(3);
        QTest::newRow("reaction: only a joiner") << react("\xe2\x80\x8d") << "invalid_request" << qint64(3);
        QTest::newRow("reaction: a digit alone") << react("1") << "invalid_request" << qint64(3);
        QTest::newRow("reaction: too long") << react(QByteArray("\xf0\x9f\x91\x8d").repeated(9)) << "invalid_request" << qint64(3);
        QTest::newRow("reaction: a letter") << react("\xc3\xa9") << "invalid_request" << qint64(3);
        QTest::newRow("reaction: CJK") << react("\xe6\x97\xa5\xe6\x9c\xac") << "invalid_request" << qint64(3);
        QTest::newRow("reaction: bidi override") << react("\xe2\x80\xae") << "invalid_request" << qint64(3);
        QTest::newRow("reaction: zero-width space") << react("\xe2\x80\x8b") << "invalid_request" << qint64(3);
        QTest::newRow("reaction: emoji and a letter") << react("\xf0\x9f\x91\x8d\xc3\xa9") << "invalid_request" << qint64(3);
        QTest::newRow("reaction: control") << react("\xf0\x9f\x91\x8d\\u0007") << "invalid_request" << qint64(3);
        QTest::newRow("reaction: not a string") << QByteArray("{\"type\":\"reaction.remove\",\"id\":3," + m + ",\"emoji\":[1]}") << "invalid_request" << qint64(3);
        QTest::newRow("reply to a non-id") << QByteArray("{\"type\":\"message.send\",\"id\":3," + t + "," + c + ",\"body\":\"hi\",\"replyTo\":\"../1\"}") << "invalid_request" << qint64(3);
        QTest::newRow("search open quote") << QByteArray("{\"type\":\"message.search\",\"id\":4,\"query\":\"\\\"rocket\"}") << "invalid_request" << qint64(4);
        QTest::newRow("search unknown filter") << QByteArray("{\"type\":\"message.search\",\"id\":4,\"query\":\"colour:red\"}") << "invalid_request" << qint64(4);
        QTest::newRow("search bad date") << QByteArray("{\"type\":\"message.search\",\"id\":4,\"query\":\"on:2026-02-30\"}") << "invalid_request" << qint64(4);
        QTest::newRow("search empty") << QByteArray("{\"type\":\"message.search\",\"id\":4,\"query\":\"  \"}") << "invalid_request" << qint64(4);
        QTest::newRow("search too long") << QByteArray("{\"type\":\"message.search\",\"id\":4,\"query\":\"" + QByteArray(501, 'a') + "\"}") << "invalid_request" << qint64(4);
        QTest::newRow("search no query") << QByteArray("{\"type\":\"message.search\",\"id\":4}") << "invalid_request" << qint64(4);
        QTest::newRow("search forged cursor") << QByteArray("{\"type\":\"message.search\",\"id\":4,\"query\":\"a\",\"cursor\":\"1' OR 1=1\"}") << "invalid_request" << qint64(4);
        QTest::newRow("search limit 51") << QByteArray("{\"type\":\"message.search\",\"id\":4,\"query\":\"a\",\"limit\":51}") << "invalid_request" << qint64(4);
        QTest::newRow("search offset") << QByteArray("{\"type\":\"message.search\",\"id\":4,\"query\":\"a\",\"utcOffsetMinutes\":900}") << "invalid_request" << qint64(4);
        QTest::newRow("search topic not uuid") << QByteArray("{\"type\":\"message.search\",\"id\":4,\"query\":\"a\",\"topicId\":\"x\"}") << "invalid_request" << qint64(4);
        QTest::newRow("history around and before") << QByteArray("{\"type\":\"message.history\",\"id\":3," + t + ",\"beforeSeq\":5,\"aroundSeq\":3}") << "invalid_request" << qint64(3);
        QTest::newRow("history around 0") << QByteArray("{\"type\":\"message.history\",\"id\":3," + t + ",\"aroundSeq\":0}") << "invalid_request" << qint64(3);
        QTest::newRow("pin with a bad id") << QByteArray("{\"type\":\"message.pin\",\"id\":3,\"messageId\":\"x\"}") << "invalid_request" << qint64(3);
        QTest::newRow("pin not a bool") << QByteArray("{\"type\":\"message.pin\",\"id\":3," + m + ",\"pinned\":\"yes\"}") << "invalid_request" << qint64(3);
        QTest::newRow("configure: unknown rule") << QByteArray("{\"type\":\"party.configure\",\"id\":3,\"partyId\":\"0b7e4a0c-1f9e-4d44-8c27-7d1f5b2a9c30\",\"massMentions\":\"all\"}") << "invalid_request" << qint64(3);
        QTest::newRow("configure: unknown level") << QByteArray("{\"type\":\"party.configure\",\"id\":3,\"partyId\":\"0b7e4a0c-1f9e-4d44-8c27-7d1f5b2a9c30\",\"notifyDefault\":\"some\"}") << "invalid_request" << qint64(3);
        QTest::newRow("configure: level not a text") << QByteArray("{\"type\":\"party.configure\",\"id\":3,\"partyId\":\"0b7e4a0c-1f9e-4d44-8c27-7d1f5b2a9c30\",\"notifyDefault\":2}") << "invalid_request" << qint64(3);
        QTest::newRow("configure: no rule") << QByteArray("{\"type\":\"party.configure\",\"id\":3,\"partyId\":\"0b7e4a0c-1f9e-4d44-8c27-7d1f5b2a9c30\"}") << "invalid_request" << qint64(3);
        QTest::newRow("pins of a non-id") << QByteArray("{\"type\":\"pin.list\",\"id\":3,\"topicId\":7}") << "invalid_request" << qint64(3);
        QTest::newRow("deep nesting") << QByteArray("{\"type\":\"party.list\",\"id\":3,\"x\":" + QByteArray(20000, '[') + QByteArray(20000, ']') + "}") << "" << qint64(3);
    }
    void badFrames_decode_clearError()
    {
        QFETCH(QByteArray, frame);
        QFETCH(QString, code);
        QFETCH(qint64, id);
        const auto decoded = decodeClientFrame(std::string_view(frame.constData(), static_cast<std::size_t>(frame.size())));
        if (code.isEmpty()) {
            // Unknown fields are ignored, however deep; the request itself is fine.
            QVERIFY(std::holds_alternative<ClientFrame>(decoded));
            return;
        }
        QVERIFY2(std::holds_alternative<FrameError>(decoded), "a bad frame was accepted");
        const auto &error = std::get<FrameError>(decoded);
        QCOMPARE(QString::fromUtf8(errorCodeName(error.error.code).data()), code);
        QCOMPARE(qint64(error.id), id);
        QVERIFY(!error.error.message.empty());
        // The error frame itself is valid JSON whatever was in the input.
        QVERIFY(!json::parse(encodeError(error.id, error.error), nullptr, false).is_discarded());
    }

    void body_atLimits_accepted_data()
    {
        QTest::addColumn<QString>("body");
        QTest::newRow("51 characters") << QString(51, QLatin1Char('a'));
        QTest::newRow("4000 characters") << QString(4000, QLatin1Char('a'));
        QTest::newRow("4000 emoji") << QString::fromUtf8("\xF0\x9F\x91\x8B").repeated(4000);
        QTest::newRow("html stays text") << QStringLiteral("<script>alert(1)</script>");
        QTest::newRow("newlines and tabs") << QStringLiteral("line one\n\tline two");
    }
    void body_atLimits_accepted()
    {
        QFETCH(QString, body);
        const json frame{{"type", "message.send"}, {"id", 9}, {"topicId", "0b7e4a0c-1f9e-4d44-8c27-7d1f5b2a9c30"},
                         {"clientMsgId", "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f"}, {"body", body.toStdString()}};
        const auto decoded = decodeClientFrame(frame.dump());
        QVERIFY(std::holds_alternative<ClientFrame>(decoded));
        const auto &send = std::get<SendMessage>(std::get<ClientFrame>(decoded).request);
        QCOMPARE(QString::fromStdString(send.body), body);
    }

    void names_trimmed_beforeUse()
    {
        const auto decoded = decodeClientFrame(R"({"type":"party.create","id":1,"name":"  Book club \t"})");
        QVERIFY(std::holds_alternative<ClientFrame>(decoded));
        QCOMPARE(std::get<CreateParty>(std::get<ClientFrame>(decoded).request).name, std::string("Book club"));
    }

    void errorCodes_haveStableNames()
    {
        // Clients switch on these strings; renaming one breaks them.
        QCOMPARE(errorCodeName(ErrorCode::NotFound), std::string_view("not_found"));
        QCOMPARE(errorCodeName(ErrorCode::RateLimited), std::string_view("rate_limited"));
        ErrorCode code{};
        QVERIFY(errorCodeFromName("forbidden", code));
        QCOMPARE(code, ErrorCode::Forbidden);
        QVERIFY(!errorCodeFromName("nope", code));
    }
};

QTEST_GUILESS_MAIN(TestCodec)
#include "tst_codec.moc"
