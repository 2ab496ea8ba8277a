// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QtGlobal>

namespace chatterbox::platform {

// Where the app keeps what only its own user may reach: its single-instance socket and lock.
// Linux and the BSDs: $XDG_RUNTIME_DIR/chatterbox (the session's own directory, mode 0700);
// without it, $TMPDIR (or /tmp)/chatterbox-<uid>, which the app creates with mode 0700.
// macOS: chatterbox in the per-user temporary directory ($TMPDIR). Where those cannot be used,
// run/ in the app's data directory, in the home. Windows: the user's temporary directory (the
// socket itself is a named pipe, checked at each end).
// A directory that belongs to someone else, is a symbolic link, is open to others or sits in a
// directory others may rename things in is not used; problem says what was passed over (also
// when a later one was used), and path is empty when none could be.
struct PrivateDirectory {
    QString path;
    QString problem;
};
PrivateDirectory privateRuntimeDirectory();

// What is wrong with a file or directory the app would use as its own (it belongs to another
// user or is a symbolic link; with OwnerOnly also: others may read, write or enter it), or
// empty when nothing is. A path that does not exist is fine.
enum class Access { OwnerOnly, InsideOwnDirectory };
QString ownershipProblem(const QString &path, Access access);

// Whether the process at the other end of a connected local socket runs as this user
// (SO_PEERCRED on Linux, getpeereid on macOS and the BSDs; on Windows, the user SID of the
// pipe's other process, which is why the side is needed).
enum class PipeEnd { Server, Client };
bool peerIsThisUser(qintptr socketDescriptor, PipeEnd thisEnd, QString *who = nullptr);

// From now on, files and directories the process creates are readable by their owner alone
// (umask 077): settings, the outbox, logs, and whatever comes later. Unix only.
void restrictNewFilesToOwner();

// Makes a file (0600) or directory (0700, and what it holds) that an earlier version wrote with
// looser modes its owner's alone. What does not exist is left alone.
void restrictToOwner(const QString &path);

} // namespace chatterbox::platform
