// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/core/logging.h"

Q_LOGGING_CATEGORY(lcApp, "chatterbox.app", QtInfoMsg)
