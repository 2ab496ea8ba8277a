#include "app/ui/systembrowser.h"

#include <QDesktopServices>

namespace chatterbox::app {

bool SystemBrowser::openUrl(const QUrl &url)
{
    // Only the server's own sign-in address is ever opened here.
    if (url.scheme() != QStringLiteral("https") && url.scheme() != QStringLiteral("http"))
        return false;
    return QDesktopServices::openUrl(url);
}

} // namespace chatterbox::app
