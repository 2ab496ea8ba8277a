// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/core/preferences.h"
#include "shared/types.h"

#include <QColor>
#include <QObject>

class QApplication;

namespace chatterbox::ui {

// Light and dark palettes on the Fusion style, chosen by the person or following the system.
// The colours the delegates paint with that a QPalette has no role for live here as well.
class Theme final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Theme)

public:
    explicit Theme(QApplication &app);

    void setChoice(app::Preferences::Theme choice);
    app::Preferences::Theme choice() const { return m_choice; }
    bool isDark() const { return m_dark; }


    // Colours beyond the palette.
    QColor accent() const;
    QColor mutedText() const;
    QColor subtleBackground() const;  // sidebars, hover
    QColor railBackground() const;
    QColor separator() const;
    QColor unreadLine() const;
    QColor mentionBackground() const;
    QColor mentionBar() const;    // the edge of a message that mentions me
    // Behind "@Someone" in a message, and stronger behind the reader's own name.
    QColor mentionPill() const;
    QColor mentionPillOfMe() const;
    // Behind code in messages, and the bar of a quote.
    QColor codeBackground() const;
    QColor quoteBar() const;
    // Errors, failed messages and mention counts.
    QColor danger() const;        // errors, the unread line
    QColor destructive() const;   // buttons that delete or remove
    // The tray's unread badge: the same in light and dark (it sits on the desktop's panel).
    static QColor badge();
    // Where the keyboard is, in every list.
    QColor focusRing() const;
    QColor presenceColor(protocol::Presence presence) const;

Q_SIGNALS:
    void changed();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void apply();
    static bool systemPrefersDark();

    QApplication &m_app;
    app::Preferences::Theme m_choice = app::Preferences::Theme::System;
    bool m_dark = false;
    bool m_applying = false;
};

} // namespace chatterbox::ui
