#include "app/ui/dialogs/settingsdialog.h"

#include "app/core/client.h"

#include "app/core/preferences.h"
#include "app/core/store.h"
#include "app/ui/theme.h"
#include "shared/limits.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLineEdit>
#include <QVBoxLayout>

namespace chatterbox::ui {

using app::Preferences;

SettingsDialog::SettingsDialog(app::Client &client, Preferences &preferences, Theme &theme, QWidget *parent)
    : RequestDialog(client, theme, tr("Settings"), parent), m_store(client.store()), m_preferences(preferences), m_theme(theme)
{
    setObjectName(QStringLiteral("settingsDialog"));
    setMinimumWidth(460);

    auto *profile = new QGroupBox(tr("Profile"), this);
    m_displayName = new QLineEdit(QString::fromStdString(m_store.me().displayName), profile);
    m_displayName->setObjectName(QStringLiteral("displayNameEdit"));
    m_displayName->setAccessibleName(tr("Display name"));
    m_displayName->setMaxLength(static_cast<int>(limits::kMaxDisplayNameChars));
    auto *profileForm = new QFormLayout(profile);
    profileForm->addRow(tr("Display name"), m_displayName);

    auto *appearance = new QGroupBox(tr("Appearance"), this);
    m_themeChoice = new QComboBox(appearance);
    m_themeChoice->setObjectName(QStringLiteral("themeChoice"));
    m_themeChoice->setAccessibleName(tr("Theme"));
    m_themeChoice->addItem(tr("Follow the system"), static_cast<int>(Preferences::Theme::System));
    m_themeChoice->addItem(tr("Light"), static_cast<int>(Preferences::Theme::Light));
    m_themeChoice->addItem(tr("Dark"), static_cast<int>(Preferences::Theme::Dark));
    m_themeChoice->setCurrentIndex(m_themeChoice->findData(static_cast<int>(preferences.theme())));
    auto *appearanceForm = new QFormLayout(appearance);
    appearanceForm->addRow(tr("Theme"), m_themeChoice);

    auto *notifications = new QGroupBox(tr("Notifications"), this);
    m_mentions = new QCheckBox(tr("When someone mentions me"), notifications);
    m_mentions->setObjectName(QStringLiteral("notifyMentions"));
    m_mentions->setChecked(preferences.notifyOnMentions());
    m_messages = new QCheckBox(tr("For new messages in topics I am not looking at"), notifications);
    m_messages->setObjectName(QStringLiteral("notifyMessages"));
    m_messages->setChecked(preferences.notifyOnMessages());
    auto *notificationsLayout = new QVBoxLayout(notifications);
    notificationsLayout->addWidget(m_mentions);
    notificationsLayout->addWidget(m_messages);

    auto *startup = new QGroupBox(tr("Start-up"), this);
    m_startAtLogin = new QCheckBox(tr("Start Chatterbox when I log in"), startup);
    m_startAtLogin->setObjectName(QStringLiteral("startAtLogin"));
    m_startAtLogin->setChecked(preferences.startAtLogin());
    m_startMinimized = new QCheckBox(tr("Start minimized"), startup);
    m_startMinimized->setObjectName(QStringLiteral("startMinimized"));
    m_startMinimized->setChecked(preferences.startMinimized());
    m_closeToTray = new QCheckBox(tr("Keep running in the tray when the window is closed"), startup);
    m_closeToTray->setObjectName(QStringLiteral("closeToTray"));
    m_closeToTray->setChecked(preferences.closeToTray());
    auto *startupLayout = new QVBoxLayout(startup);
    startupLayout->addWidget(m_startAtLogin);
    startupLayout->addWidget(m_startMinimized);
    startupLayout->addWidget(m_closeToTray);

    for (auto *group : {profile, appearance, notifications, startup})
        body()->addWidget(group);
    setOkText(tr("Save"));
    // The theme shows as soon as it is picked; Cancel puts the old one back.
    const auto before = preferences.theme();
    connect(m_themeChoice, &QComboBox::currentIndexChanged, this, [this] {
        m_theme.setChoice(static_cast<Preferences::Theme>(m_themeChoice->currentData().toInt()));
    });
    connect(this, &QDialog::rejected, this, [this, before] { m_theme.setChoice(before); });
}

void SettingsDialog::saveLocal()
{
    m_preferences.setTheme(static_cast<Preferences::Theme>(m_themeChoice->currentData().toInt()));
    m_preferences.setNotifyOnMentions(m_mentions->isChecked());
    m_preferences.setNotifyOnMessages(m_messages->isChecked());
    const bool startupDiffers = m_preferences.startAtLogin() != m_startAtLogin->isChecked()
                                || m_preferences.startMinimized() != m_startMinimized->isChecked();
    m_preferences.setStartAtLogin(m_startAtLogin->isChecked());
    m_preferences.setStartMinimized(m_startMinimized->isChecked());
    m_preferences.setCloseToTray(m_closeToTray->isChecked());
    m_preferences.settings().sync();
    if (startupDiffers)
        Q_EMIT startupChanged();
}

void SettingsDialog::submit()
{
    const QString name = m_displayName->text().trimmed();
    if (name.isEmpty()) {
        showError(tr("Your display name cannot be empty."));
        return;
    }
    if (name.toStdString() == m_store.me().displayName) {
        saveLocal();
        accept();
        return;
    }
    m_client.setDisplayName(name, answer<protocol::ProfileReply>([this](const protocol::ProfileReply &) {
        saveLocal();
        accept();
    }));
}

} // namespace chatterbox::ui
