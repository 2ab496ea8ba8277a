// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/ui/dialogs/requestdialog.h"

#include <QImage>

#include <optional>

class QCheckBox;
class QSpinBox;
class QTimeEdit;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace chatterbox::app {
class Preferences;
class Store;
} // namespace chatterbox::app

namespace chatterbox::ui {

class AttachmentLoader;
class Theme;

// The person's settings: their picture and display name (on the server), the theme,
// notifications, and how the app starts (kept on this computer). OK saves all of them.
class SettingsDialog final : public RequestDialog {
    Q_OBJECT

public:
    // pictures: where the current picture is shown from.
    SettingsDialog(app::Client &client, app::Preferences &preferences, Theme &theme, AttachmentLoader *pictures,
                   QWidget *parent);

    // "Choose…": a file dialog, then cropPicture.
    void choosePicture();
    // Opens the image at path (decoded with bounds) in the square cropper; what is kept there
    // becomes the picture Save uploads. A file that is not an image that can be shown is said so.
    void cropPicture(const QString &path);

Q_SIGNALS:
    // The start-up options changed; the platform layer applies them.
    void startupChanged();

protected:
    void submit() override;

private:
    void saveLocal();
    void saveName();
    void saveStatus();
    void showPicture();

    const app::Store &m_store;
    app::Preferences &m_preferences;
    Theme &m_theme;
    AttachmentLoader *m_pictures = nullptr;
    // The picture Save sets: a new one, or a null image to remove it; nothing to leave it.
    std::optional<QImage> m_newPicture;
    QLabel *m_picture = nullptr;
    QPushButton *m_removePicture = nullptr;
    QString m_pictureFolder;
    QLineEdit *m_displayName = nullptr;
    QLineEdit *m_status = nullptr;
    QComboBox *m_statusClears = nullptr;
    QComboBox *m_themeChoice = nullptr;
    QCheckBox *m_mentions = nullptr;
    QCheckBox *m_messages = nullptr;
    QCheckBox *m_sound = nullptr;
    QCheckBox *m_quietHours = nullptr;
    QTimeEdit *m_quietFrom = nullptr;
    QTimeEdit *m_quietTo = nullptr;
    QSpinBox *m_idleMinutes = nullptr;
    QCheckBox *m_startAtLogin = nullptr;
    QCheckBox *m_startMinimized = nullptr;
    QCheckBox *m_closeToTray = nullptr;
};

} // namespace chatterbox::ui
