// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/db/embeddedpostgres.h"

#include "server/logging.h"

#include <QCollator>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>

#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace chatterbox::server {

namespace {

// The PostgreSQL majors installed the distribution's way, newest first: /usr/lib/postgresql/<major>/bin.
QStringList installedMajors()
{
    QDir lib(QStringLiteral("/usr/lib/postgresql"));
    QStringList versions;
    for (const QString &v : lib.entryList(QDir::Dirs | QDir::NoDotAndDotDot))
        if (QFile::exists(lib.filePath(v + QStringLiteral("/bin/initdb"))))
            versions << v;
    QCollator collator;
    collator.setNumericMode(true);
    std::sort(versions.begin(), versions.end(), [&](const QString &a, const QString &b) { return collator.compare(a, b) > 0; });
    return versions;
}

QString binDirOf(const QString &major)
{
    return QStringLiteral("/usr/lib/postgresql/%1/bin").arg(major);
}

// The user and group a path belongs to, by number; nothing when it does not exist.
std::optional<std::pair<uid_t, gid_t>> ownerOf(const QString &path)
{
    struct stat st {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return std::nullopt;
    return std::make_pair(st.st_uid, st.st_gid);
}

QString userName(uid_t uid)
{
    if (const passwd *pw = ::getpwuid(uid))
        return QString::fromLocal8Bit(pw->pw_name);
    return QString::number(uid);
}

} // namespace

QString EmbeddedPostgres::defaultDataDir()
{
    if (::geteuid() == 0)
        return QStringLiteral("/var/lib/chatterbox/postgres");
    QString base = QString::fromLocal8Bit(qgetenv("XDG_DATA_HOME"));
    if (base.isEmpty())
        base = QDir::homePath() + QStringLiteral("/.local/share");
    return base + QStringLiteral("/chatterbox/postgres");
}

EmbeddedPostgres::EmbeddedPostgres(QString dataDir) : m_dataDir(QDir(dataDir).absolutePath()) {}

EmbeddedPostgres::~EmbeddedPostgres()
{
    stop();
    if (m_lockFd >= 0)
        ::close(m_lockFd);
}

bool EmbeddedPostgres::run(const QString &program, const QStringList &arguments, QString *output, int timeoutMs)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    // The postgres user may not be allowed into the current directory; "/" it can always enter.
    process.setWorkingDirectory(QStringLiteral("/"));
    if (m_asPostgresUser)
        process.start(QStringLiteral("runuser"), QStringList{QStringLiteral("-u"), QStringLiteral("postgres"), QStringLiteral("--"), program} + arguments);
    else
        process.start(program, arguments);
    if (!process.waitForStarted(10000) || !process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished(5000);
        if (output)
            *output = QStringLiteral("%1 did not finish").arg(program);
        return false;
    }
    if (output)
        *output = QString::fromLocal8Bit(process.readAll()).trimmed();
    return process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
}

