// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "shared/types.h"

#include <QDateTime>
#include <QString>

#include <optional>

namespace chatterbox::app {

// How a profile tells of a person in words. now is passed in so that tests can say when it is.

// Whether a status line is still to be shown (the server stops at its expiry; the app does too,
// without waiting for news).
bool statusShown(const protocol::Status &status, const QDateTime &now);

// "Until 17:30", "Until tomorrow 09:00", "Until 3 Dec 2026 09:00"; empty when it never expires.
QString statusUntilText(const protocol::Status &status, const QDateTime &now);

// "Online", "Idle", "Do not disturb"; offline: "Offline · last seen 5 minutes ago" (or "an hour
// ago", "yesterday at 21:04", "on 3 Nov 2026"), or "Offline" when never seen.
QString presenceText(protocol::Presence presence, const protocol::Status &status, const QDateTime &now);

// When a status line set now clears itself, as its setter chose in a list: never, after a while,
// at the end of the day, or at the end of the week (the week as the locale counts it).
enum class StatusClearAfter { Never, HalfHour, Hour, FourHours, Today, ThisWeek };
std::optional<QDateTime> statusExpiry(StatusClearAfter after, const QDateTime &now, Qt::DayOfWeek firstDayOfWeek);

} // namespace chatterbox::app
