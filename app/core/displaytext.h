// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace chatterbox::app {

// What people typed (names of people, parties and topics) put into text the app shows, so that
// it shows as what it is and changes nothing around it.

// The name in a bidi isolate of its own (FSI … PDI, Unicode's bidi algorithm rule X5c): an
// override or a right-to-left name reorders only itself, never the words after it ("is typing").
QString isolated(const QString &name);

// For a button or menu item: '&' there would make the next letter a keyboard shortcut.
QString withoutMnemonics(const QString &text);

// For a tooltip, which Qt shows as rich text when the text looks like HTML: escaped, so a name
// holding "<img src=…>" shows those characters and loads nothing.
QString plainToolTip(const QString &text);

} // namespace chatterbox::app
