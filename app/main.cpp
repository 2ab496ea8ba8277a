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

using namespace chatterbox;

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

    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Chatterbox"));
    QApplication::setApplicationName(QStringLiteral("chatterbox"));
    QApplication::setApplicationDisplayName(QStringLiteral("Chatterbox"));
    QApplication::setApplicationVersion(QStringLiteral(CHATTERBOX_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("chatterbox"));

    QTranslator qtTranslator;
    if (qtTranslator.load(QLocale(), QStringLiteral("qtbase"), QStringLiteral("_"), QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(&qtTranslator);
    QTranslator translator;
    if (translator.load(QLocale(), QStringLiteral("chatterbox"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        QApplication::installTranslator(&translator);

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "Group chat on a server you run yourself."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption server(QStringLiteral("server"),
                                    QApplication::translate("main", "Open the sign-in for this server address."),
                                    QApplication::translate("main", "url"));
    const QCommandLineOption minimized(QStringLiteral("minimized"), QApplication::translate("main", "Start in the tray, without the window."));
    parser.addOption(server);
    parser.addOption(minimized);
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
