// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/platform/privatefiles.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <cstring>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#endif

namespace chatterbox::platform {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("chatterbox::platform::PrivateFiles", text);
}

#ifdef Q_OS_UNIX
// Creates the directory with mode 0700 when it is missing, then checks what is there (someone
// may have made it first).
PrivateDirectory ownDirectory(const QString &path)
{
    const QByteArray native = QFile::encodeName(path);
    if (::mkdir(native.constData(), 0700) != 0 && errno != EEXIST)
        return {{}, tr("%1 could not be created: %2").arg(path, QString::fromLocal8Bit(std::strerror(errno)))};
    if (const QString problem = ownershipProblem(path, Access::OwnerOnly); !problem.isEmpty())
        return {{}, problem};
    struct stat st {};
    if (::lstat(native.constData(), &st) != 0 || !S_ISDIR(st.st_mode))
        return {{}, tr("%1 is not a directory").arg(path)};
    return {path, {}};
}
#endif
} // namespace

QString ownershipProblem(const QString &path, Access access)
{
#ifdef Q_OS_UNIX
    struct stat st {};
    if (::lstat(QFile::encodeName(path).constData(), &st) != 0)
        return {};   // not there: it will be made, by this user
    if (S_ISLNK(st.st_mode))
        return tr("%1 is a symbolic link").arg(path);
    if (st.st_uid != ::geteuid())
        return tr("%1 belongs to another user (uid %2)").arg(path).arg(st.st_uid);
    if (access == Access::OwnerOnly && (st.st_mode & (S_IRWXG | S_IRWXO)))
        return tr("%1 is open to other users (mode %2)").arg(path, QString::number(st.st_mode & 07777, 8));
#else
    Q_UNUSED(path);
    Q_UNUSED(access);
#endif
    return {};
}

PrivateDirectory privateRuntimeDirectory()
{
#if defined(Q_OS_MACOS)
    // $TMPDIR on macOS is already the user's own (/var/folders/…/T/, mode 0700).
    return ownDirectory(QDir::tempPath() + QStringLiteral("/chatterbox"));
#elif defined(Q_OS_UNIX)
    const QString runtime = qEnvironmentVariable("XDG_RUNTIME_DIR");
    if (!runtime.isEmpty()) {
        if (const QString problem = ownershipProblem(runtime, Access::OwnerOnly); !problem.isEmpty())
            return {{}, problem};
        return ownDirectory(runtime + QStringLiteral("/chatterbox"));
    }
    return ownDirectory(QDir::tempPath() + QStringLiteral("/chatterbox-") + QString::number(::geteuid()));
#else
    return {QDir::tempPath(), {}};
#endif
}

bool peerIsThisUser(qintptr socketDescriptor, QString *who)
{
#if defined(Q_OS_LINUX)
    struct ucred cred {};
    socklen_t length = sizeof cred;
    if (::getsockopt(static_cast<int>(socketDescriptor), SOL_SOCKET, SO_PEERCRED, &cred, &length) != 0) {
        if (who)
            *who = tr("a peer whose user could not be read");
        return false;
    }
    if (who)
        *who = tr("uid %1 (pid %2)").arg(cred.uid).arg(cred.pid);
    return cred.uid == ::geteuid();
#elif defined(Q_OS_UNIX)
    uid_t uid = 0;
    gid_t gid = 0;
    if (::getpeereid(static_cast<int>(socketDescriptor), &uid, &gid) != 0) {
        if (who)
            *who = tr("a peer whose user could not be read");
        return false;
    }
    if (who)
        *who = tr("uid %1").arg(uid);
    return uid == ::geteuid();
#else
    Q_UNUSED(socketDescriptor);
    Q_UNUSED(who);
    return true;
#endif
}

void restrictNewFilesToOwner()
{
#ifdef Q_OS_UNIX
    ::umask(077);
#endif
}

void restrictToOwner(const QString &path)
{
    constexpr auto file = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
    constexpr auto directory = file | QFileDevice::ExeOwner;
    const QFileInfo info(path);
    if (info.isSymLink() || !info.exists())
        return;
    if (!info.isDir()) {
        QFile::setPermissions(path, file);
        return;
    }
    QFile::setPermissions(path, directory);
    QDirIterator it(path, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QFileInfo entry(it.next());
        if (!entry.isSymLink())
            QFile::setPermissions(entry.filePath(), entry.isDir() ? directory : file);
    }
}

} // namespace chatterbox::platform
