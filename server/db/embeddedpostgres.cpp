#include "server/db/embeddedpostgres.h"

#include "server/logging.h"

#include <QCollator>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>

#include <unistd.h>

namespace chatterbox::server {

namespace {

// The newest PostgreSQL server binaries installed, e.g. /usr/lib/postgresql/15/bin.
QString findBinDir()
{
    // An operator (or a test) may point at other binaries; they must be there.
    if (const QByteArray explicitDir = qgetenv("CHATTERBOX_POSTGRES_BIN"); !explicitDir.isEmpty()) {
        const QString dir = QString::fromLocal8Bit(explicitDir);
        return QFile::exists(dir + QStringLiteral("/initdb")) ? dir : QString();
    }
    QDir lib(QStringLiteral("/usr/lib/postgresql"));
    QStringList versions = lib.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    QCollator collator;
    collator.setNumericMode(true);
    std::sort(versions.begin(), versions.end(), [&](const QString &a, const QString &b) { return collator.compare(a, b) > 0; });
    for (const auto &v : versions) {
        const QString bin = lib.filePath(v + QStringLiteral("/bin"));
        if (QFile::exists(bin + QStringLiteral("/initdb")))
            return bin;
    }
    const QString initdb = QStandardPaths::findExecutable(QStringLiteral("initdb"));
    return initdb.isEmpty() ? QString() : QFileInfo(initdb).absolutePath();
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

std::string EmbeddedPostgres::start()
{
    m_binDir = findBinDir();
    if (m_binDir.isEmpty()) {
        m_error = QStringLiteral("no database is configured and PostgreSQL is not installed. Install it "
                                 "(Debian/Ubuntu: apt-get install postgresql) or pass --database-url.");
        return {};
    }
    m_asPostgresUser = ::geteuid() == 0;
    // Unix socket paths are limited to about 100 bytes.
    if (m_dataDir.toLocal8Bit().size() > 80) {
        m_error = QStringLiteral("the data directory %1 is too long a path for PostgreSQL's socket; choose a shorter --data-dir").arg(m_dataDir);
        return {};
    }
    if (!QDir().mkpath(m_dataDir)) {
        m_error = QStringLiteral("cannot create the data directory %1").arg(m_dataDir);
        return {};
    }
    QFile::setPermissions(m_dataDir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    // As root, the cluster's files belong to the postgres user that runs it.
    if (m_asPostgresUser && QProcess::execute(QStringLiteral("chown"), {QStringLiteral("postgres:postgres"), m_dataDir}) != 0) {
        m_error = QStringLiteral("running as root, %1 must belong to the postgres user (install PostgreSQL, which creates it)").arg(m_dataDir);
        return {};
    }
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
    const QString options = QStringLiteral("-c listen_addresses='' -c unix_socket_directories='%1'").arg(m_dataDir);
    if (!run(m_binDir + QStringLiteral("/pg_ctl"), {QStringLiteral("start"), QStringLiteral("--pgdata=") + m_dataDir, QStringLiteral("--wait"),
                                                    QStringLiteral("--log=") + m_dataDir + QStringLiteral("/server.log"),
                                                    QStringLiteral("--options=") + options},
             &output, 120000)) {
        // Perhaps it is still running from a server that was killed: then use it.
        QString status;
        if (!run(m_binDir + QStringLiteral("/pg_ctl"), {QStringLiteral("status"), QStringLiteral("--pgdata=") + m_dataDir}, &status)) {
            m_error = QStringLiteral("PostgreSQL did not start (see %1/server.log): %2").arg(m_dataDir, output);
            return {};
        }
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

void EmbeddedPostgres::stop()
{
    if (!m_started)
        return;
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
