// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <optional>
#include <string>

namespace chatterbox::server {

// The server's own PostgreSQL, for when no database is configured: a cluster in the data
// directory (created with the distribution's initdb the first time, reused after), listening on
// a Unix socket in that directory only, started with the server and stopped with it.
// PostgreSQL refuses to run as root; as root the cluster runs as the "postgres" system user.
// It is careful with what it finds: one server per data directory (a lock beside it, held while
// the server runs), a directory it did not create is never given to another user, and a cluster
// runs with the PostgreSQL major that made it.
class EmbeddedPostgres final {
public:
    explicit EmbeddedPostgres(QString dataDir);
    ~EmbeddedPostgres();
    EmbeddedPostgres(const EmbeddedPostgres &) = delete;
    EmbeddedPostgres &operator=(const EmbeddedPostgres &) = delete;

    // Initialises if needed and starts; the connection URL, or empty with error() saying what to do.
    std::string start();
    void stop();
    QString error() const { return m_error; }
    // Whether its postmaster still runs; the server exits when it does not, so that a supervisor
    // starts both again.
    bool isRunning() const;

    // Where the data lives when nothing else is said: $XDG_DATA_HOME/chatterbox/postgres, or
    // /var/lib/chatterbox/postgres for root (the postgres user cannot enter root's home).
    static QString defaultDataDir();

private:
    bool run(const QString &program, const QStringList &arguments, QString *output = nullptr, int timeoutMs = 60000);
    bool lockDataDir();
    bool prepareDataDir();
    bool chooseBinaries();

    QString m_dataDir;
    QString m_binDir;
    QString m_error;
    bool m_started = false;
    bool m_asPostgresUser = false;
    int m_lockFd = -1;
};

} // namespace chatterbox::server
