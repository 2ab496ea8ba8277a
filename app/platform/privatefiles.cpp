// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/platform/privatefiles.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QStringList>

#ifdef Q_OS_WIN
#include <windows.h>
#endif

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
// Room for the socket's name in a sockaddr_un (104 bytes with its terminating zero on macOS,
// 108 on Linux) after the directory: "/chatterbox-" and 20 hex digits.
constexpr qsizetype kMaxDirectoryBytes = 103 - 32;

// A directory others may write to without the sticky bit lets them rename what is in it.
QString parentProblem(const QString &path)
{
    const QString parent = QFileInfo(path).absolutePath();
    struct stat st {};
    if (::stat(QFile::encodeName(parent).constData(), &st) != 0)
        return tr("%1 cannot be read: %2").arg(parent, QString::fromLocal8Bit(std::strerror(errno)));
    if ((st.st_mode & (S_IWGRP | S_IWOTH)) && !(st.st_mode & S_ISVTX))
        return tr("%1 may be written by others and has no sticky bit").arg(parent);
    if (st.st_uid != 0 && st.st_uid != ::geteuid())
        return tr("%1 belongs to another user (uid %2)").arg(parent).arg(st.st_uid);
    return {};
}

// Creates the directory with mode 0700 when it is missing, then checks what is there (someone
// may have made it first). Empty when it may be used; else what is wrong.
QString ownDirectory(const QString &path)
{
    if (!QDir::isAbsolutePath(path))
        return tr("%1 is not an absolute path").arg(path);
    if (QFile::encodeName(path).size() > kMaxDirectoryBytes)
        return tr("%1 is too long a path for a local socket").arg(path);
    if (const QString problem = parentProblem(path); !problem.isEmpty())
        return problem;
    const QByteArray native = QFile::encodeName(path);
    if (::mkdir(native.constData(), 0700) != 0 && errno != EEXIST)
        return tr("%1 could not be created: %2").arg(path, QString::fromLocal8Bit(std::strerror(errno)));
    if (const QString problem = ownershipProblem(path, Access::OwnerOnly); !problem.isEmpty())
        return problem;
    struct stat st {};
    if (::lstat(native.constData(), &st) != 0 || !S_ISDIR(st.st_mode))
        return tr("%1 is not a directory").arg(path);
    return {};
}
#endif
} // namespace

QString ownershipProblem(const QString &path, Access access)
{
#ifdef Q_OS_UNIX
    struct stat st {};
    if (::lstat(QFile::encodeName(path).constData(), &st) != 0) {
        if (errno == ENOENT)
            return {};   // not there: it will be made, by this user
        return tr("%1 cannot be read: %2").arg(path, QString::fromLocal8Bit(std::strerror(errno)));
    }
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
#ifdef Q_OS_UNIX
    // The first of these that is the user's alone; the app's data directory, in the home, last
    // (someone may have made the one in temp first).
    QStringList candidates;
#ifdef Q_OS_MACOS
    candidates << QDir::tempPath() + QStringLiteral("/chatterbox");   // $TMPDIR: /var/folders/…/T/, the user's own
#else
    // The XDG spec: a relative XDG_RUNTIME_DIR is to be ignored; one open to others is not the session's.
    const QString runtime = qEnvironmentVariable("XDG_RUNTIME_DIR");
    QStringList skipped;
    if (!runtime.isEmpty()) {
        if (!QDir::isAbsolutePath(runtime))
            skipped << tr("XDG_RUNTIME_DIR %1 is not an absolute path").arg(runtime);
        else if (const QString problem = ownershipProblem(runtime, Access::OwnerOnly); !problem.isEmpty())
            skipped << problem;
        else
            candidates << runtime + QStringLiteral("/chatterbox");
    }
    candidates << QDir::tempPath() + QStringLiteral("/chatterbox-") + QString::number(::geteuid());
#endif
    const QString data = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation);
    if (!data.isEmpty()) {
        QDir().mkpath(data);
        candidates << data + QStringLiteral("/run");
    }
#ifdef Q_OS_MACOS
    QStringList skipped;
#endif
    for (const QString &candidate : candidates) {
        const QString problem = ownDirectory(candidate);
        if (problem.isEmpty())
            return {candidate, skipped.join(QStringLiteral("; "))};
        skipped << problem;
    }
    return {{}, skipped.join(QStringLiteral("; "))};
#else
    return {QDir::tempPath(), {}};
#endif
}

bool peerIsThisUser(qintptr socketDescriptor, PipeEnd thisEnd, QString *who)
{
    Q_UNUSED(thisEnd);   // Windows alone needs it
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
#elif defined(Q_OS_WIN)
    // The process at the pipe's other end, and the user its token names, against this one's.
    const HANDLE pipe = reinterpret_cast<HANDLE>(socketDescriptor);
    ULONG pid = 0;
    const BOOL known = thisEnd == PipeEnd::Server ? GetNamedPipeClientProcessId(pipe, &pid) : GetNamedPipeServerProcessId(pipe, &pid);
    if (who)
        *who = tr("process %1").arg(pid);
    if (!known)
        return false;
    const auto userOf = [](HANDLE process) -> QByteArray {
        HANDLE token = nullptr;
        if (!OpenProcessToken(process, TOKEN_QUERY, &token))
            return {};
        DWORD size = 0;
        GetTokenInformation(token, TokenUser, nullptr, 0, &size);
        QByteArray buffer(static_cast<qsizetype>(size), '\0');
        const bool ok = size > 0 && GetTokenInformation(token, TokenUser, buffer.data(), size, &size);
        CloseHandle(token);
        if (!ok)
            return {};
        const PSID sid = reinterpret_cast<TOKEN_USER *>(buffer.data())->User.Sid;
        return QByteArray(static_cast<const char *>(sid), static_cast<qsizetype>(GetLengthSid(sid)));
    };
    const HANDLE peer = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid);
    if (!peer)
        return false;
    const QByteArray theirs = userOf(peer);
    CloseHandle(peer);
    const QByteArray mine = userOf(GetCurrentProcess());
    return !mine.isEmpty() && theirs == mine;
#else
    Q_UNUSED(socketDescriptor);
    Q_UNUSED(who);
    return false;
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
