#pragma once

#include <QWidget>

class QLabel;
class QListView;
class QSplitter;
class QStackedWidget;
class QToolButton;

namespace chatterbox::app {
class Client;
class Preferences;
} // namespace chatterbox::app

namespace chatterbox::ui {

class Composer;
class ConnectionBanner;
class NoticeBar;
class Theme;
class TimelineView;

// The signed-in window's content: the party rail, the party's topics, the open topic (banner,
// timeline, who is typing, composer) and its members. Dialogs open from here.
class ChatPage final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChatPage)

public:
    ChatPage(app::Client &client, app::Preferences &preferences, Theme &theme, QWidget *parent = nullptr);

    void goToTopic(const QString &partyId, const QString &topicId);
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
    void toggleMembers();

    // Whether the person owns or administers the open party.
    bool canManage() const;

    TimelineView *timeline() const { return m_timeline; }
    Composer *composer() const { return m_composer; }

Q_SIGNALS:
    // A pasted invite is for another server: sign in there, then join.
    void otherServerRequested(const QUrl &server, const QString &link);
    void startupChanged();

private:
    QWidget *buildRail();
    QWidget *buildSidebar();
    QWidget *buildCenter();
    void onPartyChanged(const QString &partyId);
    void onTopicChanged(const QString &topicId);
    void onReady();
    void updateHeaders();
    void updateTyping();
    void updateMemberNames();
    void updateEmptyState();
    void editLast();
    void editMessage(const QModelIndex &index);
    void deleteMessage(const QModelIndex &index);
    void markReadIfVisible();

    app::Client &m_client;
    app::Preferences &m_preferences;
    Theme &m_theme;
    QListView *m_rail = nullptr;
    QToolButton *m_partyHeader = nullptr;
    QListView *m_topics = nullptr;
    QLabel *m_meLabel = nullptr;
    ConnectionBanner *m_banner = nullptr;
    NoticeBar *m_notice = nullptr;
    QLabel *m_topicTitle = nullptr;
    QStackedWidget *m_centerStack = nullptr;
    QLabel *m_emptyText = nullptr;
    TimelineView *m_timeline = nullptr;
    QLabel *m_typing = nullptr;
    QWidget *m_editBar = nullptr;
    Composer *m_composer = nullptr;
    QLabel *m_problem = nullptr;
    QListView *m_members = nullptr;
    QSplitter *m_splitter = nullptr;
    QList<QObject *> m_managerOnly;   // buttons and actions only owners and admins get
};

} // namespace chatterbox::ui
