// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLoggingCategory>

#include <string>
#include <string_view>

namespace chatterbox::server {
Q_DECLARE_LOGGING_CATEGORY(lcNet)
Q_DECLARE_LOGGING_CATEGORY(lcDb)
Q_DECLARE_LOGGING_CATEGORY(lcAuth)
Q_DECLARE_LOGGING_CATEGORY(lcHttp)
// One line per HTTP request answered (chatterbox.http.access).
Q_DECLARE_LOGGING_CATEGORY(lcAccess)

// Every log line says when, how bad and what part of the server: "2026-12-05T14:03:01.123 UTC
// warning chatterbox.db: ...". Under systemd (its journal on standard error), the line starts
// with the syslog priority instead ("<4>chatterbox.db: ..."), which journald turns into the
// entry's priority, and the journal's own timestamp is used.
void setUpLogging();

// Text someone sent (a path, a name), made safe for a log line: control characters, which
// could forge lines or rewrite a terminal, become '?'.
std::string printableForLog(std::string_view text);
} // namespace chatterbox::server
