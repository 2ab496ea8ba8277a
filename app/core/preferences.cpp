// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/core/preferences.h"

#include <algorithm>
#include <utility>

namespace chatterbox::app {

namespace {
const QString kServerUrl = QStringLiteral("server/url");
const QString kTheme = QStringLiteral("appearance/theme");
const QString kNotifyMentions = QStringLiteral("notifications/mentions");
const QString kNotifyMessages = QStringLiteral("notifications/messages");
const QString kStartAtLogin = QStringLiteral("startup/atLogin");
const QString kStartMinimized = QStringLiteral("startup/minimized");
const QString kCloseToTray = QStringLiteral("window/closeToTray");
const QString kLastTopic = QStringLiteral("window/lastTopic");
const QString kRecentTopicsKey = QStringLiteral("window/recentTopics");
const QString kMuteAllUntil = QStringLiteral("notifications/muteAllUntil");
const QString kQuietHoursOn = QStringLiteral("notifications/quietHoursOn");
const QString kQuietFrom = QStringLiteral("notifications/quietFrom");
const QString kQuietTo = QStringLiteral("notifications/quietTo");
const QString kIdleMinutes = QStringLiteral("presence/idleMinutes");
const QString kSound = QStringLiteral("notifications/sound");
const QString kTopicLevels = QStringLiteral("notifications/topicLevels/");
const QString kPartyLevels = QStringLiteral("notifications/partyLevels/");
// Before levels there were mutes; a mute let mentions through, as "mentions only" does.
const QString kMutedTopics = QStringLiteral("notifications/mutedTopics");
const QString kMutedParties = QStringLiteral("notifications/mutedParties");

std::optional<protocol::NotifyLevel> levelAt(const QSettings &settings, const QString &key)
{
    protocol::NotifyLevel level;
    if (!protocol::notifyLevelFromName(settings.value(key).toString().toStdString(), level))
        return std::nullopt;
    return level;
}

void setLevelAt(QSettings &settings, const QString &key, std::optional<protocol::NotifyLevel> level)
{
    if (level)
        settings.setValue(key, QString::fromLatin1(protocol::notifyLevelName(*level)));
    else
        settings.remove(key);
}

void carryMutesOver(QSettings &settings)
{
    for (const auto &[muted, levels] : {std::pair{kMutedTopics, kTopicLevels}, std::pair{kMutedParties, kPartyLevels}}) {
        if (!settings.contains(muted))
            continue;
        for (const QString &id : settings.value(muted).toStringList())
            if (!settings.contains(levels + id))
                setLevelAt(settings, levels + id, protocol::NotifyLevel::Mentions);
        settings.remove(muted);
    }
}
} // namespace

Preferences::Preferences(const QString &iniPath, QObject *parent)
    : QObject(parent), m_settings(iniPath.isEmpty() ? std::make_unique<QSettings>()
                                   : std::make_unique<QSettings>(iniPath, QSettings::IniFormat))
{
    carryMutesOver(*m_settings);
}

QString Preferences::serverUrl() const { return m_settings->value(kServerUrl).toString(); }
void Preferences::setServerUrl(const QString &url) { m_settings->setValue(kServerUrl, url); }

Preferences::Theme Preferences::theme() const
{
    const QString name = m_settings->value(kTheme).toString();
    if (name == QLatin1String("light"))
        return Theme::Light;
    if (name == QLatin1String("dark"))
        return Theme::Dark;
    return Theme::System;
}

void Preferences::setTheme(Theme theme)
{
    m_settings->setValue(kTheme, theme == Theme::Light  ? QStringLiteral("light")
                                 : theme == Theme::Dark ? QStringLiteral("dark")
                                                        : QStringLiteral("system"));
}

bool Preferences::notifyOnMentions() const { return m_settings->value(kNotifyMentions, true).toBool(); }
void Preferences::setNotifyOnMentions(bool on) { m_settings->setValue(kNotifyMentions, on); }
bool Preferences::notifyOnMessages() const { return m_settings->value(kNotifyMessages, true).toBool(); }
void Preferences::setNotifyOnMessages(bool on) { m_settings->setValue(kNotifyMessages, on); }
bool Preferences::startAtLogin() const { return m_settings->value(kStartAtLogin, false).toBool(); }
void Preferences::setStartAtLogin(bool on) { m_settings->setValue(kStartAtLogin, on); }
bool Preferences::startMinimized() const { return m_settings->value(kStartMinimized, false).toBool(); }
void Preferences::setStartMinimized(bool on) { m_settings->setValue(kStartMinimized, on); }
bool Preferences::closeToTray() const { return m_settings->value(kCloseToTray, false).toBool(); }
void Preferences::setCloseToTray(bool on) { m_settings->setValue(kCloseToTray, on); }
QString Preferences::lastTopicId() const { return m_settings->value(kLastTopic).toString(); }
void Preferences::setLastTopicId(const QString &topicId)
{
    m_settings->setValue(kLastTopic, topicId);
    QStringList recent = recentTopicIds();
    recent.removeAll(topicId);
    recent.prepend(topicId);
    m_settings->setValue(kRecentTopicsKey, recent.mid(0, kRecentTopics));
}

QStringList Preferences::recentTopicIds() const
{
    return m_settings->value(kRecentTopicsKey).toStringList();
}

QStringList Preferences::recentEmoji() const
{
    return m_settings->value(QStringLiteral("emoji/recent")).toStringList().mid(0, kRecentEmoji);
}

void Preferences::noteEmojiUsed(const QString &emoji)
{
    QStringList recent = recentEmoji();
    recent.removeAll(emoji);
    recent.prepend(emoji);
    m_settings->setValue(QStringLiteral("emoji/recent"), recent.mid(0, kRecentEmoji));
}

QStringList Preferences::recentSearches() const
{
    return m_settings->value(QStringLiteral("search/recent")).toStringList().mid(0, kRecentSearches);
}

void Preferences::noteSearch(const QString &query)
{
    const QString text = query.trimmed();
    if (text.isEmpty())
        return;
    QStringList recent = recentSearches();
    recent.removeAll(text);
    recent.prepend(text);
    m_settings->setValue(QStringLiteral("search/recent"), recent.mid(0, kRecentSearches));
}

void Preferences::clearRecentSearches()
{
    m_settings->remove(QStringLiteral("search/recent"));
}

int Preferences::skinTone() const
{
    return qBound(0, m_settings->value(QStringLiteral("emoji/skinTone"), 0).toInt(), 5);
}

void Preferences::setSkinTone(int tone)
{
    m_settings->setValue(QStringLiteral("emoji/skinTone"), qBound(0, tone, 5));
}

} // namespace chatterbox::app

