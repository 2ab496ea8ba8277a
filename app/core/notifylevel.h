// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "shared/types.h"

#include <QtGlobal>

#include <string>

namespace chatterbox::app {

class Preferences;

// What reaches the person from a party: their own choice for it, else the default its owner set.
// From a topic: their choice for the topic, else the party's level. Without preferences, the
// party's default. The notifications, the tray's count and the lists all ask here.
protocol::NotifyLevel partyLevel(const Preferences *preferences, const protocol::Party &party);
protocol::NotifyLevel topicLevel(const Preferences *preferences, const protocol::Party &party, const std::string &topicId);

// The unread count a level lets through: every unread message, the mentions, or none.
qint64 countedUnread(protocol::NotifyLevel level, const protocol::ReadState &state);

} // namespace chatterbox::app
