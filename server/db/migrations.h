// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <pqxx/connection>

#include <stdexcept>
#include <string>
#include <vector>

namespace chatterbox::server {

struct Migration {
    int version = 0;
    std::string name;
    std::string sql;
};

// The numbered scripts in server/sql/, in order.
std::vector<Migration> bundledMigrations();

// Applies every migration not yet recorded in schema_migrations, each in its own transaction,
// under an advisory lock so that several instances starting together apply each one once.
// Returns how many were applied. Throws pqxx exceptions on failure (nothing half-applied).
// A database a newer server has migrated (it records a migration these do not have) is
// refused before anything is applied: NewerSchemaError, whose message names that migration.
struct NewerSchemaError : std::runtime_error {
    using std::runtime_error::runtime_error;
};
int applyMigrations(pqxx::connection &connection, const std::vector<Migration> &migrations);

} // namespace chatterbox::server
