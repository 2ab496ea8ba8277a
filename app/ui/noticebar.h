// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QFrame>

class QLabel;
class QPushButton;

namespace chatterbox::ui {

// A strip that tells the person something they should know once (not an error, nothing to
// retry), with a button to put it away.
class NoticeBar final : public QFrame {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NoticeBar)

public:
    explicit NoticeBar(QWidget *parent = nullptr);

    // Shows the text (plain text, wrapped); details go in its tooltip.
    void showNotice(const QString &text, const QString &details = {});
    QString text() const;

private:
    QLabel *m_icon = nullptr;
    QLabel *m_text = nullptr;
    QPushButton *m_dismiss = nullptr;
};

} // namespace chatterbox::ui
