// SPDX-License-Identifier: GPL-3.0-or-later
#include "testdatabase.h"

#include "server/db/migrations.h"

#include <QFile>
#include <QRandomGenerator>

#include <pqxx/pqxx>

#include <cstdlib>

namespace chatterbox::test {

namespace {

std::string adminUrl(QString *error)
{
    if (const char *direct = std::getenv("CHATTERBOX_TEST_POSTGRES_URL"))
        return direct;
    const char *file = std::getenv("CHATTERBOX_TEST_POSTGRES_FILE");
    if (!file) {
        *error = QStringLiteral("no test database: run through ctest (which starts PostgreSQL), or set CHATTERBOX_TEST_POSTGRES_URL");
        return {};
    }
    QFile f(QString::fromLocal8Bit(file));
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("the test PostgreSQL is not running (no %1); run the whole suite with ctest").arg(f.fileName());
        return {};
    }
    return f.readAll().trimmed().toStdString();
}

// Swaps the database name in "postgresql://user@/postgres?host=..." for another.
std::string withDatabase(const std::string &url, const std::string &name)
{
    const auto query = url.find('?');
    const auto slash = url.rfind('/', query);
    return url.substr(0, slash + 1) + name + (query == std::string::npos ? std::string() : url.substr(query));
}

} // namespace

TestDatabase::TestDatabase()
{
    m_adminUrl = adminUrl(&m_error);
    if (m_adminUrl.empty())
        return;
    m_name = "chatterbox_test_" + std::to_string(QRandomGenerator::global()->generate64());
    try {
        pqxx::connection admin(m_adminUrl);
        pqxx::nontransaction tx(admin);
        tx.exec0("CREATE DATABASE " + tx.quote_name(m_name));
        m_url = withDatabase(m_adminUrl, m_name);
    } catch (const std::exception &e) {
        m_error = QString::fromStdString(e.what());
    }
}

TestDatabase::~TestDatabase()
{
    if (m_url.empty())
        return;
    try {
        pqxx::connection admin(m_adminUrl);
        pqxx::nontransaction tx(admin);
        tx.exec0("DROP DATABASE IF EXISTS " + tx.quote_name(m_name) + " WITH (FORCE)");
    } catch (const std::exception &) {
        // Leftovers vanish with the cluster at the end of the run.
    }
}

bool TestDatabase::migrate()
{
    try {
        pqxx::connection c(m_url);
        server::applyMigrations(c, server::bundledMigrations());
        return true;
    } catch (const std::exception &e) {
        m_error = QString::fromStdString(e.what());
        return false;
    }
}

std::string createUser(const std::string &databaseUrl, const std::string &displayName)
{
    pqxx::connection c(databaseUrl);
    pqxx::work tx(c);
    const auto id = tx.exec_params1("INSERT INTO users (display_name) VALUES ($1) RETURNING id", displayName)[0].as<std::string>();
    tx.commit();
    return id;
}

} // namespace chatterbox::test
