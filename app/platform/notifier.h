// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/core/notificationcenter.h"

#include <QObject>

namespace chatterbox::platform {

// Shows the notifications the NotificationCenter asks for, where the desktop shows them.
class Notifier : public QObject {
    Q_OBJECT

public:
    using QObject::QObject;
    ~Notifier() override = default;

    // Shows it, or replaces the one shown for the same topic.
    virtual void show(const app::Notification &notification) = 0;
    virtual void withdraw(const QString &topicId) = 0;

Q_SIGNALS:
    // The person clicked it: open the topic.
    void activated(const QString &partyId, const QString &topicId);
};

} // namespace chatterbox::platform
