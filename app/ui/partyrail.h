// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QListView;

class QPoint;

namespace chatterbox::app {
class Client;
class Preferences;
}

namespace chatterbox::ui {

class AttachmentLoader;
class Theme;

// The narrow column at the window's left: a button for a new direct message and the direct
// conversations (the other person's picture, presence and unread count), then a tile for each
// party (initials on the party's colour, a dot for unread messages, a count of mentions, a mark
// when quieter than all messages), then buttons to create a party or join one with an invite link.
class PartyRail final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PartyRail)

public:
    PartyRail(app::Client &client, app::Preferences &preferences, const Theme &theme, QWidget *parent = nullptr);

    QListView *list() const { return m_list; }
    QListView *directList() const { return m_directs; }
    // Where the people's pictures come from.
    void setPictures(AttachmentLoader *pictures);
    // Marks the open party's (or conversation's) tile, without asking to open it.
    void showParty(const QString &partyId);
    // The party delta rows away from the open one, wrapping around; opens it.
    void step(int delta);

Q_SIGNALS:
    void partyChosen(const QString &partyId);   // a party or a direct conversation
    void newMessageRequested();
    void createPartyRequested();
    void joinPartyRequested();

private:
    void showMenu(QListView *list, const QPoint &pos);

    app::Client &m_client;
    app::Preferences &m_preferences;
    QListView *m_list = nullptr;
    QListView *m_directs = nullptr;
    QWidget *m_directsEnd = nullptr;   // the line between conversations and parties
    void fitDirects();
};

} // namespace chatterbox::ui
