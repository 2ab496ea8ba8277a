// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/core/invitelink.h"

#include "app/core/serverinfo.h"
#include "shared/validation.h"

#include <QCoreApplication>
#include <QUrlQuery>

namespace chatterbox::app {

namespace {

InviteLink refuse(const QString &why)
{
    InviteLink link;
    link.error = why;
    return link;
}
} // namespace

InviteLink parseInviteLink(const QString &input)
{
    const QString text = input.trimmed();
    if (text.isEmpty())
        return refuse(InviteLink::tr("Paste an invite link, for example https://chat.example.org/invite/…"));
    if (text.size() > kMaxInviteLinkChars)
        return refuse(InviteLink::tr("That is far too long to be an invite link."));
    for (const QChar c : text) {
        if (c.unicode() < 0x21 || c.unicode() > 0x7e)
            return refuse(InviteLink::tr("An invite link has no spaces or special characters. Copy it again from the invitation."));
    }
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || url.hasFragment() || !url.userInfo().isEmpty())
        return refuse(InviteLink::tr("That is not an invite link. Copy it again from the invitation."));

    InviteLink link;
    const QString scheme = url.scheme().toLower();
    if (scheme == QLatin1String("chatterbox")) {
        const QUrlQuery query(url);
        if (url.host().toLower() != QLatin1String("invite") && url.path() != QLatin1String("invite"))
            return refuse(InviteLink::tr("That chatterbox: link is not an invite."));
        link.code = query.queryItemValue(QStringLiteral("code"), QUrl::FullyDecoded);
        const QString server = query.queryItemValue(QStringLiteral("server"), QUrl::FullyDecoded);
        const QUrl serverUrl(server, QUrl::StrictMode);
        const QString serverScheme = serverUrl.scheme().toLower();
        if (!serverUrl.isValid() || serverUrl.host().isEmpty() || !serverUrl.userInfo().isEmpty() || serverUrl.hasQuery()
            || serverUrl.hasFragment() || (serverScheme != QLatin1String("https") && serverScheme != QLatin1String("http"))
            || serverUrl.path().contains(QLatin1String("..")))
            return refuse(InviteLink::tr("The invite link names a server address that is not valid."));
        link.server = normalizeServerUrl(server);
    } else if (scheme == QLatin1String("https") || scheme == QLatin1String("http")) {
        // The path as it was written: decoding it first would turn %2F into a separator and
        // invalid escapes into U+FFFD, naming a server that the link did not name.
        const QString path = url.path(QUrl::FullyEncoded);
        const qsizetype at = path.lastIndexOf(QLatin1String("/invite/"));
        if (at < 0 || url.host().isEmpty() || url.hasQuery())
            return refuse(InviteLink::tr("That web address is not an invite link. Invite links end in /invite/ and a code."));
        const QString prefix = path.left(at);
        if (QUrl::fromPercentEncoding(prefix.toLatin1()).contains(QLatin1String("..")))
            return refuse(InviteLink::tr("That web address is not an invite link."));
        link.code = path.mid(at + 8);
        QUrl base = url;
        base.setPath(prefix + QLatin1Char('/'), QUrl::StrictMode);
        link.server = normalizeServerUrl(base.toString(QUrl::FullyEncoded));
    } else {
        return refuse(InviteLink::tr("That is not an invite link. Invite links start with https:// or chatterbox://."));
    }
    if (link.server.isEmpty())
        return refuse(InviteLink::tr("The invite link names a server address that is not valid."));
    if (!protocol::isInviteCode(link.code.toStdString()))
        return refuse(InviteLink::tr("The code in this invite link is incomplete or mistyped. Copy the whole link again."));
    return link;
}

} // namespace chatterbox::app
