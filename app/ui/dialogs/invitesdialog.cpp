// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/ui/dialogs/invitesdialog.h"

#include "app/core/displaytext.h"

#include "app/core/client.h"
#include "app/ui/dialogs/dialogparts.h"
#include "app/ui/icons.h"
#include "shared/codec.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPointer>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace chatterbox::ui {


InvitesDialog::InvitesDialog(app::Client &client, const Theme &theme, const QString &partyId, const QString &partyName, QWidget *parent)
    : QDialog(parent), m_client(client), m_partyId(partyId)
{
    setObjectName(QStringLiteral("invitesDialog"));
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowModality(Qt::WindowModal);
    setWindowTitle(tr("Invite people to %1").arg(app::isolated(partyName)));
    resize(560, 480);

    auto *heading = dialogHeading(tr("Invite people to %1").arg(app::isolated(partyName)), this);
    auto *explain = new QLabel(tr("Anyone with the link can join while it is valid. Send it to the people you want here."), this);
    explain->setWordWrap(true);

    m_expiry = new QComboBox(this);
    m_expiry->setObjectName(QStringLiteral("inviteExpiry"));
    m_expiry->setAccessibleName(tr("Expires after"));
    m_expiry->addItem(tr("30 minutes"), 30 * 60);
    m_expiry->addItem(tr("1 hour"), 3600);
    m_expiry->addItem(tr("1 day"), 24 * 3600);
    m_expiry->addItem(tr("7 days"), 7 * 24 * 3600);
    m_expiry->addItem(tr("Never"), 0);
    m_expiry->setCurrentIndex(3);
    m_uses = new QComboBox(this);
    m_uses->setObjectName(QStringLiteral("inviteUses"));
    m_uses->setAccessibleName(tr("Number of uses"));
    m_uses->addItem(tr("No limit"), 0);
    for (int n : {1, 5, 10, 25, 100})
        m_uses->addItem(n == 1 ? tr("Once") : tr("%1 times").arg(n), n);
    m_create = new QPushButton(icon(QStringLiteral("link")), tr("Create Link"), this);
    m_create->setObjectName(QStringLiteral("createInvite"));
    m_create->setDefault(true);

    m_link = new QLineEdit(this);
    m_link->setObjectName(QStringLiteral("inviteLink"));
    m_link->setReadOnly(true);
    m_link->setAccessibleName(tr("Invite link"));
    m_link->setPlaceholderText(tr("The new link appears here"));
    m_copy = new QPushButton(icon(QStringLiteral("copy")), tr("Copy"), this);
    m_copy->setObjectName(QStringLiteral("copyInvite"));
    m_copy->setEnabled(false);

    m_list = new QTreeWidget(this);
    m_list->setObjectName(QStringLiteral("inviteList"));
    m_list->setAccessibleName(tr("Active invite links"));
    m_list->setRootIsDecorated(false);
    m_list->setHeaderLabels({tr("Link"), tr("Used"), tr("Expires")});
    m_list->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_list->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_list->header()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    m_revoke = new QPushButton(icon(QStringLiteral("trash")), tr("Revoke"), this);
    m_revoke->setObjectName(QStringLiteral("revokeInvite"));
    m_revoke->setEnabled(false);
    auto *copySelected = new QPushButton(icon(QStringLiteral("copy")), tr("Copy Link"), this);
    copySelected->setEnabled(false);

    m_error = dialogErrorLabel(theme, this);

    auto *form = new QHBoxLayout;
    form->addWidget(new QLabel(tr("Expires after"), this));
    form->addWidget(m_expiry);
    form->addSpacing(12);
    form->addWidget(new QLabel(tr("Uses"), this));
    form->addWidget(m_uses);
    form->addStretch();
    form->addWidget(m_create);
    auto *linkRow = new QHBoxLayout;
    linkRow->addWidget(m_link);
    linkRow->addWidget(m_copy);
    auto *listButtons = new QHBoxLayout;
    listButtons->addStretch();
    listButtons->addWidget(copySelected);
    listButtons->addWidget(m_revoke);
    auto *closeBox = new QDialogButtonBox(QDialogButtonBox::Close, this);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(24, 20, 24, 20);
    layout->setSpacing(10);
    layout->addWidget(heading);
    layout->addWidget(explain);
    layout->addLayout(form);
    layout->addLayout(linkRow);
    layout->addSpacing(8);
    layout->addWidget(new QLabel(tr("Links that are out"), this));
    layout->addWidget(m_list, 1);
    layout->addLayout(listButtons);
    layout->addWidget(m_error);
    layout->addWidget(closeBox);

    connect(m_create, &QPushButton::clicked, this, &InvitesDialog::create);
    connect(m_copy, &QPushButton::clicked, this, [this] { copy(m_link->text()); });
    connect(copySelected, &QPushButton::clicked, this, [this] {
        if (auto *item = m_list->currentItem())
            copy(item->text(0));
    });
    connect(m_revoke, &QPushButton::clicked, this, &InvitesDialog::revokeSelected);
    connect(m_list, &QTreeWidget::currentItemChanged, this, [this, copySelected](QTreeWidgetItem *item) {
        m_revoke->setEnabled(item);
        copySelected->setEnabled(item);
    });
    connect(closeBox, &QDialogButtonBox::rejected, this, &QDialog::reject);
    reload();
}

