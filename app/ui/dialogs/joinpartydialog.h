// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/core/invitelink.h"
#include "app/ui/dialogs/requestdialog.h"

#include <QUrl>

class QLabel;
class QLineEdit;

namespace chatterbox::ui {

// Join by invite link: the link is checked as it is pasted, the server says which party it is
// for, and only then may the person join. A link for another server says so and offers to sign
// in there instead.
class JoinPartyDialog final : public RequestDialog {
    Q_OBJECT

public:
    JoinPartyDialog(app::Client &client, const Theme &theme, const QUrl &currentServer, QWidget *parent);
    void setLink(const QString &link);

Q_SIGNALS:
    void joined(const QString &partyId);
    void otherServerRequested(const QUrl &server, const QString &link);

protected:
    void submit() override;

private:
    void onLinkChanged();

    QUrl m_currentServer;
    QLineEdit *m_linkEdit = nullptr;
    QLabel *m_preview = nullptr;
    app::InviteLink m_link;
    bool m_previewed = false;
    bool m_otherServer = false;
    int m_lookup = 0;   // the newest look-up; older answers are ignored
};

} // namespace chatterbox::ui
