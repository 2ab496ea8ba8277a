// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/core/persontext.h"

#include <QCoreApplication>
#include <QLocale>
#include <QTimeZone>

#include <algorithm>

namespace chatterbox::app {

namespace {
QString tr(const char *text, int n = -1) { return QCoreApplication::translate("chatterbox::app::PersonText", text, nullptr, n); }

QString time(const QDateTime &at) { return QLocale().toString(at.time(), QLocale::ShortFormat); }

// A moment close to now as a person says it: today's time, tomorrow's or yesterday's, or the date.
QString nearDay(const QDateTime &at, const QDateTime &now, const char *today, const char *yesterday, const char *tomorrow, const char *other)
{
    const qint64 days = now.date().daysTo(at.date());
    if (days == 0)
        return tr(today).arg(time(at));
    if (days == -1 && yesterday)
        return tr(yesterday).arg(time(at));
    if (days == 1 && tomorrow)
        return tr(tomorrow).arg(time(at));
    return tr(other).arg(QLocale().toString(at.date(), QLocale::ShortFormat), time(at));
}
} // namespace

bool statusShown(const protocol::Status &status, const QDateTime &now)
{
    return !status.text.empty() && (!status.expiresAt || *status.expiresAt > now.toMSecsSinceEpoch());
}

QString statusUntilText(const protocol::Status &status, const QDateTime &now)
{
    if (!status.expiresAt)
        return {};
    const QDateTime at = QDateTime::fromMSecsSinceEpoch(*status.expiresAt).toTimeZone(now.timeZone());
    return tr("Until %1").arg(nearDay(at, now, "%1", nullptr, QT_TRANSLATE_NOOP("chatterbox::app::PersonText", "tomorrow %1"),
                                      QT_TRANSLATE_NOOP("chatterbox::app::PersonText", "%1 %2")));
}

std::optional<QDateTime> statusExpiry(StatusClearAfter after, const QDateTime &now, Qt::DayOfWeek firstDayOfWeek)
{
    switch (after) {
    case StatusClearAfter::Never: return std::nullopt;
    case StatusClearAfter::HalfHour: return now.addSecs(30 * 60);
    case StatusClearAfter::Hour: return now.addSecs(60 * 60);
    case StatusClearAfter::FourHours: return now.addSecs(4 * 60 * 60);
    case StatusClearAfter::Today: return QDateTime(now.date().addDays(1), QTime(0, 0), now.timeZone());
    case StatusClearAfter::ThisWeek: {
        // Midnight at the start of the next week: 1 to 7 days ahead.
        const int ahead = (firstDayOfWeek - now.date().dayOfWeek() + 7) % 7;
        return QDateTime(now.date().addDays(ahead == 0 ? 7 : ahead), QTime(0, 0), now.timeZone());
    }
    }
    return std::nullopt;
}

QString presenceText(protocol::Presence presence, const protocol::Status &status, const QDateTime &now)
{
    switch (presence) {
    case protocol::Presence::Online: return tr("Online");
    case protocol::Presence::Idle: return tr("Idle");
    case protocol::Presence::DoNotDisturb: return tr("Do not disturb");
    case protocol::Presence::Offline: break;
    }
    if (!status.lastSeenAt)
        return tr("Offline");
    const QDateTime at = QDateTime::fromMSecsSinceEpoch(*status.lastSeenAt).toTimeZone(now.timeZone());
    const qint64 minutes = std::max<qint64>(0, at.secsTo(now) / 60);
    QString seen;
    if (minutes < 1)
        seen = tr("last seen just now");
    else if (minutes == 1)
        seen = tr("last seen a minute ago");
    else if (minutes < 60)   // one and many apart, so that English reads right without a translation loaded
        seen = tr("last seen %n minutes ago", static_cast<int>(minutes));
    else if (minutes < 120)
        seen = tr("last seen an hour ago");
    else if (minutes < 6 * 60)
        seen = tr("last seen %n hours ago", static_cast<int>(minutes / 60));
    else
        seen = tr("last seen %1").arg(nearDay(at, now, QT_TRANSLATE_NOOP("chatterbox::app::PersonText", "today at %1"),
                                              QT_TRANSLATE_NOOP("chatterbox::app::PersonText", "yesterday at %1"), nullptr,
                                              QT_TRANSLATE_NOOP("chatterbox::app::PersonText", "on %1 at %2")));
    return tr("Offline · %1").arg(seen);
}

} // namespace chatterbox::app
