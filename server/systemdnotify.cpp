// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/systemdnotify.h"

#include <cstddef>
#include <cstdlib>
#include <cstring>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace chatterbox::server {

bool notifyServiceManager(std::string_view state)
{
    const char *socketName = std::getenv("NOTIFY_SOCKET");
    if (socketName == nullptr)
        return false;
    const std::string_view name(socketName);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (name.size() < 2 || name.size() >= sizeof(address.sun_path) || (name[0] != '/' && name[0] != '@'))
        return false;
    std::memcpy(address.sun_path, name.data(), name.size());
    if (name[0] == '@')
        address.sun_path[0] = '\0';   // an abstract name: no file, and not NUL-terminated
    const auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size() + (name[0] == '/' ? 1 : 0));
    const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return false;
    const auto sent = ::sendto(fd, state.data(), state.size(), MSG_NOSIGNAL, reinterpret_cast<const sockaddr *>(&address), length);
    ::close(fd);
    return sent == static_cast<ssize_t>(state.size());
}

} // namespace chatterbox::server
