// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "shared/types.h"

#include <QDateTime>
#include <QObject>
#include <QSettings>
#include <QString>

#include <memory>
#include <optional>

namespace chatterbox::app {

// What the person chose, kept between runs in the platform's settings store (an INI file in a
// given place for tests and portable setups).
class Preferences final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Preferences)

public:
    enum class Theme { System, Light, Dark };

    // Empty path: the platform's usual place for the organization and application names.
    explicit Preferences(const QString &iniPath = {}, QObject *parent = nullptr);

    QString serverUrl() const;
    void setServerUrl(const QString &url);

    Theme theme() const;
    void setTheme(Theme theme);

    bool notifyOnMentions() const;
    void setNotifyOnMentions(bool on);
    bool notifyOnMessages() const;
    void setNotifyOnMessages(bool on);

    bool startAtLogin() const;
    void setStartAtLogin(bool on);
    bool startMinimized() const;
    void setStartMinimized(bool on);
    bool closeToTray() const;
    void setCloseToTray(bool on);

    // Quiet: everything until a time ("do not disturb" from the tray), in quiet hours, or by level.
    QDateTime muteAllUntil() const;
    void setMuteAllUntil(const QDateTime &until);   // invalid: not muted
    // Do not disturb every day between two times (from 22:00 to 08:00 runs through midnight).
    struct QuietHours {
        bool on = false;
        QTime from{22, 0};
        QTime to{8, 0};
    };
    QuietHours quietHours() const;
    void setQuietHours(const QuietHours &hours);
    // Whether nothing should notify at this moment: muted until a later time, or in quiet hours.
    // Others see the person as "do not disturb" meanwhile.
    bool isDoNotDisturb(const QDateTime &now) const;
    // Minutes without input after which others see the person as idle (1 to 240).
    int idleMinutes() const;
    void setIdleMinutes(int minutes);
    // Whether notifications make their sound.
    bool notificationSound() const;
    void setNotificationSound(bool on);
    // The person's own notification level for a topic or a party; none: follow what is above
    // (a topic its party, a party the default its owner set). app/core/notifylevel.h puts them
    // together. Kept on this computer, as the rest of these choices are.
    std::optional<protocol::NotifyLevel> topicLevel(const QString &topicId) const;
    void setTopicLevel(const QString &topicId, std::optional<protocol::NotifyLevel> level);
    std::optional<protocol::NotifyLevel> partyLevel(const QString &partyId) const;
    void setPartyLevel(const QString &partyId, std::optional<protocol::NotifyLevel> level);

    // Where the person was, to open there next time; and the topics they went to, newest first
    // (at most kRecentTopics), for the quick switcher.
    QString lastTopicId() const;
    void setLastTopicId(const QString &topicId);
    QStringList recentTopicIds() const;
    static constexpr int kRecentTopics = 30;

    // The emoji the person picked, newest first (at most kRecentEmoji), and their skin tone
    // (0 none, 1 light to 5 dark), for the emoji picker.
    QStringList recentEmoji() const;
    void noteEmojiUsed(const QString &emoji);
    static constexpr int kRecentEmoji = 24;
    int skinTone() const;
    // What the person searched for, newest first (at most kRecentSearches), for search's history.
    QStringList recentSearches() const;
    void noteSearch(const QString &query);
    void clearRecentSearches();
    static constexpr int kRecentSearches = 10;
    void setSkinTone(int tone);

    QSettings &settings() { return *m_settings; }

Q_SIGNALS:
    // A topic's or party's level was chosen or cleared (the lists draw quieter ones apart).
    void levelsChanged();
    // Do not disturb was turned on or off, or its hours or the idle time changed.
    void presenceRulesChanged();

private:
    std::unique_ptr<QSettings> m_settings;
};

} // namespace chatterbox::app
