#pragma once

#include <nlohmann/json.hpp>

#include <QDialog>

#include <functional>
#include <string>

class QDialogButtonBox;
class QLabel;
class QVBoxLayout;

namespace chatterbox::app {
class Connection;
}

namespace chatterbox::ui {

// A dialog whose OK sends one request: while the server answers the buttons wait; a refusal
// is shown in the dialog in the server's words and nothing closes; success runs the caller's
// step (usually accept()). Dialogs open window-modal and delete themselves when closed, with the
// keyboard in their first field, Enter for OK and Escape for Cancel.
class RequestDialog : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RequestDialog)

public:
    RequestDialog(app::Connection &connection, const QString &title, QWidget *parent);

protected:
    using Success = std::function<void(const nlohmann::json &result)>;
    void send(const std::string &type, nlohmann::json fields, Success onSuccess);
    void showError(const QString &message);
    void clearError();

    // Derived dialogs add their fields to body() and name the OK button.
    QVBoxLayout *body() const { return m_body; }
    QDialogButtonBox *buttons() const { return m_buttons; }
    void setOkText(const QString &text, bool destructive = false);
    virtual void submit() = 0;
    // Where the keyboard starts: the first field of body() unless a dialog names another.
    void setInitialFocus(QWidget *widget) { m_initialFocus = widget; }
    void showEvent(QShowEvent *event) override;

    app::Connection &m_connection;

private:
    QVBoxLayout *m_body = nullptr;
    QLabel *m_error = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    bool m_busy = false;
    QWidget *m_initialFocus = nullptr;
    bool m_focusPlaced = false;
};

// Asks before something that cannot be undone (delete, remove, hand over), then sends it.
class ConfirmDialog final : public RequestDialog {
    Q_OBJECT

public:
    ConfirmDialog(app::Connection &connection, const QString &title, const QString &question, const QString &okText,
                  std::string type, nlohmann::json fields, QWidget *parent);

protected:
    void submit() override;

private:
    std::string m_type;
    nlohmann::json m_fields;
};

} // namespace chatterbox::ui
