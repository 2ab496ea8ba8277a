// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/ui/dialogs/settingsdialog.h"

#include "app/core/client.h"

#include "app/core/persontext.h"
#include "app/core/preferences.h"
#include "app/core/store.h"
#include "app/ui/attachmentloader.h"
#include "app/ui/avatar.h"
#include "app/ui/dialogs/picturecropdialog.h"
#include "app/ui/imagedecoding.h"
#include "app/ui/theme.h"
#include "shared/limits.h"

#include <QCheckBox>
#include <QTimeEdit>
#include <QSpinBox>
#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>
#include <QPointer>
#include <QPushButton>
#include <QStandardPaths>
#include <QVBoxLayout>

namespace chatterbox::ui {

using app::Preferences;

namespace {

constexpr int kPreviewSide = 64;
// What is read of a file chosen as a picture: a photo from a camera is well under it.
constexpr qint64 kMaxChosenBytes = 64 << 20;
// The "clear after" choice that keeps the expiry the status has.
constexpr int kKeepExpiry = -1;

} // namespace

SettingsDialog::SettingsDialog(app::Client &client, Preferences &preferences, Theme &theme, AttachmentLoader *pictures, QWidget *parent)
    : RequestDialog(client, theme, tr("Settings"), parent), m_store(client.store()), m_preferences(preferences), m_theme(theme),
      m_pictures(pictures),
      m_pictureFolder(QStandardPaths::writableLocation(QStandardPaths::PicturesLocation))
{
    setObjectName(QStringLiteral("settingsDialog"));
    setMinimumWidth(460);

    auto *profile = new QGroupBox(tr("Profile"), this);
    m_displayName = new QLineEdit(QString::fromStdString(m_store.me().displayName), profile);
    m_displayName->setObjectName(QStringLiteral("displayNameEdit"));
    m_displayName->setAccessibleName(tr("Display name"));
    m_displayName->setMaxLength(static_cast<int>(limits::kMaxDisplayNameChars));
    m_picture = new QLabel(profile);
    m_picture->setObjectName(QStringLiteral("pictureShown"));
    m_picture->setFixedSize(kPreviewSide, kPreviewSide);
    m_picture->setTextFormat(Qt::PlainText);
    m_picture->setAccessibleName(tr("Your picture"));
    auto *choose = new QPushButton(tr("Choose…"), profile);
    choose->setObjectName(QStringLiteral("choosePicture"));
    choose->setAutoDefault(false);
    choose->setToolTip(tr("A picture of you, shown wherever your name is"));
    connect(choose, &QPushButton::clicked, this, &SettingsDialog::choosePicture);
    m_removePicture = new QPushButton(tr("Remove"), profile);
    m_removePicture->setObjectName(QStringLiteral("removePicture"));
    m_removePicture->setAutoDefault(false);
    connect(m_removePicture, &QPushButton::clicked, this, [this] {
        m_newPicture = QImage();
        showPicture();
    });
    auto *pictureRow = new QHBoxLayout;
    pictureRow->addWidget(m_picture);
    pictureRow->addSpacing(8);
    pictureRow->addWidget(choose);
    pictureRow->addWidget(m_removePicture);
    pictureRow->addStretch(1);
    if (m_pictures)
        connect(m_pictures, &AttachmentLoader::changed, this, &SettingsDialog::showPicture);
    connect(&m_store, &app::Store::membersChanged, this, &SettingsDialog::showPicture);
    showPicture();
    auto *profileForm = new QFormLayout(profile);
    profileForm->addRow(tr("Picture"), pictureRow);
    profileForm->addRow(tr("Display name"), m_displayName);

    // The status line and when it clears itself, as in Slack: a while, today, this week, or never.
    const protocol::Status status = m_store.me().status;
    const bool statusShown = app::statusShown(status, QDateTime::currentDateTime());
    m_status = new QLineEdit(statusShown ? QString::fromStdString(status.text) : QString(), profile);
    m_status->setObjectName(QStringLiteral("statusEdit"));
    m_status->setAccessibleName(tr("Status"));
    m_status->setPlaceholderText(tr("What are you up to?"));
    m_status->setClearButtonEnabled(true);
    m_status->setMaxLength(static_cast<int>(limits::kMaxStatusChars));
    m_statusClears = new QComboBox(profile);
    m_statusClears->setObjectName(QStringLiteral("statusClearsChoice"));
    m_statusClears->setAccessibleName(tr("Clear the status"));
    if (statusShown && status.expiresAt)
        m_statusClears->addItem(app::statusUntilText(status, QDateTime::currentDateTime()), kKeepExpiry);
    using app::StatusClearAfter;
    m_statusClears->addItem(tr("Don't clear"), static_cast<int>(StatusClearAfter::Never));
    m_statusClears->addItem(tr("In 30 minutes"), static_cast<int>(StatusClearAfter::HalfHour));
    m_statusClears->addItem(tr("In 1 hour"), static_cast<int>(StatusClearAfter::Hour));
    m_statusClears->addItem(tr("In 4 hours"), static_cast<int>(StatusClearAfter::FourHours));
    m_statusClears->addItem(tr("Today"), static_cast<int>(StatusClearAfter::Today));
    m_statusClears->addItem(tr("This week"), static_cast<int>(StatusClearAfter::ThisWeek));
    m_statusClears->setCurrentIndex(0);
    const auto showClears = [this] { m_statusClears->setEnabled(!m_status->text().trimmed().isEmpty()); };
    connect(m_status, &QLineEdit::textChanged, this, showClears);
    showClears();
    profileForm->addRow(tr("Status"), m_status);
    profileForm->addRow(tr("Clear after"), m_statusClears);

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
    m_sound = new QCheckBox(tr("Play a sound"), notifications);
    m_sound->setObjectName(QStringLiteral("notifySound"));
    m_sound->setChecked(preferences.notificationSound());
    // Quiet hours: do not disturb every day between two times, shown to others as such.
    const Preferences::QuietHours hours = preferences.quietHours();
    m_quietHours = new QCheckBox(tr("Do not disturb every day from"), notifications);
    m_quietHours->setObjectName(QStringLiteral("quietHours"));
    m_quietHours->setChecked(hours.on);
    m_quietFrom = new QTimeEdit(hours.from, notifications);
    m_quietFrom->setObjectName(QStringLiteral("quietFrom"));
    m_quietFrom->setAccessibleName(tr("Quiet from"));
    m_quietTo = new QTimeEdit(hours.to, notifications);
    m_quietTo->setObjectName(QStringLiteral("quietTo"));
    m_quietTo->setAccessibleName(tr("Quiet until"));
    for (QTimeEdit *edit : {m_quietFrom, m_quietTo})
        edit->setDisplayFormat(QLocale().timeFormat(QLocale::ShortFormat));
    auto *quietRow = new QHBoxLayout;
    quietRow->addWidget(m_quietHours);
    quietRow->addWidget(m_quietFrom);
    quietRow->addWidget(new QLabel(tr("to"), notifications));
    quietRow->addWidget(m_quietTo);
    quietRow->addStretch();
    m_idleMinutes = new QSpinBox(notifications);
    m_idleMinutes->setObjectName(QStringLiteral("idleMinutes"));
    m_idleMinutes->setAccessibleName(tr("Minutes before idle"));
    m_idleMinutes->setRange(1, 240);
    m_idleMinutes->setSuffix(tr(" min"));
    m_idleMinutes->setValue(preferences.idleMinutes());
    auto *idleRow = new QHBoxLayout;
    idleRow->addWidget(new QLabel(tr("Show me as idle after"), notifications));
    idleRow->addWidget(m_idleMinutes);
    idleRow->addWidget(new QLabel(tr("without input"), notifications));
    idleRow->addStretch();
    auto *notificationsLayout = new QVBoxLayout(notifications);
    notificationsLayout->addWidget(m_mentions);
    notificationsLayout->addWidget(m_messages);
    notificationsLayout->addWidget(m_sound);
    notificationsLayout->addLayout(quietRow);
    notificationsLayout->addLayout(idleRow);

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

void SettingsDialog::showPicture()
{
    const qreal ratio = devicePixelRatioF();
    QPixmap pixmap(QSize(kPreviewSide, kPreviewSide) * ratio);
    pixmap.setDevicePixelRatio(ratio);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    const QRect circle(0, 0, kPreviewSide, kPreviewSide);
    const auto &me = m_store.me();
    const QString name = m_displayName ? m_displayName->text() : QString::fromStdString(me.displayName);
    if (m_newPicture && !m_newPicture->isNull()) {
        QPainterPath round;
        round.addEllipse(circle);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setRenderHint(QPainter::SmoothPixmapTransform);
        painter.setClipPath(round);
        painter.drawImage(circle, *m_newPicture);
    } else {
        const QString current = m_newPicture ? QString() : QString::fromStdString(me.avatarFileId);
        paintPerson(painter, circle, name, QString::fromStdString(me.id), current, m_pictures);
    }
    painter.end();
    m_picture->setPixmap(pixmap);
    m_removePicture->setEnabled(m_newPicture ? !m_newPicture->isNull() : !me.avatarFileId.empty());
}

void SettingsDialog::choosePicture()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Choose a Picture"), m_pictureFolder,
                                                      tr("Images (*.png *.jpg *.jpeg *.webp *.gif)"));
    if (path.isEmpty())
        return;
    m_pictureFolder = QFileInfo(path).absolutePath();
    cropPicture(path);
}

