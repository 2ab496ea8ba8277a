// SPDX-License-Identifier: GPL-3.0-or-later
#include "testserver.h"

#include "testidp.h"

#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QTest>
#include <QTimer>

namespace chatterbox::test {

TestServer::TestServer(std::string databaseUrl, QStringList extraArguments)
    : m_databaseUrl(std::move(databaseUrl)), m_extra(std::move(extraArguments))
{
    m_process.setProcessChannelMode(QProcess::MergedChannels);
}

TestServer::~TestServer()
{
    stop();
}

bool TestServer::restart()
{
    stop();
    return start();
}

bool TestServer::start()
{
    // Once it has ports, it keeps them (a restart must be reachable where it was).
    const QString http = m_httpUrl.isValid() ? QStringLiteral("127.0.0.1:%1").arg(m_httpUrl.port()) : QStringLiteral("127.0.0.1:0");
    const QString ws = m_wsUrl.isValid() ? QStringLiteral("127.0.0.1:%1").arg(m_wsUrl.port()) : QStringLiteral("127.0.0.1:0");
    QStringList args = {QStringLiteral("--database-url"), QString::fromStdString(m_databaseUrl),
                        QStringLiteral("--listen"), http, QStringLiteral("--ws-listen"), ws, QStringLiteral("--dev")};
    args += m_extra;
    m_output.clear();
    m_process.start(QStringLiteral(CHATTERBOX_SERVER_BINARY), args);
    if (!m_process.waitForStarted(5000))
        return false;
    static const QRegularExpression ready(QStringLiteral(R"(listening on (http://\S+) \(WebSocket (ws://\S+)\))"));
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < 15000) {
        if (!m_process.waitForReadyRead(200) && m_process.state() != QProcess::Running)
            break;
        m_output += m_process.readAll();
        const auto match = ready.match(QString::fromUtf8(m_output));
        if (match.hasMatch()) {
            m_httpUrl = QUrl(match.captured(1));
            m_wsUrl = QUrl(match.captured(2));
            return true;
        }
    }
    m_output += m_process.readAll();
    return false;
}

void TestServer::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(10000)) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
    m_output += m_process.readAll();
}

bool TestServer::terminateAndWait(int timeoutMs)
{
    if (m_process.state() == QProcess::NotRunning)
        return false;
    m_process.terminate();
    const bool exited = QTest::qWaitFor([&] { return m_process.state() == QProcess::NotRunning; }, timeoutMs);
    m_output += m_process.readAll();
    if (!exited) {
        m_process.kill();
        m_process.waitForFinished(5000);
        return false;
    }
    return m_process.exitStatus() == QProcess::NormalExit && m_process.exitCode() == 0;
}

void TestServer::kill()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.kill();
    m_process.waitForFinished(5000);
}

QString TestServer::output() const
{
    m_output += m_process.readAll();
    return QString::fromUtf8(m_output);
}

QUrl TestServer::httpUrl(const QString &path) const
{
    QUrl url = m_httpUrl;
    url.setPath(path);
    return url;
}

std::pair<int, QByteArray> TestServer::http(const QByteArray &method, const QString &path, const QByteArray &body,
                                            const QByteArray &contentType) const
{
    QNetworkAccessManager manager;
    const HttpStep step = httpStep(manager, method, httpUrl(path), body, contentType);
    return {step.status, step.body};
}

Login TestServer::login(const QString &name) const
{
    const auto [status, body] = http("POST", QStringLiteral("/auth/dev"),
                                     QByteArray::fromStdString(nlohmann::json{{"name", name.toStdString()}}.dump()));
    if (status != 200)
        return {};
    const auto json = nlohmann::json::parse(body.toStdString(), nullptr, false);
    if (!json.is_object())
        return {};
    return Login{json["user"]["id"].get<std::string>(), QByteArray::fromStdString(json["access_token"].get<std::string>()),
                 QByteArray::fromStdString(json["refresh_token"].get<std::string>())};
}

} // namespace chatterbox::test
