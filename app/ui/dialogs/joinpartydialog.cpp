// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/ui/dialogs/joinpartydialog.h"

#include "app/core/client.h"
#include "app/core/displaytext.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QVBoxLayout>

namespace chatterbox::ui {

using nlohmann::json;

namespace {
bool sameServer(const QUrl &a, const QUrl &b)
{
    return a.scheme().compare(b.scheme(), Qt::CaseInsensitive) == 0 && a.host().compare(b.host(), Qt::CaseInsensitive) == 0
           && a.port(a.scheme() == QLatin1String("https") ? 443 : 80) == b.port(b.scheme() == QLatin1String("https") ? 443 : 80)
           && a.path() == b.path();
}
} // namespace

JoinPartyDialog::JoinPartyDialog(app::Client &client, const Theme &theme, const QUrl &currentServer, QWidget *parent)
    : RequestDialog(client, theme, tr("Join a Party"), parent), m_currentServer(currentServer)
{
    setObjectName(QStringLiteral("joinPartyDialog"));
    auto *label = new QLabel(tr("Invite link"), this);
    m_linkEdit = new QLineEdit(this);
    m_linkEdit->setObjectName(QStringLiteral("inviteLinkEdit"));
    m_linkEdit->setPlaceholderText(tr("https://chat.example.org/invite/…"));
    m_linkEdit->setAccessibleName(tr("Invite link"));
    m_linkEdit->setMinimumHeight(32);
    label->setBuddy(m_linkEdit);
    m_preview = new QLabel(this);
    m_preview->setObjectName(QStringLiteral("invitePreview"));
    m_preview->setWordWrap(true);
    m_preview->setTextFormat(Qt::PlainText);
    m_preview->setMinimumHeight(48);
    body()->addWidget(label);
    body()->addWidget(m_linkEdit);
    body()->addWidget(m_preview);
    setOkText(tr("Join"));
    buttons()->button(QDialogButtonBox::Ok)->setEnabled(false);
    connect(m_linkEdit, &QLineEdit::textChanged, this, &JoinPartyDialog::onLinkChanged);
}

void JoinPartyDialog::setLink(const QString &link)
{
    m_linkEdit->setText(link);
}

void JoinPartyDialog::onLinkChanged()
{
    clearError();
    m_previewed = false;
    m_otherServer = false;
    QPushButton *ok = buttons()->button(QDialogButtonBox::Ok);
    ok->setEnabled(false);
    setOkText(tr("Join"));
    const int lookup = ++m_lookup;
    if (m_linkEdit->text().trimmed().isEmpty()) {
        m_preview->clear();
        return;
    }
    m_link = app::parseInviteLink(m_linkEdit->text());
    if (!m_link.ok()) {
        m_preview->setText(m_link.error);
        return;
    }
    if (!sameServer(m_link.server, m_currentServer)) {
        m_otherServer = true;
        // The whole address: the host alone would not tell http from https, or a port.
        m_preview->setText(tr("This invite is for another server, %1. You are signed in to %2. Sign in to %1 to join?")
                               .arg(m_link.server.toString(QUrl::RemoveUserInfo), m_currentServer.toString(QUrl::RemoveUserInfo)));
        setOkText(tr("Sign In There"));
        ok->setEnabled(true);
        return;
    }
    m_preview->setText(tr("Looking up the invite…"));
    QPointer<JoinPartyDialog> self(this);
    m_client.previewInvite(m_link.code, [self, lookup](const protocol::Result<protocol::InvitePreviewReply> &answer) {
        if (!self || lookup != self->m_lookup)
            return;
        if (!answer) {
            self->m_preview->setText(QString::fromStdString(answer.error().message));
            return;
        }
        const auto &p = answer.value().preview;
        const QString party = app::isolated(QString::fromStdString(p.partyName));
        if (p.alreadyMember) {
            self->m_preview->setText(tr("You are already in %1.").arg(party));
            return;
        }
        const QString members = p.memberCount == 1 ? tr("1 member") : tr("%1 members").arg(p.memberCount);
        self->m_preview->setText(tr("%1 invites you to %2 (%3).").arg(app::isolated(QString::fromStdString(p.inviterName)), party, members));
        self->m_previewed = true;
        self->setOkText(tr("Join %1").arg(app::withoutMnemonics(party)));
        self->buttons()->button(QDialogButtonBox::Ok)->setEnabled(true);
    });
}

void JoinPartyDialog::submit()
{
    if (m_otherServer) {
        Q_EMIT otherServerRequested(m_link.server, m_linkEdit->text().trimmed());
        accept();
        return;
    }
    if (!m_previewed)
        return;
    m_client.joinInvite(m_link.code, answer<protocol::JoinedParty>([this](const protocol::JoinedParty &joined) {
        Q_EMIT this->joined(QString::fromStdString(joined.party.id));
        accept();
    }));
}

} // namespace chatterbox::ui
