// SPDX-License-Identifier: GPL-3.0-or-later
//
// The HTTP/1.1 request parser (head and body) and the form and percent decoding behind it, fed
// any bytes a client could send. A request it accepts is the same when the bytes after it are
// cut off (so pipelined requests cannot bleed into each other), stays within the limits, has a
// path with no NUL in it, and every refusal has a status code and a reason.

#include "server/http/httpparser.h"
#include "tests/fuzz/fuzzcheck.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

using namespace chatterbox::server::http;

namespace {

void checkOne(std::string_view input, const ParseLimits &limits)
{
    const Parse parse = parseRequest(input, limits);
    const int status = statusFor(parse.status);
    switch (parse.status) {
    case Parse::Status::Incomplete:
        FUZZ_CHECK(status == 0);
        FUZZ_CHECK(input.size() < limits.maxHeadBytes + limits.maxBodyBytes + 4);
        return;
    case Parse::Status::Complete:
        break;
    default:
        FUZZ_CHECK(status >= 400 && status < 600);
        FUZZ_CHECK(parse.problem != nullptr && parse.problem[0] != '\0');
        FUZZ_CHECK(reasonPhrase(status)[0] != '\0');
        return;
    }
    FUZZ_CHECK(status == 0);
    FUZZ_CHECK(parse.consumed > 0 && parse.consumed <= input.size());
    const Request &request = parse.request;
    FUZZ_CHECK(!request.method.empty());
    FUZZ_CHECK(request.body.size() <= limits.maxBodyBytes);
    FUZZ_CHECK(request.headers.size() <= limits.maxHeaders);
    FUZZ_CHECK(request.path.find('\0') == std::string::npos);
    for (const auto &[name, value] : request.headers) {
        FUZZ_CHECK(!name.empty());
        for (const char c : name)
            FUZZ_CHECK(!(c >= 'A' && c <= 'Z'));
        (void)value;
    }
    (void)request.mediaType();

    const Parse alone = parseRequest(input.substr(0, parse.consumed), limits);
    FUZZ_CHECK(alone.status == Parse::Status::Complete && alone.consumed == parse.consumed);
    FUZZ_CHECK(alone.request.target == request.target && alone.request.headers == request.headers
               && alone.request.body == request.body && alone.request.params == request.params);

    // A response to it serializes to one well-formed head.
    Response response;
    response.setContent(request.path, "text/plain");
    const std::string wire = response.serialize(true);
    FUZZ_CHECK(wire.rfind("HTTP/1.1 200 ", 0) == 0 && wire.find("\r\n\r\n") != std::string::npos);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string_view input(reinterpret_cast<const char *>(data), size);
    checkOne(input, ParseLimits{});
    // Small limits, so that inputs libFuzzer can reach cross them.
    checkOne(input, ParseLimits{.maxHeadBytes = 96, .maxBodyBytes = 16, .maxHeaders = 4});

    std::string decoded;
    if (percentDecode(input, decoded, true))
        FUZZ_CHECK(decoded.size() <= input.size());
    for (const auto &[name, value] : parseForm(input))
        FUZZ_CHECK(name.size() + value.size() <= input.size());
    return 0;
}
