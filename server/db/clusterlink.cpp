// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/db/clusterlink.h"

#include "server/db/eventlog.h"
#include "server/logging.h"
#include "shared/frames.h"

#include <QUuid>

#include <pqxx/pqxx>

#include <nlohmann/json.hpp>

#include <utility>

namespace chatterbox::server {

namespace {

constexpr const char *kChannel = "chatterbox";
// NOTIFY refuses payloads of 8000 bytes or more; stay well under.
constexpr std::size_t kMaxPayload = 7000;
// A typing event is a few ids; anything bigger than this is not sent to the other instances.
constexpr std::size_t kMaxEphemeral = 1000;

std::chrono::milliseconds heartbeatInterval(std::chrono::seconds timeout)
{
    return std::max(std::chrono::milliseconds(250), std::chrono::duration_cast<std::chrono::milliseconds>(timeout) / 4);
}

// Packs items into as few payloads under the limit as it can: {"i":..., key:[items...]} each.
void pack(std::vector<nlohmann::json> &messages, const std::string &instanceId, const char *key,
          const std::vector<nlohmann::json> &items)
{
    nlohmann::json current;
    std::size_t size = 0;
    for (const auto &item : items) {
        const std::size_t itemSize = item.dump().size() + 1;
        if (current.is_null() || size + itemSize > kMaxPayload) {
            if (!current.is_null())
                messages.push_back(std::move(current));
            current = {{"i", instanceId}, {key, nlohmann::json::array()}};
            size = 100;
        }
        current[key].push_back(item);
        size += itemSize;
    }
    if (!current.is_null())
        messages.push_back(std::move(current));
}

bool isUuid(const nlohmann::json &value)
{
    return value.is_string() && !QUuid::fromString(QString::fromStdString(value.get<std::string>())).isNull();
}

std::vector<InstancePresence> presenceElsewhere(pqxx::transaction_base &tx, const std::string &instanceId)
{
    const auto rows = tx.exec_params("SELECT instance_id::text, user_id::text, status FROM instance_presence"
                                     " WHERE instance_id <> $1 ORDER BY instance_id",
                                     instanceId);
    std::vector<InstancePresence> out;
    for (const auto &row : rows) {
        const std::string instance = row[0].as<std::string>();
        if (out.empty() || out.back().instanceId != instance)
            out.push_back({instance, {}});
        protocol::Presence status = protocol::Presence::Offline;
        if (protocol::presenceFromName(row[2].as<std::string>(), status))
            out.back().people.emplace_back(row[1].as<std::string>(), status);
    }
    return out;
}

} // namespace

ClusterLink::ClusterLink(std::string databaseUrl, std::chrono::seconds instanceTimeout, Handlers handlers)
    : m_url(std::move(databaseUrl))
    , m_timeout(instanceTimeout)
    , m_handlers(std::move(handlers))
    , m_instanceId(QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString())
{
}

ClusterLink::~ClusterLink()
{
    stop();
}

void ClusterLink::registerInstance(pqxx::transaction_base &tx)
{
    tx.exec_params0("INSERT INTO server_instances (id) VALUES ($1) ON CONFLICT (id) DO UPDATE SET seen_at = now()",
                    m_instanceId);
}

void ClusterLink::start()
{
    {
        pqxx::connection connection(m_url);
        pqxx::work tx(connection);
        registerInstance(tx);
        tx.commit();
    }
    qCInfo(lcDb, "instance %s registered; others presumed gone after %lld s of silence", m_instanceId.c_str(),
           static_cast<long long>(m_timeout.count()));
    m_listener = std::thread([this] { listenLoop(); });
    m_announcer = std::thread([this] { announceLoop(); });
}

void ClusterLink::stop()
{
    if (m_stopping.exchange(true) || !m_announcer.joinable())
        return;
    m_wake.notify_all();
    m_announcer.join();
    m_listener.join();
    try {
        pqxx::connection connection(m_url);
        pqxx::work tx(connection);
        tx.exec_params0("DELETE FROM server_instances WHERE id = $1", m_instanceId);
        const nlohmann::json gone{{"i", m_instanceId}, {"g", {m_instanceId}}};
        tx.exec_params("SELECT pg_notify($1, $2)", kChannel, gone.dump());
        tx.commit();
    } catch (const std::exception &e) {
        qCWarning(lcDb, "could not unregister instance %s (others will time it out): %s", m_instanceId.c_str(), e.what());
    }
}

void ClusterLink::eventsCommitted(std::int64_t upTo)
{
    {
        std::lock_guard lock(m_mutex);
        if (upTo <= m_eventsUpTo)
            return;
        m_eventsUpTo = upTo;
    }
    m_wake.notify_one();
}

void ClusterLink::presenceChanged(const std::string &userId, protocol::Presence here)
{
    {
        std::lock_guard lock(m_mutex);
        if (here == protocol::Presence::Offline)
            m_here.erase(userId);
        else
            m_here[userId] = here;
        m_presenceDirty.insert(userId);
    }
    m_wake.notify_one();
}

void ClusterLink::ephemeral(const PartyEvent &event)
{
    nlohmann::json item{{"p", event.partyId}, {"x", event.exceptUserId}, {"k", protocol::eventName(event.event)},
                        {"d", protocol::eventData(event.event)}};
    if (item.dump().size() > kMaxEphemeral)
        return;
    {
        std::lock_guard lock(m_mutex);
        m_ephemeral.push_back(std::move(item));
    }
    m_wake.notify_one();
}

void ClusterLink::revoked(const std::string &familyId)
{
    {
        std::lock_guard lock(m_mutex);
        m_revoked.push_back(familyId);
    }
    m_wake.notify_one();
}

void ClusterLink::announceLoop()
{
    std::unique_ptr<pqxx::connection> connection;
    const auto interval = heartbeatInterval(m_timeout);
    auto nextBeat = std::chrono::steady_clock::now();
    while (!m_stopping) {
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait_until(lock, nextBeat, [this] {
                return m_stopping || m_eventsUpTo > m_eventsAnnounced || !m_presenceDirty.empty()
                       || !m_ephemeral.empty() || !m_revoked.empty();
            });
        }
        if (m_stopping)
            return;
        const bool heartbeat = std::chrono::steady_clock::now() >= nextBeat;
        try {
            if (!connection || !connection->is_open()) {
                connection = std::make_unique<pqxx::connection>(m_url);
                pqxx::nontransaction(*connection).exec0("SET application_name = 'chatterbox announcer'");
            }
            announceRound(*connection, heartbeat);
            if (heartbeat)
                nextBeat = std::chrono::steady_clock::now() + interval;
        } catch (const std::exception &e) {
            qCWarning(lcDb, "cluster announcements failed, retrying: %s", e.what());
            connection.reset();
            std::unique_lock lock(m_mutex);
            m_wake.wait_for(lock, std::chrono::seconds(1), [this] { return m_stopping.load(); });
        }
    }
}

