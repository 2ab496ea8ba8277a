// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/auth/httpfetch.h"

#include <httplib.h>

namespace chatterbox::server {

namespace {

constexpr std::size_t kMaxResponseBytes = 1024 * 1024;

// "https://host:port/path?q" -> ("https://host:port", "/path?q")
std::pair<std::string, std::string> split(const std::string &url)
{
    const auto scheme = url.find("://");
    if (scheme == std::string::npos)
        return {};
    const auto path = url.find('/', scheme + 3);
    if (path == std::string::npos)
        return {url, "/"};
    return {url.substr(0, path), url.substr(path)};
}

httplib::Headers toHeaders(const Headers &headers)
{
    httplib::Headers out;
    for (const auto &[name, value] : headers)
        out.emplace(name, value);
    out.emplace("User-Agent", "chatterbox-server");
    return out;
}

template <typename Call>
FetchResult run(const std::string &url, Call call)
{
    const auto [base, path] = split(url);
    if (base.empty())
        return {0, {}, "not a URL: " + url};
    httplib::Client client(base);
    client.set_connection_timeout(5, 0);
    client.set_read_timeout(10, 0);
    client.set_write_timeout(10, 0);
    client.set_follow_location(false);
    if (base.rfind("https://", 0) == 0)
        client.enable_server_certificate_verification(true);
    std::string body;
    bool tooLarge = false;
    auto result = call(client, path, [&](const char *data, std::size_t length) {
        if (body.size() + length > kMaxResponseBytes) {
            tooLarge = true;
            return false;
        }
        body.append(data, length);
        return true;
    });
    if (tooLarge)
        return {0, {}, "response from " + base + " is too large"};
    if (!result)
        return {0, {}, "no answer from " + base + ": " + httplib::to_string(result.error())};
    return {result->status, body.empty() ? result->body : body, {}};
}

} // namespace

FetchResult httpGet(const std::string &url, const Headers &headers)
{
    return run(url, [&](httplib::Client &client, const std::string &path, auto receiver) {
        return client.Get(path, toHeaders(headers), receiver);
    });
}

FetchResult httpPostForm(const std::string &url, const std::string &form, const Headers &headers)
{
    return run(url, [&](httplib::Client &client, const std::string &path, auto) {
        return client.Post(path, toHeaders(headers), form, "application/x-www-form-urlencoded");
    });
}

std::string percentEncode(const std::string &text)
{
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

std::string formEncode(const std::vector<std::pair<std::string, std::string>> &fields)
{
    std::string out;
    for (const auto &[name, value] : fields) {
        if (!out.empty())
            out += '&';
        out += percentEncode(name) + '=' + percentEncode(value);
    }
    return out;
}

} // namespace chatterbox::server
