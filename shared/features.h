// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <vector>

// The protocol features this version speaks: the app offers them all in hello, and the server
// grants those it also speaks. One list for both sides, so that they cannot drift apart; a new
// feature is added here (and in protocol.md's hello section).
namespace chatterbox::protocol {

inline constexpr std::array<std::string_view, 8> kFeatures = {
    "message.sync", "message.edit", "topic.reorder", "invites", "presence", "typing", "read-state", "mentions",
};

inline std::vector<std::string> allFeatures()
{
    return {kFeatures.begin(), kFeatures.end()};
}

// The features of `asked` that this version speaks, in the order asked.
inline std::vector<std::string> commonFeatures(const std::vector<std::string> &asked)
{
    std::vector<std::string> out;
    for (const auto &feature : asked) {
        if (std::find(kFeatures.begin(), kFeatures.end(), feature) != kFeatures.end())
            out.push_back(feature);
    }
    return out;
}

} // namespace chatterbox::protocol
