// SPDX-License-Identifier: GPL-3.0-or-later
#include "headlesschromium.h"

#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QStandardPaths>
#include <QTest>
#include <QTimer>

namespace chatterbox::test {

namespace {

// A JavaScript string literal holding text exactly.
QString jsString(const QString &text)
{
    const QByteArray array = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(array.mid(1, array.size() - 2));
}

QByteArray httpGet(const QUrl &url)
{
    QNetworkAccessManager manager;
    QNetworkReply *reply = manager.get(QNetworkRequest(url));
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(10000, &loop, &QEventLoop::quit);
    loop.exec();
    const QByteArray body = reply->readAll();
    reply->deleteLater();
    return body;
}

} // namespace

QString chromiumBinary()
{
    const QString configured = qEnvironmentVariable("CHATTERBOX_TEST_CHROMIUM");
    if (!configured.isEmpty())
        return configured;
    return QStandardPaths::findExecutable(QStringLiteral("chromium"));
}

HeadlessChromium::HeadlessChromium()
{
    connect(&m_socket, &QWebSocket::textMessageReceived, this, &HeadlessChromium::onMessage);
}

HeadlessChromium::~HeadlessChromium()
{
    if (m_socket.state() == QAbstractSocket::ConnectedState)
        m_socket.sendTextMessage(QStringLiteral(R"({"id":0,"method":"Browser.close"})"));
    if (m_process.state() != QProcess::NotRunning && !m_process.waitForFinished(5000)) {
        m_process.terminate();
        if (!m_process.waitForFinished(3000))
            m_process.kill();
        m_process.waitForFinished(3000);
    }
}

bool HeadlessChromium::start()
{
    const QString binary = chromiumBinary();
    if (binary.isEmpty()) {
        m_error = QStringLiteral("chromium is not installed (scripts/install-deps.sh installs Debian's chromium)");
        return false;
    }
    // Flags: a profile of its own, no sandbox (the tests may run as root), and none of Chromium's
    // own calls home, which a closed network refuses slowly.
    const QStringList arguments{
        QStringLiteral("--headless=new"), QStringLiteral("--no-sandbox"), QStringLiteral("--disable-gpu"),
        QStringLiteral("--disable-dev-shm-usage"), QStringLiteral("--no-first-run"), QStringLiteral("--no-default-browser-check"),
        QStringLiteral("--disable-background-networking"), QStringLiteral("--disable-component-update"),
        QStringLiteral("--disable-sync"), QStringLiteral("--disable-quic"), QStringLiteral("--disable-extensions"),
        QStringLiteral("--window-size=1000,800"), QStringLiteral("--remote-debugging-address=127.0.0.1"),
        QStringLiteral("--remote-debugging-port=0"), QStringLiteral("--user-data-dir=") + m_profile.path(),
        QStringLiteral("about:blank")};
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    m_process.start(binary, arguments);
    if (!m_process.waitForStarted(10000)) {
        m_error = QStringLiteral("chromium did not start: ") + m_process.errorString();
        return false;
    }
    // Chromium writes the port it picked into its profile.
    QFile portFile(m_profile.filePath(QStringLiteral("DevToolsActivePort")));
    QByteArray port;
    const bool listening = QTest::qWaitFor([&] {
        if (portFile.open(QIODevice::ReadOnly)) {
            port = portFile.readLine().trimmed();
            portFile.close();
        }
        return !port.isEmpty() || m_process.state() == QProcess::NotRunning;
    }, 30000);
    if (!listening || port.isEmpty()) {
        m_error = QStringLiteral("chromium did not open its DevTools port: ") + QString::fromLocal8Bit(m_process.readAll().right(2000));
        return false;
    }
    const QJsonArray targets = QJsonDocument::fromJson(httpGet(QUrl(QStringLiteral("http://127.0.0.1:%1/json/list").arg(QString::fromLatin1(port))))).array();
    QUrl pageSocket;
    for (const auto &target : targets) {
        if (target.toObject().value(QStringLiteral("type")).toString() == QStringLiteral("page")) {
            pageSocket = QUrl(target.toObject().value(QStringLiteral("webSocketDebuggerUrl")).toString());
            break;
        }
    }
    if (!pageSocket.isValid()) {
        m_error = QStringLiteral("chromium has no page to drive");
        return false;
    }
    m_socket.open(pageSocket);
    if (!QTest::qWaitFor([&] { return m_socket.state() == QAbstractSocket::ConnectedState; }, 10000)) {
        m_error = QStringLiteral("cannot connect to chromium's page: ") + m_socket.errorString();
        return false;
    }
    for (const char *domain : {"Page.enable", "Runtime.enable", "Log.enable", "Network.enable"}) {
        if (!call(QString::fromLatin1(domain))) {
            m_error = QStringLiteral("chromium refused ") + QString::fromLatin1(domain);
            return false;
        }
    }
    return true;
}

std::optional<QJsonObject> HeadlessChromium::call(const QString &method, const QJsonObject &params, int timeoutMs)
{
    const int id = m_nextId++;
    QJsonObject message{{QStringLiteral("id"), id}, {QStringLiteral("method"), method}};
    if (!params.isEmpty())
        message.insert(QStringLiteral("params"), params);
    m_socket.sendTextMessage(QString::fromUtf8(QJsonDocument(message).toJson(QJsonDocument::Compact)));
    if (!QTest::qWaitFor([&] { return m_replies.contains(id) || m_socket.state() != QAbstractSocket::ConnectedState; }, timeoutMs)
        || !m_replies.contains(id))
        return std::nullopt;
    const QJsonObject reply = m_replies.take(id);
    if (reply.contains(QStringLiteral("error"))) {
        m_error = method + QStringLiteral(": ") + reply.value(QStringLiteral("error")).toObject().value(QStringLiteral("message")).toString();
        return std::nullopt;
    }
    return reply.value(QStringLiteral("result")).toObject();
}

void HeadlessChromium::onMessage(const QString &text)
{
    const QJsonObject message = QJsonDocument::fromJson(text.toUtf8()).object();
    if (message.contains(QStringLiteral("id"))) {
        m_replies.insert(message.value(QStringLiteral("id")).toInt(), message);
        return;
    }
    const QString method = message.value(QStringLiteral("method")).toString();
    const QJsonObject params = message.value(QStringLiteral("params")).toObject();
    if (method == QStringLiteral("Page.loadEventFired")) {
        ++m_loads;
    } else if (method == QStringLiteral("Log.entryAdded")) {
        // Where Content-Security-Policy violations and blocked requests are told.
        // Failed loads ("network": a 400 page's own status, the favicon of a listener that has
        // closed) are how pages work, not faults of theirs.
        const QJsonObject entry = params.value(QStringLiteral("entry")).toObject();
        if (entry.value(QStringLiteral("level")).toString() == QStringLiteral("error")
            && entry.value(QStringLiteral("source")).toString() != QStringLiteral("network"))
            m_problems << entry.value(QStringLiteral("source")).toString() + QStringLiteral(": ") + entry.value(QStringLiteral("text")).toString();
    } else if (method == QStringLiteral("Runtime.consoleAPICalled")) {
        if (params.value(QStringLiteral("type")).toString() == QStringLiteral("error")) {
            QStringList parts;
            for (const auto &arg : params.value(QStringLiteral("args")).toArray())
                parts << arg.toObject().value(QStringLiteral("value")).toVariant().toString();
            m_problems << parts.join(QLatin1Char(' '));
        }
    } else if (method == QStringLiteral("Runtime.exceptionThrown")) {
        m_problems << params.value(QStringLiteral("exceptionDetails")).toObject().value(QStringLiteral("text")).toString();
    } else if (method == QStringLiteral("Network.requestWillBeSent")) {
        if (params.value(QStringLiteral("type")).toString() == QStringLiteral("Document")) {
            const QUrl url(params.value(QStringLiteral("request")).toObject().value(QStringLiteral("url")).toString());
            m_documents << url;
            Q_EMIT documentRequested(url);
        }
    } else if (method == QStringLiteral("Network.loadingFailed")) {
        const QString blocked = params.value(QStringLiteral("blockedReason")).toString();
        if (!blocked.isEmpty())
            m_problems << QStringLiteral("request blocked (%1)").arg(blocked);
    }
}

bool HeadlessChromium::navigate(const QUrl &url, int timeoutMs)
{
    const int loads = m_loads;
    const auto reply = call(QStringLiteral("Page.navigate"), {{QStringLiteral("url"), url.toString(QUrl::FullyEncoded)}});
    if (!reply)
        return false;
    if (reply->contains(QStringLiteral("errorText"))) {
        m_error = QStringLiteral("navigation failed: ") + reply->value(QStringLiteral("errorText")).toString();
        return false;
    }
    return QTest::qWaitFor([&] { return m_loads > loads; }, timeoutMs);
}

std::optional<QJsonValue> HeadlessChromium::evaluate(const QString &expression, int timeoutMs)
{
    const auto reply = call(QStringLiteral("Runtime.evaluate"),
                            {{QStringLiteral("expression"), expression}, {QStringLiteral("returnByValue"), true},
                             {QStringLiteral("awaitPromise"), true}},
                            timeoutMs);
    if (!reply || reply->contains(QStringLiteral("exceptionDetails")))
        return std::nullopt;
    return reply->value(QStringLiteral("result")).toObject().value(QStringLiteral("value"));
}

bool HeadlessChromium::waitFor(const QString &expression, int timeoutMs)
{
    return QTest::qWaitFor([&] {
        const auto value = evaluate(QStringLiteral("!!(%1)").arg(expression), 2000);
        return value && value->toBool();
    }, timeoutMs);
}

bool HeadlessChromium::type(const QString &inputSelector, const QString &text)
{
    const auto found = evaluate(QStringLiteral("(() => { const e = document.querySelector(%1); if (!e) return false; e.focus(); e.select && e.select(); return true; })()")
                                    .arg(jsString(inputSelector)));
    return found && found->toBool() && call(QStringLiteral("Input.insertText"), {{QStringLiteral("text"), text}});
}

bool HeadlessChromium::pressEnter()
{
    const QJsonObject enter{{QStringLiteral("key"), QStringLiteral("Enter")}, {QStringLiteral("code"), QStringLiteral("Enter")},
                            {QStringLiteral("windowsVirtualKeyCode"), 13}};
    QJsonObject down = enter;
    down.insert(QStringLiteral("type"), QStringLiteral("keyDown"));
    down.insert(QStringLiteral("text"), QStringLiteral("\r"));
    QJsonObject up = enter;
    up.insert(QStringLiteral("type"), QStringLiteral("keyUp"));
    return call(QStringLiteral("Input.dispatchKeyEvent"), down) && call(QStringLiteral("Input.dispatchKeyEvent"), up);
}

bool HeadlessChromium::click(const QString &selector)
{
    const auto centre = evaluate(QStringLiteral("(() => { const e = document.querySelector(%1); if (!e) return null; e.scrollIntoView();"
                                                " const r = e.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()")
                                     .arg(jsString(selector)));
    if (!centre || !centre->isArray())
        return false;
    const double x = centre->toArray().at(0).toDouble(), y = centre->toArray().at(1).toDouble();
    for (const char *type : {"mousePressed", "mouseReleased"}) {
        if (!call(QStringLiteral("Input.dispatchMouseEvent"),
                  {{QStringLiteral("type"), QString::fromLatin1(type)}, {QStringLiteral("x"), x}, {QStringLiteral("y"), y},
                   {QStringLiteral("button"), QStringLiteral("left")}, {QStringLiteral("clickCount"), 1}}))
            return false;
    }
    return true;
}

QUrl HeadlessChromium::url()
{
    const auto value = evaluate(QStringLiteral("location.href"));
    return value ? QUrl(value->toString()) : QUrl();
}

QString HeadlessChromium::visibleText()
{
    const auto value = evaluate(QStringLiteral("document.body ? document.body.innerText : ''"));
    return value ? value->toString() : QString();
}

QByteArray HeadlessChromium::screenshot()
{
    const auto reply = call(QStringLiteral("Page.captureScreenshot"), {{QStringLiteral("format"), QStringLiteral("png")}});
    return reply ? QByteArray::fromBase64(reply->value(QStringLiteral("data")).toString().toLatin1()) : QByteArray();
}

void HeadlessChromium::clearLog()
{
    m_problems.clear();
    m_documents.clear();
}

} // namespace chatterbox::test
