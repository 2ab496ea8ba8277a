// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/core/store.h"

#include <QAbstractListModel>
#include <QDateTime>
#include <QTimer>

namespace chatterbox::app {

// Who is typing in one topic: a name appears with their typing event and goes after
// kTypingDisplaySeconds, or at once when their message arrives.
class TypingModel final : public QAbstractListModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TypingModel)

public:
    explicit TypingModel(const Store &store, QObject *parent = nullptr);

    void setTopicId(const QString &topicId);
    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    // "Ann is typing…", "Ann and Bo are typing…", "Several people are typing…", or empty.
    QString summary() const;

private:
    struct Typist {
        QString userId;
        QDateTime until;
    };
    void onTyping(const QString &topicId, const QString &userId);
    void remove(const QString &userId);
    void expire();

    const Store &m_store;
    QString m_topicId;
    QList<Typist> m_typists;
    QTimer m_expiry;
};

} // namespace chatterbox::app
