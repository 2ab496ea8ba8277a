// chatterbox: the desktop app.

#include "app/core/client.h"
#include "app/core/keychainsecretstore.h"
#include "app/core/preferences.h"
#include "app/ui/mainwindow.h"
#include "app/ui/systembrowser.h"
#include "app/ui/theme.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QLibraryInfo>
#include <QLocale>
#include <QStandardPaths>
#include <QTranslator>

using namespace chatterbox;

int main(int argc, char *argv[])
{
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
    parser.addOption(server);
    parser.process(app);

    app::Preferences preferences;
    ui::Theme theme(app);
    theme.setChoice(preferences.theme());

    const QString dataDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(dataDir);
    app::KeychainSecretStore secrets(QStringLiteral("Chatterbox"));
    app::SystemBrowser browser;
    app::Client client(secrets, browser, dataDir + QStringLiteral("/outbox.json"));

    ui::MainWindow window(client, preferences, theme);
    if (parser.isSet(server))
        preferences.setServerUrl(parser.value(server));
    window.show();
    window.start();
    return app.exec();
}
