#pragma once

#include "app/ui/dialogs/requestdialog.h"

class QCheckBox;
class QComboBox;
class QLineEdit;

namespace chatterbox::app {
class Preferences;
class Store;
} // namespace chatterbox::app

namespace chatterbox::ui {

class Theme;

// The person's settings: their display name (on the server), the theme, notifications, and how
// the app starts (kept on this computer). OK saves all of them.
class SettingsDialog final : public RequestDialog {
    Q_OBJECT

public:
    SettingsDialog(app::Client &client, app::Preferences &preferences, Theme &theme,
                   QWidget *parent);

Q_SIGNALS:
    // The start-up options changed; the platform layer applies them.
    void startupChanged();

protected:
    void submit() override;

private:
    void saveLocal();

    const app::Store &m_store;
    app::Preferences &m_preferences;
    Theme &m_theme;
    QLineEdit *m_displayName = nullptr;
    QComboBox *m_themeChoice = nullptr;
    QCheckBox *m_mentions = nullptr;
    QCheckBox *m_messages = nullptr;
    QCheckBox *m_startAtLogin = nullptr;
    QCheckBox *m_startMinimized = nullptr;
    QCheckBox *m_closeToTray = nullptr;
};

} // namespace chatterbox::ui
