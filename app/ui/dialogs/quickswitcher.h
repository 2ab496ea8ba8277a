// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/core/destinations.h"

#include <QDialog>
#include <QIcon>

class QLineEdit;
class QListWidget;

namespace chatterbox::app {
class Store;
}

namespace chatterbox::ui {

class AttachmentLoader;

// Ctrl+K: type part of a topic's, party's or person's name; the best match is first, and Enter
// goes there. With nothing typed, the topics visited last.
class QuickSwitcher final : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(QuickSwitcher)

public:
    // pictures: where people's pictures come from (null: initials alone).
    QuickSwitcher(const app::Store &store, QStringList recentTopics, AttachmentLoader *pictures, QWidget *parent);

Q_SIGNALS:
    // A party alone names no topic (an empty topicId).
    void topicChosen(const QString &partyId, const QString &topicId);
    void personChosen(const QString &partyId, const QString &userId);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void fill();
    void choose();
    QIcon personIcon(const app::Destination &person) const;
    // Pictures that were loading when the list was filled, drawn now.
    void refreshPictures();

    const app::Store &m_store;
    const QStringList m_recentTopics;
    AttachmentLoader *m_pictures = nullptr;
    QList<app::Destination> m_found;
    QLineEdit *m_query = nullptr;
    QListWidget *m_results = nullptr;
};

} // namespace chatterbox::ui
