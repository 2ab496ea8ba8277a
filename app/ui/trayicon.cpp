// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/ui/trayicon.h"

#include "app/ui/theme.h"

#include "app/core/preferences.h"
#include "app/core/store.h"
#include "app/core/unreadcount.h"
#include "app/ui/icons.h"

#include <QActionGroup>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>

namespace chatterbox::ui {

TrayIcon::TrayIcon(const app::Store &store, app::Preferences &preferences, QObject *parent)
    : QObject(parent), m_store(store), m_preferences(preferences)
{
    m_menu.addAction(tr("Open Chatterbox"), this, &TrayIcon::openRequested);
    QMenu *mute = m_menu.addMenu(tr("Do Not Disturb"));
    auto *group = new QActionGroup(this);
    m_muteHour = mute->addAction(tr("For 1 Hour"));
    m_muteTomorrow = mute->addAction(tr("Until Tomorrow"));
    m_muteOff = mute->addAction(tr("Off"));
    for (QAction *a : {m_muteHour, m_muteTomorrow, m_muteOff}) {
        a->setCheckable(true);
        group->addAction(a);
    }
    connect(m_muteHour, &QAction::triggered, this, [this] { muteUntil(QDateTime::currentDateTime().addSecs(3600)); });
    connect(m_muteTomorrow, &QAction::triggered, this, [this] {
        muteUntil(QDateTime(QDate::currentDate().addDays(1), QTime(8, 0)));   // quiet through the night
    });
    connect(m_muteOff, &QAction::triggered, this, [this] { muteUntil({}); });
    connect(mute, &QMenu::aboutToShow, this, &TrayIcon::update);
    m_menu.addSeparator();
    m_menu.addAction(tr("Quit Chatterbox"), this, &TrayIcon::quitRequested);
    m_tray.setContextMenu(&m_menu);
    connect(&m_tray, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
        if (reason == QSystemTrayIcon::Trigger || reason == QSystemTrayIcon::DoubleClick)
            Q_EMIT openRequested();
    });
    // Read states change with every message that arrives; the icon is counted and drawn again
    // at most a few times a second, not once per message.
    m_pending.setSingleShot(true);
    m_pending.setInterval(250);
    connect(&m_pending, &QTimer::timeout, this, &TrayIcon::update);
    connect(&store, &app::Store::partiesReset, &m_pending, qOverload<>(&QTimer::start));
    connect(&store, &app::Store::readStateChanged, &m_pending, qOverload<>(&QTimer::start));
    connect(&store, &app::Store::topicsChanged, &m_pending, qOverload<>(&QTimer::start));
    connect(&preferences, &app::Preferences::levelsChanged, &m_pending, qOverload<>(&QTimer::start));
    connect(&preferences, &app::Preferences::presenceRulesChanged, &m_pending, qOverload<>(&QTimer::start));
    update();
}

QIcon TrayIcon::iconFor(int count)
{
    const QIcon base = icon(QStringLiteral("chatterbox"));
    if (count <= 0)
        return base;
    QIcon out;
    for (const int size : {16, 22, 24, 32, 48, 64}) {
        QPixmap pixmap = base.pixmap(size, size);
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        const QString text = count > 99 ? QStringLiteral("99+") : QString::number(count);
        QFont font = painter.font();
        font.setBold(true);
        font.setPixelSize(std::max(7, size * 9 / 20));
        painter.setFont(font);
        const int width = std::max(size * 11 / 20, QFontMetrics(font).horizontalAdvance(text) + size / 6);
        const QRectF badge(size - width, 0, width, size * 11.0 / 20);
        QPainterPath path;
        path.addRoundedRect(badge, badge.height() / 2, badge.height() / 2);
        painter.fillPath(path, Theme::badge());
        painter.setPen(Qt::white);
        painter.drawText(badge, Qt::AlignCenter, text);
        painter.end();
        out.addPixmap(pixmap);
    }
    return out;
}

void TrayIcon::muteUntil(const QDateTime &until)
{
    m_preferences.setMuteAllUntil(until);
    update();
}

void TrayIcon::update()
{
    const int unread = app::unreadForBadge(m_store, m_preferences);
    if (unread != m_unread) {
        m_unread = unread;
        m_tray.setIcon(iconFor(unread));
    }
    const QDateTime muted = m_preferences.muteAllUntil();
    m_muteOff->setChecked(!muted.isValid());
    const bool tomorrow = muted.isValid() && muted.date() > QDate::currentDate();
    m_muteTomorrow->setChecked(tomorrow);
    m_muteHour->setChecked(muted.isValid() && !tomorrow);
    QString tip = unread > 0 ? tr("Chatterbox: %1 unread").arg(unread) : tr("Chatterbox");
    if (muted.isValid())
        tip += QLatin1Char('\n') + tr("Do not disturb until %1").arg(QLocale().toString(muted, QLocale::ShortFormat));
    m_tray.setToolTip(tip);
}

} // namespace chatterbox::ui
