// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/ui/levelmenu.h"

#include "app/core/notifylevel.h"
#include "app/core/preferences.h"
#include "app/ui/icons.h"

#include <QActionGroup>
#include <QCoreApplication>
#include <QMenu>

#include <optional>

namespace chatterbox::ui {

namespace {
QString tr(const char *text) { return QCoreApplication::translate("chatterbox::ui::LevelMenu", text); }
}

QString levelName(protocol::NotifyLevel level)
{
    switch (level) {
    case protocol::NotifyLevel::All: return tr("All messages");
    case protocol::NotifyLevel::Mentions: return tr("Mentions only");
    case protocol::NotifyLevel::Nothing: return tr("Nothing");
    }
    return {};
}

QMenu *addLevelMenu(QMenu &menu, app::Preferences &preferences, const protocol::Party &party, const QString &topicId)
{
    using protocol::NotifyLevel;
    const bool direct = party.kind == protocol::PartyKind::Direct;
    const QString partyId = QString::fromStdString(party.id);
    const bool forTopic = !topicId.isEmpty() && !direct;
    const auto own = forTopic ? preferences.topicLevel(topicId) : preferences.partyLevel(partyId);
    // What the default is: for a topic its party's level, for a party the owner's default.
    const NotifyLevel inherited = forTopic ? app::partyLevel(&preferences, party) : party.notifyDefault;

    QMenu *levels = menu.addMenu(icon(QStringLiteral("bell-off")), tr("Notifications"));
    levels->setObjectName(QStringLiteral("notificationLevels"));
    auto *group = new QActionGroup(levels);
    const auto add = [&](const QString &text, std::optional<NotifyLevel> level, const char *name) {
        QAction *action = levels->addAction(text);
        action->setObjectName(QLatin1String(name));
        action->setCheckable(true);
        action->setChecked(own == level);
        group->addAction(action);
        QObject::connect(action, &QAction::triggered, levels, [&preferences, partyId, topicId, forTopic, level] {
            if (forTopic)
                preferences.setTopicLevel(topicId, level);
            else
                preferences.setPartyLevel(partyId, level);
        });
    };
    const QString defaultText = forTopic ? tr("Party Default (%1)") : direct ? tr("Default (%1)") : tr("Owner's Default (%1)");
    add(defaultText.arg(levelName(inherited)), std::nullopt, "levelDefault");
    levels->addSeparator();
    add(levelName(NotifyLevel::All), NotifyLevel::All, "levelAll");
    if (!direct)
        add(levelName(NotifyLevel::Mentions), NotifyLevel::Mentions, "levelMentions");
    add(levelName(NotifyLevel::Nothing), NotifyLevel::Nothing, "levelNothing");
    return levels;
}

} // namespace chatterbox::ui
