// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>
#include <QUrl>
#include <QWebSocket>

#include <optional>

namespace chatterbox::test {

// A real browser for the tests: Debian's Chromium, headless, in a profile of its own, driven over
// the DevTools protocol (a WebSocket to its page). It enforces what a person's browser enforces
// (Content-Security-Policy, form-action on redirects, cookies) where an HTTP client does not, so a
// page that works here works for people.
class HeadlessChromium final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HeadlessChromium)

public:
    HeadlessChromium();
    ~HeadlessChromium() override;

    // Starts the browser with one blank page and connects to it.
    bool start();
    QString error() const { return m_error; }

    // Goes to url and waits until the page has loaded (after any redirects).
    bool navigate(const QUrl &url, int timeoutMs = 15000);
    // The value of a JavaScript expression in the page (promises are awaited).
    std::optional<QJsonValue> evaluate(const QString &expression, int timeoutMs = 10000);
    // Waits until the expression is truthy in the page (it may navigate meanwhile).
    bool waitFor(const QString &expression, int timeoutMs = 15000);
    // Focuses an input (found by CSS selector) and types text into it, as a keyboard does.
    // Returns false when the element is not there.
    bool type(const QString &inputSelector, const QString &text);
    // Enter in the focused field: the browser submits its form itself.
    bool pressEnter();
    // A mouse click in the middle of the element.
    bool click(const QString &selector);

    QUrl url();
    QString visibleText();
    // A picture of the page as it is drawn, as PNG.
    QByteArray screenshot();

    // Errors the browser reported since start() or the last clearLog(): console errors, blocked
    // requests and Content-Security-Policy violations, each as the browser worded it.
    QStringList problems() const { return m_problems; }
    // Every document the page navigated to, in order (redirects included).
    QList<QUrl> documents() const { return m_documents; }
    void clearLog();

Q_SIGNALS:
    void documentRequested(const QUrl &url);

private:
    std::optional<QJsonObject> call(const QString &method, const QJsonObject &params = {}, int timeoutMs = 10000);
    void onMessage(const QString &text);

    QTemporaryDir m_profile;
    QProcess m_process;
    QWebSocket m_socket;
    int m_nextId = 1;
    QHash<int, QJsonObject> m_replies;
    int m_loads = 0;
    QStringList m_problems;
    QList<QUrl> m_documents;
    QString m_error;
};

// Where Chromium is: $CHATTERBOX_TEST_CHROMIUM, else chromium on the PATH; empty when neither.
QString chromiumBinary();

} // namespace chatterbox::test
