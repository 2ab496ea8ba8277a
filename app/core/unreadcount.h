// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace chatterbox::app {

class Preferences;
class Store;

// What waits for the person across every party, as the window title and the tray show it:
// unread messages in topics that are not muted, and mentions everywhere (a mention gets through
// a mute, as it does in the lists).
int unreadForBadge(const Store &store, const Preferences &preferences);

} // namespace chatterbox::app
