// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/logging.h"

#include <QtGlobal>

#include <string>

namespace chatterbox::server {
Q_LOGGING_CATEGORY(lcNet, "chatterbox.net", QtInfoMsg)
Q_LOGGING_CATEGORY(lcDb, "chatterbox.db", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAuth, "chatterbox.auth", QtInfoMsg)
Q_LOGGING_CATEGORY(lcHttp, "chatterbox.http", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAccess, "chatterbox.http.access", QtInfoMsg)

void setUpLogging()
{
    // systemd sets JOURNAL_STREAM when standard error is connected to the journal.
    if (qEnvironmentVariableIsSet("JOURNAL_STREAM")) {
        qSetMessagePattern(QStringLiteral("%{if-debug}<7>%{endif}%{if-info}<6>%{endif}%{if-warning}<4>%{endif}"
                                          "%{if-critical}<2>%{endif}%{if-fatal}<0>%{endif}%{category}: %{message}"));
    } else {
        qSetMessagePattern(QStringLiteral("%{time yyyy-MM-ddTHH:mm:ss.zzz t} %{type} %{category}: %{message}"));
    }
}

std::string printableForLog(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        out += (u < 0x20 || u == 0x7f) ? '?' : c;
    }
    return out;
}
} // namespace chatterbox::server
