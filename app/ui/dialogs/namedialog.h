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
        std::string type;
        nlohmann::json fields;    // the name is added as "name"
    };

    NameDialog(app::Connection &connection, Spec spec, QWidget *parent);
    QLineEdit *nameEdit() const { return m_name; }

Q_SIGNALS:
    void succeeded(const nlohmann::json &result);

protected:
    void submit() override;

private:
    Spec m_spec;
    QLineEdit *m_name = nullptr;
};

} // namespace chatterbox::ui
