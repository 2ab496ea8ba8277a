// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/core/models/typingmodel.h"

#include "app/core/displaytext.h"

#include "shared/limits.h"

namespace chatterbox::app {

TypingModel::TypingModel(const Store &store, QObject *parent) : QAbstractListModel(parent), m_store(store)
{
    connect(&store, &Store::typing, this, &TypingModel::onTyping);
    connect(&store, &Store::messagesAppended, this, [this](const QString &topicId, int) {
        if (topicId != m_topicId)
            return;
        const auto *messages = m_store.messages(topicId.toStdString());
        if (messages && !messages->messages.empty())
            remove(QString::fromStdString(messages->messages.back().authorId));
    });
    m_expiry.setInterval(500);
    connect(&m_expiry, &QTimer::timeout, this, &TypingModel::expire);
}

void TypingModel::setTopicId(const QString &topicId)
{
    beginResetModel();
    m_topicId = topicId;
    m_typists.clear();
    endResetModel();
}

void TypingModel::onTyping(const QString &topicId, const QString &userId)
{
    if (topicId != m_topicId || userId.toStdString() == m_store.me().id)
        return;
    const QDateTime until = QDateTime::currentDateTimeUtc().addSecs(limits::kTypingDisplaySeconds);
    for (auto &t : m_typists) {
        if (t.userId == userId) {
            t.until = until;
            return;
        }
    }
    beginInsertRows({}, static_cast<int>(m_typists.size()), static_cast<int>(m_typists.size()));
    m_typists.append({userId, until});
    endInsertRows();
    m_expiry.start();
}

void TypingModel::remove(const QString &userId)
{
    for (int i = 0; i < m_typists.size(); ++i) {
        if (m_typists[i].userId == userId) {
            beginRemoveRows({}, i, i);
            m_typists.removeAt(i);
            endRemoveRows();
            return;
        }
    }
}

void TypingModel::expire()
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (int i = static_cast<int>(m_typists.size()) - 1; i >= 0; --i) {
        if (m_typists[i].until <= now) {
            beginRemoveRows({}, i, i);
            m_typists.removeAt(i);
            endRemoveRows();
        }
    }
    if (m_typists.isEmpty())
        m_expiry.stop();
}

int TypingModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_typists.size());
}

QVariant TypingModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const auto &t = m_typists.at(index.row());
    if (role == Qt::DisplayRole)
        return m_store.displayName(t.userId.toStdString());
    if (role == Qt::UserRole)
        return t.userId;
    return {};
}

QString TypingModel::summary() const
{
    switch (m_typists.size()) {
    case 0: return {};
    case 1: return tr("%1 is typing…").arg(isolated(m_store.displayName(m_typists[0].userId.toStdString())));
    case 2: return tr("%1 and %2 are typing…").arg(isolated(m_store.displayName(m_typists[0].userId.toStdString())),
                                                 isolated(m_store.displayName(m_typists[1].userId.toStdString())));
    default: return tr("Several people are typing…");
    }
}

} // namespace chatterbox::app
