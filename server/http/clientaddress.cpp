// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/http/clientaddress.h"

#include <QHostAddress>
#include <QString>

namespace chatterbox::server::http {

std::string clientAddressFor(const std::string &peer, std::string_view forwardedFor, const std::set<std::string> &trustedProxies)
{
    if (trustedProxies.count(peer) == 0 || forwardedFor.empty())
        return peer;
    const auto comma = forwardedFor.rfind(',');
    std::string_view last = comma == std::string_view::npos ? forwardedFor : forwardedFor.substr(comma + 1);
    while (!last.empty() && (last.front() == ' ' || last.front() == '\t'))
        last.remove_prefix(1);
    while (!last.empty() && (last.back() == ' ' || last.back() == '\t'))
        last.remove_suffix(1);
    const QHostAddress parsed(QString::fromLatin1(last.data(), static_cast<qsizetype>(last.size())));
    if (parsed.isNull())
        return peer;
    QString text = parsed.toString();
    if (text.startsWith(QLatin1String("::ffff:")) && text.count(QLatin1Char('.')) == 3)
        text = text.mid(7);
    return text.toStdString();
}

} // namespace chatterbox::server::http
