// SPDX-License-Identifier: GPL-3.0-or-later
// chatterbox-start-bench: how long the real app takes from being started to a usable window.
// Writes, as the app writes it, a local store of N messages (100,000 by default) over T topics
// (50), with replies and reactions, in a home of its own (XDG_CONFIG_HOME, XDG_DATA_HOME,
// XDG_RUNTIME_DIR under a temporary directory), with the server address at a port where nothing
// listens, and starts the chatterbox binary again and again. Each run is timed from the start of
// the process to the first paint of the last topic's messages, which the app notes on its
// chatterbox.startup log category; then the same without the store (the window a person sees
// first without one: the sign-in page). Prints the median, 90th percentile and worst; with
// --json FILE also writes them. Runs with any Qt platform (offscreen when there is no display).

#include "app/core/localstore.h"
#include "app/core/preferences.h"
#include "app/core/serverinfo.h"
#include "app/core/store.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <iterator>
#include <optional>
#include <vector>

using namespace chatterbox;

namespace {

// Nothing listens here: the app starts offline, as on a train, and shows what it kept.
const QString kServer = QStringLiteral("http://127.0.0.1:1");
const std::string kMe = "00000000-0000-4000-8000-000000000001";
const std::string kParty = "00000000-0000-4000-8000-00000000aaaa";

std::string uuid(int kind, int n)
{
    char out[40];
    std::snprintf(out, sizeof out, "00000000-0000-4000-%04x-%012x", 0x8000 + kind, n);
    return out;
}

std::string topicId(int t) { return uuid(1, t); }
std::string personId(int p) { return p == 0 ? kMe : uuid(2, p); }

protocol::Message message(int topic, std::int64_t seq)
{
    static const char *const lines[] = {
        "morning all",
        "The **draft** is in the shared folder, comments welcome before *Friday*.",
        "https://example.org/agenda has the order of the day",
        "ran `ctest` again, two flaky ones left",
        "Options:\n- keep the old layout\n- move the sidebar left\n- ask the others",
        "ok",
        "Could whoever has the spare keys leave them at the front desk? I am in late tomorrow and would rather not wake anyone.",
    };
    protocol::Message m;
    m.topicId = topicId(topic);
    m.partyId = kParty;
    m.seq = seq;
    m.rev = seq;
    m.id = uuid(3, topic * 100000 + static_cast<int>(seq));
    m.authorId = personId(static_cast<int>(seq % 6));
    m.clientMsgId = "c-" + m.id;
    m.body = lines[seq % std::size(lines)];
    m.createdAt = 1795800000000 + seq * 60000;
    if (seq % 10 == 3 && seq > 5) {
        m.replyTo = protocol::ReplyPreview{uuid(3, topic * 100000 + static_cast<int>(seq - 5)), seq - 5,
                                           personId(static_cast<int>((seq - 5) % 6)), lines[(seq - 5) % std::size(lines)], false};
    }
    if (seq % 10 == 7)
        m.reactions = {{"\xF0\x9F\x91\x8D", {personId(1), personId(2)}}, {"\xF0\x9F\x8E\x89", {kMe}}};
    return m;
}

// The store a person has after reading every topic: one party, its members, every message.
bool writeStore(const QString &path, int topics, int messages)
{
    app::Store store;
    app::LocalStore local(store);
    local.open(path);
    if (!local.isOpen())
        return false;
    const int perTopic = std::max(1, messages / topics);
    protocol::Ready ready;
    ready.protocol = 1;
    ready.me = {kMe, "Me", {}, {}};
    protocol::Party party;
    party.id = kParty;
    party.name = "Office";
    party.ownerId = kMe;
    for (int t = 0; t < topics; ++t)
        party.topics.push_back({topicId(t), kParty, "topic-" + std::to_string(t), t, perTopic, perTopic});
    for (int p = 0; p < 6; ++p) {
        protocol::Member member;
        member.userId = personId(p);
        member.displayName = p == 0 ? "Me" : "Person " + std::to_string(p);
        party.members.push_back(member);
    }
    ready.parties = {party};
    for (int t = 0; t < topics; ++t)
        ready.readStates.push_back({topicId(t), perTopic, 0, 0});
    store.applyReady(ready);
    for (int t = 0; t < topics; ++t) {
        protocol::History history;
        history.topicId = topicId(t);
        for (std::int64_t s = 1; s <= perTopic; ++s)
            history.messages.push_back(message(t, s));
        store.applyHistory(history, true);
        local.flush();
    }
    local.close();
    return true;
}

struct Run {
    double ms = -1;
    QString shown;
};

// One start of the app, timed to its "shown:" line; the app is stopped then.
Run startOnce(const QString &appPath, const QProcessEnvironment &env)
{
    QProcess app;
    app.setProcessEnvironment(env);
    app.setProcessChannelMode(QProcess::SeparateChannels);
    app.setReadChannel(QProcess::StandardError);
    QElapsedTimer clock;
    clock.start();
    app.start(appPath, {});
    Run run;
    QByteArray err;
    while (clock.elapsed() < 20000 && app.state() != QProcess::NotRunning) {
        app.waitForReadyRead(100);
        err += app.readAllStandardError();
        const qsizetype at = err.indexOf("shown: ");
        if (at >= 0 && err.indexOf('\n', at) > at) {
            run.ms = static_cast<double>(clock.nsecsElapsed()) / 1e6;
            run.shown = QString::fromUtf8(err.mid(at, err.indexOf('\n', at) - at));
            break;
        }
    }
    app.kill();
    app.waitForFinished(5000);
    if (run.ms < 0)
        std::fprintf(stderr, "the app did not show a window; its output:\n%s\n", err.constData());
    return run;
}

struct Summary {
    double median = 0, p90 = 0, worst = 0;
    QString shown;
};

Summary summarize(std::vector<double> ms, const QString &shown)
{
    std::sort(ms.begin(), ms.end());
    Summary s;
    s.shown = shown;
    if (ms.empty())
        return s;
    s.median = ms[ms.size() / 2];
    s.p90 = ms[std::min(ms.size() - 1, ms.size() * 9 / 10)];
    s.worst = ms.back();
    return s;
}

std::optional<Summary> measure(const QString &appPath, const QProcessEnvironment &env, int runs)
{
    startOnce(appPath, env);   // the binary and its libraries into the page cache
    std::vector<double> ms;
    QString shown;
    for (int i = 0; i < runs; ++i) {
        const Run run = startOnce(appPath, env);
        if (run.ms < 0)
            return std::nullopt;
        ms.push_back(run.ms);
        shown = run.shown;
    }
    return summarize(ms, shown);
}

} // namespace

