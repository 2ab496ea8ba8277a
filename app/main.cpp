// SPDX-License-Identifier: GPL-3.0-or-later
// chatterbox: the desktop app.

#include "app/core/client.h"
#include "app/core/keychainsecretstore.h"
#include "app/core/launcharguments.h"
#include "app/core/notificationcenter.h"
#include "app/core/presencereporter.h"
#include "app/core/preferences.h"
#include "app/platform/privatefiles.h"
#include "app/platform/singleinstance.h"
#include "app/platform/traynotifier.h"
#include "app/ui/mainwindow.h"
#include "app/ui/systembrowser.h"
#include "app/ui/theme.h"
#include "app/ui/trayicon.h"

#ifdef CHATTERBOX_HAS_DBUS_NOTIFICATIONS
#include "app/platform/dbusnotifier.h"
#endif

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QLibraryInfo>
#include <QLocale>
#include <QSettings>
#include <QStandardPaths>
#include <QTranslator>

#include <cstdio>
#include <memory>
#include <string_view>

using namespace chatterbox;

namespace {

void nameTheApp()
{
    QCoreApplication::setOrganizationName(QStringLiteral("Chatterbox"));
    QCoreApplication::setApplicationName(QStringLiteral("chatterbox"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CHATTERBOX_VERSION));
    if (auto *gui = qobject_cast<QGuiApplication *>(QCoreApplication::instance()))
        gui->setApplicationDisplayName(QStringLiteral("Chatterbox"));
}

// Qt's own strings and the app's, in the language of the system, for as long as this lives.
struct Translators {
    QTranslator qt;
    QTranslator own;
    Translators()
    {
        if (qt.load(QLocale(), QStringLiteral("qtbase"), QStringLiteral("_"), QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
            QCoreApplication::installTranslator(&qt);
        if (own.load(QLocale(), QStringLiteral("chatterbox"), QStringLiteral("_"), QStringLiteral(":/i18n")))
            QCoreApplication::installTranslator(&own);
    }
};

struct CommandLine {
    QCommandLineParser parser;
    QCommandLineOption server{QStringLiteral("server"), QCoreApplication::translate("main", "Open the sign-in for this server address."),
                              QCoreApplication::translate("main", "url")};
    QCommandLineOption minimized{QStringLiteral("minimized"), QCoreApplication::translate("main", "Start in the tray, without the window.")};
    CommandLine()
    {
        parser.setApplicationDescription(QCoreApplication::translate("main", "Group chat on a server you run yourself."));
        parser.addHelpOption();
        parser.addVersionOption();
        parser.addOption(server);
        parser.addOption(minimized);
    }
};

bool asksForHelpOrVersion(int argc, char *argv[])
{
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--") // what follows is not an option
            return false;
        if (arg == "-h" || arg == "--help" || arg == "-?" || arg == "--help-all" || arg == "-v" || arg == "--version")
            return true;
    }
    return false;
}

} // namespace

int main(int argc, char *argv[])
{
    // Settings, the outbox and everything else the app writes are its user's alone.
    platform::restrictNewFilesToOwner();

    // Links are data: out of argv before Qt reads its options there.
    qsizetype droppedLinks = 0;
    const QStringList links = app::boundLinks(app::takeLinkArguments(argc, argv), &droppedLinks);
    if (droppedLinks > 0)
        std::fprintf(stderr, "chatterbox: %lld more links than %lld were left out\n", static_cast<long long>(droppedLinks),
                     static_cast<long long>(app::kMaxLinksPerStart));

    // --help and --version answer without a display (on a server, over ssh): they are read
    // before the QApplication, which needs one, is made.
    if (asksForHelpOrVersion(argc, argv)) {
        QCoreApplication core(argc, argv);
        nameTheApp();
        const Translators translators;
        CommandLine commandLine;
        commandLine.parser.process(core);   // prints and exits
        return 0;
    }

    QApplication app(argc, argv);
    nameTheApp();
    QApplication::setDesktopFileName(QStringLiteral("org.chatterbox.Chatterbox"));
    const Translators translators;

    CommandLine commandLine;
    QCommandLineParser &parser = commandLine.parser;
    const QCommandLineOption &server = commandLine.server;
    const QCommandLineOption &minimized = commandLine.minimized;
    parser.process(app);

    // One app per person: a second start hands its links to the first and leaves.
    platform::SingleInstance instance;
    if (!instance.claimOrHandOver(links)) {
        if (!instance.error().isEmpty()) {
            std::fprintf(stderr, "chatterbox: %s\n", qPrintable(instance.error()));
            return 1;
        }
        return 0;
    }
    if (!instance.error().isEmpty())
        std::fprintf(stderr, "chatterbox: %s\n", qPrintable(instance.error()));

    app::Preferences preferences;
    if (parser.isSet(server))
        preferences.setServerUrl(parser.value(server));
    ui::Theme theme(app);
    theme.setChoice(preferences.theme());

    const QString dataDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(dataDir);
    // What an earlier version wrote before it kept its files to their owner.
    platform::restrictToOwner(QSettings().fileName());
    platform::restrictToOwner(dataDir);
    app::KeychainSecretStore secrets(QStringLiteral("Chatterbox"));
    app::SystemBrowser browser;
    app::Client client(secrets, browser, dataDir + QStringLiteral("/outbox.json"));
    client.setStoreDirectory(dataDir + QStringLiteral("/stores"));
    ui::MainWindow window(client, preferences, theme);

    ui::TrayIcon tray(client.store(), preferences);
    const bool trayShown = QSystemTrayIcon::isSystemTrayAvailable();
    if (trayShown)
        tray.tray().show();
    window.setTrayShown(trayShown);
    QObject::connect(&tray, &ui::TrayIcon::openRequested, &window, &ui::MainWindow::showAndRaise);
    QObject::connect(&tray, &ui::TrayIcon::quitRequested, &app, &QApplication::quit);

    app::NotificationCenter notifications(client.store(), preferences);
    // Idle after a while without input, do not disturb while quiet: what others see of the person.
    app::PresenceReporter presence(client.connection(), preferences);
    platform::TrayNotifier trayNotifier(tray.tray());
    std::unique_ptr<platform::Notifier> desktopNotifier;
#ifdef CHATTERBOX_HAS_DBUS_NOTIFICATIONS
    if (QDBusConnection::sessionBus().isConnected())
        desktopNotifier = std::make_unique<platform::DBusNotifier>(QDBusConnection::sessionBus(), &trayNotifier);
#endif
    platform::Notifier &notifier = desktopNotifier ? *desktopNotifier : static_cast<platform::Notifier &>(trayNotifier);
    QObject::connect(&notifications, &app::NotificationCenter::notify, &notifier, &platform::Notifier::show);
    QObject::connect(&notifications, &app::NotificationCenter::withdraw, &notifier, &platform::Notifier::withdraw);
    QObject::connect(&notifier, &platform::Notifier::activated, &window, [&window](const QString &partyId, const QString &topicId) {
        window.showAndRaise();
        window.goToTopic(partyId, topicId);
    });
    QObject::connect(&window, &ui::MainWindow::onScreenChanged, &notifications, &app::NotificationCenter::setOnScreen);

    QObject::connect(&instance, &platform::SingleInstance::received, &window, [&window](const QStringList &received) {
        window.showAndRaise();
        window.openLinks(received);
    });

    if (!(trayShown && (parser.isSet(minimized) || preferences.startMinimized())))
        window.show();
    window.start();
    window.openLinks(links);
    return app.exec();
}
