// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QFrame>

class QLabel;
class QPushButton;

namespace chatterbox::app {
class Store;
}

namespace chatterbox::ui {

class AttachmentLoader;
class Theme;

// A person at a glance, opened by clicking their name or picture anywhere (the timeline, the
// member list, a conversation's people): their picture, name, status line and its expiry, presence
// or when they were last seen, the parties we share, and Message and Block. For the signed-in
// person, Edit Profile instead. It closes on a click elsewhere or Escape, as a popup does, and
// follows what the store learns while it is open. Everything the person typed shows as plain text.
class ProfileCard final : public QFrame {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProfileCard)

public:
    ProfileCard(const app::Store &store, const Theme &theme, AttachmentLoader *pictures, const QString &userId, QWidget *parent);

    QString userId() const { return m_userId; }
    // Opens beside globalPos, to its right or (leftOf) its left, kept on the screen.
    void showAt(const QPoint &globalPos, bool leftOf = false);

Q_SIGNALS:
    void messageRequested(const QString &userId);
    void blockRequested(const QString &userId);
    void unblockRequested(const QString &userId);
    void editProfileRequested();

private:
    void refresh();

    const app::Store &m_store;
    const Theme &m_theme;
    AttachmentLoader *m_pictures;
    const QString m_userId;
    QLabel *m_picture = nullptr;
    QLabel *m_name = nullptr;
    QLabel *m_presence = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_statusUntil = nullptr;
    QLabel *m_parties = nullptr;
    QPushButton *m_message = nullptr;
    QPushButton *m_block = nullptr;
};

} // namespace chatterbox::ui
