// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/ws/wshandshake.h"

#include <QCryptographicHash>
#include <QList>

#include <algorithm>

namespace chatterbox::ws {

namespace {

constexpr QByteArrayView kGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

// True when a comma-separated header value lists `token` (case-insensitive), as
// "Connection: keep-alive, Upgrade" does.
bool listsToken(const QByteArray &value, QByteArrayView token)
{
    for (const QByteArray &item : value.split(',')) {
        if (item.trimmed().compare(token, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

bool isTokenChar(char c)
{
    // RFC 9110 §5.6.2 tchar.
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

UpgradeParse malformed(const char *problem)
{
    UpgradeParse parse;
    parse.status = UpgradeParse::Status::Malformed;
    parse.problem = problem;
    return parse;
}

} // namespace

QByteArray UpgradeRequest::header(QByteArrayView name) const
{
    for (const auto &[headerName, value] : headers) {
        if (headerName.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

int UpgradeRequest::headerCount(QByteArrayView name) const
{
    int count = 0;
    for (const auto &header : headers)
        count += header.first.compare(name, Qt::CaseInsensitive) == 0 ? 1 : 0;
    return count;
}

UpgradeParse parseUpgradeRequest(QByteArrayView data, std::size_t maxHeadBytes)
{
    const qsizetype end = data.indexOf(QByteArrayView("\r\n\r\n"));
    if (end < 0 || static_cast<std::size_t>(end) + 4 > maxHeadBytes) {
        UpgradeParse parse;
        if (static_cast<std::size_t>(data.size()) >= maxHeadBytes || end >= 0)
            parse.status = UpgradeParse::Status::TooLarge;
        return parse;
    }
    const QList<QByteArray> lines = data.first(end).toByteArray().split('\n');
    const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
    if (requestLine.size() != 3 || requestLine[0] != "GET" || !requestLine[1].startsWith('/'))
        return malformed("not a GET request");
    if (requestLine[2] != "HTTP/1.1")
        return malformed("not HTTP/1.1");

    UpgradeParse parse;
    parse.request.target = requestLine[1];
    for (qsizetype i = 1; i < lines.size(); ++i) {
        QByteArray line = lines[i];
        if (line.endsWith('\r'))
            line.chop(1);
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return malformed("header line without a name");
        const QByteArray name = line.left(colon);
        if (!std::all_of(name.begin(), name.end(), isTokenChar))
            return malformed("bad header name");
        parse.request.headers.emplace_back(name, line.mid(colon + 1).trimmed());
        if (parse.request.headers.size() > 100)
            return malformed("too many headers");
    }
    const UpgradeRequest &request = parse.request;
    if (request.header("Host").isEmpty())
        return malformed("no Host header");
    if (!listsToken(request.header("Upgrade"), "websocket") || !listsToken(request.header("Connection"), "upgrade"))
        return malformed("not a WebSocket upgrade");
    parse.request.key = request.header("Sec-WebSocket-Key");
    const auto decoded = QByteArray::fromBase64Encoding(parse.request.key, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.size() != 16)
        return malformed("Sec-WebSocket-Key is not 16 bytes in base64");
    if (request.header("Sec-WebSocket-Version") != "13") {
        parse.status = UpgradeParse::Status::WrongVersion;
        parse.problem = "only WebSocket version 13 is spoken";
        return parse;
    }
    parse.status = UpgradeParse::Status::Complete;
    parse.headBytes = static_cast<std::size_t>(end) + 4;
    return parse;
}

QByteArray acceptKey(QByteArrayView key)
{
    QCryptographicHash hash(QCryptographicHash::Sha1);
    hash.addData(key);
    hash.addData(kGuid);
    return hash.result().toBase64();
}

QByteArray switchingProtocols(QByteArrayView key)
{
    return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "
           + acceptKey(key) + "\r\n\r\n";
}

QByteArray httpRefusal(int status, const char *reason, QByteArrayView body, QByteArrayView extraHeaders)
{
    return "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason + "\r\n" + extraHeaders.toByteArray()
           + "Content-Type: text/plain; charset=utf-8\r\nContent-Length: " + QByteArray::number(body.size())
           + "\r\nConnection: close\r\n\r\n" + body.toByteArray();
}

} // namespace chatterbox::ws
