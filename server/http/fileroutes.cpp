// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/http/fileroutes.h"

#include "server/auth/crypto.h"
#include "server/auth/httpfetch.h"
#include "server/auth/tokens.h"
#include "server/db/connectionpool.h"
#include "server/files/filestore.h"
#include "server/http/httpparser.h"
#include "server/http/httprouter.h"
#include "server/logging.h"
#include "shared/limits.h"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace chatterbox::server {

namespace {

using nlohmann::json;

constexpr const char *kFilePath = R"(/files/([0-9a-f-]{36}))";
constexpr std::size_t kMaxDeclarationBytes = 128 * 1024;   // the JSON of POST /files, with its thumbnail

void sendJson(http::Response &res, int status, const json &body)
{
    res.status = status;
    res.setHeader("Cache-Control", "no-store");
    res.setContent(body.dump(), "application/json");
}

void sendError(http::Response &res, int status, const std::string &code, const std::string &message)
{
    sendJson(res, status, {{"error", code}, {"message", message}});
}

void sendRefusal(http::Response &res, const files::FileRefusal &refusal)
{
    json body{{"error", refusal.code}, {"message", refusal.message}};
    if (refusal.offset >= 0)
        body["offset"] = refusal.offset;
    sendJson(res, refusal.status, body);
}

void sendState(http::Response &res, int status, const files::UploadState &state)
{
    sendJson(res, status, {{"id", state.fileId}, {"size", state.size}, {"offset", state.received}, {"complete", state.complete()},
                           {"pieceBytes", limits::kMaxUploadPieceBytes}});
}

// The types a file is served as: images, which the app shows. Anything else is bytes to save.
std::string servedType(const std::string &declared)
{
    for (const char *image : {"image/png", "image/jpeg", "image/gif", "image/webp"}) {
        if (declared == image)
            return declared;
    }
    return "application/octet-stream";
}

// RFC 6266: an ASCII fallback and the UTF-8 name (RFC 8187).
std::string attachment(const std::string &name)
{
    std::string ascii;
    for (unsigned char c : name)
        ascii += (c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '%') ? '_' : static_cast<char>(c);
    return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + percentEncode(name);
}

// What keeps a file from acting as a page of this server, whatever it holds and however it is
// opened: never sniffed, always a download, and sandboxed with nothing allowed if a browser
// renders it anyway.
void guard(http::Response &res, const std::string &name)
{
    res.setHeader("Content-Disposition", attachment(name));
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Content-Security-Policy", "sandbox; default-src 'none'; frame-ancestors 'none'");
    res.setHeader("Cross-Origin-Resource-Policy", "same-origin");
    res.setHeader("Referrer-Policy", "no-referrer");
    res.setHeader("Cache-Control", "private, no-store");
}

std::string trimmedToken(std::string token)
{
    while (!token.empty() && token.front() == ' ')
        token.erase(0, 1);
    while (!token.empty() && token.back() == ' ')
        token.pop_back();
    return token;
}

// A whole number of digits only, that fits.
bool digits(std::string_view text, std::int64_t &out)
{
    if (text.empty() || text.size() > 18 || !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return false;
    return std::from_chars(text.data(), text.data() + text.size(), out).ec == std::errc();
}

// "bytes=a-b", "bytes=a-" (RFC 9110 §14.1.2), one range. Nothing for a header that is not one
// such range (the whole file is the answer then, as RFC 9110 allows), {-1, -1} for a range that
// starts past the end (416).
std::optional<std::pair<std::int64_t, std::int64_t>> byteRange(const std::string &header, std::int64_t size)
{
    const std::string_view prefix = "bytes=";
    if (header.rfind(prefix, 0) != 0)
        return std::nullopt;
    const std::string_view spec = std::string_view(header).substr(prefix.size());
    const auto dash = spec.find('-');
    std::int64_t first = 0;
    std::int64_t last = size - 1;
    if (dash == std::string_view::npos || !digits(spec.substr(0, dash), first))
        return std::nullopt;
    if (dash + 1 < spec.size() && !digits(spec.substr(dash + 1), last))
        return std::nullopt;
    if (first >= size)
        return std::pair<std::int64_t, std::int64_t>{-1, -1};
    if (last < first)
        return std::nullopt;
    return std::pair<std::int64_t, std::int64_t>{first, std::min(last, size - 1)};
}

} // namespace

void FileRoutes::allowBodies(http::ParseLimits &limits)
{
    limits.largeBodies.push_back({"POST", "/files", kMaxDeclarationBytes});
    limits.largeBodies.push_back({"PATCH", "/files/", limits::kMaxUploadPieceBytes});
}

std::optional<std::string> FileRoutes::callerOf(const http::Request &req) const
{
    const std::string authorization = req.header("authorization");
    std::optional<AccessClaims> claims;
    // The scheme in any letter case (RFC 9110 §11.1), as the WebSocket upgrade takes it.
    if (req.headerCount("authorization") == 1 && authorization.size() > 7 && authorization[6] == ' '
        && std::equal(authorization.begin(), authorization.begin() + 6, "bearer",
                      [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; }))
        claims = tokens.verifyAccessToken(trimmedToken(authorization.substr(7)));
    if (!claims)
        return std::nullopt;
    return claims->userId;
}

namespace {

void sendUnauthorized(http::Response &res)
{
    res.setHeader("WWW-Authenticate", "Bearer");
    sendError(res, 401, "unauthorized", "a valid access token is required (Authorization: Bearer ...)");
}

} // namespace

std::optional<http::Response> FileRoutes::refuseEarly(const http::Request &head) const
{
    if (callerOf(head))
        return std::nullopt;
    http::Response res;
    sendUnauthorized(res);
    return res;
}

void FileRoutes::install(http::Router &router)
{
    // The person a request is from, or an answer saying it needs one.
    const auto caller = [this](const http::Request &req, http::Response &res) -> std::optional<std::string> {
        auto user = callerOf(req);
        if (!user)
            sendUnauthorized(res);
        return user;
    };
    // A transaction on a pooled connection; a connection that failed is not reused.
    const auto inTransaction = [this](auto work) {
        auto lease = pool.acquire();
        try {
            pqxx::work tx(*lease);
            work(tx);
        } catch (...) {
            lease.discard();
            throw;
        }
    };

    router.post("/files", [=, this](const http::Request &req, http::Response &res) {
        const auto user = caller(req, res);
        if (!user)
            return;
        const json body = json::parse(req.body, nullptr, false);
        files::NewFile file;
        try {
            if (!body.is_object())
                return sendError(res, 400, "invalid_request", "send a JSON object: name, type, size");
            // Whole numbers only: 1.5 bytes is a mistake to name, not to round.
            const auto whole = [&](const char *key) {
                if (!body.at(key).is_number_integer())
                    throw json::type_error::create(302, std::string(key) + " must be a whole number", nullptr);
                return body.at(key).get<std::int64_t>();
            };
            file.name = body.at("name").get<std::string>();
            file.mediaType = body.at("type").get<std::string>();
            file.size = whole("size");
            if (body.contains("width"))
                file.width = static_cast<int>(std::clamp<std::int64_t>(whole("width"), -1, limits::kMaxImageSide + 1));
            if (body.contains("height"))
                file.height = static_cast<int>(std::clamp<std::int64_t>(whole("height"), -1, limits::kMaxImageSide + 1));
            if (body.contains("thumbnail")) {
                const auto thumbnail = crypto::base64UrlDecode(body.at("thumbnail").get<std::string>());
                if (!thumbnail)
                    return sendError(res, 400, "invalid_request", "the thumbnail must be base64url");
                file.thumbnail = *thumbnail;
                file.thumbnailType = body.value("thumbnailType", std::string());
            }
        } catch (const json::exception &) {
            return sendError(res, 400, "invalid_request", "name and type must be strings, size, width and height whole numbers");
        }
        inTransaction([&](pqxx::work &tx) {
            const auto begun = files.begin(tx, *user, file);
            if (!begun)
                return sendRefusal(res, begun.refusal);
            tx.commit();
            res.setHeader("Location", "/files/" + begun.value->fileId);
            sendState(res, 201, *begun.value);
        });
    });

    router.patch(kFilePath, [=, this](const http::Request &req, http::Response &res) {
        const auto user = caller(req, res);
        if (!user)
            return;
        const std::string offsetText = req.header("upload-offset");
        std::int64_t offset = -1;
        if (req.headerCount("upload-offset") != 1
            || std::from_chars(offsetText.data(), offsetText.data() + offsetText.size(), offset).ptr != offsetText.data() + offsetText.size()
            || offset < 0)
            return sendError(res, 400, "invalid_request", "send the piece's place in the file as Upload-Offset: <bytes>");
        inTransaction([&](pqxx::work &tx) {
            const auto appended = files.append(tx, *user, req.matches[1], offset, req.body);
            if (!appended)
                return sendRefusal(res, appended.refusal);
            tx.commit();
            sendState(res, 200, *appended.value);
        });
    });

    router.get(std::string(kFilePath) + "/upload", [=, this](const http::Request &req, http::Response &res) {
        const auto user = caller(req, res);
        if (!user)
            return;
        inTransaction([&](pqxx::work &tx) {
            const auto state = files.status(tx, *user, req.matches[1]);
            if (!state)
                return sendError(res, 404, "not_found", "no such file");
            sendState(res, 200, *state);
        });
    });

    router.get(kFilePath, [=, this](const http::Request &req, http::Response &res) {
        const auto user = caller(req, res);
        if (!user)
            return;
        inTransaction([&](pqxx::work &tx) {
            const auto file = files.readable(tx, *user, req.matches[1]);
            if (!file)
                return sendError(res, 404, "not_found", "no such file");
            guard(res, file->name);
            res.setHeader("Accept-Ranges", "bytes");
            std::int64_t from = 0;
            std::int64_t to = file->size;
            if (const auto range = byteRange(req.header("range"), file->size)) {
                if (range->first < 0) {
                    res.setHeader("Content-Range", "bytes */" + std::to_string(file->size));
                    return sendError(res, 416, "invalid_request", "the range is outside the file");
                }
                from = range->first;
                to = range->second + 1;
                res.status = 206;
                res.setHeader("Content-Range", "bytes " + std::to_string(from) + "-" + std::to_string(to - 1) + "/" + std::to_string(file->size));
            }
            if (req.method == "HEAD") {
                // The headers alone: nothing read.
                res.setHeader("Content-Type", servedType(file->mediaType));
                res.headLength = static_cast<std::size_t>(to - from);
                return;
            }
            // Room for it in memory until it is written, or 503: a client that reads slowly, or
            // many at once, holds at most the budget.
            res.hold = downloads->take(req.clientAddress, static_cast<std::size_t>(to - from));
            if (!res.hold && to > from) {
                res.setHeader("Retry-After", "5");
                return sendError(res, 503, "busy", "too many downloads at once; try again in a moment");
            }
            res.setContent(files.read(tx, *file, from, to), servedType(file->mediaType));
        });
    });

    router.get(std::string(kFilePath) + "/thumbnail", [=, this](const http::Request &req, http::Response &res) {
        const auto user = caller(req, res);
        if (!user)
            return;
        inTransaction([&](pqxx::work &tx) {
            const auto file = files.readable(tx, *user, req.matches[1]);
            if (!file || file->thumbnail.empty())
                return sendError(res, 404, "not_found", "no such thumbnail");
            guard(res, "thumbnail-" + file->name);
            res.setContent(file->thumbnail, file->thumbnailType);
        });
    });
}

} // namespace chatterbox::server
