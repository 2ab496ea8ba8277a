// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/ui/dialogs/requestdialog.h"

#include "app/core/client.h"
#include "app/ui/dialogs/dialogparts.h"
#include "app/ui/taborder.h"
#include "app/ui/theme.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QPointer>
#include <QPushButton>
#include <QVBoxLayout>

namespace chatterbox::ui {

RequestDialog::RequestDialog(app::Client &client, const Theme &theme, const QString &title, QWidget *parent)
    : QDialog(parent), m_client(client), m_theme(theme)
{
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowModality(Qt::WindowModal);
    setWindowTitle(title);
    setMinimumWidth(420);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(24, 20, 24, 20);
    layout->setSpacing(12);
    layout->addWidget(dialogHeading(title, this));
    m_body = new QVBoxLayout;
    m_body->setSpacing(8);
    layout->addLayout(m_body);
    m_error = dialogErrorLabel(theme, this);
    layout->addWidget(m_error);
    layout->addStretch();
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    // Enter is OK wherever the keyboard is; Cancel never takes Enter by having focus.
    m_buttons->button(QDialogButtonBox::Ok)->setDefault(true);
    m_buttons->button(QDialogButtonBox::Cancel)->setAutoDefault(false);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        if (!m_busy)
            submit();
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

void RequestDialog::showEvent(QShowEvent *event)
{
    QDialog::showEvent(event);
    if (m_focusPlaced)
        return;
    m_focusPlaced = true;
    // Fields in the order they are laid out, then the buttons.
    setTabOrderFromLayout(this);
    const QList<QWidget *> chain = focusableInLayoutOrder(this);
    QWidget *first = m_initialFocus;
    for (qsizetype i = 0; !first && i < chain.size(); ++i) {
        if (chain.at(i)->isEnabled() && chain.at(i)->isVisibleTo(this))
            first = chain.at(i);
    }
    if (first)
        first->setFocus(Qt::OtherFocusReason);
}

void RequestDialog::setOkText(const QString &text, bool destructive)
{
    QPushButton *ok = m_buttons->button(QDialogButtonBox::Ok);
    ok->setText(text);   // callers pass names through app::withoutMnemonics
    if (destructive)
        ok->setStyleSheet(QStringLiteral("QPushButton { background: %1; color: white; border: none; padding: 5px 14px; border-radius: 4px; }")
                              .arg(m_theme.destructive().name()));
}

void RequestDialog::setBusy(bool busy)
{
    if (busy)
        clearError();
    m_busy = busy;
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!busy);
}

void RequestDialog::showError(const QString &message)
{
    QString text = message;
    if (!text.isEmpty())
        text[0] = text[0].toUpper();
    m_error->setText(text);
    m_error->show();
}

void RequestDialog::clearError()
{
    m_error->hide();
}

ConfirmDialog::ConfirmDialog(app::Client &client, const Theme &theme, const QString &title, const QString &question,
                             const QString &okText, Action action, QWidget *parent)
    : RequestDialog(client, theme, title, parent), m_action(std::move(action))
{
    setObjectName(QStringLiteral("confirmDialog"));
    auto *text = new QLabel(question, this);
    text->setObjectName(QStringLiteral("confirmQuestion"));
    text->setTextFormat(Qt::PlainText);
    text->setWordWrap(true);
    body()->addWidget(text);
    setOkText(okText, true);
}

void ConfirmDialog::submit()
{
    m_action(*this);
}

} // namespace chatterbox::ui
