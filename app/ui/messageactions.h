// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QPointer>

class QModelIndex;
class QPoint;
class QWidget;

namespace chatterbox::app {
class Client;
class Preferences;
}

namespace chatterbox::ui {

class EmojiPicker;
class Theme;
class TimelineView;

// What a person does to a message from the timeline (its toolbar, its menu, the keyboard),
// sent through the client: reactions and the emoji picker for them, copying its link, pinning,
// its edit history, the topic's pinned messages, and going to a message by seq or link.
// Problems are handed to the pane, which shows them.
class MessageActions final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MessageActions)

public:
    MessageActions(app::Client &client, app::Preferences &preferences, const Theme &theme, TimelineView &timeline, QWidget &window);

    void react(const QModelIndex &index, const QPoint &globalPos);
    void toggleReaction(const QModelIndex &index, const QString &emoji);
    void copyLink(const QModelIndex &index);
    void setPinned(const QModelIndex &index, bool pinned);
    void showVersions(const QModelIndex &index);
    void showPins();
    // The open emoji picker, if one is open (for tests).
    EmojiPicker *picker() const { return m_picker; }

Q_SIGNALS:
    void problem(const QString &message);

private:
    app::Client &m_client;
    app::Preferences &m_preferences;
    const Theme &m_theme;
    TimelineView &m_timeline;
    QWidget &m_window;
    QPointer<EmojiPicker> m_picker;
    bool m_loadingNewer = false;
};

} // namespace chatterbox::ui