// A lock file beside the data directory (initdb wants the directory itself empty), held with
// flock for as long as the server runs: the kernel lets it go when the process ends, even by
// kill -9, so a stale lock never stands in the way.
bool EmbeddedPostgres::lockDataDir()
{
    const QString lockPath = m_dataDir + QStringLiteral(".lock");
    m_lockFd = ::open(QFile::encodeName(lockPath).constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (m_lockFd < 0) {
        m_error = QStringLiteral("cannot open %1: %2").arg(lockPath, QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }
    if (::flock(m_lockFd, LOCK_EX | LOCK_NB) != 0) {
        char holder[32] = {};
        [[maybe_unused]] const auto n = ::pread(m_lockFd, holder, sizeof holder - 1, 0);
        m_error = QStringLiteral("another chatterbox-server (process %1) uses the data directory %2; stop it, or give this one "
                                 "another --data-dir")
                      .arg(QString::fromLatin1(holder).trimmed(), m_dataDir);
        return false;
    }
    const QByteArray pid = QByteArray::number(static_cast<qint64>(::getpid())) + '\n';
    if (::ftruncate(m_lockFd, 0) != 0 || ::pwrite(m_lockFd, pid.constData(), static_cast<size_t>(pid.size()), 0) != pid.size())
        qCWarning(lcDb, "cannot write the process id into %s", qPrintable(lockPath));
    return true;
}

// The data directory: made (and, as root, given to the postgres user) when it is not there; one
// that is there is used as it is, and refused when it belongs to someone the cluster does not
// run as. Ownership is never changed on a directory this server did not create.
bool EmbeddedPostgres::prepareDataDir()
{
    const bool existed = QFileInfo::exists(m_dataDir);
    if (!existed && !QDir().mkpath(m_dataDir)) {
        m_error = QStringLiteral("cannot create the data directory %1").arg(m_dataDir);
        return false;
    }
    const passwd *postgres = m_asPostgresUser ? ::getpwnam("postgres") : nullptr;
    if (m_asPostgresUser && postgres == nullptr) {
        m_error = QStringLiteral("running as root, the cluster runs as the postgres user, and there is none (install PostgreSQL, which creates it)");
        return false;
    }
    const uid_t runsAs = m_asPostgresUser ? postgres->pw_uid : ::geteuid();
    if (!existed) {
        QFile::setPermissions(m_dataDir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        if (m_asPostgresUser && ::chown(QFile::encodeName(m_dataDir).constData(), postgres->pw_uid, postgres->pw_gid) != 0) {
            m_error = QStringLiteral("cannot give %1 to the postgres user: %2").arg(m_dataDir, QString::fromLocal8Bit(std::strerror(errno)));
            return false;
        }
        return true;
    }
    const auto owner = ownerOf(m_dataDir);
    if (!owner || owner->first != runsAs) {
        m_error = QStringLiteral("the data directory %1 belongs to %2, but its cluster would run as %3; it is left as it is. "
                                 "Run chatterbox-server as %2, or give it another --data-dir")
                      .arg(m_dataDir, owner ? userName(owner->first) : QStringLiteral("nobody"), userName(runsAs));
        return false;
    }
    return true;
}

// The binaries of the PostgreSQL major that made the cluster (its PG_VERSION), or of the newest
// one installed for a new cluster. A cluster of a major that is not installed is not started
// with another: PostgreSQL would refuse it, and the way on is the operator's choice.
bool EmbeddedPostgres::chooseBinaries()
{
    // An operator (or a test) may point at other binaries; they must be there.
    if (const QByteArray explicitDir = qgetenv("CHATTERBOX_POSTGRES_BIN"); !explicitDir.isEmpty()) {
        m_binDir = QString::fromLocal8Bit(explicitDir);
        if (QFile::exists(m_binDir + QStringLiteral("/initdb")))
            return true;
        m_error = QStringLiteral("no database is configured and PostgreSQL is not installed in %1. Install it "
                                 "(Debian/Ubuntu: apt-get install postgresql) or pass --database-url.").arg(m_binDir);
        return false;
    }
    const QStringList majors = installedMajors();
    QFile versionFile(m_dataDir + QStringLiteral("/PG_VERSION"));
    if (versionFile.open(QIODevice::ReadOnly)) {
        const QString major = QString::fromLatin1(versionFile.readAll()).trimmed();
        if (majors.contains(major)) {
            m_binDir = binDirOf(major);
            return true;
        }
        m_error = majors.isEmpty()
            ? QStringLiteral("the cluster in %1 was made by PostgreSQL %2, which is not installed. Install it "
                             "(Debian/Ubuntu: apt-get install postgresql-%2).").arg(m_dataDir, major)
            : QStringLiteral("the cluster in %1 was made by PostgreSQL %2, which is not installed (installed: %3). Install "
                             "postgresql-%2 to go on with it, or upgrade the cluster to %4 with pg_upgrade "
                             "(docs/operating.md, \"PostgreSQL major upgrades\").")
                  .arg(m_dataDir, major, majors.join(QStringLiteral(", ")), majors.first());
        return false;
    }
    if (!majors.isEmpty()) {
        m_binDir = binDirOf(majors.first());
        return true;
    }
    const QString initdb = QStandardPaths::findExecutable(QStringLiteral("initdb"));
    if (!initdb.isEmpty()) {
        m_binDir = QFileInfo(initdb).absolutePath();
        return true;
    }
    m_error = QStringLiteral("no database is configured and PostgreSQL is not installed. Install it "
                             "(Debian/Ubuntu: apt-get install postgresql) or pass --database-url.");
    return false;
}

std::string EmbeddedPostgres::start()
{
    m_asPostgresUser = ::geteuid() == 0;
    // Unix socket paths are limited to about 100 bytes.
    if (m_dataDir.toLocal8Bit().size() > 80) {
        m_error = QStringLiteral("the data directory %1 is too long a path for PostgreSQL's socket; choose a shorter --data-dir").arg(m_dataDir);
        return {};
    }
    if (!QDir().mkpath(QFileInfo(m_dataDir).absolutePath())) {
        m_error = QStringLiteral("cannot create the directory of %1").arg(m_dataDir);
        return {};
    }
    if (!lockDataDir() || !prepareDataDir() || !chooseBinaries())
        return {};
    QString output;
    if (!QFile::exists(m_dataDir + QStringLiteral("/PG_VERSION"))) {
        qCInfo(lcDb, "creating the server's own database in %s", qPrintable(m_dataDir));
        if (!run(m_binDir + QStringLiteral("/initdb"), {QStringLiteral("--pgdata=") + m_dataDir, QStringLiteral("--username=chatterbox"),
                                                         QStringLiteral("--auth=trust"), QStringLiteral("--encoding=UTF8"),
                                                         QStringLiteral("--locale=C.UTF-8")},
                 &output, 120000)) {
            m_error = QStringLiteral("initdb failed: ") + output;
            return {};
        }
    }
    // No JIT: it maps memory writable and executable, which a hardened unit
    // (MemoryDenyWriteExecute) forbids, and a chat server's queries are too short to gain from it.
    const QString options = QStringLiteral("-c listen_addresses='' -c unix_socket_directories='%1' -c jit=off").arg(m_dataDir);
    if (!run(m_binDir + QStringLiteral("/pg_ctl"), {QStringLiteral("start"), QStringLiteral("--pgdata=") + m_dataDir, QStringLiteral("--wait"),
                                                    QStringLiteral("--log=") + m_dataDir + QStringLiteral("/server.log"),
                                                    QStringLiteral("--options=") + options},
             &output, 120000)) {
        // Still running from a server of this directory that was killed (the lock says no other
        // one runs): then it is this server's to use, and to stop.
        QString status;
        if (!run(m_binDir + QStringLiteral("/pg_ctl"), {QStringLiteral("status"), QStringLiteral("--pgdata=") + m_dataDir}, &status)) {
            m_error = QStringLiteral("PostgreSQL did not start (see %1/server.log): %2").arg(m_dataDir, output);
            return {};
        }
        qCInfo(lcDb, "the server's own PostgreSQL was still running in %s (its server did not stop); using it", qPrintable(m_dataDir));
    }
    m_started = true;
    const std::string host = m_dataDir.toStdString();
    // The database the server uses, created once.
    if (!run(m_binDir + QStringLiteral("/psql"), {QStringLiteral("--host=") + m_dataDir, QStringLiteral("--username=chatterbox"),
                                                  QStringLiteral("--dbname=postgres"), QStringLiteral("--quiet"), QStringLiteral("--tuples-only"), QStringLiteral("--no-psqlrc"),
                                                  QStringLiteral("--command=SELECT 1 FROM pg_database WHERE datname = 'chatterbox'")},
             &output)) {
        m_error = QStringLiteral("cannot talk to the server's own PostgreSQL: ") + output;
        return {};
    }
    if (output.trimmed() != QStringLiteral("1")
        && !run(m_binDir + QStringLiteral("/createdb"), {QStringLiteral("--host=") + m_dataDir, QStringLiteral("--username=chatterbox"),
                                                         QStringLiteral("chatterbox")},
                &output)) {
        m_error = QStringLiteral("cannot create the chatterbox database: ") + output;
        return {};
    }
    return "postgresql://chatterbox@/chatterbox?host=" + host;
}

bool EmbeddedPostgres::isRunning() const
{
    if (!m_started)
        return false;
    // postmaster.pid's first line is the postmaster's process id; the file goes when it stops.
    QFile pidFile(m_dataDir + QStringLiteral("/postmaster.pid"));
    if (!pidFile.open(QIODevice::ReadOnly))
        return QFile::exists(pidFile.fileName());   // there but unreadable: taken as running
    bool ok = false;
    const auto pid = static_cast<pid_t>(pidFile.readLine().trimmed().toLongLong(&ok));
    if (!ok || pid <= 0)
        return false;
    return ::kill(pid, 0) == 0 || errno == EPERM;
}

void EmbeddedPostgres::stop()
{
    if (!m_started)
        return;
    if (!isRunning()) {
        m_started = false;
        return;
    }
    m_started = false;
    QString output;
    if (!run(m_binDir + QStringLiteral("/pg_ctl"), {QStringLiteral("stop"), QStringLiteral("--pgdata=") + m_dataDir,
                                                    QStringLiteral("--mode=fast"), QStringLiteral("--wait")},
             &output))
        qCWarning(lcDb, "stopping the server's own PostgreSQL: %s", qPrintable(output));
    else
        qCInfo(lcDb, "stopped the server's own PostgreSQL");
}

} // namespace chatterbox::server
