#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QUrl>

namespace chatterbox::app {

// A message pipe to the server. The app uses a WebSocket; unit tests use an in-process fake.
class Transport : public QObject {
    Q_OBJECT

public:
    using QObject::QObject;
    ~Transport() override = default;

    virtual void open(const QUrl &url, const QByteArray &accessToken) = 0;
    virtual void sendText(const QString &text) = 0;
    virtual void close() = 0;

Q_SIGNALS:
    void opened();
    void textReceived(const QString &text);
    // code is the WebSocket close code (1006 when the connection just dropped).
    void closed(int code, const QString &reason);
};

// Opens a URL in the system browser. The widgets layer implements it with QDesktopServices;
// tests follow the redirects themselves.
class UrlOpener {
public:
    virtual ~UrlOpener() = default;
    virtual bool openUrl(const QUrl &url) = 0;
};

} // namespace chatterbox::app
