// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/core/messagelink.h"

#include "app/core/invitelink.h"
#include "app/core/serverinfo.h"
#include "shared/validation.h"

#include <QUrlQuery>

namespace chatterbox::app {

namespace {

MessageLink refuse(const QString &why)
{
    MessageLink link;
    link.error = why;
    return link;
}

bool isSeq(const QString &text, qint64 &out)
{
    if (text.isEmpty() || text.size() > 18)
        return false;
    for (const QChar c : text) {
        if (c < QLatin1Char('0') || c > QLatin1Char('9'))
            return false;
    }
    out = text.toLongLong();
    return out > 0;
}

bool isGoodServer(const QUrl &server)
{
    const QString scheme = server.scheme().toLower();
    return server.isValid() && !server.host().isEmpty() && server.userInfo().isEmpty() && !server.hasQuery() && !server.hasFragment()
           && (scheme == QLatin1String("https") || scheme == QLatin1String("http")) && !server.path().contains(QLatin1String(".."));
}

QString trimmedBase(const QUrl &server)
{
    QString base = server.toString(QUrl::FullyEncoded);
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    return base;
}

} // namespace

QUrl MessageLink::appUrl() const
{
    QUrl url(QStringLiteral("chatterbox://message"));
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("server"), QString::fromLatin1(QUrl::toPercentEncoding(trimmedBase(server))));
    query.addQueryItem(QStringLiteral("party"), partyId);
    query.addQueryItem(QStringLiteral("topic"), topicId);
    query.addQueryItem(QStringLiteral("seq"), QString::number(seq));
    url.setQuery(query);
    return url;
}

QUrl MessageLink::pageUrl() const
{
    return QUrl(trimmedBase(server) + QStringLiteral("/message/%1/%2/%3").arg(partyId, topicId).arg(seq));
}

bool looksLikeMessageLink(const QString &text)
{
    const QUrl url(text.trimmed());
    const QString scheme = url.scheme().toLower();
    if (scheme == QLatin1String("chatterbox"))
        return url.host().toLower() == QLatin1String("message");
    return (scheme == QLatin1String("https") || scheme == QLatin1String("http")) && url.path().contains(QLatin1String("/message/"));
}

MessageLink parseMessageLink(const QString &input)
{
    const QString text = input.trimmed();
    if (text.size() > kMaxInviteLinkChars)
        return refuse(MessageLink::tr("That is far too long to be a message link."));
    for (const QChar c : text) {
        if (c.unicode() < 0x21 || c.unicode() > 0x7e)
            return refuse(MessageLink::tr("A message link has no spaces or special characters."));
    }
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || url.hasFragment() || !url.userInfo().isEmpty())
        return refuse(MessageLink::tr("That is not a message link."));
    MessageLink link;
    QString seq;
    const QString scheme = url.scheme().toLower();
    if (scheme == QLatin1String("chatterbox")) {
        if (url.host().toLower() != QLatin1String("message"))
            return refuse(MessageLink::tr("That chatterbox: link is not a message link."));
        const QUrlQuery query(url);
        const QUrl server(query.queryItemValue(QStringLiteral("server"), QUrl::FullyDecoded), QUrl::StrictMode);
        if (!isGoodServer(server))
            return refuse(MessageLink::tr("The message link names a server address that is not valid."));
        link.server = normalizeServerUrl(server.toString());
        link.partyId = query.queryItemValue(QStringLiteral("party"), QUrl::FullyDecoded);
        link.topicId = query.queryItemValue(QStringLiteral("topic"), QUrl::FullyDecoded);
        seq = query.queryItemValue(QStringLiteral("seq"), QUrl::FullyDecoded);
    } else if (scheme == QLatin1String("https") || scheme == QLatin1String("http")) {
        const QString path = url.path(QUrl::FullyEncoded);
        const qsizetype at = path.lastIndexOf(QLatin1String("/message/"));
        if (at < 0 || url.host().isEmpty() || url.hasQuery())
            return refuse(MessageLink::tr("That web address is not a message link."));
        const QStringList parts = path.mid(at + 9).split(QLatin1Char('/'));
        if (parts.size() != 3 || QUrl::fromPercentEncoding(path.left(at).toLatin1()).contains(QLatin1String("..")))
            return refuse(MessageLink::tr("That web address is not a message link."));
        QUrl base = url;
        base.setPath(path.left(at) + QLatin1Char('/'), QUrl::StrictMode);
        link.server = normalizeServerUrl(base.toString(QUrl::FullyEncoded));
        link.partyId = parts[0];
        link.topicId = parts[1];
        seq = parts[2];
    } else {
        return refuse(MessageLink::tr("That is not a message link."));
    }
    if (link.server.isEmpty())
        return refuse(MessageLink::tr("The message link names a server address that is not valid."));
    if (!protocol::isUuid(link.partyId.toStdString()) || !protocol::isUuid(link.topicId.toStdString()) || !isSeq(seq, link.seq))
        return refuse(MessageLink::tr("This message link is incomplete or mistyped. Copy it again."));
    return link;
}

} // namespace chatterbox::app
