// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLoggingCategory>

// The app's own log lines: what went wrong that a person might ask about (a reply that could not
// be read, a load that failed). QT_LOGGING_RULES="chatterbox.app.debug=true" shows more.
Q_DECLARE_LOGGING_CATEGORY(lcApp)
