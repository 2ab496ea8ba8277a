// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string_view>

namespace chatterbox::server {

// Tells the service manager how the server is (systemd's sd_notify protocol, Type=notify):
// "READY=1" once it listens, "RELOADING=1", "STOPPING=1". One datagram to $NOTIFY_SOCKET, a
// path or (leading '@') an abstract socket name; without that variable, nothing is sent, so the
// same binary runs under any supervisor. Returns whether the state was sent.
bool notifyServiceManager(std::string_view state);

} // namespace chatterbox::server
