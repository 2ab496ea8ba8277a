// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <set>
#include <string>
#include <string_view>

namespace chatterbox::server::http {

// Who a request is from. The peer, unless the peer is one of the operator's trusted proxies:
// then the last address in its X-Forwarded-For (the one the proxy itself saw; earlier ones are
// what the client claimed, and anyone can claim anything). Anyone else's X-Forwarded-For is not
// believed. Addresses as Qt writes them, IPv4-mapped IPv6 as plain IPv4.
std::string clientAddressFor(const std::string &peer, std::string_view forwardedFor, const std::set<std::string> &trustedProxies);

} // namespace chatterbox::server::http
