// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/metrics.h"

#include "server/db/executor.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <sstream>

#include <sys/resource.h>
#include <unistd.h>

namespace chatterbox::server {

namespace {

// A label value as Prometheus's text format writes it: backslash, quote and newline escaped.
std::string labelValue(std::string_view text)
{
    std::string out;
    for (const char c : text) {
        if (c == '\\' || c == '"')
            out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out;
}

// A number the way Prometheus reads it without losing precision (not 1.23457e+06).
std::string number(double value)
{
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.17g", value);
    return buffer;
}

struct ProcessFigures {
    double cpuSeconds = 0;
    std::int64_t residentBytes = 0;
    std::int64_t virtualBytes = 0;
    std::int64_t openFds = 0;
    std::int64_t maxFds = 0;
};

ProcessFigures processFigures()
{
    ProcessFigures f;
    rusage usage{};
    if (::getrusage(RUSAGE_SELF, &usage) == 0)
        f.cpuSeconds = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
                       + static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    std::ifstream statm("/proc/self/statm");
    std::int64_t pages = 0, resident = 0;
    if (statm >> pages >> resident) {
        const auto pageSize = static_cast<std::int64_t>(::sysconf(_SC_PAGESIZE));
        f.virtualBytes = pages * pageSize;
        f.residentBytes = resident * pageSize;
    }
    std::error_code error;
    for (auto it = std::filesystem::directory_iterator("/proc/self/fd", error); !error && it != std::filesystem::directory_iterator();
         it.increment(error))
        ++f.openFds;
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0)
        f.maxFds = static_cast<std::int64_t>(limit.rlim_cur);
    return f;
}

} // namespace

void Histogram::observe(double seconds)
{
    std::size_t i = 0;
    while (i < kBuckets.size() && seconds > kBuckets[i])
        ++i;
    ++m_buckets[i];
    m_micros += static_cast<std::int64_t>(seconds * 1e6);
    ++m_count;
}

void Histogram::render(std::ostream &out, const char *name, const char *help) const
{
    out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << " histogram\n";
    std::int64_t cumulative = 0;
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
        cumulative += m_buckets[i];
        out << name << "_bucket{le=\"" << number(kBuckets[i]) << "\"} " << cumulative << '\n';
    }
    cumulative += m_buckets[kBuckets.size()];
    out << name << "_bucket{le=\"+Inf\"} " << cumulative << '\n';
    // Microseconds as a decimal fraction, exactly: no rounding to six significant digits.
    const std::int64_t micros = m_micros;
    out << name << "_sum " << micros / 1000000 << '.' << std::setw(6) << std::setfill('0') << micros % 1000000 << std::setfill(' ') << '\n';
    out << name << "_count " << m_count << '\n';
}

Metrics::Metrics()
    : m_startTime(static_cast<double>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                          std::chrono::system_clock::now().time_since_epoch()).count()) / 1000.0)
{
}

void Metrics::countRequest(std::string_view type, std::string_view result)
{
    std::lock_guard lock(m_mutex);
    ++m_requestsByType[{type, result}];
}

void Metrics::countClose(int code)
{
    const bool known = (code >= 1000 && code <= 1015) || (code >= 4000 && code <= 4099);
    std::lock_guard lock(m_mutex);
    ++m_closes[code < 0 ? std::string("client") : known ? std::to_string(code) : std::string("other")];
}

void Metrics::countHttp(std::string_view method, std::string_view route, int status)
{
    std::lock_guard lock(m_mutex);
    ++m_http[{std::string(method), std::string(route), status}];
}

