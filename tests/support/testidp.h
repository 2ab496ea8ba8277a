// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <nlohmann/json.hpp>

namespace chatterbox::test {

// An identity provider in its own node process on loopback: a real OpenID Connect provider
// (tests/oidc/provider.js, oauth2-mock-server, which signs people in without a page of its own;
// tests/oidc/oidc-provider.mjs, panva's oidc-provider with login and consent pages for a browser)
// or the GitHub fake (tests/oidc/fake-github.js).
class TestIdentityProvider final {
public:
    enum class Kind { Oidc, OidcWithPages, GitHub };
    // options: extra arguments for the provider's script (provider.js: "promise-iss").
    TestIdentityProvider(Kind kind, QString clientId, QString clientSecret, QStringList options = {});
    ~TestIdentityProvider();

    bool start();
    QString error() const { return m_error; }
    // The issuer (OIDC) or base URL (GitHub).
    QString url() const { return m_url; }
    // Who signs in next, and how the provider misbehaves: {"sub": "...", "tamper": "wrong-aud"} etc.
    bool setNext(const nlohmann::json &next);
    // Any of the provider's /__test/ control endpoints.
    bool control(const QString &name, const nlohmann::json &body);

private:
    Kind m_kind;
    QString m_clientId;
    QString m_clientSecret;
    QStringList m_options;
    QProcess m_process;
    QString m_url;
    QString m_error;
};

// Follows one HTTP step without following redirects: (status, Location header, body).
struct HttpStep {
    int status = 0;
    QUrl location;
    QByteArray body;
};
HttpStep httpStep(QNetworkAccessManager &manager, const QByteArray &method, const QUrl &url, const QByteArray &body = {},
                  const QByteArray &contentType = "application/x-www-form-urlencoded");

} // namespace chatterbox::test
