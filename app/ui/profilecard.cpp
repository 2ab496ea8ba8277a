// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/ui/profilecard.h"

#include "app/core/displaytext.h"
#include "app/core/persontext.h"
#include "app/core/store.h"
#include "app/ui/attachmentloader.h"
#include "app/ui/avatar.h"
#include "app/ui/icons.h"
#include "app/ui/theme.h"

#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QScreen>
#include <QVBoxLayout>

namespace chatterbox::ui {

namespace {
constexpr int kPictureSide = 72;

QLabel *plainLabel(QWidget *parent, const QString &objectName)
{
    auto *label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}
} // namespace

ProfileCard::ProfileCard(const app::Store &store, const Theme &theme, AttachmentLoader *pictures, const QString &userId, QWidget *parent)
    : QFrame(parent, Qt::Popup), m_store(store), m_theme(theme), m_pictures(pictures), m_userId(userId)
{
    setObjectName(QStringLiteral("profileCard"));
    setAttribute(Qt::WA_DeleteOnClose);
    setFrameShape(QFrame::StyledPanel);
    setFixedWidth(300);

    m_picture = new QLabel(this);
    m_picture->setObjectName(QStringLiteral("profilePicture"));
    m_picture->setFixedSize(kPictureSide, kPictureSide);
    m_picture->setTextFormat(Qt::PlainText);
    m_name = plainLabel(this, QStringLiteral("profileName"));
    QFont big = m_name->font();
    big.setBold(true);
    big.setPointSizeF(big.pointSizeF() * 1.3);
    m_name->setFont(big);
    m_presence = plainLabel(this, QStringLiteral("profilePresence"));
    m_presence->setForegroundRole(QPalette::PlaceholderText);
    auto *nameColumn = new QVBoxLayout;
    nameColumn->setSpacing(2);
    nameColumn->addStretch();
    nameColumn->addWidget(m_name);
    nameColumn->addWidget(m_presence);
    nameColumn->addStretch();
    auto *top = new QHBoxLayout;
    top->setSpacing(12);
    top->addWidget(m_picture, 0, Qt::AlignTop);
    top->addLayout(nameColumn, 1);

    m_status = plainLabel(this, QStringLiteral("profileStatus"));
    m_statusUntil = plainLabel(this, QStringLiteral("profileStatusUntil"));
    m_statusUntil->setForegroundRole(QPalette::PlaceholderText);
    auto *partiesTitle = new QLabel(tr("PARTIES IN COMMON"), this);
    partiesTitle->setTextFormat(Qt::PlainText);
    QFont small = partiesTitle->font();
    small.setBold(true);
    small.setPointSizeF(small.pointSizeF() * 0.8);
    partiesTitle->setFont(small);
    partiesTitle->setForegroundRole(QPalette::PlaceholderText);
    m_parties = plainLabel(this, QStringLiteral("profileParties"));

    m_message = new QPushButton(icon(QStringLiteral("send")), QString(), this);
    m_message->setObjectName(QStringLiteral("profileMessage"));
    m_message->setDefault(true);
    connect(m_message, &QPushButton::clicked, this, [this] {
        close();
        if (m_userId.toStdString() == m_store.me().id)
            Q_EMIT editProfileRequested();
        else
            Q_EMIT messageRequested(m_userId);
    });
    m_block = new QPushButton(this);
    m_block->setObjectName(QStringLiteral("profileBlock"));
    m_block->setAutoDefault(false);
    connect(m_block, &QPushButton::clicked, this, [this] {
        close();
        if (m_store.isBlocked(m_userId.toStdString()))
            Q_EMIT unblockRequested(m_userId);
        else
            Q_EMIT blockRequested(m_userId);
    });
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_message, 1);
    buttons->addWidget(m_block);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(16, 16, 16, 16);
    layout->setSpacing(8);
    layout->addLayout(top);
    layout->addWidget(m_status);
    layout->addWidget(m_statusUntil);
    layout->addSpacing(4);
    layout->addWidget(partiesTitle);
    layout->addWidget(m_parties);
    layout->addSpacing(4);
    layout->addLayout(buttons);

