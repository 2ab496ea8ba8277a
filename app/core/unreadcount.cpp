// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/core/unreadcount.h"

#include "app/core/preferences.h"
#include "app/core/store.h"

#include <algorithm>

namespace chatterbox::app {

int unreadForBadge(const Store &store, const Preferences &preferences)
{
    qint64 total = 0;
    for (const auto &party : store.parties()) {
        const bool partyMuted = preferences.isPartyMuted(QString::fromStdString(party.id));
        for (const auto &topic : party.topics) {
            const auto state = store.readState(topic.id);
            const bool muted = partyMuted || preferences.isTopicMuted(QString::fromStdString(topic.id));
            total += muted ? state.mentions : state.unread;
        }
    }
    return static_cast<int>(std::min<qint64>(total, 1'000'000));
}

} // namespace chatterbox::app