void SettingsDialog::cropPicture(const QString &path)
{
    clearError();
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        showError(tr("%1 cannot be read.").arg(QFileInfo(path).fileName()));
        return;
    }
    if (file.size() > kMaxChosenBytes) {
        showError(tr("That file is too large for a picture (%1 at most).").arg(formattedSize(kMaxChosenBytes)));
        return;
    }
    // The person's own file, and still decoded with the same bounds as anyone else's: a picture
    // saved from the web can be a decompression bomb too. Large photos are decoded smaller.
    const DecodedImage decoded = decodeImage(file.readAll(), QSize(2048, 2048));
    if (!decoded.ok()) {
        showError(tr("That file cannot be used as a picture: %1").arg(decoded.problem));
        return;
    }
    auto *crop = new PictureCropDialog(decoded.image, this);
    connect(crop, &QDialog::accepted, this, [this, crop] {
        m_newPicture = crop->picture();
        showPicture();
    });
    crop->open();
}

void SettingsDialog::saveLocal()
{
    m_preferences.setTheme(static_cast<Preferences::Theme>(m_themeChoice->currentData().toInt()));
    m_preferences.setNotifyOnMentions(m_mentions->isChecked());
    m_preferences.setNotifyOnMessages(m_messages->isChecked());
    m_preferences.setNotificationSound(m_sound->isChecked());
    m_preferences.setQuietHours({m_quietHours->isChecked(), m_quietFrom->time(), m_quietTo->time()});
    m_preferences.setIdleMinutes(m_idleMinutes->value());
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
    if (!m_newPicture) {
        saveName();
        return;
    }
    // The picture first: if the server refuses it, nothing else is saved and the dialog stays.
    QPointer<SettingsDialog> self(this);
    auto then = [self](const QString &problem) {
        if (!self)
            return;
        self->setBusy(false);
        if (!problem.isEmpty()) {
            self->showError(problem);
            return;
        }
        self->m_newPicture.reset();
        self->saveName();
    };
    setBusy(true);
    if (m_newPicture->isNull()) {
        m_client.removePicture(then);
        return;
    }
    const EncodedPicture encoded = encodePicture(*m_newPicture);
    if (encoded.bytes.isEmpty()) {
        setBusy(false);
        showError(tr("That picture could not be made small enough; choose another."));
        return;
    }
    m_client.setPicture(encoded.bytes, encoded.type, m_newPicture->width(), then);
}

