// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/ui/timelinedelegate.h"

#include <QWidget>

class QLabel;
class QModelIndex;
class QStackedWidget;
class QToolButton;

namespace chatterbox::app {
class Client;
class Preferences;
}

namespace chatterbox::ui {

class AttachmentLoader;
class AttachmentTray;
class Composer;
class FileActions;
class ConnectionBanner;
class MessageActions;
class NoticeBar;
class Theme;
class TimelineView;

// The open topic: the connection banner and notices, the topic's name with its buttons, the
// timeline (or, with no topic open, what to do), who is typing, and the composer. Reading to the
// newest message while the window is active marks the topic read; opening it does not.
class TopicPane final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TopicPane)

public:
    TopicPane(app::Client &client, app::Preferences &preferences, const Theme &theme, QWidget *parent = nullptr);

    TimelineView *timeline() const { return m_timeline; }
    Composer *composer() const { return m_composer; }
    AttachmentTray *attachmentTray() const { return m_tray; }
    FileActions *fileActions() const { return m_files; }
    AttachmentLoader *attachmentLoader() const { return m_loader; }
    NoticeBar *notice() const { return m_notice; }
    QWidget *loadProblem() const { return m_loadProblem; }
    MessageActions *messageActions() const { return m_actions; }
    // The message being answered (the composer's next send replies to it); empty for none.
    QString replyingTo() const { return m_replyTo; }
    void startReply(const QModelIndex &index);
    void cancelReply();

    // The open topic's name, the composer's placeholder, and the empty state.
    void refresh();
    // A topic was opened: leaves editing, clears problems, puts the keyboard in the composer.
    void topicOpened();
    void showProblem(const QString &message);
    // The window became active: what is on screen is read.
    void noteActive() { markReadIfVisible(); }
    // Up in an empty composer: the person's last message, to edit.
    void editLast();

Q_SIGNALS:
    void searchRequested();
    void inviteRequested();
    void membersToggleRequested();
    void createPartyRequested();
    void joinPartyRequested();

private:
    QWidget *buildHeader();
    QWidget *buildEmptyState();
    QWidget *buildEditBar();
    QWidget *buildReplyBar();
    void pickEmojiForComposer();
    void pickFiles();
    void onFileRequested(const QModelIndex &index, int fileIndex, TimelineDelegate::FileAction action);
    // What stopped the open topic from loading or catching up, with Try Again.
    QWidget *buildLoadProblem(const Theme &theme);
    void updateEmptyState();
    void editMessage(const QModelIndex &index);
    void deleteMessage(const QModelIndex &index);
    void markReadIfVisible();

    app::Client &m_client;
    const Theme &m_theme;
    ConnectionBanner *m_banner = nullptr;
    NoticeBar *m_notice = nullptr;
    QLabel *m_topicTitle = nullptr;
    QList<QWidget *> m_managerOnly;
    QStackedWidget *m_stack = nullptr;
    QLabel *m_emptyText = nullptr;
    TimelineView *m_timeline = nullptr;
    QLabel *m_typing = nullptr;
    QWidget *m_editBar = nullptr;
    QWidget *m_replyBar = nullptr;
    QLabel *m_replyText = nullptr;
    QString m_replyTo;
    QToolButton *m_pinsButton = nullptr;
    MessageActions *m_actions = nullptr;
    app::Preferences &m_preferences;
    Composer *m_composer = nullptr;
    AttachmentTray *m_tray = nullptr;
    AttachmentLoader *m_loader = nullptr;
    FileActions *m_files = nullptr;
    QString m_lastFolder;
    QLabel *m_problem = nullptr;
    QWidget *m_loadProblem = nullptr;
    QLabel *m_loadProblemText = nullptr;
};

} // namespace chatterbox::ui
