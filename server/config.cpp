// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/config.h"

#include "server/auth/signinpolicy.h"

#include <QHostAddress>

#include <charconv>
#include <map>

namespace chatterbox::server {

namespace {

std::optional<long> parseInteger(const std::string &text, long min, long max)
{
    long value = 0;
    const auto *end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc() || ptr != end || value < min || value > max)
        return std::nullopt;
    return value;
}

bool truthy(const std::string &v)
{
    return v == "1" || v == "true" || v == "yes" || v == "on";
}

} // namespace

std::optional<HostPort> parseHostPort(const std::string &text)
{
    // HOST:PORT, [v6]:PORT, or :PORT (all interfaces).
    HostPort out;
    std::string portText;
    if (!text.empty() && text.front() == '[') {
        const auto close = text.find(']');
        if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':')
            return std::nullopt;
        out.host = text.substr(1, close - 1);
        portText = text.substr(close + 2);
    } else {
        const auto colon = text.rfind(':');
        if (colon == std::string::npos)
            return std::nullopt;
        out.host = text.substr(0, colon);
        portText = text.substr(colon + 1);
        if (out.host.find(':') != std::string::npos)
            return std::nullopt; // IPv6 needs brackets
        if (out.host.empty())
            out.host = "0.0.0.0";
    }
    const auto port = parseInteger(portText, 0, 65535);
    if (!port || out.host.empty())
        return std::nullopt;
    out.port = static_cast<std::uint16_t>(*port);
    return out;
}

