// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/admin/admin.h"

#include "server/admin/accounts.h"
#include "server/db/embeddedpostgres.h"
#include "server/db/eventlog.h"
#include "server/logging.h"

#include <pqxx/pqxx>

#include <QFile>

#include <algorithm>
#include <iomanip>
#include <map>
#include <iostream>
#include <ostream>

namespace chatterbox::server::admin {

namespace {

std::string usageText()
{
    return R"(Usage: chatterbox-server admin [--database-url URL] [--data-dir DIR] COMMAND [ARGUMENTS]

The operator's tools, run against the server's database while the server runs.

Commands:
  people [TEXT]              People whose name, id or sign-in contains TEXT (all without it),
                             newest first: id, name, since, parties, messages, state, sign-ins
  suspend PERSON [REASON]    Signs them out everywhere at once; no new sign-in until unsuspended
  unsuspend PERSON           Lets them sign in again
  export PERSON              Everything kept about them, as JSON on standard output (for a
                             data-access request)
  delete-person PERSON --yes Deletes them and everything they wrote (see docs/operating.md)
  delete-party PARTY --yes   Deletes a party with its topics, messages and files
  instances                  The server instances on this database, with their people

PERSON and PARTY are ids (`people` finds a person's). The database is --database-url, or
CHATTERBOX_DATABASE_URL, or the server's own PostgreSQL in --data-dir while the server runs.
For the packaged service:
  runuser -u chatterbox -- chatterbox-server admin --database-url 'postgresql:///chatterbox?host=/run/postgresql' people
)";
}

// A name or a reason as typed by someone, made safe for a terminal (escape sequences could
// rewrite the operator's screen): the log's rule.
std::string printable(const std::string &text)
{
    return printableForLog(text);
}

// The change log gets the events; the running instances hear of them and of the sign-ins
// ended (they deliver the one and close the connections of the other), then it commits.
void commitAndTell(pqxx::work &tx, std::vector<PartyEvent> &events, const std::vector<std::string> &endedSignIns)
{
    const auto committed = eventlog::append(tx, events);
    const std::string from = tx.exec1("SELECT gen_random_uuid()")[0].as<std::string>();
    nlohmann::json note = {{"i", from}};
    if (!committed.empty())
        note["e"] = committed.back().id;
    // NOTIFY payloads stay under 8000 bytes: the ended sign-ins go in groups.
    std::size_t next = 0;
    do {
        nlohmann::json part = note;
        nlohmann::json families = nlohmann::json::array();
        for (; next < endedSignIns.size() && families.size() < 100; ++next)
            families.push_back(endedSignIns[next]);
        if (!families.empty())
            part["r"] = std::move(families);
        tx.exec_params("SELECT pg_notify('chatterbox', $1)", part.dump());
        note.erase("e");
    } while (next < endedSignIns.size());
    tx.commit();
}

std::string databaseUrl(std::vector<std::string> &args, const std::map<std::string, std::string> &env, std::string &problem)
{
    std::string url;
    std::string dataDir;
    for (auto it = args.begin(); it != args.end();) {
        if ((*it == "--database-url" || *it == "--data-dir") && it + 1 != args.end()) {
            (*it == "--database-url" ? url : dataDir) = *(it + 1);
            it = args.erase(it, it + 2);
        } else {
            ++it;
        }
    }
    if (url.empty() && env.count("CHATTERBOX_DATABASE_URL"))
        url = env.at("CHATTERBOX_DATABASE_URL");
    if (!url.empty())
        return url;
    if (dataDir.empty())
        dataDir = env.count("CHATTERBOX_DATA_DIR") ? env.at("CHATTERBOX_DATA_DIR") : EmbeddedPostgres::defaultDataDir().toStdString();
    if (!QFile::exists(QString::fromStdString(dataDir) + QStringLiteral("/postmaster.pid"))) {
        problem = "no database: give --database-url (or CHATTERBOX_DATABASE_URL), or start the server whose own PostgreSQL is in " + dataDir;
        return {};
    }
    return "postgresql://chatterbox@/chatterbox?host=" + dataDir;
}

void printPeople(const std::vector<PersonRow> &people, std::ostream &out)
{
    out << std::left << std::setw(37) << "ID" << std::setw(25) << "NAME" << std::setw(21) << "SINCE" << std::setw(8) << "PARTIES"
        << std::setw(9) << "MESSAGES" << std::setw(10) << "STATE" << "SIGN-INS\n";
    for (const auto &p : people) {
        std::string identities;
        for (const auto &i : p.identities)
            identities += (identities.empty() ? "" : ", ") + printable(i);
        const char *state = p.deletedAt ? "deleted" : p.suspendedAt ? "suspended" : "active";
        out << std::left << std::setw(37) << p.id << std::setw(25) << printable(p.displayName) << std::setw(21) << p.createdAt
            << std::setw(8) << p.parties << std::setw(9) << p.messages << std::setw(10) << state << identities << '\n';
    }
}

int needs(const std::vector<std::string> &args, std::size_t count, std::ostream &err)
{
    if (args.size() < count + 1) {
        err << "chatterbox-server admin: " << args[0] << " needs " << (count == 1 ? "an id" : "more arguments")
            << "\nTry 'chatterbox-server admin --help'.\n";
        return 2;
    }
    return 0;
}

bool confirmed(std::vector<std::string> &args)
{
    const auto before = args.size();
    args.erase(std::remove(args.begin(), args.end(), std::string("--yes")), args.end());
    return args.size() != before;
}

int command(pqxx::connection &connection, std::vector<std::string> args, std::ostream &out, std::ostream &err)
{
    const std::string &name = args[0];
    if (name == "people") {
        pqxx::read_transaction tx(connection);
        printPeople(findPeople(tx, args.size() > 1 ? args[1] : std::string(), 1000), out);
        return 0;
    }
    if (name == "instances") {
        pqxx::read_transaction tx(connection);
        out << std::left << std::setw(37) << "ID" << std::setw(21) << "STARTED" << std::setw(21) << "LAST SEEN" << "PEOPLE\n";
        for (const auto &i : instances(tx))
            out << std::left << std::setw(37) << i.id << std::setw(21) << i.startedAt << std::setw(21) << i.seenAt << i.people << '\n';
        return 0;
    }
    if (name == "suspend" || name == "unsuspend" || name == "export") {
        if (const int bad = needs(args, 1, err))
            return bad;
        const std::string &id = args[1];
        pqxx::work tx(connection);
        if (name == "export") {
            const auto data = exportPerson(tx, id);
            if (!data) {
                err << "chatterbox-server admin: no person " << printable(id) << '\n';
                return 1;
            }
            out << data->dump(2) << '\n';
            return 0;
        }
        if (name == "unsuspend") {
            if (!unsuspend(tx, id)) {
                err << "chatterbox-server admin: no person " << printable(id) << " that can be unsuspended (a deleted one cannot)\n";
                return 1;
            }
            tx.commit();
            out << "unsuspended " << id << ": they can sign in again\n";
            return 0;
        }
        const auto ended = suspend(tx, id, args.size() > 2 ? args[2] : std::string());
        if (!ended) {
            err << "chatterbox-server admin: no person " << printable(id) << '\n';
            return 1;
        }
        std::vector<PartyEvent> none;
        commitAndTell(tx, none, *ended);
        out << "suspended " << id << ": " << ended->size() << " sign-in(s) ended, no new one until unsuspended\n";
        return 0;
    }
    if (name == "delete-person" || name == "delete-party") {
        const bool yes = confirmed(args);
        if (const int bad = needs(args, 1, err))
            return bad;
        const std::string &id = args[1];
        pqxx::work tx(connection);
        if (name == "delete-party") {
            const auto party = tx.exec_params("SELECT name, (SELECT count(*) FROM members WHERE party_id = p.id) FROM parties p WHERE id::text = $1", id);
            if (party.empty()) {
                err << "chatterbox-server admin: no party " << printable(id) << '\n';
                return 1;
            }
            if (!yes) {
                err << "this deletes the party \"" << printable(party[0][0].as<std::string>()) << "\" of " << party[0][1].as<int>()
                    << " member(s) with all its topics, messages and files; add --yes to do it\n";
                return 1;
            }
            auto events = *deleteParty(tx, id);
            commitAndTell(tx, events, {});
            out << "deleted the party " << id << '\n';
            return 0;
        }
        const auto who = person(tx, id);
        if (!who || who->deletedAt) {
            err << "chatterbox-server admin: no person " << printable(id) << (who ? " that is not deleted already" : "") << '\n';
            return 1;
        }
        if (!yes) {
            err << "this deletes " << printable(who->displayName) << " (" << id << ") and their " << who->messages << " message(s), in "
                << who->parties << " party(ies); add --yes to do it (export first if they asked for their data)\n";
            return 1;
        }
        auto erasure = *erasePerson(tx, id);
        commitAndTell(tx, erasure.events, erasure.endedSignIns);
        out << "deleted " << id << ": " << erasure.messages << " message(s) and " << erasure.reactions << " reaction(s) removed, "
            << erasure.partiesLeft << " party(ies) left (" << erasure.partiesHandedOn << " handed on to another member), "
            << erasure.partiesDeleted << " party(ies) with nobody else deleted\n";
        return 0;
    }
    err << "chatterbox-server admin: unknown command '" << printable(name) << "'\nTry 'chatterbox-server admin --help'.\n";
    return 2;
}

} // namespace

std::string usage()
{
    return usageText();
}

int run(const std::vector<std::string> &arguments, const std::vector<std::pair<std::string, std::string>> &environment,
        std::ostream &out, std::ostream &err)
{
    std::vector<std::string> args = arguments;
    if (std::find(args.begin(), args.end(), "--help") != args.end() || std::find(args.begin(), args.end(), "-h") != args.end()) {
        out << usageText();
        return 0;
    }
    const std::map<std::string, std::string> env(environment.begin(), environment.end());
    std::string problem;
    const std::string url = databaseUrl(args, env, problem);
    if (url.empty()) {
        err << "chatterbox-server admin: " << problem << '\n';
        return 1;
    }
    if (args.empty()) {
        err << usageText();
        return 2;
    }
    try {
        pqxx::connection connection(url);
        return command(connection, args, out, err);
    } catch (const std::exception &e) {
        err << "chatterbox-server admin: " << e.what() << '\n';
        return 1;
    }
}

} // namespace chatterbox::server::admin