QString InvitesDialog::lastLink() const
{
    return m_link->text();
}

void InvitesDialog::showError(const QString &message)
{
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
}

void InvitesDialog::copy(const QString &link)
{
    if (link.isEmpty())
        return;
    QApplication::clipboard()->setText(link);
    m_copy->setText(tr("Copied"));
}

void InvitesDialog::create()
{
    std::optional<qint64> expiresIn;
    std::optional<int> maxUses;
    if (const int seconds = m_expiry->currentData().toInt())
        expiresIn = seconds;
    if (const int uses = m_uses->currentData().toInt())
        maxUses = uses;
    m_create->setEnabled(false);
    showError({});
    QPointer<InvitesDialog> self(this);
    m_client.createInvite(m_partyId, expiresIn, maxUses, [self](const protocol::Result<protocol::InviteReply> &answer) {
        if (!self)
            return;
        self->m_create->setEnabled(true);
        if (!answer)
            return self->showError(QString::fromStdString(answer.error().message));
        self->m_link->setText(QString::fromStdString(answer.value().invite.url));
        self->m_copy->setEnabled(true);
        self->m_copy->setText(tr("Copy"));
        self->m_copy->setFocus();
        self->reload();
    });
}

void InvitesDialog::reload()
{
    QPointer<InvitesDialog> self(this);
    m_client.listInvites(m_partyId, [self](const protocol::Result<protocol::InviteList> &answer) {
        if (!self)
            return;
        if (!answer)
            return self->showError(QString::fromStdString(answer.error().message));
        self->m_list->clear();
        for (const auto &invite : answer.value().invites) {
            auto *item = new QTreeWidgetItem(self->m_list);
            item->setText(0, QString::fromStdString(invite.url));
            item->setData(0, Qt::UserRole, QString::fromStdString(invite.code));
            item->setText(1, invite.maxUses ? tr("%1 of %2").arg(invite.uses).arg(*invite.maxUses) : QString::number(invite.uses));
            item->setText(2, invite.expiresAt ? QLocale().toString(QDateTime::fromMSecsSinceEpoch(*invite.expiresAt), QLocale::ShortFormat)
                                              : tr("Never"));
        }
    });
}

void InvitesDialog::revokeSelected()
{
    QTreeWidgetItem *item = m_list->currentItem();
    if (!item)
        return;
    const QString code = item->data(0, Qt::UserRole).toString();
    QPointer<InvitesDialog> self(this);
    m_client.revokeInvite(m_partyId, code, [self](const protocol::Result<protocol::Empty> &answer) {
        if (!self)
            return;
        if (!answer)
            return self->showError(QString::fromStdString(answer.error().message));
        self->reload();
    });
}

} // namespace chatterbox::ui
