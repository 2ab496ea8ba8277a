// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

namespace chatterbox::app {

// Takes the links the app was started with out of argv, before QApplication sees argv: a
// chatterbox: link, and everything after "--" (the desktop file runs `chatterbox -- %u`), is
// data to be checked, never an option for Qt (a crafted link must not become
// "-platformpluginpath"). argc and argv are rewritten without them.
QStringList takeLinkArguments(int &argc, char **argv);

// What a start passes on to the running app: at most kMaxLinksPerStart links, each cut just past
// the longest an invite link can be (so the running app still refuses it as too long, as a first
// start would). More would not fit the message between the two.
QStringList boundLinks(QStringList links, qsizetype *dropped = nullptr);
inline constexpr qsizetype kMaxLinksPerStart = 12;

} // namespace chatterbox::app