std::string helpText()
{
    return R"(Usage: chatterbox-server [options]
       chatterbox-server admin COMMAND ...   (the operator's tools: admin --help)

The Chatterbox server: parties, topics and messages over WebSocket, stored in PostgreSQL.

Options (each also read from the environment variable shown):
  --database-url URL      PostgreSQL connection string           CHATTERBOX_DATABASE_URL
                          e.g. postgresql://chatterbox@localhost/chatterbox
                          or   postgresql:///chatterbox?host=/run/postgresql
                          Without one, the server runs its own PostgreSQL
                          (the distribution's, on a Unix socket only) in:
  --data-dir DIR          Default ~/.local/share/chatterbox/postgres CHATTERBOX_DATA_DIR
                          (/var/lib/chatterbox/postgres as root)
  --listen HOST:PORT      HTTP address (discovery, health,       CHATTERBOX_LISTEN
                          metrics, sign-in). Default 127.0.0.1:8080
  --ws-listen HOST:PORT   WebSocket address. Default: the HTTP   CHATTERBOX_WS_LISTEN
                          host and port + 1
  --metrics-listen HOST:PORT  /metrics (and /healthz) on an       CHATTERBOX_METRICS_LISTEN
                          address of their own, and not on the
                          HTTP side's. Default: on the HTTP side
  --public-url URL        Base URL clients reach the HTTP side   CHATTERBOX_PUBLIC_URL
                          at (behind a proxy). Default http://<listen>
  --trusted-proxy ADDR    A proxy whose X-Forwarded-For is        CHATTERBOX_TRUSTED_PROXIES
                          believed (an exact address; repeat     (addresses separated
                          for more). Others' is ignored.          by commas)
  --dev                   Enable the development sign-in          CHATTERBOX_DEV=1
                          provider (loopback clients only)
  --provider SPEC         A sign-in provider; repeat for more.    CHATTERBOX_PROVIDERS
                          SPEC is key=value pairs separated by    (SPECs separated by
                          commas, e.g.                            newlines or ';')
                          type=google,client-id=ID,client-secret-file=FILE
                          type=github,client-id=ID,client-secret=SECRET
                          type=oidc,id=acme,name=Acme SSO,issuer=https://login.acme.example,
                            client-id=ID,client-secret-file=FILE
                          See docs/operating.md for every key.
  --allow-sign-in RULE    Only these sign in; repeat for more:    CHATTERBOX_ALLOW_SIGN_IN
                          provider:ID, domain:example.org (a     (RULEs separated by
                          verified e-mail address there) or      commas)
                          person:PROVIDER:SUBJECT. Default: anyone
  --signing-key-rotation-days N  New token signing key after N    CHATTERBOX_SIGNING_KEY_ROTATION_DAYS
                          days (default 30)
  --db-readers N          Database reader threads (default 2)    CHATTERBOX_DB_READERS
  --db-writers N          Database writer threads, each its own  CHATTERBOX_DB_WRITERS
                          group commit (default 1)
  --network-threads N     Threads owning the sockets, besides    CHATTERBOX_NETWORK_THREADS
                          the hub's; 0: all on the hub's thread
                          (default: one fewer than the cores the
                          process may use, at most 8)
  --ping-interval SEC     WebSocket ping interval (default 25)   CHATTERBOX_PING_INTERVAL
  --idle-timeout SEC      Close a connection silent this long    CHATTERBOX_IDLE_TIMEOUT
                          (default 60)
  --access-token-ttl SEC  Access token lifetime (default 900)    CHATTERBOX_ACCESS_TOKEN_TTL
  --instance-timeout SEC  Another instance silent this long is   CHATTERBOX_INSTANCE_TIMEOUT
                          taken for dead (default 20)
  --max-connections-per-user N  (default 20)                      CHATTERBOX_MAX_CONNECTIONS_PER_USER
  --slow-consumer-timeout SEC  Close a connection that leaves     CHATTERBOX_SLOW_CONSUMER_TIMEOUT
                          what it is sent unread this long (default 30)
  --max-send-queue-bytes N  Unsent bytes a connection may hold    CHATTERBOX_MAX_SEND_QUEUE_BYTES
                          (default 67108864); its requests wait
                          while it holds a sixteenth of that
  --max-file-bytes N      Largest file a person can share        CHATTERBOX_MAX_FILE_BYTES
                          (default 26214400, 25 MiB)
  --file-quota-bytes N    All of one person's files together     CHATTERBOX_FILE_QUOTA_BYTES
                          (default 1073741824, 1 GiB)
  --retention-days N      Delete messages older than N days        CHATTERBOX_RETENTION_DAYS
                          (and the change log's copies); 0, the
                          default, keeps everything
  --help                  Show this help
  --version               Show the version

Use port 0 to let the system choose; the chosen addresses are printed on start.
Logging: QT_LOGGING_RULES="chatterbox.*.debug=true" for more detail.
)";
}

ParsedConfig parseConfig(const std::vector<std::string> &args, const std::vector<std::pair<std::string, std::string>> &environment)
{
    ParsedConfig result;
    const auto fail = [&](const std::string &message) {
        result.config.reset();
        result.exitCode = 2;
        result.output = "chatterbox-server: " + message + "\nTry 'chatterbox-server --help'.\n";
        return result;
    };

    // Environment first; the command line overrides it.
    static const std::map<std::string, std::string> kEnvToOption = {
        {"CHATTERBOX_DATABASE_URL", "--database-url"}, {"CHATTERBOX_DATA_DIR", "--data-dir"}, {"CHATTERBOX_LISTEN", "--listen"},
        {"CHATTERBOX_WS_LISTEN", "--ws-listen"}, {"CHATTERBOX_PUBLIC_URL", "--public-url"},
        {"CHATTERBOX_METRICS_LISTEN", "--metrics-listen"},
        {"CHATTERBOX_TRUSTED_PROXIES", "--trusted-proxy"},
        {"CHATTERBOX_DEV", "--dev"}, {"CHATTERBOX_PROVIDERS", "--provider"}, {"CHATTERBOX_DB_READERS", "--db-readers"},
        {"CHATTERBOX_DB_WRITERS", "--db-writers"}, {"CHATTERBOX_NETWORK_THREADS", "--network-threads"},
        {"CHATTERBOX_PING_INTERVAL", "--ping-interval"}, {"CHATTERBOX_IDLE_TIMEOUT", "--idle-timeout"},
        {"CHATTERBOX_ACCESS_TOKEN_TTL", "--access-token-ttl"}, {"CHATTERBOX_INSTANCE_TIMEOUT", "--instance-timeout"},
        {"CHATTERBOX_MAX_CONNECTIONS_PER_USER", "--max-connections-per-user"}, {"CHATTERBOX_RETENTION_DAYS", "--retention-days"},
        {"CHATTERBOX_MAX_SEND_QUEUE_BYTES", "--max-send-queue-bytes"},
        {"CHATTERBOX_SLOW_CONSUMER_TIMEOUT", "--slow-consumer-timeout"},
        {"CHATTERBOX_SIGNING_KEY_ROTATION_DAYS", "--signing-key-rotation-days"},
        {"CHATTERBOX_MAX_FILE_BYTES", "--max-file-bytes"}, {"CHATTERBOX_FILE_QUOTA_BYTES", "--file-quota-bytes"},
        {"CHATTERBOX_ALLOW_SIGN_IN", "--allow-sign-in"},
    };
    bool slowConsumerTimeoutGiven = false;
    std::vector<std::pair<std::string, std::string>> options;
    for (const auto &[name, value] : environment) {
        const auto it = kEnvToOption.find(name);
        if (it == kEnvToOption.end())
            continue;
        if (name == "CHATTERBOX_TRUSTED_PROXIES" || name == "CHATTERBOX_ALLOW_SIGN_IN") {
            std::string address;
            for (char c : value + ",") {
                if (c == ',') {
                    if (!address.empty())
                        options.emplace_back(it->second, address);
                    address.clear();
                } else if (c != ' ' && c != '\t') {
                    address += c;
                }
            }
        } else if (name == "CHATTERBOX_PROVIDERS") {
            std::string spec;
            for (char c : value + ";") {
                if (c == ';' || c == '\n') {
                    if (spec.find_first_not_of(" \t\r") != std::string::npos)
                        options.emplace_back("--provider", spec);
                    spec.clear();
                } else {
                    spec += c;
                }
            }
        } else if (it->second == "--dev") {
            if (truthy(value))
                options.emplace_back("--dev", "");
        } else {
            options.emplace_back(it->second, value);
        }
    }
    for (std::size_t i = 1; i < args.size(); ++i) {
        std::string arg = args[i];
        std::string value;
        const bool isFlag = arg == "--dev" || arg == "--help" || arg == "-h" || arg == "--version";
        if (!isFlag) {
            const auto eq = arg.find('=');
            if (arg.rfind("--", 0) == 0 && eq != std::string::npos) {
                value = arg.substr(eq + 1);
                arg = arg.substr(0, eq);
            } else if (arg.rfind("--", 0) == 0) {
                if (i + 1 >= args.size())
                    return fail("option " + arg + " needs a value");
                value = args[++i];
            } else {
                return fail("unexpected argument '" + arg + "'");
            }
        }
        options.emplace_back(arg, value);
    }

    ServerConfig config;
    for (const auto &[option, value] : options) {
        if (option == "--help" || option == "-h") {
            result.output = helpText();
            return result;
        }
        if (option == "--version") {
            result.output = "chatterbox-server " CHATTERBOX_VERSION "\n";
            return result;
        }
        if (option == "--database-url") {
            config.databaseUrl = value;
        } else if (option == "--data-dir") {
            if (value.empty())
                return fail("--data-dir needs a directory");
            config.dataDir = value;
        } else if (option == "--listen" || option == "--ws-listen" || option == "--metrics-listen") {
            const auto hp = parseHostPort(value);
            if (!hp)
                return fail(option + " expects HOST:PORT, got '" + value + "'");
            if (option == "--listen")
                config.httpListen = *hp;
            else if (option == "--ws-listen")
                config.wsListen = *hp;
            else
                config.metricsListen = *hp;
        } else if (option == "--public-url") {
            if (value.rfind("http://", 0) != 0 && value.rfind("https://", 0) != 0)
                return fail("--public-url must start with http:// or https://");
            config.publicUrl = value;
            while (!config.publicUrl.empty() && config.publicUrl.back() == '/')
                config.publicUrl.pop_back();
        } else if (option == "--trusted-proxy") {
            // An address as the server will see the peer: IPv4 dotted, or IPv6 as Qt writes it.
            const QHostAddress address(QString::fromStdString(value));
            if (address.isNull())
                return fail("--trusted-proxy needs an IP address, not '" + value + "'");
            QString text = address.toString();
            if (text.startsWith(QLatin1String("::ffff:")))
                text = text.mid(7);
            config.trustedProxies.push_back(text.toStdString());
        } else if (option == "--dev") {
            config.dev = true;
        } else if (option == "--allow-sign-in") {
            if (const auto error = SignInPolicy::check(value))
                return fail("--allow-sign-in: " + *error);
            config.allowSignIn.push_back(value);
        } else if (option == "--provider") {
            std::string error;
            auto provider = parseProviderSpec(value, &error);
            if (!provider)
                return fail("--provider: " + error);
            for (const auto &p : config.providers) {
                if (p.id == provider->id)
                    return fail("--provider: two providers with the id '" + p.id + "'");
            }
            config.providers.push_back(std::move(*provider));
        } else {
            static const std::map<std::string, std::pair<long, long>> kRanges = {
                {"--db-readers", {1, 64}}, {"--db-writers", {1, 16}}, {"--ping-interval", {1, 3600}}, {"--idle-timeout", {2, 7200}},
                {"--access-token-ttl", {10, 24 * 3600}}, {"--max-connections-per-user", {1, 10000}},
                {"--max-send-queue-bytes", {16L << 20, 1L << 32}}, {"--slow-consumer-timeout", {1, 3600}}, {"--signing-key-rotation-days", {1, 3650}},
                {"--instance-timeout", {2, 3600}}, {"--network-threads", {0, 64}},
                {"--max-file-bytes", {0, 1L << 32}}, {"--file-quota-bytes", {0, 1L << 50}}, {"--retention-days", {0, 36500}},
            };
            const auto range = kRanges.find(option);
            if (range == kRanges.end())
                return fail("unknown option " + option);
            const auto n = parseInteger(value, range->second.first, range->second.second);
            if (!n)
                return fail(option + " expects a number from " + std::to_string(range->second.first) + " to "
                            + std::to_string(range->second.second) + ", got '" + value + "'");
            if (option == "--db-readers") config.dbReaders = static_cast<int>(*n);
            else if (option == "--db-writers") config.dbWriters = static_cast<int>(*n);
            else if (option == "--network-threads") config.networkThreads = static_cast<int>(*n);
            else if (option == "--ping-interval") config.pingInterval = std::chrono::seconds(*n);
            else if (option == "--idle-timeout") config.idleTimeout = std::chrono::seconds(*n);
            else if (option == "--access-token-ttl") config.accessTokenLifetime = std::chrono::seconds(*n);
            else if (option == "--instance-timeout") config.instanceTimeout = std::chrono::seconds(*n);
            else if (option == "--max-send-queue-bytes") config.maxSendQueueBytes = static_cast<std::size_t>(*n);
            else if (option == "--slow-consumer-timeout") {
                config.slowConsumerTimeout = std::chrono::seconds(*n);
                slowConsumerTimeoutGiven = true;
            }
            else if (option == "--signing-key-rotation-days") config.keyRotation = std::chrono::seconds(*n * 24 * 3600);
            else if (option == "--max-file-bytes") config.maxFileBytes = *n;
            else if (option == "--file-quota-bytes") config.fileQuotaBytes = *n;
            else if (option == "--retention-days") config.retentionDays = static_cast<int>(*n);
            else config.maxConnectionsPerUser = static_cast<int>(*n);
        }
    }
    if (config.idleTimeout <= config.pingInterval)
        return fail("--idle-timeout must be longer than --ping-interval");
    // A client too far behind is not read (back-pressure), so its pongs wait too: the slow
    // consumer rule must judge it before silence does.
    if (!slowConsumerTimeoutGiven)
        config.slowConsumerTimeout = std::max(std::chrono::seconds(1), std::min(config.slowConsumerTimeout, config.idleTimeout / 2));
    if (config.slowConsumerTimeout >= config.idleTimeout)
        return fail("--slow-consumer-timeout must be shorter than --idle-timeout");
    result.config = std::move(config);
    return result;
}

} // namespace chatterbox::server
