// SPDX-License-Identifier: GPL-3.0-or-later
//
// The WebSocket upgrade request parser, fed any bytes a client could open a connection with.
// A head it accepts ends where it says, carries a usable key and version 13, answers the same
// when the bytes after it are cut off, and gets an answer the RFC's way.

#include "server/ws/wshandshake.h"
#include "tests/fuzz/fuzzcheck.h"

#include <cstddef>
#include <cstdint>

using namespace chatterbox::ws;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    // The listener's own limit, and a small one that inputs cross easily.
    for (const std::size_t limit : {std::size_t{8 * 1024}, std::size_t{64}}) {
        const UpgradeParse parse = parseUpgradeRequest(input, limit);
        switch (parse.status) {
        case UpgradeParse::Status::Incomplete:
            FUZZ_CHECK(size < limit);
            break;
        case UpgradeParse::Status::Complete: {
            FUZZ_CHECK(parse.headBytes >= 4 && parse.headBytes <= size && parse.headBytes <= limit);
            FUZZ_CHECK(input.first(static_cast<qsizetype>(parse.headBytes)).endsWith("\r\n\r\n"));
            FUZZ_CHECK(parse.request.target.startsWith('/'));
            FUZZ_CHECK(parse.request.header("sec-websocket-version") == "13");
            FUZZ_CHECK(parse.request.headers.size() <= 100);
            const auto key = QByteArray::fromBase64Encoding(parse.request.key, QByteArray::AbortOnBase64DecodingErrors);
            FUZZ_CHECK(key && key.decoded.size() == 16);
            FUZZ_CHECK(acceptKey(parse.request.key).size() == 28);
            const QByteArray answer = switchingProtocols(parse.request.key);
            FUZZ_CHECK(answer.startsWith("HTTP/1.1 101 ") && answer.endsWith("\r\n\r\n"));
            // What follows the head (the first frames) never changes how the head reads.
            const UpgradeParse alone = parseUpgradeRequest(input.first(static_cast<qsizetype>(parse.headBytes)), limit);
            FUZZ_CHECK(alone.status == UpgradeParse::Status::Complete && alone.headBytes == parse.headBytes);
            FUZZ_CHECK(alone.request.headers == parse.request.headers);
            FUZZ_CHECK(parse.request.headerCount("authorization") >= 0);
            break;
        }
        case UpgradeParse::Status::TooLarge:
        case UpgradeParse::Status::Malformed:
        case UpgradeParse::Status::WrongVersion:
            break;
        }
    }
    return 0;
}
