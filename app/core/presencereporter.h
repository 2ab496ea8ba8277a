// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "shared/types.h"

#include <QDateTime>
#include <QObject>
#include <QTimer>

#include <functional>
#include <optional>

namespace chatterbox::app {

class Connection;
class Preferences;

// Tells the server what others should see of the person: "dnd" while do not disturb is on (for
// a while, or in the quiet hours of Preferences), "idle" after Preferences::idleMinutes without
// input to the app, "online" otherwise. Input is any key, click, wheel or pointer movement in
// the app (an event filter on the application); a new connection starts online, so what differs
// is sent again after each reconnect.
class PresenceReporter final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PresenceReporter)

public:
    using Clock = std::function<QDateTime()>;
    // clock: the time now (tests pass their own); none: the system's.
    PresenceReporter(Connection &connection, const Preferences &preferences, Clock clock = {}, QObject *parent = nullptr);

    // What the person's presence should be now.
    protocol::Presence wanted() const;
    // Input was seen (the event filter calls it; tests may too).
    void noteActivity();
    // Looks again and sends what changed (the timer calls it every kCheckSeconds).
    void check();
    static constexpr int kCheckSeconds = 15;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    Connection &m_connection;
    const Preferences &m_preferences;
    Clock m_clock;
    QDateTime m_lastInput;
    QTimer m_timer;
    std::optional<protocol::Presence> m_told;   // what the open connection was told; none: not online
};

} // namespace chatterbox::app
