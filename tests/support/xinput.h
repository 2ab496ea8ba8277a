// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QPoint>
#include <QString>

namespace chatterbox::test::xinput {

// Key presses and mouse moves through the X server (xdotool, which uses XTEST), the way a
// person's keyboard and mouse make them: the window manager decides which window has focus and
// Qt receives real X events, unlike QTest's events sent straight to a widget. Each call waits for
// xdotool and then lets the app handle what arrived.

// Whether xdotool and an X display are there.
bool available();
// Types text into whatever has the keyboard focus.
bool type(const QString &text);
// Presses keys: "Return", "ctrl+shift+n", "Tab", "alt+Down".
bool key(const QString &keys);
// Makes the X window of a widget the active one, as clicking its title would.
bool activate(unsigned long window);
bool click(QPoint global);
// Presses the left button at from, moves to to in steps, and lets go: a drag.
bool drag(QPoint from, QPoint to);

} // namespace chatterbox::test::xinput