void ClusterLink::announceRound(pqxx::connection &connection, bool heartbeat)
{
    // Take what piled up; it is put back if the round fails.
    std::int64_t eventsUpTo = 0;
    std::vector<std::pair<std::string, protocol::Presence>> presence;
    std::vector<nlohmann::json> ephemeral;
    std::vector<std::string> revoked;
    bool rewriteAll = false;
    {
        std::lock_guard lock(m_mutex);
        eventsUpTo = m_eventsUpTo > m_eventsAnnounced ? m_eventsUpTo : 0;
        rewriteAll = m_rewriteAllPresence;
        for (const auto &userId : m_presenceDirty) {
            const auto it = m_here.find(userId);
            presence.emplace_back(userId, it == m_here.end() ? protocol::Presence::Offline : it->second);
        }
        ephemeral.swap(m_ephemeral);
        revoked.swap(m_revoked);
        m_presenceDirty.clear();
    }
    const auto putBack = [&] {
        std::lock_guard lock(m_mutex);
        for (const auto &[userId, status] : presence)
            m_presenceDirty.insert(userId);
        m_revoked.insert(m_revoked.end(), revoked.begin(), revoked.end());
        if (rewriteAll)
            m_rewriteAllPresence = true;
        // Typing is only worth sending now; it is dropped.
    };
    try {
        pqxx::work tx(connection);
        if (heartbeat) {
            const auto beat = tx.exec_params0("UPDATE server_instances SET seen_at = now() WHERE id = $1", m_instanceId);
            if (beat.affected_rows() == 0) {
                // The others took this instance for dead (it stalled past the timeout) and
                // dropped its people: register again and say everything once more.
                qCWarning(lcDb, "instance %s was presumed gone; registering again", m_instanceId.c_str());
                registerInstance(tx);
                rewriteAll = true;
            }
        }
        if (rewriteAll) {
            std::lock_guard lock(m_mutex);
            presence.assign(m_here.begin(), m_here.end());
            m_presenceDirty.clear();
            m_rewriteAllPresence = false;
        }
        nlohmann::json online = nlohmann::json::array();
        nlohmann::json offline = nlohmann::json::array();
        std::vector<nlohmann::json> presenceItems;
        for (const auto &[userId, status] : presence) {
            (status == protocol::Presence::Offline ? offline : online).push_back({userId, protocol::presenceName(status)});
            presenceItems.push_back({userId, protocol::presenceName(status)});
        }
        if (rewriteAll)
            tx.exec_params0("DELETE FROM instance_presence WHERE instance_id = $1", m_instanceId);
        if (!offline.empty())
            tx.exec_params0("DELETE FROM instance_presence WHERE instance_id = $1"
                            " AND user_id IN (SELECT (e->>0)::uuid FROM jsonb_array_elements($2::jsonb) e)",
                            m_instanceId, offline.dump());
        if (!online.empty())
            tx.exec_params0("INSERT INTO instance_presence (instance_id, user_id, status)"
                            " SELECT $1, (e->>0)::uuid, e->>1 FROM jsonb_array_elements($2::jsonb) e"
                            " ON CONFLICT (instance_id, user_id) DO UPDATE SET status = excluded.status",
                            m_instanceId, online.dump());
        // Whoever came or went was around now: what "last seen" says of them.
        if (!presenceItems.empty())
            tx.exec_params0("UPDATE users SET last_seen_at = now()"
                            " WHERE id IN (SELECT (e->>0)::uuid FROM jsonb_array_elements($1::jsonb) e)",
                            nlohmann::json(presenceItems).dump());

        std::vector<nlohmann::json> messages;
        if (eventsUpTo > 0)
            messages.push_back({{"i", m_instanceId}, {"e", eventsUpTo}});
        pack(messages, m_instanceId, "p", presenceItems);
        pack(messages, m_instanceId, "t", ephemeral);
        pack(messages, m_instanceId, "r", {revoked.begin(), revoked.end()});
        if (heartbeat) {
            // Rows another instance is updating belong to a live instance: skipped, not waited
            // for (two instances reaping at once would otherwise deadlock on each other's beat).
            // Its people were last seen now (the statement reads them before its delete takes them).
            const auto gone = tx.exec_params("WITH gone AS (DELETE FROM server_instances WHERE id IN ("
                                             "  SELECT id FROM server_instances"
                                             "  WHERE seen_at < now() - make_interval(secs => $1) AND id <> $2"
                                             "  FOR UPDATE SKIP LOCKED)"
                                             " RETURNING id),"
                                             " seen AS (UPDATE users SET last_seen_at = now() WHERE id IN"
                                             "  (SELECT ip.user_id FROM instance_presence ip WHERE ip.instance_id IN (SELECT id FROM gone)))"
                                             " SELECT id::text FROM gone",
                                             static_cast<double>(m_timeout.count()), m_instanceId);
            std::vector<nlohmann::json> goneIds;
            for (const auto &row : gone) {
                qCWarning(lcDb, "instance %s stopped beating; its people are offline there", row[0].c_str());
                goneIds.push_back(row[0].as<std::string>());
            }
            pack(messages, m_instanceId, "g", goneIds);
        }
        for (const auto &message : messages)
            tx.exec_params("SELECT pg_notify($1, $2)", kChannel, message.dump());
        tx.commit();
    } catch (...) {
        putBack();
        throw;
    }
    if (eventsUpTo > 0) {
        std::lock_guard lock(m_mutex);
        m_eventsAnnounced = std::max(m_eventsAnnounced, eventsUpTo);
    }
}

