// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <string>

namespace chatterbox::test {

// A fresh, empty database on the test run's PostgreSQL cluster (started by the "postgres" CTest
// fixture), dropped again when this object goes away. Each test gets its own, so they do not
// see each other's rows.
class TestDatabase final {
public:
    TestDatabase();
    ~TestDatabase();
    TestDatabase(const TestDatabase &) = delete;
    TestDatabase &operator=(const TestDatabase &) = delete;

    bool isValid() const { return !m_url.empty(); }
    QString error() const { return m_error; }
    const std::string &url() const { return m_url; }
    // The same database with the schema applied.
    bool migrate();

private:
    std::string m_adminUrl;
    std::string m_name;
    std::string m_url;
    QString m_error;
};

// Creates a user (as the sign-in code would) and returns its id.
std::string createUser(const std::string &databaseUrl, const std::string &displayName);

} // namespace chatterbox::test