namespace chatterbox::app {

QDateTime Preferences::muteAllUntil() const
{
    const QDateTime until = m_settings->value(kMuteAllUntil).toDateTime();
    return until.isValid() && until > QDateTime::currentDateTime() ? until : QDateTime();
}

void Preferences::setMuteAllUntil(const QDateTime &until)
{
    if (until.isValid())
        m_settings->setValue(kMuteAllUntil, until);
    else
        m_settings->remove(kMuteAllUntil);
    Q_EMIT presenceRulesChanged();
}

Preferences::QuietHours Preferences::quietHours() const
{
    QuietHours hours;
    hours.on = m_settings->value(kQuietHoursOn, false).toBool();
    const QTime from = m_settings->value(kQuietFrom).toTime();
    const QTime to = m_settings->value(kQuietTo).toTime();
    if (from.isValid())
        hours.from = from;
    if (to.isValid())
        hours.to = to;
    return hours;
}

void Preferences::setQuietHours(const QuietHours &hours)
{
    m_settings->setValue(kQuietHoursOn, hours.on);
    m_settings->setValue(kQuietFrom, hours.from);
    m_settings->setValue(kQuietTo, hours.to);
    Q_EMIT presenceRulesChanged();
}

bool Preferences::isDoNotDisturb(const QDateTime &now) const
{
    const QDateTime until = m_settings->value(kMuteAllUntil).toDateTime();
    if (until.isValid() && until > now)
        return true;
    const QuietHours hours = quietHours();
    if (!hours.on || hours.from == hours.to)
        return false;
    const QTime t = now.time();
    // 09:00-17:00 is within a day; 22:00-08:00 runs through midnight.
    return hours.from < hours.to ? (t >= hours.from && t < hours.to) : (t >= hours.from || t < hours.to);
}

int Preferences::idleMinutes() const { return std::clamp(m_settings->value(kIdleMinutes, 10).toInt(), 1, 240); }
void Preferences::setIdleMinutes(int minutes)
{
    m_settings->setValue(kIdleMinutes, std::clamp(minutes, 1, 240));
    Q_EMIT presenceRulesChanged();
}

bool Preferences::notificationSound() const { return m_settings->value(kSound, true).toBool(); }
void Preferences::setNotificationSound(bool on) { m_settings->setValue(kSound, on); }

std::optional<protocol::NotifyLevel> Preferences::topicLevel(const QString &topicId) const { return levelAt(*m_settings, kTopicLevels + topicId); }
void Preferences::setTopicLevel(const QString &topicId, std::optional<protocol::NotifyLevel> level)
{
    setLevelAt(*m_settings, kTopicLevels + topicId, level);
    Q_EMIT levelsChanged();
}
std::optional<protocol::NotifyLevel> Preferences::partyLevel(const QString &partyId) const { return levelAt(*m_settings, kPartyLevels + partyId); }
void Preferences::setPartyLevel(const QString &partyId, std::optional<protocol::NotifyLevel> level)
{
    setLevelAt(*m_settings, kPartyLevels + partyId, level);
    Q_EMIT levelsChanged();
}

} // namespace chatterbox::app
