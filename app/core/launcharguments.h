#pragma once

#include <QStringList>

namespace chatterbox::app {

// Takes the links the app was started with out of argv, before QApplication sees argv: a
// chatterbox: link, and everything after "--" (the desktop file runs `chatterbox -- %u`), is
// data to be checked, never an option for Qt (a crafted link must not become
// "-platformpluginpath"). argc and argv are rewritten without them.
QStringList takeLinkArguments(int &argc, char **argv);

} // namespace chatterbox::app
