// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QFrame>

class QLabel;
class QPushButton;

namespace chatterbox::app {
class Connection;
}

namespace chatterbox::ui {

// The strip above the timeline while the app is not connected: why, and a button to try now.
// Messages written meanwhile wait in the outbox and go when the connection is back.
class ConnectionBanner final : public QFrame {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectionBanner)

public:
    explicit ConnectionBanner(app::Connection &connection, QWidget *parent = nullptr);
    QString text() const;

private:
    void update();

    app::Connection &m_connection;
    QLabel *m_icon = nullptr;
    QLabel *m_text = nullptr;
    QPushButton *m_retry = nullptr;
};

} // namespace chatterbox::ui
