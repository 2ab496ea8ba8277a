// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/core/connection.h"
#include "shared/types.h"

#include <QDialog>

#include <functional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListView;
class QPushButton;

namespace chatterbox::app {
class Client;
class MemberListModel;
class Store;
} // namespace chatterbox::app

namespace chatterbox::ui {

class ConfirmDialog;
class Theme;

// A party's settings: its name; its members with their roles (make admin, remove, hand over
// ownership); and, for the owner, deleting it. Members may leave from here. Each change is
// confirmed by the server before the dialog shows it, through the events every member gets.
class PartySettingsDialog final : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PartySettingsDialog)

public:
    PartySettingsDialog(app::Client &client, const QString &partyId, const Theme &theme, QWidget *parent);

private:
    void refresh();
    app::Callback<protocol::PartyReply> settingSaved();
    void rename();
    void setRole(protocol::Role role);
    // Asks, then runs action (which makes the app::Client call with the dialog's answer()).
    void confirm(const QString &title, const QString &question, const QString &okText, std::function<void(ConfirmDialog &)> action);
    QString selectedUserId() const;
    QString selectedName() const;
    QString myRole() const;
    void showError(const QString &message);

    app::Client &m_client;
    app::Store &m_store;
    const Theme &m_theme;
    QString m_partyId;
    app::MemberListModel *m_members = nullptr;
    QLineEdit *m_name = nullptr;
    QPushButton *m_saveName = nullptr;
    QComboBox *m_notifyDefault = nullptr;
    QCheckBox *m_massMentions = nullptr;
    QListView *m_memberList = nullptr;
    QPushButton *m_makeAdmin = nullptr;
    QPushButton *m_makeMember = nullptr;
    QPushButton *m_kick = nullptr;
    QPushButton *m_transfer = nullptr;
    QPushButton *m_delete = nullptr;
    QPushButton *m_leave = nullptr;
    QLabel *m_danger = nullptr;
    QLabel *m_error = nullptr;
};

} // namespace chatterbox::ui
