// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The server's file routes over HTTP, as an app (or an attacker's client) calls them: declare an
// upload, send its pieces, read a file (docs/protocol.md, "Files").

#include "support/testserver.h"

#include <QMap>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTest>

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace chatterbox::test {

using nlohmann::json;

struct Reply {
    int status = 0;
    QByteArray body;
    QMap<QByteArray, QByteArray> headers;   // names in lower case
    json data() const { return json::parse(body.toStdString(), nullptr, false); }
};

class Http {
public:
    explicit Http(const TestServer &server) : m_server(server) {}

    Reply send(const QByteArray &method, const QString &path, const QByteArray &token, const QByteArray &body = {},
               const QList<std::pair<QByteArray, QByteArray>> &headers = {})
    {
        return finish(start(method, path, token, body, headers));
    }

    QNetworkReply *start(const QByteArray &method, const QString &path, const QByteArray &token, const QByteArray &body = {},
                         const QList<std::pair<QByteArray, QByteArray>> &headers = {})
    {
        QNetworkRequest request(m_server.httpUrl(path));
        if (!token.isEmpty())
            request.setRawHeader("Authorization", "Bearer " + token);
        if (method == "POST")
            request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
        else if (method == "PATCH")
            request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/offset+octet-stream"));
        for (const auto &[name, value] : headers)
            request.setRawHeader(name, value);
        return m_network.sendCustomRequest(request, method, body);
    }

    static Reply finish(QNetworkReply *reply)
    {
        (void)QTest::qWaitFor([&] { return reply->isFinished(); }, 30000);
        Reply r{reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll(), {}};
        for (const auto &[name, value] : reply->rawHeaderPairs())
            r.headers.insert(name.toLower(), value);
        reply->deleteLater();
        return r;
    }

    Reply declare(const QByteArray &token, json file) { return send("POST", QStringLiteral("/files"), token, QByteArray::fromStdString(file.dump())); }

    Reply piece(const QByteArray &token, const std::string &id, std::int64_t offset, std::string_view bytes)
    {
        return send("PATCH", QStringLiteral("/files/") + QString::fromStdString(id), token,
                    QByteArray(bytes.data(), static_cast<qsizetype>(bytes.size())), {{"Upload-Offset", QByteArray::number(offset)}});
    }

    // Declares and sends every piece; the file's id, or empty.
    std::string upload(const QByteArray &token, const std::string &bytes, json file = json::object())
    {
        if (!file.contains("name"))
            file["name"] = "notes.bin";
        if (!file.contains("type"))
            file["type"] = "application/octet-stream";
        file["size"] = bytes.size();
        const Reply begun = declare(token, file);
        if (begun.status != 201) {
            qWarning("POST /files: %d %s", begun.status, begun.body.constData());
            return {};
        }
        const std::string id = begun.data()["id"];
        const auto pieceBytes = begun.data()["pieceBytes"].get<std::size_t>();
        for (std::size_t at = 0; at < bytes.size(); at += pieceBytes) {
            if (piece(token, id, static_cast<std::int64_t>(at), std::string_view(bytes).substr(at, pieceBytes)).status != 200)
                return {};
        }
        return id;
    }

    Reply download(const QByteArray &token, const std::string &id, const QString &suffix = {})
    {
        return send("GET", QStringLiteral("/files/") + QString::fromStdString(id) + suffix, token);
    }

private:
    const TestServer &m_server;
    QNetworkAccessManager m_network;
};

} // namespace chatterbox::test
