// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace chatterbox::app {

class Preferences;
class Store;

// What waits for the person across every party, as the window title and the tray show it:
// what each topic's notification level lets through (every unread message, the mentions, or
// nothing; app/core/notifylevel.h), as the lists count it.
int unreadForBadge(const Store &store, const Preferences &preferences);

} // namespace chatterbox::app
