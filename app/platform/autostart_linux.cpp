// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/platform/autostart.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QSaveFile>
#include <QStandardPaths>

namespace chatterbox::platform {

namespace {

QString entryPath()
{
    // $XDG_CONFIG_HOME/autostart (~/.config/autostart), per the XDG Autostart specification.
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) + QStringLiteral("/autostart/chatterbox.desktop");
}

// A path as a desktop entry's Exec wants it: in double quotes, with ", `, $ and \ escaped.
QString quoted(const QString &path)
{
    QString out;
    for (const QChar c : path) {
        if (c == QLatin1Char('"') || c == QLatin1Char('`') || c == QLatin1Char('$') || c == QLatin1Char('\\'))
            out += QLatin1Char('\\');
        out += c;
    }
    return QLatin1Char('"') + out + QLatin1Char('"');
}

} // namespace

QString setStartAtLogin(bool enabled, bool minimized)
{
    const QString path = entryPath();
    if (!enabled) {
        if (QFile::exists(path) && !QFile::remove(path))
            return QCoreApplication::translate("Autostart", "Could not remove %1.").arg(path);
        return {};
    }
    if (!QDir().mkpath(QFileInfo(path).absolutePath()))
        return QCoreApplication::translate("Autostart", "Could not create %1.").arg(QFileInfo(path).absolutePath());
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text))
        return QCoreApplication::translate("Autostart", "Could not write %1: %2").arg(path, file.errorString());
    const QString exec = quoted(QCoreApplication::applicationFilePath()) + (minimized ? QStringLiteral(" --minimized") : QString());
    const QString entry = QStringLiteral("[Desktop Entry]\n"
                                         "Type=Application\n"
                                         "Name=Chatterbox\n"
                                         "Comment=Group chat on your own server\n"
                                         "Exec=%1\n"
                                         "Icon=chatterbox\n"
                                         "Terminal=false\n"
                                         "X-GNOME-Autostart-enabled=true\n")
                              .arg(exec);
    file.write(entry.toUtf8());
    if (!file.commit())
        return QCoreApplication::translate("Autostart", "Could not write %1: %2").arg(path, file.errorString());
    return {};
}

bool startsAtLogin()
{
    return QFile::exists(entryPath());
}

} // namespace chatterbox::platform
