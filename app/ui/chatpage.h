// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QPointer>
#include <QWidget>

class QAction;
class QListView;
class QSplitter;

namespace chatterbox::app {
class Client;
class Preferences;
} // namespace chatterbox::app

namespace chatterbox::ui {

class Composer;
class PartyRail;
class ProfileCard;
class SearchPanel;
class Theme;
class TimelineView;
class TopicPane;
class TopicSidebar;

// The signed-in window's content, in four columns: the party rail, the open party's topics, the
// open topic, and its members (hidden by the person, or by itself when the window is narrow).
// Dialogs open from here.
class ChatPage final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChatPage)

public:
    ChatPage(app::Client &client, app::Preferences &preferences, Theme &theme, QWidget *parent = nullptr);

    // An empty topicId opens the topic of the party the person was in last.
    void goToTopic(const QString &partyId, const QString &topicId);
    // The direct conversation with these people: the one there is, or a new one.
    void openDirect(const QStringList &userIds);
    // A person's card (their picture, status, presence, shared parties, Message), beside globalPos:
    // to its right, or to its left (from the member list at the window's right edge).
    void openProfile(const QString &userId, const QPoint &globalPos, bool leftOf = false);
    ProfileCard *profileCard() const;
    // "New Message": choose the people, then their conversation opens.
    void openNewMessage();
    // Alt+Up/Down: the previous or next topic of the open party, wrapping around.
    void stepTopic(int delta);
    void stepParty(int delta);
    // The window became active: what is on screen is read.
    void noteActive();

    void openCreateParty();
    void openJoinParty(const QString &link = {});
    void openInvites();
    void openPartySettings();
    void openCreateTopic();
    void openRenameTopic();
    void openDeleteTopic();
    void openSettings();
    void openQuickSwitcher();
    // Ctrl+F (the open topic) and Ctrl+Shift+F (every party): the search panel beside the timeline.
    void openSearch(bool thisTopic);
    void toggleMembers();
    QAction *moveTopicUpAction() const;
    QAction *moveTopicDownAction() const;

    // Whether the person owns or administers the open party.
    bool canManage() const;

    PartyRail *rail() const { return m_rail; }
    TopicSidebar *sidebar() const { return m_sidebar; }
    TopicPane *pane() const { return m_pane; }
    TimelineView *timeline() const;
    Composer *composer() const;
    QListView *memberList() const { return m_members; }
    SearchPanel *searchPanel() const { return m_search; }
    // Below this width the member list makes room for the timeline by itself.
    static constexpr int kMembersHideBelowWidth = 1000;

Q_SIGNALS:
    // A pasted invite is for another server: sign in there, then join.
    void otherServerRequested(const QUrl &server, const QString &link);
    void startupChanged();

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void onPartyChanged(const QString &partyId);
    void onTopicChanged(const QString &topicId);
    void onReady();
    void refresh();
    void updateMemberNames();
    void fitMembers();
    void showMemberMenu(const QPoint &pos);
    void confirmBlock(const QString &userId, const QString &name);
    void unblock(const QString &userId);
    void confirmLeaveConversation();

    app::Client &m_client;
    app::Preferences &m_preferences;
    Theme &m_theme;
    PartyRail *m_rail = nullptr;
    TopicSidebar *m_sidebar = nullptr;
    TopicPane *m_pane = nullptr;
    QListView *m_members = nullptr;
    SearchPanel *m_search = nullptr;
    QSplitter *m_splitter = nullptr;
    QPointer<ProfileCard> m_profile;   // the open card, if any: it deletes itself when it closes
    bool m_membersWanted = true;   // what the person chose; a narrow window hides them anyway
};

} // namespace chatterbox::ui