void ClusterLink::listenLoop()
{
    struct Receiver final : pqxx::notification_receiver {
        Receiver(pqxx::connection_base &c, ClusterLink &link) : notification_receiver(c, kChannel), link(link) {}
        void operator()(const std::string &payload, int) override { link.handleNotification(payload); }
        ClusterLink &link;
    };
    bool lost = false;   // said once per outage, not once per attempt
    while (!m_stopping) {
        try {
            pqxx::connection connection(m_url);
            // Named, so an operator can tell it apart in pg_stat_activity.
            pqxx::nontransaction(connection).exec0("SET application_name = 'chatterbox listener'");
            if (std::exchange(lost, false))
                qCInfo(lcDb, "cluster listener connected again");
            Receiver receiver(connection, *this);
            // Listening from here on; whatever happened before is read from the tables.
            std::vector<InstancePresence> everyone;
            {
                pqxx::read_transaction tx(connection);
                everyone = presenceElsewhere(tx, m_instanceId);
            }
            m_handlers.listening(std::move(everyone));
            while (!m_stopping)
                connection.await_notification(0, 200 * 1000);
        } catch (const std::exception &e) {
            if (m_stopping)
                return;
            if (!std::exchange(lost, true))
                qCWarning(lcDb, "cluster listener lost its connection, reconnecting: %s", e.what());
            for (int i = 0; i < 10 && !m_stopping; ++i)
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    }
}

void ClusterLink::handleNotification(const std::string &payload)
{
    const auto message = nlohmann::json::parse(payload, nullptr, false);
    if (!message.is_object() || !message.contains("i") || !isUuid(message["i"])) {
        qCWarning(lcDb, "ignoring a notification that is not from a chatterbox instance");
        return;
    }
    const std::string from = message["i"].get<std::string>();
    const bool fromHere = from == m_instanceId;
    const auto list = [&message](const char *key) {
        const auto it = message.find(key);
        return it != message.end() && it->is_array() ? *it : nlohmann::json::array();
    };
    if (const auto it = message.find("e"); it != message.end() && it->is_number_integer())
        m_handlers.eventsCommitted(it->get<std::int64_t>());
    for (const auto &gone : list("g")) {
        if (isUuid(gone) && gone.get<std::string>() != m_instanceId)
            m_handlers.instanceGone(gone.get<std::string>());
    }
    if (fromHere)
        return; // its own presence, typing and revocations were handled when they happened
    InstancePresence changes{from, {}};
    for (const auto &item : list("p")) {
        protocol::Presence status = protocol::Presence::Offline;
        if (item.is_array() && item.size() == 2 && isUuid(item[0]) && item[1].is_string()
            && protocol::presenceFromName(item[1].get<std::string>(), status))
            changes.people.emplace_back(item[0].get<std::string>(), status);
    }
    if (!changes.people.empty())
        m_handlers.presence(std::move(changes));
    for (const auto &item : list("t")) {
        if (!item.is_object() || !isUuid(item.value("p", nlohmann::json())) || !item.value("x", nlohmann::json()).is_string()
            || !item.value("k", nlohmann::json()).is_string() || !item.contains("d"))
            continue;
        auto event = eventlog::decode(item["k"].get<std::string>(), item["d"].dump());
        if (event)
            m_handlers.ephemeral({item["p"].get<std::string>(), std::move(*event), {}, {}, item["x"].get<std::string>()});
    }
    for (const auto &family : list("r")) {
        if (family.is_string())
            m_handlers.revoked(family.get<std::string>());
    }
}

} // namespace chatterbox::server
