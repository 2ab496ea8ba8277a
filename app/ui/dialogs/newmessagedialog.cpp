// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/ui/dialogs/newmessagedialog.h"

#include "app/core/client.h"
#include "app/core/destinations.h"
#include "shared/limits.h"

#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QVBoxLayout>

#include <map>

namespace chatterbox::ui {

namespace {

constexpr int kUserIdRole = Qt::UserRole + 1;
constexpr int kMaxOthers = static_cast<int>(limits::kMaxDirectMembers) - 1;

} // namespace

NewMessageDialog::NewMessageDialog(app::Client &client, const Theme &theme, QWidget *parent)
    : RequestDialog(client, theme, tr("New Message"), parent)
{
    setObjectName(QStringLiteral("newMessageDialog"));
    auto *label = new QLabel(tr("Write to one person, or to a few (up to %1) at once:").arg(kMaxOthers), this);
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(true);
    m_filter = new QLineEdit(this);
    m_filter->setObjectName(QStringLiteral("peopleFilter"));
    m_filter->setPlaceholderText(tr("Find someone"));
    m_filter->setAccessibleName(tr("Find someone"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setMinimumHeight(32);
    m_people = new QListWidget(this);
    m_people->setObjectName(QStringLiteral("peopleList"));
    m_people->setAccessibleName(tr("People"));
    m_people->setMinimumSize(320, 240);
    // Everyone from the parties (not the direct conversations), once, by name.
    const auto &store = client.store();
    std::map<QString, std::pair<QString, QString>> people;   // sort key -> (id, name)
    for (const auto &party : store.parties()) {
        if (party.kind != protocol::PartyKind::Party)
            continue;
        for (const auto &m : party.members) {
            if (m.userId == store.me().id || store.isBlocked(m.userId))
                continue;
            const QString name = QString::fromStdString(m.displayName);
            people.emplace(name.toCaseFolded() + QChar(0) + QString::fromStdString(m.userId),
                           std::pair{QString::fromStdString(m.userId), name});
        }
    }
    for (const auto &[key, person] : people) {
        auto *item = new QListWidgetItem(person.second, m_people);   // a list item is plain text
        item->setData(kUserIdRole, person.first);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
        item->setCheckState(Qt::Unchecked);
    }
    if (people.empty()) {
        auto *empty = new QLabel(tr("There is nobody to write to yet: people you share a party with are listed here."), this);
        empty->setTextFormat(Qt::PlainText);
        empty->setWordWrap(true);
        body()->addWidget(empty);
    }
    // Enter on a row ticks it, as a click on it does.
    connect(m_people, &QListWidget::itemActivated, this, [](QListWidgetItem *item) {
        item->setCheckState(item->checkState() == Qt::Checked ? Qt::Unchecked : Qt::Checked);
    });
    connect(m_filter, &QLineEdit::textChanged, this, &NewMessageDialog::applyFilter);
    body()->addWidget(label);
    body()->addWidget(m_filter);
    body()->addWidget(m_people, 1);
    setOkText(tr("Start"));
    setInitialFocus(m_filter);
}

void NewMessageDialog::applyFilter(const QString &text)
{
    for (int row = 0; row < m_people->count(); ++row) {
        QListWidgetItem *item = m_people->item(row);
        item->setHidden(!text.trimmed().isEmpty() && app::matchQuality(text, item->text()) == 0 && item->checkState() != Qt::Checked);
    }
}

void NewMessageDialog::submit()
{
    QStringList chosen;
    for (int row = 0; row < m_people->count(); ++row) {
        if (m_people->item(row)->checkState() == Qt::Checked)
            chosen << m_people->item(row)->data(kUserIdRole).toString();
    }
    // With nobody ticked, the one row the filter leaves is who is meant.
    if (chosen.isEmpty()) {
        QListWidgetItem *only = nullptr;
        int visible = 0;
        for (int row = 0; row < m_people->count(); ++row) {
            if (!m_people->item(row)->isHidden()) {
                only = m_people->item(row);
                ++visible;
            }
        }
        if (visible == 1)
            chosen << only->data(kUserIdRole).toString();
    }
    if (chosen.isEmpty())
        return showError(tr("Tick the people to write to."));
    if (chosen.size() > kMaxOthers)
        return showError(tr("A conversation holds up to %1 people besides you; untick %2.").arg(kMaxOthers).arg(chosen.size() - kMaxOthers));
    std::vector<std::string> ids;
    for (const auto &id : chosen)
        ids.push_back(id.toStdString());
    if (const auto *existing = m_client.store().directWith(ids)) {
        Q_EMIT conversationReady(QString::fromStdString(existing->id));
        accept();
        return;
    }
    m_client.openDirect(chosen, answer<protocol::JoinedParty>([this](const protocol::JoinedParty &joined) {
        Q_EMIT conversationReady(QString::fromStdString(joined.party.id));
        accept();
    }));
}

} // namespace chatterbox::ui
