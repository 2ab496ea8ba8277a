// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/core/unreadcount.h"

#include "app/core/notifylevel.h"
#include "app/core/store.h"

#include <algorithm>

namespace chatterbox::app {

int unreadForBadge(const Store &store, const Preferences &preferences)
{
    qint64 total = 0;
    for (const auto &party : store.parties()) {
        for (const auto &topic : party.topics)
            total += countedUnread(topicLevel(&preferences, party, topic.id), store.readState(topic.id));
    }
    return static_cast<int>(std::min<qint64>(total, 1'000'000));
}

} // namespace chatterbox::app