void SettingsDialog::saveName()
{
    const QString name = m_displayName->text().trimmed();
    if (name.toStdString() == m_store.me().displayName) {
        saveStatus();
        return;
    }
    m_client.setDisplayName(name, answer<protocol::ProfileReply>([this](const protocol::ProfileReply &) { saveStatus(); }));
}

void SettingsDialog::saveStatus()
{
    const QString text = m_status->text().trimmed();
    const QDateTime now = QDateTime::currentDateTime();
    const protocol::Status &status = m_store.me().status;
    const QString was = app::statusShown(status, now) ? QString::fromStdString(status.text) : QString();
    const int clears = m_statusClears->currentData().toInt();
    if (text == was && (clears == kKeepExpiry || (clears == static_cast<int>(app::StatusClearAfter::Never) && !status.expiresAt))) {
        saveLocal();
        accept();
        return;
    }
    std::optional<QDateTime> until;
    if (clears == kKeepExpiry && status.expiresAt)
        until = QDateTime::fromMSecsSinceEpoch(*status.expiresAt);
    else if (clears != kKeepExpiry)
        until = app::statusExpiry(static_cast<app::StatusClearAfter>(clears), now, QLocale().firstDayOfWeek());
    m_client.setStatus(text, until, answer<protocol::ProfileReply>([this](const protocol::ProfileReply &) {
        saveLocal();
        accept();
    }));
}

} // namespace chatterbox::ui