std::string Metrics::render(const ExecutorStats &db, bool databaseUp) const
{
    std::ostringstream out;
    const auto gauge = [&](const char *name, const char *help, const char *type, std::int64_t value) {
        out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n' << name << ' ' << value << '\n';
    };
    const auto real = [&](const char *name, const char *help, const char *type, double value) {
        out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n' << name << ' ' << number(value) << '\n';
    };
    out << "# HELP chatterbox_build_info The version of chatterbox-server running.\n# TYPE chatterbox_build_info gauge\n"
        << "chatterbox_build_info{version=\"" << labelValue(CHATTERBOX_VERSION) << "\"} 1\n";
    gauge("chatterbox_connections", "Open WebSocket connections.", "gauge", connectionsOpen);
    gauge("chatterbox_connections_accepted_total", "WebSocket connections accepted.", "counter", connectionsAccepted);
    gauge("chatterbox_handshakes_rejected_total", "WebSocket upgrades refused (bad token, limits).", "counter", handshakesRejected);
    gauge("chatterbox_messages_stored_total", "Messages committed to the database.", "counter", messagesStored);
    gauge("chatterbox_events_delivered_total", "Event frames queued to clients.", "counter", eventsDelivered);
    gauge("chatterbox_requests_total", "Requests answered.", "counter", requests);
    gauge("chatterbox_request_errors_total", "Requests answered with an error.", "counter", requestErrors);
    gauge("chatterbox_slow_consumers_closed_total", "Connections closed for not reading.", "counter", slowConsumersClosed);
    gauge("chatterbox_invite_lookups_failed_total", "Invite codes looked up that did not work.", "counter", inviteLookupsFailed);
    gauge("chatterbox_invite_lookups_throttled_total", "Invite look-ups refused for too many failures.", "counter", inviteLookupsThrottled);
    gauge("chatterbox_db_up", "1 when the database answered the last health check.", "gauge", databaseUp ? 1 : 0);
    gauge("chatterbox_db_reachable", "1 unless the database threads found the database unreachable.", "gauge",
          db.health.isUp() ? 1 : 0);
    gauge("chatterbox_db_outages_total", "Times the database threads found the database gone.", "counter", db.health.outages());
    gauge("chatterbox_db_unavailable_total", "Requests refused as unavailable because the database was unreachable.",
          "counter", db.health.refusedTotal());
    gauge("chatterbox_db_write_queue", "Writes waiting for the writer thread.", "gauge", db.writeQueue);
    gauge("chatterbox_db_read_queue", "Reads waiting for a reader thread.", "gauge", db.readQueue);
    gauge("chatterbox_db_commits_total", "Write transactions committed (each may hold several requests).", "counter", db.commits);
    gauge("chatterbox_db_failures_total", "Write transactions that failed.", "counter", db.failures);
    gauge("chatterbox_db_batches_retried_total", "Write batches run again request by request because one of them failed.",
          "counter", db.retriedBatches);
    gauge("chatterbox_db_connections_lost_total", "Database connections of the database threads found broken and made again.",
          "counter", db.reconnects);
    m_requestSeconds.render(out, "chatterbox_request_duration_seconds", "Time from a request frame to its reply.");
    db.writeSeconds.render(out, "chatterbox_db_write_seconds", "Time a write transaction (a group commit) took, to its commit.");
    db.readSeconds.render(out, "chatterbox_db_read_seconds", "Time a read transaction took.");
    {
        std::lock_guard lock(m_mutex);
        out << "# HELP chatterbox_requests_by_type_total Requests answered, by type and result (ok or the error code).\n"
               "# TYPE chatterbox_requests_by_type_total counter\n";
        for (const auto &[key, count] : m_requestsByType)
            out << "chatterbox_requests_by_type_total{type=\"" << labelValue(key.first) << "\",result=\"" << labelValue(key.second) << "\"} "
                << count << '\n';
        out << "# HELP chatterbox_connections_closed_total WebSocket connections closed, by close code.\n"
               "# TYPE chatterbox_connections_closed_total counter\n";
        for (const auto &[code, count] : m_closes)
            out << "chatterbox_connections_closed_total{code=\"" << code << "\"} " << count << '\n';
        out << "# HELP chatterbox_http_requests_total HTTP requests answered, by method, route and status.\n"
               "# TYPE chatterbox_http_requests_total counter\n";
        for (const auto &[key, count] : m_http)
            out << "chatterbox_http_requests_total{method=\"" << labelValue(std::get<0>(key)) << "\",route=\"" << labelValue(std::get<1>(key))
                << "\",status=\"" << std::get<2>(key) << "\"} " << count << '\n';
    }
    const ProcessFigures process = processFigures();
    real("process_cpu_seconds_total", "User and system CPU time spent, in seconds.", "counter", process.cpuSeconds);
    gauge("process_resident_memory_bytes", "Resident memory size in bytes.", "gauge", process.residentBytes);
    gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.", "gauge", process.virtualBytes);
    gauge("process_open_fds", "Open file descriptors.", "gauge", process.openFds);
    gauge("process_max_fds", "The most file descriptors the process may open.", "gauge", process.maxFds);
    real("process_start_time_seconds", "When the process started, in seconds since the epoch.", "gauge", m_startTime);
    return out.str();
}

} // namespace chatterbox::server
