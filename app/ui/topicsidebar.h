// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QAction;
class QLabel;
class QPushButton;

namespace chatterbox::app {
class Client;
class Preferences;
} // namespace chatterbox::app

namespace chatterbox::ui {

class Theme;
class TopicListView;

// The open party's column: its name with the party's menu, its topics (owners and admins drag
// them, or use Move Up and Move Down, to reorder them), and the signed-in person at the bottom
// with the settings button.
class TopicSidebar final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TopicSidebar)

public:
    TopicSidebar(app::Client &client, app::Preferences &preferences, const Theme &theme, QWidget *parent = nullptr);

    TopicListView *list() const { return m_list; }
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
    QLabel *m_meLabel = nullptr;
    QAction *m_moveUp = nullptr;
    QAction *m_moveDown = nullptr;
    QList<QObject *> m_managerOnly;   // buttons and actions only owners and admins get
};

} // namespace chatterbox::ui
