#include "server/metrics.h"

#include "server/db/executor.h"

#include <sstream>

namespace chatterbox::server {

void Metrics::observeRequest(double seconds)
{
    std::size_t i = 0;
    while (i < kLatencyBuckets.size() && seconds > kLatencyBuckets[i])
        ++i;
    ++m_buckets[i];
    m_latencyMicros += static_cast<std::int64_t>(seconds * 1e6);
    ++m_latencyCount;
}

std::string Metrics::render(const ExecutorStats &db, bool databaseUp) const
{
    std::ostringstream out;
    const auto gauge = [&](const char *name, const char *help, const char *type, std::int64_t value) {
        out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n' << name << ' ' << value << '\n';
    };
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

    out << "# HELP chatterbox_request_duration_seconds Time from a request frame to its reply.\n"
           "# TYPE chatterbox_request_duration_seconds histogram\n";
    std::int64_t cumulative = 0;
    for (std::size_t i = 0; i < kLatencyBuckets.size(); ++i) {
        cumulative += m_buckets[i];
        out << "chatterbox_request_duration_seconds_bucket{le=\"" << kLatencyBuckets[i] << "\"} " << cumulative << '\n';
    }
    cumulative += m_buckets[kLatencyBuckets.size()];
    out << "chatterbox_request_duration_seconds_bucket{le=\"+Inf\"} " << cumulative << '\n';
    out << "chatterbox_request_duration_seconds_sum " << static_cast<double>(m_latencyMicros) / 1e6 << '\n';
    out << "chatterbox_request_duration_seconds_count " << m_latencyCount << '\n';
    return out.str();
}

} // namespace chatterbox::server
