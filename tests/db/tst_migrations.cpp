// SPDX-License-Identifier: GPL-3.0-or-later
// The schema comes from numbered migrations applied once each, also when instances start together.

#include "server/db/migrations.h"

#include <QDir>
#include "support/testdatabase.h"

#include <QTest>

#include <pqxx/pqxx>

#include <atomic>
#include <thread>

using namespace chatterbox;

class TestMigrations : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void bundled_numberedInOrder()
    {
        const auto migrations = server::bundledMigrations();
        QVERIFY(!migrations.empty());
        for (std::size_t i = 0; i < migrations.size(); ++i)
            QCOMPARE(migrations[i].version, int(i + 1));
    }

    // Every file in server/sql/ is in the binary (the build collects them; none is listed by hand).
    void bundled_everyFileOfTheSource()
    {
        const QStringList files = QDir(QStringLiteral(CHATTERBOX_SQL_DIR)).entryList({QStringLiteral("*.sql")}, QDir::Files, QDir::Name);
        QVERIFY(!files.isEmpty());
        QStringList bundled;
        for (const auto &m : server::bundledMigrations())
            bundled << QString::fromStdString(m.name);
        QCOMPARE(bundled, files);
    }

    void emptyDatabase_migratedOnce()
    {
        test::TestDatabase db;
        QVERIFY2(db.isValid(), qPrintable(db.error()));
        pqxx::connection c(db.url());
        const auto count = static_cast<int>(server::bundledMigrations().size());
        QCOMPARE(server::applyMigrations(c, server::bundledMigrations()), count);
        QCOMPARE(server::applyMigrations(c, server::bundledMigrations()), 0);
        pqxx::work tx(c);
        QCOMPARE(tx.exec1("SELECT count(*) FROM schema_migrations")[0].as<int>(), count);
        for (const char *table : {"users", "identities", "parties", "members", "topics", "messages", "events",
                                  "signing_keys", "refresh_tokens"})
            QVERIFY2(!tx.exec_params1("SELECT to_regclass($1)", std::string(table))[0].is_null(), table);
    }

    // A newer server's migration in the database: this one refuses it, names it, and applies
    // nothing, not even migrations it has that the database lacks.
    void newerSchema_refusedWithItsName_nothingApplied()
    {
        test::TestDatabase db;
        QVERIFY2(db.isValid(), qPrintable(db.error()));
        auto migrations = server::bundledMigrations();
        QVERIFY(migrations.size() >= 2);
        migrations.pop_back();   // this binary is one migration behind the bundled ones
        pqxx::connection c(db.url());
        QCOMPARE(server::applyMigrations(c, migrations), static_cast<int>(migrations.size()));
        {
            pqxx::work tx(c);
            tx.exec_params0("DELETE FROM schema_migrations WHERE version = $1", migrations.back().version);
            tx.exec0("INSERT INTO schema_migrations (version, name) VALUES (99999, '99999_from_the_future.sql')");
            tx.commit();
        }
        try {
            server::applyMigrations(c, migrations);
            QFAIL("a database with a newer migration was taken");
        } catch (const server::NewerSchemaError &e) {
            const QString message = QString::fromUtf8(e.what());
            QVERIFY2(message.contains(QStringLiteral("99999_from_the_future.sql")), e.what());
            QVERIFY2(message.contains(QString::fromStdString(migrations.back().name)), e.what());
        }
        pqxx::work tx(c);
        QVERIFY2(tx.exec_params("SELECT 1 FROM schema_migrations WHERE version = $1", migrations.back().version).empty(),
                 "a migration was applied to a database that was refused");
    }

    void concurrentStarts_applyEachOnce()
    {
        test::TestDatabase db;
        QVERIFY2(db.isValid(), qPrintable(db.error()));
        std::atomic<int> applied{0};
        std::atomic<int> failures{0};
        std::vector<std::thread> threads;
        for (int i = 0; i < 4; ++i) {
            threads.emplace_back([&] {
                try {
                    pqxx::connection c(db.url());
                    applied += server::applyMigrations(c, server::bundledMigrations());
                } catch (const std::exception &) {
                    ++failures;
                }
            });
        }
        for (auto &t : threads)
            t.join();
        QCOMPARE(failures.load(), 0);
        QCOMPARE(applied.load(), int(server::bundledMigrations().size()));
    }

    void failingMigration_leavesNothingBehind()
    {
        test::TestDatabase db;
        QVERIFY2(db.isValid(), qPrintable(db.error()));
        pqxx::connection c(db.url());
        std::vector<server::Migration> broken = {{1, "0001_ok.sql", "CREATE TABLE a (x int);"},
                                                 {2, "0002_broken.sql", "CREATE TABLE b (x int); SELECT nonsense;"}};
        QVERIFY_THROWS_EXCEPTION(std::exception, server::applyMigrations(c, broken));
        pqxx::work tx(c);
        QVERIFY(!tx.exec1("SELECT to_regclass('a')")[0].is_null());
        QVERIFY(tx.exec1("SELECT to_regclass('b')")[0].is_null());
        QCOMPARE(tx.exec1("SELECT max(version) FROM schema_migrations")[0].as<int>(), 1);
    }
};

QTEST_GUILESS_MAIN(TestMigrations)
#include "tst_migrations.moc"
