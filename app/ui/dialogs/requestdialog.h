// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/core/connection.h"

#include <QDialog>
#include <QPointer>

#include <functional>
#include <string>

class QDialogButtonBox;
class QLabel;
class QVBoxLayout;

namespace chatterbox::app {
class Client;
}

namespace chatterbox::ui {

class Theme;

// A dialog whose OK sends one request through app::Client: while the server answers the
// buttons wait; a refusal is shown in the dialog in the server's words and nothing closes;
// success runs the caller's step (by default the dialog closes). Dialogs open window-modal and
// delete themselves when closed, with the keyboard in their first field, Enter for OK and
// Escape for Cancel.
class RequestDialog : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RequestDialog)

public:
    RequestDialog(app::Client &client, const Theme &theme, const QString &title, QWidget *parent);

    // Where the answer to the request OK sent goes: pass it to the app::Client call. Safe when
    // the dialog was closed before the answer came.
    template <typename Reply>
    app::Callback<Reply> answer(std::function<void(const Reply &reply)> onSuccess = {})
    {
        setBusy(true);
        QPointer<RequestDialog> self(this);
        return [self, onSuccess = std::move(onSuccess)](const protocol::Result<Reply> &result) {
            if (!self)
                return;
            self->setBusy(false);
            if (!result)
                return self->showError(QString::fromStdString(result.error().message));
            if (onSuccess)
                onSuccess(result.value());
            else
                self->accept();
        };
    }

protected:
    void setBusy(bool busy);
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

    app::Client &m_client;
    const Theme &m_theme;

private:
    QVBoxLayout *m_body = nullptr;
    QLabel *m_error = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    bool m_busy = false;
    QWidget *m_initialFocus = nullptr;
    bool m_focusPlaced = false;
};

// Asks before something that cannot be undone (delete, remove, hand over), then does it: the
// action makes the app::Client call with dialog.answer<Reply>().
class ConfirmDialog final : public RequestDialog {
    Q_OBJECT

public:
    using Action = std::function<void(ConfirmDialog &dialog)>;
    ConfirmDialog(app::Client &client, const Theme &theme, const QString &title, const QString &question, const QString &okText,
                  Action action, QWidget *parent);

protected:
    void submit() override;

private:
    Action m_action;
};

} // namespace chatterbox::ui
