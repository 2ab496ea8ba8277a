// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QProcess>
#include <QStringList>
#include <QUrl>

#include <nlohmann/json.hpp>

#include <string>

namespace chatterbox::test {

struct Login {
    std::string userId;
    QByteArray accessToken;
    QByteArray refreshToken;
};

// The real chatterbox-server binary, started on free loopback ports with the development
// sign-in, against a test database.
class TestServer final {
public:
    explicit TestServer(std::string databaseUrl, QStringList extraArguments = {});
    ~TestServer();

    bool start();
    // Stops and starts again on the same ports, as an operator's restart does.
    bool restart();
    void stop();              // SIGTERM, wait
    void kill();              // SIGKILL
    // SIGTERM, then wait on the event loop (so that the test's clients go on reading while the
    // server drains); true when it exited by itself within the time, with exit code 0.
    bool terminateAndWait(int timeoutMs);
    QString output() const;   // what it printed, for failure messages
    qint64 processId() const { return m_process.processId(); }
    bool isRunning() const { return m_process.state() == QProcess::Running; }

    QUrl httpUrl(const QString &path = QStringLiteral("/")) const;
    QUrl webSocketUrl() const { return m_wsUrl; }

    // POST /auth/dev; an empty Login when it fails.
    Login login(const QString &name) const;
    // A plain HTTP request, synchronously: (status, body).
    std::pair<int, QByteArray> http(const QByteArray &method, const QString &path, const QByteArray &body = {},
                                     const QByteArray &contentType = "application/json") const;

private:
    std::string m_databaseUrl;
    QStringList m_extra;
    mutable QProcess m_process;
    QUrl m_httpUrl;
    QUrl m_wsUrl;
    mutable QByteArray m_output;
};

} // namespace chatterbox::test
