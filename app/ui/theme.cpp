// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/ui/theme.h"

#include <QApplication>
#include <QPalette>
#include <QProxyStyle>
#include <QStyleFactory>

// The icons are compiled into the app/ui library, which is static: its resources are registered
// by hand, once, before anything draws.
static void registerResources()
{
    Q_INIT_RESOURCE(resources);
}

namespace chatterbox::ui {

namespace {

// Fusion, without the stock icons on dialog buttons and in menus: the app draws its own.
class ChatterboxStyle final : public QProxyStyle {
public:
    ChatterboxStyle() : QProxyStyle(QStyleFactory::create(QStringLiteral("Fusion"))) {}

    int styleHint(StyleHint hint, const QStyleOption *option, const QWidget *widget, QStyleHintReturn *data) const override
    {
        if (hint == SH_DialogButtonBox_ButtonsHaveIcons)
            return 0;
        return QProxyStyle::styleHint(hint, option, widget, data);
    }
};

QPalette lightPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0xf7, 0xf7, 0xf9));
    p.setColor(QPalette::WindowText, QColor(0x1d, 0x1c, 0x22));
    p.setColor(QPalette::Base, QColor(0xff, 0xff, 0xff));
    p.setColor(QPalette::AlternateBase, QColor(0xf1, 0xf1, 0xf5));
    p.setColor(QPalette::Text, QColor(0x1d, 0x1c, 0x22));
    p.setColor(QPalette::Button, QColor(0xfb, 0xfb, 0xfd));
    p.setColor(QPalette::ButtonText, QColor(0x1d, 0x1c, 0x22));
    p.setColor(QPalette::Highlight, QColor(0x5b, 0x45, 0xff));
    p.setColor(QPalette::HighlightedText, QColor(0xff, 0xff, 0xff));
    p.setColor(QPalette::Link, QColor(0x3a, 0x4c, 0xd9));
    p.setColor(QPalette::LinkVisited, QColor(0x6a, 0x3a, 0xc9));
    p.setColor(QPalette::ToolTipBase, QColor(0x1d, 0x1c, 0x22));
    p.setColor(QPalette::ToolTipText, QColor(0xff, 0xff, 0xff));
    p.setColor(QPalette::PlaceholderText, QColor(0x8a, 0x89, 0x93));
    p.setColor(QPalette::Mid, QColor(0xd4, 0xd4, 0xdc));
    p.setColor(QPalette::Dark, QColor(0xb0, 0xb0, 0xba));
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, QColor(0xa0, 0xa0, 0xa8));
    return p;
}

QPalette darkPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x1e, 0x1f, 0x24));
    p.setColor(QPalette::WindowText, QColor(0xe6, 0xe6, 0xea));
    p.setColor(QPalette::Base, QColor(0x26, 0x27, 0x2d));
    p.setColor(QPalette::AlternateBase, QColor(0x2d, 0x2e, 0x35));
    p.setColor(QPalette::Text, QColor(0xe6, 0xe6, 0xea));
    p.setColor(QPalette::Button, QColor(0x2f, 0x30, 0x37));
    p.setColor(QPalette::ButtonText, QColor(0xe6, 0xe6, 0xea));
    p.setColor(QPalette::Highlight, QColor(0x7c, 0x6a, 0xff));
    p.setColor(QPalette::HighlightedText, QColor(0xff, 0xff, 0xff));
    p.setColor(QPalette::Link, QColor(0x8f, 0xa8, 0xff));
    p.setColor(QPalette::LinkVisited, QColor(0xb8, 0x9c, 0xff));
    p.setColor(QPalette::ToolTipBase, QColor(0x0f, 0x0f, 0x12));
    p.setColor(QPalette::ToolTipText, QColor(0xe6, 0xe6, 0xea));
    p.setColor(QPalette::PlaceholderText, QColor(0x8a, 0x8b, 0x95));
    p.setColor(QPalette::Light, QColor(0x3a, 0x3b, 0x44));
    p.setColor(QPalette::Midlight, QColor(0x33, 0x34, 0x3c));
    p.setColor(QPalette::Mid, QColor(0x3d, 0x3e, 0x47));
    p.setColor(QPalette::Dark, QColor(0x15, 0x15, 0x19));
    p.setColor(QPalette::Shadow, QColor(0x0a, 0x0a, 0x0c));
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, QColor(0x70, 0x70, 0x78));
    return p;
}
} // namespace

