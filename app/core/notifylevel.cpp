// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/core/notifylevel.h"

#include "app/core/preferences.h"

namespace chatterbox::app {

protocol::NotifyLevel partyLevel(const Preferences *preferences, const protocol::Party &party)
{
    if (preferences)
        if (const auto own = preferences->partyLevel(QString::fromStdString(party.id)))
            return *own;
    return party.notifyDefault;
}

protocol::NotifyLevel topicLevel(const Preferences *preferences, const protocol::Party &party, const std::string &topicId)
{
    if (preferences)
        if (const auto own = preferences->topicLevel(QString::fromStdString(topicId)))
            return *own;
    return partyLevel(preferences, party);
}

qint64 countedUnread(protocol::NotifyLevel level, const protocol::ReadState &state)
{
    switch (level) {
    case protocol::NotifyLevel::All: return state.unread;
    case protocol::NotifyLevel::Mentions: return state.mentions;
    case protocol::NotifyLevel::Nothing: return 0;
    }
    return state.unread;
}

} // namespace chatterbox::app
