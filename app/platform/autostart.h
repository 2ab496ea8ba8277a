// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

// Starting the app when the person logs in: an XDG autostart entry on Linux, the Run key on
// Windows, a launch agent on macOS. Each platform has its own autostart_<platform>.cpp.
namespace chatterbox::platform {

// Turns starting at login on or off; minimized starts it without showing the window.
// Returns an empty string, or what went wrong.
QString setStartAtLogin(bool enabled, bool minimized);
bool startsAtLogin();

} // namespace chatterbox::platform
