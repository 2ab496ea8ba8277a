// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/ui/dialogs/quickswitcher.h"

#include "app/core/models/partylistmodel.h"
#include "app/core/displaytext.h"
#include "app/core/store.h"
#include "app/ui/attachmentloader.h"
#include "app/ui/avatar.h"
#include "app/ui/icons.h"

#include <QKeyEvent>
#include <QLineEdit>
#include <QListWidget>
#include <QPainter>
#include <QVBoxLayout>

namespace chatterbox::ui {

namespace {

constexpr int kIndexRole = Qt::UserRole + 1;

QIcon partyIcon(const QString &name, const QString &id)
{
    QPixmap pixmap(32, 32);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    paintInitials(painter, QRect(2, 2, 28, 28), app::PartyListModel::initials(name), colorFor(id), true);
    painter.end();
    return QIcon(pixmap);
}

} // namespace

QuickSwitcher::QuickSwitcher(const app::Store &store, QStringList recentTopics, AttachmentLoader *pictures, QWidget *parent)
    : QDialog(parent), m_store(store), m_recentTopics(std::move(recentTopics)), m_pictures(pictures)
{
    setObjectName(QStringLiteral("quickSwitcher"));
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowModality(Qt::WindowModal);
    setWindowTitle(tr("Go To"));
    resize(480, 360);
    m_query = new QLineEdit(this);
    m_query->setObjectName(QStringLiteral("switcherQuery"));
    m_query->setPlaceholderText(tr("Where to? Type a topic, party or person"));
    m_query->setAccessibleName(tr("Topic, party or person"));
    m_query->setMinimumHeight(36);
    m_query->addAction(icon(QStringLiteral("search")), QLineEdit::LeadingPosition);
    m_query->installEventFilter(this);
    m_results = new QListWidget(this);
    m_results->setObjectName(QStringLiteral("switcherResults"));
    m_results->setAccessibleName(tr("Places to go"));
    m_results->setUniformItemSizes(true);
    m_results->setIconSize(QSize(20, 20));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_query);
    layout->addWidget(m_results);
    connect(m_query, &QLineEdit::textChanged, this, &QuickSwitcher::fill);
    connect(m_query, &QLineEdit::returnPressed, this, &QuickSwitcher::choose);
    connect(m_results, &QListWidget::itemActivated, this, &QuickSwitcher::choose);
    if (m_pictures)
        connect(m_pictures, &AttachmentLoader::changed, this, &QuickSwitcher::refreshPictures);
    fill();
}

QIcon QuickSwitcher::personIcon(const app::Destination &person) const
{
    QPixmap pixmap(QSize(32, 32) * devicePixelRatio());
    pixmap.setDevicePixelRatio(devicePixelRatio());
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    paintPerson(painter, QRect(2, 2, 28, 28), person.name, person.userId, m_store.pictureOf(person.userId.toStdString()), m_pictures);
    painter.end();
    return QIcon(pixmap);
}

void QuickSwitcher::refreshPictures()
{
    for (int row = 0; row < m_results->count(); ++row) {
        QListWidgetItem *item = m_results->item(row);
        const app::Destination d = m_found.value(item->data(kIndexRole).toInt());
        if (d.kind == app::Destination::Kind::Person && !m_store.pictureOf(d.userId.toStdString()).isEmpty())
            item->setIcon(personIcon(d));
    }
}

void QuickSwitcher::fill()
{
    m_results->clear();
    m_found = app::findDestinations(m_store, m_query->text(), m_recentTopics);
    for (qsizetype i = 0; i < m_found.size(); ++i) {
        const app::Destination &d = m_found.at(i);
        QListWidgetItem *item = nullptr;
        switch (d.kind) {
        case app::Destination::Kind::Topic:
            item = new QListWidgetItem(icon(d.direct ? QStringLiteral("at") : QStringLiteral("hash")), tr("%1  —  %2").arg(app::isolated(d.name), app::isolated(d.context)), m_results);
            break;
        case app::Destination::Kind::Party:
            item = new QListWidgetItem(partyIcon(d.name, d.partyId), tr("%1  —  party").arg(app::isolated(d.name)), m_results);
            break;
        case app::Destination::Kind::Person:
            item = new QListWidgetItem(personIcon(d), tr("%1  —  message them (in %2)").arg(app::isolated(d.name), app::isolated(d.context)), m_results);
            break;
        }
        item->setData(kIndexRole, static_cast<int>(i));
        if (d.unread) {
            QFont bold = item->font();
            bold.setBold(true);
            item->setFont(bold);
        }
    }
    m_results->setCurrentRow(0);
}

void QuickSwitcher::choose()
{
    QListWidgetItem *item = m_results->currentItem();
    if (!item)
        return;
    const app::Destination d = m_found.value(item->data(kIndexRole).toInt());
    if (d.kind == app::Destination::Kind::Person)
        Q_EMIT personChosen(d.partyId, d.userId);
    else
        Q_EMIT topicChosen(d.partyId, d.topicId);
    accept();
}

bool QuickSwitcher::eventFilter(QObject *watched, QEvent *event)
{
    // Up and Down move through the results while typing.
    if (watched == m_query && event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Down || key->key() == Qt::Key_Up) {
            const int row = m_results->currentRow() + (key->key() == Qt::Key_Down ? 1 : -1);
            if (row >= 0 && row < m_results->count())
                m_results->setCurrentRow(row);
            return true;
        }
    }
    return QDialog::eventFilter(watched, event);
}

} // namespace chatterbox::ui
