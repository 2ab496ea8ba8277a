// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QUrl>

#include <functional>

namespace chatterbox::app {

// A message pipe to the server. The app uses a WebSocket; unit tests use an in-process fake.
class Transport : public QObject {
    Q_OBJECT

public:
    using QObject::QObject;
    ~Transport() override = default;

    virtual void open(const QUrl &url, const QByteArray &accessToken) = 0;
    virtual void sendText(const QString &text) = 0;
    // A WebSocket ping; the answer comes as pongReceived().
    virtual void ping() = 0;
    // Ends the connection now; closed() follows, unless it never opened.
    virtual void close() = 0;

Q_SIGNALS:
    void opened();
    void pongReceived();
    void textReceived(const QString &text);
    // code is the WebSocket close code (1006 when the connection just dropped).
    void closed(int code, const QString &reason);
};

// What the connection needs from a signed-in session. Session is the real one; unit tests
// use a fake so that a connection can be tested without a server.
class TokenSource {
public:
    virtual ~TokenSource() = default;
    virtual bool isSignedIn() const = 0;
    virtual QByteArray currentAccessToken() const = 0;
    virtual QUrl webSocketUrl() const = 0;
    // Gets a new access token; done(false) when the sign-in is over.
    virtual void refreshAccess(std::function<void(bool ok)> done) = 0;
};

// Opens a URL in the person's web browser. The widgets layer implements it (SystemBrowser); tests
// drive a real browser or follow the redirects themselves.
class UrlOpener {
public:
    // Called once: whether a browser took the address, and if not, what went wrong, for people.
    // A browser that started but cannot show the page is not always known here, so the sign-in
    // page also offers the address to open by hand.
    using Done = std::function<void(bool opened, const QString &problem)>;

    virtual ~UrlOpener() = default;
    virtual void openUrl(const QUrl &url, Done done) = 0;
};

} // namespace chatterbox::app
