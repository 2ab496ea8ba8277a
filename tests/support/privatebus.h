// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QProcess>
#include <QString>
#include <QTemporaryDir>

namespace chatterbox::test {

// A D-Bus session bus of the test's own (dbus-daemon), with nothing on it and nothing it can
// start: unlike a bus made from the distribution's session.conf, it has no service directories,
// so a notification daemon or a keyring installed on a developer's machine is not activated on it.
// Services a test wants it runs itself, on this bus.
class PrivateBus final {
public:
    PrivateBus();
    ~PrivateBus();
    PrivateBus(const PrivateBus &) = delete;
    PrivateBus &operator=(const PrivateBus &) = delete;

    bool start();
    QString address() const { return m_address; }
    QString error() const { return m_error; }

private:
    QTemporaryDir m_dir;
    QProcess m_daemon;
    QString m_address;
    QString m_error;
};

// Makes this process look like one on a machine with no desktop session, whatever session the
// test was started from: no display, no Wayland, the given bus as the session bus, and a runtime
// directory of its own (libdbus and GDBus otherwise fall back to $XDG_RUNTIME_DIR/bus, where a
// desktop's bus and its keyring are). Call before anything connects to a bus.
void leaveDesktopSession(const PrivateBus &bus, const QString &runtimeDir);

} // namespace chatterbox::test