int main(int argc, char *argv[])
{
    // Everything the app reads and writes lives here, the person's own files untouched.
    QTemporaryDir home;
    const QString root = home.path();
    for (const char *dir : {"config", "data", "cache", "run"})
        QDir(root).mkpath(QString::fromLatin1(dir));
    QFile::setPermissions(root + QStringLiteral("/run"), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    qputenv("HOME", root.toLocal8Bit());
    qputenv("XDG_CONFIG_HOME", (root + QStringLiteral("/config")).toLocal8Bit());
    qputenv("XDG_DATA_HOME", (root + QStringLiteral("/data")).toLocal8Bit());
    qputenv("XDG_CACHE_HOME", (root + QStringLiteral("/cache")).toLocal8Bit());
    qputenv("XDG_RUNTIME_DIR", (root + QStringLiteral("/run")).toLocal8Bit());

    QCoreApplication bench(argc, argv);
    // The app's names, so that the paths below are the app's own.
    QCoreApplication::setOrganizationName(QStringLiteral("Chatterbox"));
    QCoreApplication::setApplicationName(QStringLiteral("chatterbox"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Times the app's start to a usable window, with a local store and without."));
    parser.addHelpOption();
    const QCommandLineOption appOption(QStringLiteral("app"), QStringLiteral("The chatterbox binary (default: the build's)."), QStringLiteral("path"));
    const QCommandLineOption messagesOption(QStringLiteral("messages"), QStringLiteral("Messages in the store (default 100000)."), QStringLiteral("n"), QStringLiteral("100000"));
    const QCommandLineOption topicsOption(QStringLiteral("topics"), QStringLiteral("Topics they are spread over (default 50)."), QStringLiteral("n"), QStringLiteral("50"));
    const QCommandLineOption runsOption(QStringLiteral("runs"), QStringLiteral("Starts measured of each kind (default 20)."), QStringLiteral("n"), QStringLiteral("20"));
    const QCommandLineOption jsonOption(QStringLiteral("json"), QStringLiteral("Also write the numbers to this file."), QStringLiteral("file"));
    parser.addOptions({appOption, messagesOption, topicsOption, runsOption, jsonOption});
    parser.process(bench);

    const QString appPath = parser.isSet(appOption) ? parser.value(appOption)
                                                    : QCoreApplication::applicationDirPath() + QStringLiteral("/../app/chatterbox");
    if (!QFileInfo(appPath).isExecutable()) {
        std::fprintf(stderr, "no app at %s (give --app)\n", qPrintable(appPath));
        return 2;
    }
    const int messages = std::max(1, parser.value(messagesOption).toInt());
    const int topics = std::clamp(parser.value(topicsOption).toInt(), 1, messages);
    const int runs = std::max(1, parser.value(runsOption).toInt());

    const QString storeDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/stores");
    const QString storePath = app::LocalStore::fileFor(storeDir, app::normalizeServerUrl(kServer));
    QElapsedTimer writing;
    writing.start();
    if (!writeStore(storePath, topics, messages)) {
        std::fprintf(stderr, "could not write the store at %s\n", qPrintable(storePath));
        return 1;
    }
    std::printf("store: %d messages over %d topics, %.1f MB, written in %.1f s\n", messages, topics,
                static_cast<double>(QFileInfo(storePath).size()) / 1e6, static_cast<double>(writing.elapsed()) / 1000.0);
    {
        app::Preferences preferences;
        preferences.setServerUrl(kServer);
        // The last topic, somewhere in the middle of the list.
        preferences.setLastTopicId(QString::fromStdString(topicId(topics / 2)));
    }

    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("chatterbox.startup.info=true"));
    // No session bus to find (or to start one through X11) for each run.
    env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), QStringLiteral("unix:path=") + root + QStringLiteral("/no-bus"));
    if (!env.contains(QStringLiteral("QT_QPA_PLATFORM")) && !env.contains(QStringLiteral("DISPLAY")) && !env.contains(QStringLiteral("WAYLAND_DISPLAY")))
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));

    const auto withStore = measure(appPath, env, runs);
    QFile::rename(storePath, storePath + QStringLiteral(".away"));
    const auto withoutStore = measure(appPath, env, runs);
    if (!withStore || !withoutStore)
        return 1;

    std::printf("%-44s %9s %9s %9s\n", "start to a usable window (ms)", "median", "p90", "worst");
    std::printf("%-44s %9.1f %9.1f %9.1f   (%s)\n", "with the store, offline", withStore->median, withStore->p90, withStore->worst,
                qPrintable(withStore->shown));
    std::printf("%-44s %9.1f %9.1f %9.1f   (%s)\n", "without a store", withoutStore->median, withoutStore->p90, withoutStore->worst,
                qPrintable(withoutStore->shown));

    if (parser.isSet(jsonOption)) {
        auto summary = [](const Summary &s) {
            return QJsonObject{{QStringLiteral("medianMs"), s.median}, {QStringLiteral("p90Ms"), s.p90}, {QStringLiteral("worstMs"), s.worst}};
        };
        const QJsonObject out{{QStringLiteral("messages"), messages}, {QStringLiteral("topics"), topics}, {QStringLiteral("runs"), runs},
                              {QStringLiteral("withStore"), summary(*withStore)}, {QStringLiteral("withoutStore"), summary(*withoutStore)}};
        QFile file(parser.value(jsonOption));
        if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(out).toJson()) < 0) {
            std::fprintf(stderr, "could not write %s\n", qPrintable(parser.value(jsonOption)));
            return 1;
        }
    }
    return 0;
}
