// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/ui/noticebar.h"

#include "app/ui/icons.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace chatterbox::ui {

NoticeBar::NoticeBar(QWidget *parent) : QFrame(parent)
{
    setObjectName(QStringLiteral("noticeBar"));
    setAccessibleName(tr("Notice"));
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::AlternateBase);
    setFrameShape(QFrame::NoFrame);
    m_icon = new QLabel(this);
    m_icon->setPixmap(icon(QStringLiteral("alert")).pixmap(16, 16));
    m_text = new QLabel(this);
    m_text->setObjectName(QStringLiteral("noticeText"));
    m_text->setTextFormat(Qt::PlainText);
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_dismiss = new QPushButton(tr("Got It"), this);
    m_dismiss->setObjectName(QStringLiteral("dismissNotice"));
    m_dismiss->setAutoDefault(false);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(16, 8, 16, 8);
    layout->addWidget(m_icon, 0, Qt::AlignTop);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_dismiss, 0, Qt::AlignVCenter);
    connect(m_dismiss, &QPushButton::clicked, this, &QWidget::hide);
    hide();
}

void NoticeBar::showNotice(const QString &text, const QString &details)
{
    m_text->setText(text);
    m_text->setToolTip(details);
    show();
}

QString NoticeBar::text() const
{
    return m_text->text();
}

} // namespace chatterbox::ui