    connect(&store, &app::Store::membersChanged, this, &ProfileCard::refresh);
    connect(&store, &app::Store::presenceChanged, this, [this](const QString &id) {
        if (id == m_userId)
            refresh();
    });
    connect(&store, &app::Store::blocksChanged, this, &ProfileCard::refresh);
    connect(&store, &app::Store::partiesReset, this, &ProfileCard::refresh);
    if (pictures)
        connect(pictures, &AttachmentLoader::changed, this, &ProfileCard::refresh);
    refresh();
}

void ProfileCard::refresh()
{
    const std::string id = m_userId.toStdString();
    const bool me = id == m_store.me().id;
    const QString name = m_store.displayName(id);
    const QDateTime now = QDateTime::currentDateTime();
    const protocol::Status status = m_store.statusOf(id);

    const qreal ratio = devicePixelRatioF();
    QPixmap pixmap(QSize(kPictureSide, kPictureSide) * ratio);
    pixmap.setDevicePixelRatio(ratio);
    pixmap.fill(Qt::transparent);
    {
        QPainter painter(&pixmap);
        const QRect circle(0, 0, kPictureSide, kPictureSide);
        paintPerson(painter, circle, name, m_userId, m_store.pictureOf(id), m_pictures);
        const auto presence = m_store.presence(id);
        const QRect dot(circle.right() - 17, circle.bottom() - 17, 18, 18);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(QPen(palette().color(QPalette::Window), 3));
        painter.setBrush(m_theme.presenceColor(presence));
        painter.drawEllipse(dot);
    }
    m_picture->setPixmap(pixmap);
    m_picture->setAccessibleName(tr("Picture of %1").arg(name));

    m_name->setText(name);
    m_presence->setText(app::presenceText(m_store.presence(id), status, now));
    const bool shown = app::statusShown(status, now);
    m_status->setText(shown ? QString::fromStdString(status.text) : QString());
    m_status->setVisible(shown);
    const QString until = shown ? app::statusUntilText(status, now) : QString();
    m_statusUntil->setText(until);
    m_statusUntil->setVisible(!until.isEmpty());

    QStringList parties;
    for (const auto *party : m_store.sharedParties(id))
        parties << QString::fromStdString(party->name);
    m_parties->setText(parties.isEmpty() ? tr("None") : parties.join(QStringLiteral(", ")));

    const bool blocked = m_store.isBlocked(id);
    m_message->setText(me ? tr("Edit Profile…") : tr("Message"));
    m_message->setIcon(me ? icon(QStringLiteral("edit")) : icon(QStringLiteral("send")));
    m_message->setEnabled(me || !blocked);
    m_message->setToolTip(blocked ? tr("You block this person") : QString());
    m_block->setVisible(!me);
    m_block->setText(blocked ? tr("Unblock") : tr("Block…"));
    adjustSize();
}

void ProfileCard::showAt(const QPoint &globalPos, bool leftOf)
{
    adjustSize();
    QRect wanted(globalPos + QPoint(12, -24), size());
    if (leftOf)
        wanted.moveRight(globalPos.x() - 12);
    if (const QScreen *screen = QGuiApplication::screenAt(globalPos)) {
        const QRect room = screen->availableGeometry();
        if (wanted.right() > room.right())
            wanted.moveRight(globalPos.x() - 12);
        if (wanted.bottom() > room.bottom())
            wanted.moveBottom(room.bottom());
        if (wanted.left() < room.left())
            wanted.moveLeft(room.left());
        if (wanted.top() < room.top())
            wanted.moveTop(room.top());
    }
    move(wanted.topLeft());
    show();
    m_message->setFocus();
}

} // namespace chatterbox::ui
