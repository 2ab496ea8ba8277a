// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/ui/dialogs/partysettingsdialog.h"

#include "app/core/displaytext.h"

#include "app/core/client.h"
#include "app/core/models/memberlistmodel.h"
#include "app/core/store.h"
#include "app/ui/dialogs/dialogparts.h"
#include "app/ui/dialogs/requestdialog.h"
#include "app/ui/levelmenu.h"
#include "app/ui/listdelegates.h"
#include "app/ui/theme.h"
#include "shared/limits.h"

#include <QDialogButtonBox>
#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPointer>
#include <QPushButton>
#include <QTabWidget>
#include <QVBoxLayout>

namespace chatterbox::ui {

using app::MemberListModel;

PartySettingsDialog::PartySettingsDialog(app::Client &client, const QString &partyId, const Theme &theme, QWidget *parent)
    : QDialog(parent), m_client(client), m_store(client.store()), m_theme(theme), m_partyId(partyId)
{
    setObjectName(QStringLiteral("partySettingsDialog"));
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowModality(Qt::WindowModal);
    setWindowTitle(tr("Party Settings"));
    resize(520, 520);

    auto *tabs = new QTabWidget(this);
    tabs->setObjectName(QStringLiteral("partySettingsTabs"));

    auto *general = new QWidget(tabs);
    m_name = new QLineEdit(general);
    m_name->setObjectName(QStringLiteral("partyNameEdit"));
    m_name->setAccessibleName(tr("Party name"));
    m_name->setMaxLength(static_cast<int>(limits::kMaxNameChars));
    m_name->setMinimumHeight(32);
    m_saveName = new QPushButton(tr("Rename"), general);
    m_saveName->setObjectName(QStringLiteral("renameParty"));
    auto *nameRow = new QHBoxLayout;
    nameRow->addWidget(m_name, 1);
    nameRow->addWidget(m_saveName);
    m_leave = new QPushButton(tr("Leave Party…"), general);
    m_leave->setObjectName(QStringLiteral("leaveParty"));
    m_delete = new QPushButton(tr("Delete Party…"), general);
    m_delete->setObjectName(QStringLiteral("deleteParty"));
    m_delete->setStyleSheet(QStringLiteral("QPushButton { color: %1; }").arg(theme.destructive().name()));
    m_danger = new QLabel(general);
    m_danger->setTextFormat(Qt::PlainText);
    m_danger->setWordWrap(true);
    auto *generalLayout = new QVBoxLayout(general);
    generalLayout->addWidget(new QLabel(tr("Name"), general));
    generalLayout->addLayout(nameRow);
    m_massMentions = new QCheckBox(tr("Every member may mention @everyone and @here (otherwise only the owner and admins)"), general);
    m_massMentions->setObjectName(QStringLiteral("massMentionsCheck"));
    connect(m_massMentions, &QCheckBox::clicked, this, [this](bool members) {
        showError({});
        m_client.setMassMentions(m_partyId, members ? protocol::MassMentionRule::Members : protocol::MassMentionRule::Admins, settingSaved());
    });
    m_notifyDefault = new QComboBox(general);
    m_notifyDefault->setObjectName(QStringLiteral("notifyDefaultCombo"));
    for (const auto level : {protocol::NotifyLevel::All, protocol::NotifyLevel::Mentions, protocol::NotifyLevel::Nothing})
        m_notifyDefault->addItem(levelName(level), static_cast<int>(level));
    connect(m_notifyDefault, &QComboBox::activated, this, [this](int row) {
        showError({});
        m_client.setNotifyDefault(m_partyId, static_cast<protocol::NotifyLevel>(m_notifyDefault->itemData(row).toInt()), settingSaved());
    });
    auto *notifyRow = new QHBoxLayout;
    auto *notifyLabel = new QLabel(tr("Notifications for members who chose nothing else:"), general);
    notifyLabel->setBuddy(m_notifyDefault);
    notifyRow->addWidget(notifyLabel);
    notifyRow->addWidget(m_notifyDefault);
    notifyRow->addStretch();
    generalLayout->addSpacing(12);
    generalLayout->addWidget(m_massMentions);
    generalLayout->addLayout(notifyRow);
    generalLayout->addSpacing(24);
    generalLayout->addWidget(m_danger);
    auto *dangerRow = new QHBoxLayout;
    dangerRow->addWidget(m_leave);
    dangerRow->addWidget(m_delete);
    dangerRow->addStretch();
    generalLayout->addLayout(dangerRow);
    generalLayout->addStretch();
    tabs->addTab(general, tr("General"));

    auto *membersTab = new QWidget(tabs);
    m_members = new MemberListModel(m_store, this);
    m_members->setPartyId(partyId);
    m_memberList = new QListView(membersTab);
    m_memberList->setObjectName(QStringLiteral("partyMembers"));
    m_memberList->setAccessibleName(tr("Members"));
    m_memberList->setModel(m_members);
    m_memberList->setItemDelegate(new MemberDelegate(theme, m_memberList));
    m_memberList->setMouseTracking(true);
    m_makeAdmin = new QPushButton(tr("Make Admin"), membersTab);
    m_makeAdmin->setObjectName(QStringLiteral("makeAdmin"));
    m_makeMember = new QPushButton(tr("Make Member"), membersTab);
    m_makeMember->setObjectName(QStringLiteral("makeMember"));
    m_kick = new QPushButton(tr("Remove…"), membersTab);
    m_kick->setObjectName(QStringLiteral("kickMember"));
    m_transfer = new QPushButton(tr("Make Owner…"), membersTab);
    m_transfer->setObjectName(QStringLiteral("transferOwnership"));
    auto *memberButtons = new QHBoxLayout;
    for (auto *b : {m_makeAdmin, m_makeMember, m_kick, m_transfer})
        memberButtons->addWidget(b);
    memberButtons->addStretch();
    auto *membersLayout = new QVBoxLayout(membersTab);
    membersLayout->addWidget(m_memberList, 1);
    membersLayout->addLayout(memberButtons);
    tabs->addTab(membersTab, tr("Members"));

    m_error = dialogErrorLabel(theme, this);
    auto *closeBox = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(tabs, 1);
    layout->addWidget(m_error);
    layout->addWidget(closeBox);

    connect(closeBox, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_saveName, &QPushButton::clicked, this, &PartySettingsDialog::rename);
    connect(m_name, &QLineEdit::returnPressed, this, &PartySettingsDialog::rename);
    connect(m_makeAdmin, &QPushButton::clicked, this, [this] { setRole(protocol::Role::Admin); });
    connect(m_makeMember, &QPushButton::clicked, this, [this] { setRole(protocol::Role::Member); });
    connect(m_kick, &QPushButton::clicked, this, [this] {
        const QString userId = selectedUserId();
        confirm(tr("Remove %1?").arg(selectedName()),
                tr("%1 will leave the party at once. They can come back only with a new invite.").arg(selectedName()),
                tr("Remove"), [this, userId](ConfirmDialog &d) { m_client.kickMember(m_partyId, userId, d.answer<protocol::Empty>()); });
    });
    connect(m_transfer, &QPushButton::clicked, this, [this] {
        const QString userId = selectedUserId();
        confirm(tr("Make %1 the owner?").arg(selectedName()),
                tr("%1 will own the party and you will become an admin. Only they can give it back.").arg(selectedName()),
                tr("Make Owner"), [this, userId](ConfirmDialog &d) { m_client.transferOwnership(m_partyId, userId, d.answer<protocol::PartyReply>()); });
    });
    connect(m_delete, &QPushButton::clicked, this, [this] {
        const auto *party = m_store.party(m_partyId.toStdString());
        const QString name = party ? app::isolated(QString::fromStdString(party->name)) : QString();
        confirm(tr("Delete %1?").arg(name), tr("All of %1's topics and messages will be deleted for everyone. This cannot be undone.").arg(name),
                tr("Delete Party"), [this](ConfirmDialog &d) { m_client.deleteParty(m_partyId, d.answer<protocol::Empty>()); });
    });
    connect(m_leave, &QPushButton::clicked, this, [this] {
        const auto *party = m_store.party(m_partyId.toStdString());
        const QString name = party ? app::isolated(QString::fromStdString(party->name)) : QString();
        confirm(tr("Leave %1?").arg(name), tr("You will need a new invite to come back."), tr("Leave"),
                [this](ConfirmDialog &d) { m_client.leaveParty(m_partyId, d.answer<protocol::Empty>()); });
    });
    connect(m_memberList->selectionModel(), &QItemSelectionModel::currentChanged, this, &PartySettingsDialog::refresh);
    connect(&m_store, &app::Store::partyChanged, this, &PartySettingsDialog::refresh);
    connect(&m_store, &app::Store::membersChanged, this, &PartySettingsDialog::refresh);
    connect(&m_store, &app::Store::topicsChanged, this, &PartySettingsDialog::refresh);   // and the party's settings
    connect(&m_store, &app::Store::partiesReset, this, [this] {
        if (!m_store.party(m_partyId.toStdString()))
            close(); // deleted, or the person left
    });
    const auto *party = m_store.party(partyId.toStdString());
    m_name->setText(party ? QString::fromStdString(party->name) : QString());
    refresh();
}

QString PartySettingsDialog::selectedUserId() const
{
    return m_memberList->currentIndex().data(MemberListModel::UserIdRole).toString();
}

QString PartySettingsDialog::selectedName() const
{
    return app::isolated(m_memberList->currentIndex().data(MemberListModel::DisplayNameRole).toString());
}

QString PartySettingsDialog::myRole() const
{
    const auto *party = m_store.party(m_partyId.toStdString());
    if (!party)
        return {};
    for (const auto &m : party->members) {
        if (m.userId == m_store.me().id)
            return QString::fromLatin1(protocol::roleName(m.role));
    }
    return {};
}

app::Callback<protocol::PartyReply> PartySettingsDialog::settingSaved()
{
    // A setting applies as it is changed; a refusal says why and shows what holds again.
    QPointer<PartySettingsDialog> self(this);
    return [self](const protocol::Result<protocol::PartyReply> &answer) {
        if (!self)
            return;
        if (!answer)
            self->showError(QString::fromStdString(answer.error().message));
        self->refresh();
    };
}

void PartySettingsDialog::refresh()
{
    const QString mine = myRole();
    const bool owner = mine == QLatin1String("owner");
    const bool manager = owner || mine == QLatin1String("admin");
    const QString target = m_memberList->currentIndex().data(MemberListModel::RoleRole).toString();
    const bool other = !selectedUserId().isEmpty() && selectedUserId().toStdString() != m_store.me().id;
    // The server decides; the buttons only hide what it would refuse anyway.
    const bool mayManage = other && manager && target != QLatin1String("owner") && (owner || target == QLatin1String("member"));
    m_name->setReadOnly(!owner);
    m_saveName->setEnabled(owner);
    const auto *party = m_store.party(m_partyId.toStdString());
    m_massMentions->setChecked(party && party->massMentions == protocol::MassMentionRule::Members);
    m_massMentions->setEnabled(owner);
    m_notifyDefault->setCurrentIndex(m_notifyDefault->findData(static_cast<int>(party ? party->notifyDefault : protocol::NotifyLevel::All)));
    m_notifyDefault->setEnabled(owner);
    m_delete->setVisible(owner);
    m_leave->setVisible(!owner);
    m_danger->setText(owner ? tr("Deleting a party removes its topics and messages for everyone. It cannot be undone.")
                            : tr("If you leave, you need a new invite to come back."));
    m_makeAdmin->setEnabled(mayManage && target == QLatin1String("member"));
    m_makeMember->setEnabled(mayManage && owner && target == QLatin1String("admin"));
    m_kick->setEnabled(mayManage);
    m_transfer->setEnabled(owner && other);
}

void PartySettingsDialog::showError(const QString &message)
{
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
}

void PartySettingsDialog::rename()
{
    const QString name = m_name->text().trimmed();
    if (name.isEmpty())
        return showError(tr("Type a name first."));
    showError({});
    m_saveName->setEnabled(false);
    QPointer<PartySettingsDialog> self(this);
    m_client.renameParty(m_partyId, name, [self](const protocol::Result<protocol::PartyReply> &answer) {
        if (!self)
            return;
        self->m_saveName->setEnabled(true);
        if (!answer)
            self->showError(QString::fromStdString(answer.error().message));
    });
}

void PartySettingsDialog::setRole(protocol::Role role)
{
    showError({});
    QPointer<PartySettingsDialog> self(this);
    m_client.setMemberRole(m_partyId, selectedUserId(), role, [self](const protocol::Result<protocol::Empty> &answer) {
        if (self && !answer)
            self->showError(QString::fromStdString(answer.error().message));
    });
}

void PartySettingsDialog::confirm(const QString &title, const QString &question, const QString &okText,
                                  std::function<void(ConfirmDialog &)> action)
{
    auto *dialog = new ConfirmDialog(m_client, m_theme, title, question, okText, std::move(action), this);
    dialog->open();
}

} // namespace chatterbox::ui
