// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/ui/dialogs/namedialog.h"

#include "shared/limits.h"

#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>

namespace chatterbox::ui {

NameDialog::NameDialog(app::Client &client, const Theme &theme, Spec spec, QWidget *parent)
    : RequestDialog(client, theme, spec.title, parent), m_spec(std::move(spec))
{
    setObjectName(QStringLiteral("nameDialog"));
    auto *label = new QLabel(m_spec.label, this);
    label->setTextFormat(Qt::PlainText);
    m_name = new QLineEdit(m_spec.initial, this);
    m_name->setObjectName(QStringLiteral("nameEdit"));
    m_name->setPlaceholderText(m_spec.placeholder);
    m_name->setAccessibleName(m_spec.label);
    m_name->setMaxLength(static_cast<int>(limits::kMaxNameChars));
    m_name->setMinimumHeight(32);
    m_name->selectAll();
    label->setBuddy(m_name);
    body()->addWidget(label);
    body()->addWidget(m_name);
    setOkText(m_spec.okText);
}

void NameDialog::submit()
{
    const QString name = m_name->text().trimmed();
    if (name.isEmpty()) {
        showError(tr("Type a name first."));
        return;
    }
    m_spec.send(*this, name);
}

} // namespace chatterbox::ui
