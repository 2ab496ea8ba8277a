// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTreeWidget;

namespace chatterbox::app {
class Client;
}

namespace chatterbox::ui {

class Theme;

// Invites to one party: make a link (how long it lasts, how many may use it), copy it, see the
// links that are out, and revoke them.
class InvitesDialog final : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(InvitesDialog)

public:
    InvitesDialog(app::Client &client, const Theme &theme, const QString &partyId, const QString &partyName, QWidget *parent);

    QString lastLink() const;

private:
    void create();
    void reload();
    void revokeSelected();
    void copy(const QString &link);
    void showError(const QString &message);

    app::Client &m_client;
    QString m_partyId;
    QComboBox *m_expiry = nullptr;
    QComboBox *m_uses = nullptr;
    QPushButton *m_create = nullptr;
    QLineEdit *m_link = nullptr;
    QPushButton *m_copy = nullptr;
    QTreeWidget *m_list = nullptr;
    QPushButton *m_revoke = nullptr;
    QLabel *m_error = nullptr;
};

} // namespace chatterbox::ui