Theme::Theme(QApplication &app) : QObject(&app), m_app(app)
{
    registerResources();
    QApplication::setStyle(new ChatterboxStyle);
    app.installEventFilter(this);
    apply();
}

void Theme::setChoice(app::Preferences::Theme choice)
{
    m_choice = choice;
    apply();
}

bool Theme::systemPrefersDark()
{
    // Setting a default palette hands the application back the platform's own, which is how
    // Qt 6.4 tells whether the desktop is dark.
    QApplication::setPalette(QPalette());
    const QPalette system = QApplication::palette();
    return system.color(QPalette::Window).lightness() < system.color(QPalette::WindowText).lightness();
}

void Theme::apply()
{
    m_applying = true;
    m_dark = m_choice == app::Preferences::Theme::Dark
             || (m_choice == app::Preferences::Theme::System && systemPrefersDark());
    QApplication::setPalette(m_dark ? darkPalette() : lightPalette());
    m_applying = false;
    Q_EMIT changed();
}

bool Theme::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == &m_app && event->type() == QEvent::ThemeChange && !m_applying
        && m_choice == app::Preferences::Theme::System)
        apply();
    return QObject::eventFilter(watched, event);
}

QColor Theme::accent() const { return m_dark ? QColor(0x7c, 0x6a, 0xff) : QColor(0x5b, 0x45, 0xff); }
QColor Theme::mutedText() const { return m_dark ? QColor(0x9a, 0x9b, 0xa5) : QColor(0x6e, 0x6d, 0x78); }
QColor Theme::subtleBackground() const { return m_dark ? QColor(0x2b, 0x2c, 0x33) : QColor(0xee, 0xee, 0xf3); }
QColor Theme::railBackground() const { return m_dark ? QColor(0x16, 0x17, 0x1b) : QColor(0xe6, 0xe5, 0xee); }
QColor Theme::separator() const { return m_dark ? QColor(0x3a, 0x3b, 0x44) : QColor(0xdd, 0xdd, 0xe4); }
QColor Theme::unreadLine() const { return danger(); }
QColor Theme::mentionPill() const { return m_dark ? QColor(0x4a, 0x45, 0x8a) : QColor(0xe3, 0xdf, 0xff); }
QColor Theme::mentionPillOfMe() const { return m_dark ? QColor(0x7a, 0x5f, 0x1a) : QColor(0xff, 0xe2, 0x8a); }
QColor Theme::codeBackground() const { return m_dark ? QColor(0x35, 0x36, 0x3f) : QColor(0xee, 0xef, 0xf3); }
QColor Theme::quoteBar() const { return m_dark ? QColor(0x5a, 0x5b, 0x66) : QColor(0xc9, 0xc9, 0xd3); }
QColor Theme::danger() const { return QColor(0xe5, 0x48, 0x4d); }
QColor Theme::destructive() const { return QColor(0xd9, 0x3d, 0x42); }
QColor Theme::badge() { return QColor(0xe5, 0x48, 0x4d); }
QColor Theme::focusRing() const { return m_dark ? QColor(0x9d, 0x8f, 0xff) : QColor(0x5b, 0x45, 0xff); }
QColor Theme::mentionBar() const { return QColor(0xe0, 0xa8, 0x2e); }
QColor Theme::mentionBackground() const { return m_dark ? QColor(0x4a, 0x3f, 0x1c) : QColor(0xff, 0xf4, 0xd6); }

QColor Theme::presenceColor(protocol::Presence presence) const
{
    switch (presence) {
    case protocol::Presence::Online: return QColor(0x2e, 0xb6, 0x7d);
    case protocol::Presence::Idle: return QColor(0xf2, 0xa5, 0x3a);
    case protocol::Presence::DoNotDisturb: return QColor(0xe5, 0x48, 0x4d);
    case protocol::Presence::Offline: break;
    }
    return m_dark ? QColor(0x6a, 0x6b, 0x75) : QColor(0xa8, 0xa8, 0xb2);
}

} // namespace chatterbox::ui
