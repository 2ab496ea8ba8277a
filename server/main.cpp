// SPDX-License-Identifier: GPL-3.0-or-later
// chatterbox-server: wires the parts together; see docs/architecture.md.

#include "server/admin/admin.h"
#include "server/auth/signin.h"
#include "server/auth/tokens.h"
#include "server/config.h"
#include "server/db/clusterlink.h"
#include "server/db/connectionpool.h"
#include "server/db/embeddedpostgres.h"
#include "server/db/retention.h"
#include "server/db/eventlog.h"
#include "server/db/executor.h"
#include "server/db/migrations.h"
#include "server/db/searchbackfill.h"
#include "server/files/filestore.h"
#include "server/http/httpapi.h"
#include "server/logging.h"
#include "server/metrics.h"
#include "server/net/hub.h"
#include "server/net/wslistener.h"
#include "server/systemdnotify.h"
#include "shared/limits.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QHostInfo>
#include <QSocketNotifier>
#include <QTimer>

#include <pqxx/pqxx>

#include <algorithm>
#include <csignal>
#include <iostream>
#include <sched.h>
#include <cstdio>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

extern char **environ;

using namespace chatterbox::server;

namespace {

int g_signalPipe[2] = {-1, -1};

// The signal's number goes down the pipe; the event loop reads it.
void onSignal(int signal)
{
    const char byte = static_cast<char>(signal);
    [[maybe_unused]] const auto written = ::write(g_signalPipe[1], &byte, 1);
}

QHostAddress hostAddress(const std::string &host)
{
    if (host == "localhost")
        return QHostAddress(QHostAddress::LocalHost);
    return QHostAddress(QString::fromStdString(host));
}

std::vector<std::pair<std::string, std::string>> environment()
{
    std::vector<std::pair<std::string, std::string>> out;
    for (char **e = environ; *e; ++e) {
        const std::string entry(*e);
        const auto eq = entry.find('=');
        if (eq != std::string::npos)
            out.emplace_back(entry.substr(0, eq), entry.substr(eq + 1));
    }
    return out;
}

// The address people reach the HTTP side at, for links the server hands out (invites).
std::string publicBaseUrl(const ServerConfig &config, int httpPort)
{
    if (!config.publicUrl.empty())
        return config.publicUrl;
    std::string host = config.httpListen.host;
    if (host == "0.0.0.0" || host == "::")
        host = QHostInfo::localHostName().toStdString();
    else if (host.find(':') != std::string::npos)
        host = "[" + host + "]";
    return "http://" + host + ":" + std::to_string(httpPort);
}

// Every connection is a file descriptor: take as many as the system allows this process.
rlim_t raiseFileLimit()
{
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return 0;
    if (limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
        getrlimit(RLIMIT_NOFILE, &limit);
    }
    return limit.rlim_cur;
}

// A URL with its password masked, for messages.
std::string redacted(const std::string &url)
{
    const auto scheme = url.find("://");
    const auto at = url.find('@');
    if (scheme == std::string::npos || at == std::string::npos)
        return url;
    const auto colon = url.find(':', scheme + 3);
    if (colon == std::string::npos || colon > at)
        return url;
    return url.substr(0, colon + 1) + "***" + url.substr(at);
}

} // namespace

// One network thread fewer than the cores this process may run on (the hub's thread takes
// one), at most eight; none on a single core, where threads would only take turns.
static int defaultNetworkThreads()
{
    cpu_set_t cores;
    CPU_ZERO(&cores);
    const int usable = ::sched_getaffinity(0, sizeof cores, &cores) == 0 ? CPU_COUNT(&cores) : 1;
    return std::clamp(usable - 1, 0, 8);
}

