// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/http/httpmessage.h"

#include <algorithm>
#include <cctype>

namespace chatterbox::server::http {

namespace {

bool equalsIgnoringCase(std::string_view a, std::string_view b)
{
    return a.size() == b.size()
           && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y)); });
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

} // namespace

std::string Request::header(std::string_view name) const
{
    for (const auto &[key, value] : headers) {
        if (equalsIgnoringCase(key, name))
            return value;
    }
    return {};
}

std::size_t Request::headerCount(std::string_view name) const
{
    return static_cast<std::size_t>(std::count_if(headers.begin(), headers.end(), [&](const auto &h) { return equalsIgnoringCase(h.first, name); }));
}

std::string Request::param(std::string_view name) const
{
    const auto it = params.find(std::string(name));
    return it == params.end() ? std::string() : it->second;
}

bool Request::hasParam(std::string_view name) const
{
    return params.count(std::string(name)) > 0;
}

std::string Request::mediaType() const
{
    std::string type = header("content-type");
    type = type.substr(0, type.find(';'));
    while (!type.empty() && (type.back() == ' ' || type.back() == '\t'))
        type.pop_back();
    std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return type;
}

void Response::setHeader(std::string name, std::string value)
{
    for (auto &[key, existing] : headers) {
        if (equalsIgnoringCase(key, name)) {
            existing = std::move(value);
            return;
        }
    }
    headers.emplace_back(std::move(name), std::move(value));
}

void Response::setContent(std::string content, std::string contentType)
{
    body = std::move(content);
    setHeader("Content-Type", std::move(contentType));
}

std::string Response::serialize(bool keepAlive) const
{
    std::string out = "HTTP/1.1 " + std::to_string(status) + ' ' + reasonPhrase(status) + "\r\n";
    for (const auto &[name, value] : headers) {
        // A value that came from outside must not start a header of its own.
        if (value.find_first_of("\r\n") != std::string::npos)
            continue;
        out += name + ": " + value + "\r\n";
    }
    out += "Content-Length: " + std::to_string(headOnly && headLength ? *headLength : body.size()) + "\r\n";
    out += keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n";
    if (!headOnly)
        out += body;
    return out;
}

const char *reasonPhrase(int status)
{
    switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 206: return "Partial Content";
    case 302: return "Found";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 411: return "Length Required";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 416: return "Range Not Satisfiable";
    case 421: return "Misdirected Request";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return "Unknown";
    }
}

bool percentDecode(std::string_view text, std::string &out, bool plusIsSpace)
{
    out.clear();
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '%') {
            if (i + 2 >= text.size())
                return false;
            const int high = hexValue(text[i + 1]);
            const int low = hexValue(text[i + 2]);
            if (high < 0 || low < 0)
                return false;
            out += static_cast<char>(high * 16 + low);
            i += 2;
        } else if (c == '+' && plusIsSpace) {
            out += ' ';
        } else {
            out += c;
        }
    }
    return true;
}

std::multimap<std::string, std::string> parseForm(std::string_view text)
{
    std::multimap<std::string, std::string> out;
    while (!text.empty()) {
        const auto amp = text.find('&');
        const std::string_view pair = text.substr(0, amp);
        text = amp == std::string_view::npos ? std::string_view() : text.substr(amp + 1);
        if (pair.empty())
            continue;
        const auto eq = pair.find('=');
        std::string key, value;
        // A broken escape drops the pair rather than guessing what it meant.
        if (!percentDecode(pair.substr(0, eq), key, true)
            || !percentDecode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), value, true))
            continue;
        out.emplace(std::move(key), std::move(value));
    }
    return out;
}

} // namespace chatterbox::server::http
