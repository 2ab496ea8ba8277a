// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/auth/providers.h"
#include "shared/limits.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace chatterbox::server {

struct HostPort {
    std::string host;
    std::uint16_t port = 0;
};

struct ServerConfig {
    std::string databaseUrl;   // empty: the server runs its own PostgreSQL in dataDir
    std::string dataDir;
    HostPort httpListen{"127.0.0.1", 8080};
    std::optional<HostPort> wsListen;          // default: the HTTP host, port + 1
    std::optional<HostPort> metricsListen;     // default: /metrics on the HTTP side
    std::string publicUrl;                     // the base URL clients use; default http://<listen>
    // Proxies (their exact addresses) whose X-Forwarded-For names the client; connections from
    // them are not held to the per-address cap.
    std::vector<std::string> trustedProxies;
    bool dev = false;
    int dbReaders = 2;
    int dbWriters = 1;          // a person's writes always go to the same one, in order
    // Threads that own the sockets (besides the hub's): -1 picks by the cores the process may
    // use (one fewer than them, at most 8); 0 keeps the sockets on the hub's thread.
    int networkThreads = -1;
    std::chrono::seconds pingInterval{25};
    std::chrono::seconds idleTimeout{60};
    std::chrono::seconds accessTokenLifetime{15 * 60};
    std::chrono::seconds refreshTokenLifetime{30 * 24 * 3600};
    int maxConnectionsPerUser = 20;
    std::int64_t maxFileBytes = limits::kDefaultMaxFileBytes;
    std::int64_t fileQuotaBytes = limits::kDefaultFileQuotaBytes;
    std::size_t maxSendQueueBytes = 64 * 1024 * 1024;            // memory ceiling per connection
    std::chrono::seconds slowConsumerTimeout{30};                  // oldest unsent frame's age
    std::vector<ProviderConfig> providers;
    std::vector<std::string> allowSignIn;   // SignInPolicy rules; none: anyone may sign in
    std::chrono::seconds keyRotation{30 * 24 * 3600};
    // Other instances on the same database are taken for dead after this long without a
    // heartbeat (they beat four times per timeout); their people's presence ends then.
    std::chrono::seconds instanceTimeout{20};
    // Messages older than this many days are deleted (with the change log's copies); 0 keeps
    // everything.
    int retentionDays = 0;
};

struct ParsedConfig {
    std::optional<ServerConfig> config;  // empty when the program should exit
    int exitCode = 0;
    std::string output;                  // --help / --version text, or the error
};

// Reads the command line, falling back to CHATTERBOX_* environment variables.
// Bad values give a message naming the option and exit code 2; nothing else happens.
ParsedConfig parseConfig(const std::vector<std::string> &args, const std::vector<std::pair<std::string, std::string>> &environment);

std::optional<HostPort> parseHostPort(const std::string &text);

std::string helpText();

} // namespace chatterbox::server
