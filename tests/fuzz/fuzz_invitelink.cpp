// SPDX-License-Identifier: GPL-3.0-or-later
//
// The app's invite-link parser, fed anything a person could paste or a link could carry. What
// it accepts names a web server with no user name, query, fragment or "..", a code the server
// could have made, and reads the same when written back as the server writes invite pages.

#include "app/core/invitelink.h"
#include "shared/validation.h"
#include "tests/fuzz/fuzzcheck.h"

#include <cstddef>
#include <cstdint>

using namespace chatterbox::app;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    const InviteLink link = parseInviteLink(text);
    if (!link.ok()) {
        FUZZ_CHECK(link.server.isEmpty() && link.code.isEmpty());
        return 0;
    }
    const QUrl &server = link.server;
    FUZZ_CHECK(server.isValid());
    FUZZ_CHECK(server.scheme() == QLatin1String("https") || server.scheme() == QLatin1String("http"));
    FUZZ_CHECK(!server.host().isEmpty() && server.userInfo().isEmpty());
    FUZZ_CHECK(!server.hasQuery() && !server.hasFragment());
    FUZZ_CHECK(!server.path().contains(QLatin1String("..")));
    FUZZ_CHECK(chatterbox::protocol::isInviteCode(link.code.toStdString()));

    const QString page = server.toString(QUrl::FullyEncoded) + QLatin1String("/invite/") + link.code;
    const InviteLink again = parseInviteLink(page);
    FUZZ_CHECK(again.ok() && again.server == server && again.code == link.code);
    return 0;
}
