// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/ui/dialogs/requestdialog.h"

class QLineEdit;

namespace chatterbox::ui {

// One name to type and one request to send with it: create a party, create or rename a topic,
// rename a party.
class NameDialog final : public RequestDialog {
    Q_OBJECT

public:
    struct Spec {
        QString title;
        QString label;
        QString placeholder;
        QString initial;
        QString okText;
        // Makes the app::Client call with the name typed (trimmed, not empty) and
        // dialog.answer<Reply>().
        std::function<void(NameDialog &dialog, const QString &name)> send;
    };

    NameDialog(app::Client &client, const Theme &theme, Spec spec, QWidget *parent);
    QLineEdit *nameEdit() const { return m_name; }

protected:
    void submit() override;

private:
    Spec m_spec;
    QLineEdit *m_name = nullptr;
};

} // namespace chatterbox::ui
