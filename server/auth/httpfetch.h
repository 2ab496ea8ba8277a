// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace chatterbox::server {

// Blocking HTTP(S) requests to identity providers, on the HTTP side's threads. Certificates are
// verified against the system's CA store; redirects are not followed.
struct FetchResult {
    int status = 0;          // 0 when no answer came
    std::string body;
    std::string error;       // why there was no answer
};

using Headers = std::vector<std::pair<std::string, std::string>>;

FetchResult httpGet(const std::string &url, const Headers &headers = {});
FetchResult httpPostForm(const std::string &url, const std::string &form, const Headers &headers = {});

// application/x-www-form-urlencoded, RFC 3986 unreserved characters kept.
std::string formEncode(const std::vector<std::pair<std::string, std::string>> &fields);
std::string percentEncode(const std::string &text);

} // namespace chatterbox::server
