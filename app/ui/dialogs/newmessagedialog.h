// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/ui/dialogs/requestdialog.h"

class QLineEdit;
class QListWidget;

namespace chatterbox::ui {

// "New Message": the people you share a party with (not the ones you block), to tick one or a
// few of (up to limits::kMaxDirectMembers - 1) and start the conversation with them, or go to
// the one you already have. Typing narrows the list.
class NewMessageDialog final : public RequestDialog {
    Q_OBJECT

public:
    NewMessageDialog(app::Client &client, const Theme &theme, QWidget *parent);
    QLineEdit *filterEdit() const { return m_filter; }
    QListWidget *peopleList() const { return m_people; }

Q_SIGNALS:
    // The conversation to open, found or made.
    void conversationReady(const QString &partyId);

protected:
    void submit() override;

private:
    void applyFilter(const QString &text);

    QLineEdit *m_filter = nullptr;
    QListWidget *m_people = nullptr;
};

} // namespace chatterbox::ui