int main(int argc, char *argv[])
{
    const std::vector<std::string> args(argv, argv + argc);
    // `chatterbox-server admin …`: the operator's tools, not the server.
    if (args.size() > 1 && args[1] == "admin")
        return admin::run({args.begin() + 2, args.end()}, environment(), std::cout, std::cerr);
    setUpLogging();
    const ParsedConfig parsed = parseConfig(args, environment());
    if (!parsed.config) {
        std::fputs(parsed.output.c_str(), parsed.exitCode == 0 ? stdout : stderr);
        return parsed.exitCode;
    }

    const rlim_t fileLimit = raiseFileLimit();
    // Qt's glib event dispatcher costs about 30% more CPU with thousands of sockets.
    qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("chatterbox-server"));

    // No database configured: the server brings its own, and stops it when it stops.
    std::unique_ptr<EmbeddedPostgres> ownDatabase;
    ServerConfig config = *parsed.config;
    if (config.databaseUrl.empty()) {
        ownDatabase = std::make_unique<EmbeddedPostgres>(
            config.dataDir.empty() ? EmbeddedPostgres::defaultDataDir() : QString::fromStdString(config.dataDir));
        config.databaseUrl = ownDatabase->start();
        if (config.databaseUrl.empty()) {
            std::fprintf(stderr, "chatterbox-server: %s\n", qPrintable(ownDatabase->error()));
            return 1;
        }
    }

    std::unique_ptr<TokenService> tokens;
    std::int64_t lastEventId = 0;
    try {
        pqxx::connection connection(config.databaseUrl);
        applyMigrations(connection, bundledMigrations());
        const std::string issuer = config.publicUrl.empty() ? std::string("chatterbox") : config.publicUrl;
        tokens = std::make_unique<TokenService>(issuer, config.accessTokenLifetime, config.refreshTokenLifetime, config.keyRotation);
        tokens->loadKeys(connection);
        pqxx::work tx(connection);
        lastEventId = eventlog::lastId(tx);
    } catch (const std::exception &e) {
        std::fprintf(stderr, "chatterbox-server: cannot use the database at %s: %s\n",
                     redacted(config.databaseUrl).c_str(), e.what());
        return 1;
    }

    Metrics metrics;
    HubSettings settings;
    settings.pingInterval = config.pingInterval;
    settings.idleTimeout = config.idleTimeout;
    settings.slowConsumer.maxUnsentBytes = config.maxSendQueueBytes;
    settings.slowConsumer.maxUnsentMs = std::chrono::duration_cast<std::chrono::milliseconds>(config.slowConsumerTimeout).count();
    ConnectionQuota quota(config.maxConnectionsPerUser);
    // Declared before the hub, so that they outlive the connections the hub holds.
    std::vector<std::unique_ptr<NetworkLane>> lanes;
    Hub hub(*tokens, metrics, quota, settings);
    Executor executor(config.databaseUrl, config.dbReaders, hub.eventSink(), config.dbWriters);
    hub.attach(&executor);

    // The other instances on this database. Their news arrives on the link's threads and is
    // handed to the hub's.
    const auto onHub = [&hub](auto call) { QMetaObject::invokeMethod(&hub, std::move(call), Qt::QueuedConnection); };
    ClusterLink::Handlers clusterHandlers;
    clusterHandlers.listening = [&hub, onHub](std::vector<InstancePresence> everyone) {
        onHub([&hub, everyone = std::move(everyone)] { hub.clusterListening(everyone); });
    };
    clusterHandlers.eventsCommitted = [&hub, onHub](std::int64_t upTo) { onHub([&hub, upTo] { hub.committedElsewhere(upTo); }); };
    clusterHandlers.presence = [&hub, onHub](InstancePresence changes) {
        onHub([&hub, changes = std::move(changes)] { hub.presenceElsewhere(changes); });
    };
    clusterHandlers.instanceGone = [&hub, onHub](std::string id) { onHub([&hub, id] { hub.instanceGone(id); }); };
    clusterHandlers.ephemeral = [&hub, onHub](PartyEvent event) {
        onHub([&hub, event = std::move(event)] { hub.ephemeralElsewhere(event); });
    };
    clusterHandlers.revoked = [&hub, &tokens, onHub](std::string familyId) {
        tokens->noteRevokedElsewhere(familyId);
        onHub([&hub, familyId] { hub.closeFamily(familyId); });
    };
    ClusterLink cluster(config.databaseUrl, config.instanceTimeout, std::move(clusterHandlers));
    try {
        cluster.start();
    } catch (const std::exception &e) {
        std::fprintf(stderr, "chatterbox-server: cannot register with the database at %s: %s\n",
                     redacted(config.databaseUrl).c_str(), e.what());
        return 1;
    }
    hub.attachCluster(&cluster);
    hub.startEvents(lastEventId);
    SearchBackfill searchBackfill(config.databaseUrl);
    searchBackfill.start();

    // Revocations happen on HTTP threads; the connections they end live on this one, and on
    // the other instances.
    tokens->setRevocationListener([&hub, &cluster](const std::string &familyId) {
        QMetaObject::invokeMethod(&hub, [&hub, familyId] { hub.closeFamily(familyId); }, Qt::QueuedConnection);
        cluster.revoked(familyId);
    });
    ConnectionPool httpPool(config.databaseUrl, 4);
    SignInService signIn(httpPool, *tokens, config.providers, config.dev);
    if (!config.allowSignIn.empty()) {
        SignInPolicy policy;
        for (const auto &rule : config.allowSignIn)
            policy.add(rule);
        signIn.setPolicy(std::move(policy));
        qCInfo(lcAuth, "sign-in allowed only to %zu rule(s) of --allow-sign-in", config.allowSignIn.size());
    }
    const auto blobs = files::makeDatabaseBlobStore();
    files::FileStore fileStore(*blobs, files::FileLimits{config.maxFileBytes, config.fileQuotaBytes});
    HttpApi http(config, httpPool, *tokens, signIn, fileStore, metrics, executor.stats());

    // Keys rotate, and other instances' revocations arrive, through a periodic reload, done
    // on a database thread.
    QTimer keyRefresh;
    QObject::connect(&keyRefresh, &QTimer::timeout, &app, [&executor, &tokens] {
        executor.maintain([&tokens](pqxx::connection_base &connection) { tokens->refreshKeys(connection); });
    });
    keyRefresh.start(5 * 60 * 1000);
    // The bytes of deleted messages' files, and uploads never sent, go within a minute.
    QTimer fileSweep;
    QObject::connect(&fileSweep, &QTimer::timeout, &app, [&executor, &fileStore] {
        executor.maintain([&fileStore](pqxx::connection_base &connection) {
            pqxx::work tx(connection);
            if (const auto dropped = fileStore.sweep(tx))
                qCInfo(lcDb, "dropped the bytes of %zu file(s) nothing names any more", dropped);
            tx.commit();
        });
    });
    fileSweep.start(60 * 1000);
    // Retention: messages older than the server keeps go, a batch at a time, once a minute.
    QTimer retentionSweep;
    if (config.retentionDays > 0) {
        const auto sweepRetention = [&executor, &cluster, days = config.retentionDays] {
            executor.maintain([&cluster, days](pqxx::connection_base &connection) {
                if (const auto expired = retention::sweep(connection, days, cluster.instanceId()))
                    qCInfo(lcDb, "retention: deleted %zu message(s) older than %d day(s)", expired, days);
            });
        };
        QObject::connect(&retentionSweep, &QTimer::timeout, &app, sweepRetention);
        retentionSweep.start(60 * 1000);
        QTimer::singleShot(1000, &app, sweepRetention);   // what expired while it was stopped
        qCInfo(lcDb, "retention: messages older than %d day(s) are deleted", config.retentionDays);
    }
    const int httpPort = http.start(config.httpListen);
    if (httpPort == 0) {
        std::fprintf(stderr, "chatterbox-server: cannot listen for HTTP on %s:%u\n", config.httpListen.host.c_str(),
                     config.httpListen.port);
        return 1;
    }
    int metricsPort = 0;
    if (config.metricsListen) {
        metricsPort = http.startMetrics(*config.metricsListen);
        if (metricsPort == 0) {
            std::fprintf(stderr, "chatterbox-server: cannot listen for metrics on %s:%u\n", config.metricsListen->host.c_str(),
                         config.metricsListen->port);
            return 1;
        }
    }
    hub.setBaseUrl(publicBaseUrl(config, httpPort));
    HostPort wsAddress = config.wsListen.value_or(HostPort{config.httpListen.host, static_cast<std::uint16_t>(httpPort + 1)});
    // The sockets go to network threads when there are cores for them; the hub keeps its own.
    const int networkThreads = config.networkThreads >= 0 ? config.networkThreads : defaultNetworkThreads();
    std::vector<NetworkLane *> lanePointers;
    for (int i = 0; i < networkThreads; ++i) {
        NetworkLane::Settings laneSettings;
        laneSettings.limits = serverSocketLimits(settings.slowConsumer);
        laneSettings.slowConsumer = settings.slowConsumer;
        laneSettings.slowConsumerCode = chatterbox::limits::kCloseSlowConsumer;
        laneSettings.slowConsumerReason = "client too slow to read its messages";
        laneSettings.trustedProxies = {config.trustedProxies.begin(), config.trustedProxies.end()};
        lanes.push_back(std::make_unique<NetworkLane>(
            i + 1, laneSettings,
            [&tokens, &quota, &metrics](const chatterbox::ws::UpgradeRequest &request, AccessClaims &claims) {
                return admitUpgrade(*tokens, quota, metrics, request, claims);
            },
            [&hub](std::unique_ptr<SocketEnd> socket, AccessClaims claims) { hub.adopt(std::move(socket), std::move(claims)); }));
        lanePointers.push_back(lanes.back().get());
    }
    WebSocketListener listener(*tokens, hub, metrics, quota, lanePointers, serverSocketLimits(settings.slowConsumer),
                               {config.trustedProxies.begin(), config.trustedProxies.end()});
    if (!listener.listen(hostAddress(wsAddress.host), wsAddress.port)) {
        std::fprintf(stderr, "chatterbox-server: cannot listen for WebSocket on %s:%u: %s\n", wsAddress.host.c_str(),
                     wsAddress.port, listener.errorString().toLocal8Bit().constData());
        return 1;
    }
    http.setWebSocketPort(listener.serverPort());
    std::printf("chatterbox-server: listening on http://%s:%d (WebSocket ws://%s:%u/)%s\n", config.httpListen.host.c_str(),
                httpPort, wsAddress.host.c_str(), listener.serverPort(), config.dev ? " with development sign-in" : "");
    if (metricsPort != 0)
        std::printf("chatterbox-server: metrics on http://%s:%d/metrics\n", config.metricsListen->host.c_str(), metricsPort);
    qCInfo(lcNet, "open file limit %llu: room for about that many connections", static_cast<unsigned long long>(fileLimit));
    qCInfo(lcNet, "%d network thread(s) besides the hub's", networkThreads);
    std::fflush(stdout);

    // SIGINT/SIGTERM end the event loop through a pipe; nothing else is safe in a signal handler.
    // SIGHUP, which supervisors and terminals send to ask for a reload, never ends the server:
    // its settings are read at start, so it says that a restart applies them.
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalPipe) == 0) {
        auto *notifier = new QSocketNotifier(g_signalPipe[0], QSocketNotifier::Read, &app);
        QObject::connect(notifier, &QSocketNotifier::activated, &app, [] {
            char received[16];
            const auto count = ::read(g_signalPipe[0], received, sizeof received);
            for (ssize_t i = 0; i < count; ++i) {
                if (received[i] == SIGHUP) {
                    notifyServiceManager("RELOADING=1");
                    qCInfo(lcNet, "SIGHUP: the settings are read at start; restart the server to apply changed ones");
                    notifyServiceManager("READY=1");
                } else {
                    notifyServiceManager("STOPPING=1");
                    QCoreApplication::quit();
                }
            }
        });
        std::signal(SIGINT, onSignal);
        std::signal(SIGTERM, onSignal);
        std::signal(SIGHUP, onSignal);
    }
    notifyServiceManager("READY=1");
    std::signal(SIGPIPE, SIG_IGN);

    // The server's own PostgreSQL gone (killed, crashed, stopped by hand): the server cannot
    // serve without it and would not get it back, so it exits non-zero and a supervisor starts
    // both again.
    QTimer ownDatabaseWatch;
    if (ownDatabase) {
        QObject::connect(&ownDatabaseWatch, &QTimer::timeout, &app, [&ownDatabase] {
            if (ownDatabase->isRunning())
                return;
            qCCritical(lcDb, "the server's own PostgreSQL stopped; exiting so that it is started again");
            QCoreApplication::exit(3);
        });
        ownDatabaseWatch.start(1000);
    }

    const int status = app.exec();

    qCInfo(lcNet, "shutting down");
    listener.close();
    // Requests already taken are finished and answered before their connections close, so a
    // send is either acknowledged or never stored. The database gets a few seconds for them.
    hub.closeAllWhenAnswered(chatterbox::limits::kCloseServerShutdown, QStringLiteral("server shutting down"));
    QElapsedTimer drain;
    drain.start();
    while (hub.connectionCount() > 0 && drain.elapsed() < 10000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    if (hub.connectionCount() > 0)
        qCWarning(lcNet, "stopping with %zu connection(s) still open", hub.connectionCount());
    http.stop();
    searchBackfill.stop();
    cluster.stop();
    executor.stop();
    return status;
}
