// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/platform/autostart.h"

#include <QCoreApplication>
#include <QDir>
#include <QSettings>

namespace chatterbox::platform {

namespace {
const QString kRunKey = QStringLiteral("HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run");
const QString kValue = QStringLiteral("Chatterbox");
} // namespace

QString setStartAtLogin(bool enabled, bool minimized)
{
    QSettings run(kRunKey, QSettings::NativeFormat);
    if (enabled) {
        const QString exe = QDir::toNativeSeparators(QCoreApplication::applicationFilePath());
        run.setValue(kValue, QLatin1Char('"') + exe + QLatin1Char('"') + (minimized ? QStringLiteral(" --minimized") : QString()));
    } else {
        run.remove(kValue);
    }
    run.sync();
    return run.status() == QSettings::NoError ? QString() : QCoreApplication::translate("Autostart", "Could not change the Run key.");
}

bool startsAtLogin()
{
    return QSettings(kRunKey, QSettings::NativeFormat).contains(kValue);
}

} // namespace chatterbox::platform
