// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/platform/autostart.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QSaveFile>

namespace chatterbox::platform {

namespace {
// A per-user launch agent that runs the app at login.
QString agentPath()
{
    return QDir::homePath() + QStringLiteral("/Library/LaunchAgents/org.chatterbox.app.plist");
}
} // namespace

QString setStartAtLogin(bool enabled, bool minimized)
{
    const QString path = agentPath();
    if (!enabled) {
        if (QFile::exists(path) && !QFile::remove(path))
            return QCoreApplication::translate("Autostart", "Could not remove %1.").arg(path);
        return {};
    }
    QDir().mkpath(QDir::homePath() + QStringLiteral("/Library/LaunchAgents"));
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return QCoreApplication::translate("Autostart", "Could not write %1: %2").arg(path, file.errorString());
    QString arguments = QStringLiteral("<string>%1</string>").arg(QCoreApplication::applicationFilePath().toHtmlEscaped());
    if (minimized)
        arguments += QStringLiteral("<string>--minimized</string>");
    file.write(QStringLiteral("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                              "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
                              "<plist version=\"1.0\"><dict>\n"
                              "<key>Label</key><string>org.chatterbox.app</string>\n"
                              "<key>ProgramArguments</key><array>%1</array>\n"
                              "<key>RunAtLoad</key><true/>\n"
                              "</dict></plist>\n")
                   .arg(arguments)
                   .toUtf8());
    if (!file.commit())
        return QCoreApplication::translate("Autostart", "Could not write %1: %2").arg(path, file.errorString());
    return {};
}

bool startsAtLogin()
{
    return QFile::exists(agentPath());
}

} // namespace chatterbox::platform
