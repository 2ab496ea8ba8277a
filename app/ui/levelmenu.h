// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "shared/types.h"

#include <QString>

class QMenu;
class QWidget;

namespace chatterbox::app {
class Preferences;
}

namespace chatterbox::ui {

// "All messages", "Mentions only", "Nothing".
QString levelName(protocol::NotifyLevel level);

// The Notifications submenu of a party, a direct conversation or a topic: the default first,
// named with what it is now ("Party default (Mentions only)"), then the three levels, the
// person's own choice checked. A direct conversation is offered all or nothing, as every one of
// its messages is written to the person. Choosing one keeps it in the preferences.
QMenu *addLevelMenu(QMenu &menu, app::Preferences &preferences, const protocol::Party &party, const QString &topicId = {});

} // namespace chatterbox::ui
