// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/db/migrations.h"

#include "server/logging.h"

#include <QDir>
#include <QFile>

#include <pqxx/pqxx>

#include <algorithm>
#include <stdexcept>

namespace chatterbox::server {

namespace {
// Any constant works; it only has to be the same for every instance of this server.
constexpr long long kMigrationLockKey = 0x636862786d6967LL; // "chbxmig"
}

std::vector<Migration> bundledMigrations()
{
    std::vector<Migration> migrations;
    const QDir dir(QStringLiteral(":/sql"));
    const QStringList files = dir.entryList({QStringLiteral("*.sql")}, QDir::Files, QDir::Name);
    for (const QString &file : files) {
        QFile f(dir.filePath(file));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        Migration m;
        m.version = file.section(QLatin1Char('_'), 0, 0).toInt();
        m.name = file.toStdString();
        m.sql = f.readAll().toStdString();
        if (m.version > 0)
            migrations.push_back(std::move(m));
    }
    if (migrations.empty())
        throw std::runtime_error("no migrations are compiled into this binary");
    std::sort(migrations.begin(), migrations.end(),
              [](const Migration &a, const Migration &b) { return a.version < b.version; });
    return migrations;
}

int applyMigrations(pqxx::connection &connection, const std::vector<Migration> &migrations)
{
    // A session-level lock for the whole run: even creating schema_migrations races otherwise.
    struct LockGuard {
        pqxx::connection &c;
        explicit LockGuard(pqxx::connection &connection) : c(connection)
        {
            pqxx::nontransaction(c).exec_params("SELECT pg_advisory_lock($1)", kMigrationLockKey);
        }
        ~LockGuard()
        {
            try {
                pqxx::nontransaction(c).exec_params("SELECT pg_advisory_unlock($1)", kMigrationLockKey);
            } catch (const std::exception &) {
                // The lock goes with the session if the connection is gone.
            }
        }
    } lock(connection);
    {
        pqxx::work tx(connection);
        tx.exec0("CREATE TABLE IF NOT EXISTS schema_migrations ("
                 " version integer PRIMARY KEY,"
                 " name text NOT NULL,"
                 " applied_at timestamptz NOT NULL DEFAULT now())");
        // An older binary on a newer schema would write what the newer code no longer expects.
        const int known = migrations.empty() ? 0 : migrations.back().version;
        const auto newer = tx.exec_params("SELECT version, name FROM schema_migrations WHERE version > $1 ORDER BY version DESC", known);
        if (!newer.empty()) {
            throw NewerSchemaError("the database's schema is newer than this chatterbox-server: it has migration " +
                                   newer[0][1].as<std::string>() + ", and this binary knows them up to " +
                                   (migrations.empty() ? std::string("none") : migrations.back().name) +
                                   "; run the newer chatterbox-server, or restore the backup taken before the upgrade");
        }
        tx.commit();
    }
    int applied = 0;
    for (const Migration &m : migrations) {
        pqxx::work tx(connection);
        const auto done = tx.exec_params("SELECT 1 FROM schema_migrations WHERE version = $1", m.version);
        if (!done.empty())
            continue;
        tx.exec0(m.sql);
        tx.exec_params0("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", m.version, m.name);
        tx.commit();
        ++applied;
        qCInfo(lcDb, "applied migration %s", m.name.c_str());
    }
    return applied;
}

} // namespace chatterbox::server
