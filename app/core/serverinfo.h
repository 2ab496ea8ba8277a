// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>
#include <QUrl>

#include <functional>

class QNetworkAccessManager;

namespace chatterbox::app {

struct SignInProvider {
    QString id;
    QString name;
    QString type;   // oidc, github, dev
};

// What /.well-known/chatterbox says about a server.
struct ServerInfo {
    QUrl baseUrl;
    QUrl webSocketUrl;
    int protocol = 0;
    QList<SignInProvider> providers;
    QUrl authorizeUrl;
    QUrl tokenUrl;
    QUrl revokeUrl;
};

// A server address as a person types it: "chat.example.org", "http://127.0.0.1:8080/".
// Returns an empty URL when it cannot be one.
QUrl normalizeServerUrl(const QString &typed);

// Reads discovery. The callback gets the info, or an error that says what to do.
void fetchServerInfo(QNetworkAccessManager &network, const QUrl &baseUrl,
                     std::function<void(const ServerInfo *info, const QString &error)> done);

} // namespace chatterbox::app
