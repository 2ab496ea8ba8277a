// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/core/launcharguments.h"

#include "app/core/invitelink.h"

#include <algorithm>

#include <QByteArray>

#include <cstring>

namespace chatterbox::app {

QStringList takeLinkArguments(int &argc, char **argv)
{
    QStringList links;
    int kept = 1; // argv[0] stays
    bool afterSeparator = false;
    for (int i = 1; i < argc; ++i) {
        const char *arg = argv[i];
        if (!afterSeparator && std::strcmp(arg, "--") == 0) {
            afterSeparator = true;
            continue;
        }
        if (afterSeparator || qstrnicmp(arg, "chatterbox:", 11) == 0) {
            links << QString::fromLocal8Bit(arg);
            continue;
        }
        argv[kept++] = argv[i];
    }
    for (int i = kept; i < argc; ++i)
        argv[i] = nullptr;
    argc = kept;
    return links;
}

QStringList boundLinks(QStringList links, qsizetype *dropped)
{
    if (dropped)
        *dropped = std::max<qsizetype>(0, links.size() - kMaxLinksPerStart);
    links = links.mid(0, kMaxLinksPerStart);
    for (QString &link : links) {
        if (link.size() > kMaxInviteLinkChars)
            link.truncate(kMaxInviteLinkChars + 1);
    }
    return links;
}

} // namespace chatterbox::app
