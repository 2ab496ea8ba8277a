// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/core/displaytext.h"

namespace chatterbox::app {

QString isolated(const QString &name)
{
    static const QChar firstStrongIsolate(0x2068);
    static const QChar popDirectionalIsolate(0x2069);
    return firstStrongIsolate + name + popDirectionalIsolate;
}

QString withoutMnemonics(const QString &text)
{
    QString out = text;
    return out.replace(QLatin1Char('&'), QStringLiteral("&&"));
}

QString plainToolTip(const QString &text)
{
    if (text.isEmpty())
        return text;
    // Escaped and in a tag: Qt takes it as rich text and shows the entities as the characters.
    return QStringLiteral("<p style='white-space:pre-wrap'>") + text.toHtmlEscaped() + QStringLiteral("</p>");
}

} // namespace chatterbox::app
