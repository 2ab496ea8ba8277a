// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/core/serverinfo.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>

namespace chatterbox::app {

QUrl normalizeServerUrl(const QString &typed)
{
    QString text = typed.trimmed();
    if (text.isEmpty() || text.size() > 2048)
        return {};
    if (!text.contains(QStringLiteral("://")))
        text.prepend(QStringLiteral("https://"));
    QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != QStringLiteral("https") && url.scheme() != QStringLiteral("http"))
        || url.host().isEmpty() || !url.userInfo().isEmpty() || url.hasQuery() || url.hasFragment())
        return {};
    // Encoded, so that the escapes in the address stay as typed (%2F is not a separator).
    QString path = url.path(QUrl::FullyEncoded);
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    url.setPath(path, QUrl::StrictMode);
    return url;
}

void fetchServerInfo(QNetworkAccessManager &network, const QUrl &baseUrl,
                     std::function<void(const ServerInfo *info, const QString &error)> done)
{
    QUrl url = baseUrl;
    url.setPath(baseUrl.path() + QStringLiteral("/.well-known/chatterbox"));
    QNetworkRequest request(url);
    request.setTransferTimeout(15000);
    QNetworkReply *reply = network.get(request);
    QObject::connect(reply, &QNetworkReply::finished, reply, [reply, baseUrl, done] {
        reply->deleteLater();
        if (reply->error() != QNetworkReply::NoError) {
            done(nullptr, QStringLiteral("Could not reach %1 (%2). Check the address and your connection.")
                              .arg(baseUrl.host(), reply->errorString()));
            return;
        }
        const QJsonObject json = QJsonDocument::fromJson(reply->read(256 * 1024)).object();
        ServerInfo info;
        info.baseUrl = baseUrl;
        info.protocol = json.value(QStringLiteral("protocol")).toInt();
        info.webSocketUrl = QUrl(json.value(QStringLiteral("websocket")).toString());
        const auto endpoint = [&](const char *key, const char *fallback) {
            QUrl u = baseUrl;
            u.setPath(baseUrl.path() + json.value(QLatin1String(key)).toString(QLatin1String(fallback)));
            return u;
        };
        info.authorizeUrl = endpoint("authorization_endpoint", "/oauth/authorize");
        info.tokenUrl = endpoint("token_endpoint", "/oauth/token");
        info.revokeUrl = endpoint("revocation_endpoint", "/oauth/revoke");
        for (const auto &p : json.value(QStringLiteral("providers")).toArray()) {
            const QJsonObject o = p.toObject();
            info.providers.append({o.value(QStringLiteral("id")).toString(), o.value(QStringLiteral("name")).toString(),
                                   o.value(QStringLiteral("type")).toString()});
        }
        const QString scheme = info.webSocketUrl.scheme();
        if (info.protocol < 1 || !info.webSocketUrl.isValid() || (scheme != QStringLiteral("ws") && scheme != QStringLiteral("wss"))) {
            done(nullptr, QStringLiteral("%1 does not look like a Chatterbox server.").arg(baseUrl.host()));
            return;
        }
        done(&info, {});
    });
}

} // namespace chatterbox::app
