// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/ui/systembrowser.h"

#include <QDesktopServices>
#include <QProcess>
#include <QTimer>

#include <memory>

namespace chatterbox::app {

SystemBrowser::SystemBrowser(QString launcher, QObject *parent) : QObject(parent), m_launcher(std::move(launcher)) {}

QString SystemBrowser::defaultLauncher()
{
#if defined(Q_OS_UNIX) && !defined(Q_OS_MACOS) && !defined(Q_OS_ANDROID)
    return QStringLiteral("xdg-open");
#else
    return {};
#endif
}

void SystemBrowser::openUrl(const QUrl &url, Done done)
{
    // Only the server's own sign-in address is ever opened here.
    if (url.scheme() != QStringLiteral("https") && url.scheme() != QStringLiteral("http"))
        return done(false, tr("That is not a web address."));
    if (m_launcher.isEmpty()) {
        const bool opened = QDesktopServices::openUrl(url);
        return done(opened, opened ? QString() : tr("The system could not open a web browser."));
    }

    auto *process = new QProcess(this);
    auto *settle = new QTimer(process);
    settle->setSingleShot(true);
    // Whichever comes first answers: the launcher failing, finishing, or still running.
    auto answer = std::make_shared<Done>(std::move(done));
    const auto reply = [answer](bool opened, const QString &problem) {
        if (*answer)
            std::exchange(*answer, Done())(opened, problem);
    };
    const QString launcher = m_launcher;
    connect(process, &QProcess::errorOccurred, process, [process, reply, launcher](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart)
            return;
        reply(false, tr("%1 could not be started (%2).").arg(launcher, process->errorString()));
        process->deleteLater();
    });
    connect(process, &QProcess::finished, process, [process, reply](int code, QProcess::ExitStatus status) {
        // What the launcher said last is usually the reason ("no method available for opening …").
        QString said = QString::fromLocal8Bit(process->readAllStandardError()).trimmed();
        said = said.section(QLatin1Char('\n'), -1).left(300);
        if (status == QProcess::NormalExit && code == 0)
            reply(true, {});
        else
            reply(false, said.isEmpty() ? tr("No web browser could be started.") : said);
        process->deleteLater();
    });
    connect(settle, &QTimer::timeout, process, [process, reply] {
        reply(true, {});
        // A browser in the foreground belongs to the person now: quitting the app must not take
        // it down, as a QProcess that is destroyed would.
        process->setParent(nullptr);
    });
    process->setStandardOutputFile(QProcess::nullDevice());
    process->start(m_launcher, {url.toString(QUrl::FullyEncoded)});
    settle->start(kSettleMs);
}

} // namespace chatterbox::app
