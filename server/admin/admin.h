// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

// `chatterbox-server admin …`: the operator's tools, against the database the server uses.
namespace chatterbox::server::admin {

// What `chatterbox-server admin --help` prints.
std::string usage();

// Runs `admin <arguments>` (what follows the word admin). The database is --database-url, or
// CHATTERBOX_DATABASE_URL, or the server's own cluster in --data-dir (or its default) while the
// server runs it. Returns the exit status: 0 done, 1 refused or failed, 2 bad usage.
int run(const std::vector<std::string> &arguments, const std::vector<std::pair<std::string, std::string>> &environment,
        std::ostream &out, std::ostream &err);

} // namespace chatterbox::server::admin
