// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QAction;
class QLabel;
class QListView;
class QPushButton;

namespace chatterbox::app {
class Client;
class Preferences;
} // namespace chatterbox::app

namespace chatterbox::ui {

class AttachmentLoader;
class Theme;
class TopicListView;

// The open party's column: its name with the party's menu, its topics (owners and admins drag
// them, or use Move Up and Move Down, to reorder them), and the signed-in person at the bottom
// with the settings button. While a direct conversation is open, the column lists the direct
// conversations instead, with a button for a new one.
class TopicSidebar final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TopicSidebar)

public:
    TopicSidebar(app::Client &client, app::Preferences &preferences, const Theme &theme, QWidget *parent = nullptr);

    TopicListView *list() const { return m_list; }
    QListView *directList() const { return m_directList; }
    void setPictures(AttachmentLoader *pictures);
    // The open party's name, what only its owners and admins see, and the open topic's row.
    void refresh();
    // The topic delta rows away from the open one, wrapping around; opens it.
    void step(int delta);
    // Moves the open topic one place up (-1) or down (+1).
    void moveOpenTopic(int delta);
    QAction *moveUpAction() const { return m_moveUp; }
    QAction *moveDownAction() const { return m_moveDown; }

Q_SIGNALS:
    void topicChosen(const QString &topicId);
    void inviteRequested();
    void createTopicRequested();
    void partySettingsRequested();
    void renameTopicRequested();
    void deleteTopicRequested();
    void settingsRequested();
    void conversationChosen(const QString &partyId);
    void leaveConversationRequested();
    void newMessageRequested();
    // Something the person should know: a refused reorder.
    void problem(const QString &message);

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    bool canManage() const;
    void showPartyName();
    void showContextMenu(const QPoint &pos);

    app::Client &m_client;
    app::Preferences &m_preferences;
    QPushButton *m_partyHeader = nullptr;
    TopicListView *m_list = nullptr;
    QWidget *m_topicsRow = nullptr;
    QWidget *m_directsRow = nullptr;
    QListView *m_directList = nullptr;
    QAction *m_partySettings = nullptr;
    QAction *m_leaveConversation = nullptr;
    bool showingDirect() const;
    QLabel *m_meLabel = nullptr;
    QAction *m_moveUp = nullptr;
    QAction *m_moveDown = nullptr;
    QList<QObject *> m_managerOnly;   // buttons and actions only owners and admins get
};

} // namespace chatterbox::ui
