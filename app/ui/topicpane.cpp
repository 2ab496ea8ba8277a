// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/ui/topicpane.h"

#include "app/core/client.h"
#include "app/core/displaytext.h"
#include "app/ui/attachmentloader.h"
#include "app/ui/attachmenttray.h"
#include "app/ui/composer.h"
#include "app/ui/connectionbanner.h"
#include "app/ui/dialogs/requestdialog.h"
#include "app/ui/emojipicker.h"
#include "app/ui/fileactions.h"
#include "app/ui/messageactions.h"
#include "app/ui/icons.h"
#include "app/ui/noticebar.h"
#include "app/ui/theme.h"
#include "app/ui/timelinedelegate.h"
#include "app/ui/timelineview.h"
#include "app/ui/widgetparts.h"

#include <QCoreApplication>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QPointer>
#include <QPushButton>
#include <QStackedWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace chatterbox::ui {

using app::TimelineModel;

TopicPane::TopicPane(app::Client &client, app::Preferences &preferences, const Theme &theme, QWidget *parent)
    : QWidget(parent), m_client(client), m_theme(theme), m_preferences(preferences)
{
    setObjectName(QStringLiteral("center"));
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::Base);
    m_banner = new ConnectionBanner(m_client.connection(), this);
    m_notice = new NoticeBar(this);
    connect(&m_client.session(), &app::Session::keptInMemoryOnly, m_notice, [this](const QString &detail) {
        m_notice->showNotice(tr("You will need to sign in again after you quit Chatterbox: there is no system keychain "
                                "to keep your sign-in in, so it is kept only while the app runs. To stay signed in, "
                                "install or unlock a keychain (GNOME Keyring or KWallet on Linux), then sign in again."),
                             detail);
    });
    auto *line = new QFrame(this);
    line->setFrameShape(QFrame::HLine);
    line->setFrameShadow(QFrame::Plain);
    line->setForegroundRole(QPalette::Mid);

    m_timeline = new TimelineView(theme, this);
    m_timeline->setTimeline(&m_client.timeline());
    connect(m_timeline, &TimelineView::reachedBottom, this, &TopicPane::markReadIfVisible);
    connect(m_timeline, &TimelineView::editRequested, this, &TopicPane::editMessage);
    connect(m_timeline, &TimelineView::deleteRequested, this, &TopicPane::deleteMessage);
    connect(m_timeline->timelineDelegate(), &TimelineDelegate::retryRequested, &m_client.outbox(), &app::Outbox::retry);
    connect(m_timeline->timelineDelegate(), &TimelineDelegate::cancelRequested, &m_client.outbox(), &app::Outbox::cancel);
    m_actions = new MessageActions(m_client, preferences, theme, *m_timeline, *this);
    connect(m_actions, &MessageActions::problem, this, &TopicPane::showProblem);
    connect(m_timeline, &TimelineView::replyRequested, this, &TopicPane::startReply);
    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_timeline);
    m_stack->addWidget(buildEmptyState());

    m_typing = new QLabel(this);
    m_typing->setObjectName(QStringLiteral("typingLabel"));
    m_typing->setTextFormat(Qt::PlainText);
    m_typing->setForegroundRole(QPalette::PlaceholderText);
    m_typing->setContentsMargins(16, 0, 16, 0);
    m_typing->setFixedHeight(QFontMetrics(m_typing->font()).height() + 4);
    const auto showTyping = [this] { m_typing->setText(m_client.typing().summary()); };
    connect(&m_client.typing(), &QAbstractItemModel::modelReset, this, showTyping);
    connect(&m_client.typing(), &QAbstractItemModel::rowsInserted, this, showTyping);
    connect(&m_client.typing(), &QAbstractItemModel::rowsRemoved, this, showTyping);

    m_composer = new Composer(this);
    m_tray = new AttachmentTray(this);
    m_tray->takeDropsOn(m_timeline->viewport());
    m_tray->takeDropsOn(m_composer);
    connect(m_composer, &Composer::filesPasted, m_tray, &AttachmentTray::addFiles);
    connect(m_composer, &Composer::imagePasted, m_tray, &AttachmentTray::addImage);
    connect(m_tray, &AttachmentTray::changed, this, [this] {
        m_composer->setAttachments(!m_tray->isEmpty(), m_tray->isReady());
    });
    connect(m_tray, &AttachmentTray::problem, this, &TopicPane::showProblem);
    auto *attach = toolButton(QStringLiteral("paperclip"), tr("Attach Files (Ctrl+U)"), QStringLiteral("attachButton"), this);
    attach->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_U));
    connect(attach, &QToolButton::clicked, this, &TopicPane::pickFiles);
    m_loader = new AttachmentLoader(m_client.fileFetcher(), this);
    m_timeline->timelineDelegate()->setAttachmentLoader(m_loader);
    connect(m_loader, &AttachmentLoader::changed, m_timeline->viewport(), qOverload<>(&QWidget::update));
    // A new name or picture of an author is drawn at once (the timeline reads them when painting).
    connect(&m_client.store(), &app::Store::membersChanged, m_timeline->viewport(), qOverload<>(&QWidget::update));
    m_files = new FileActions(*m_loader, *this, this);
    connect(m_files, &FileActions::problem, this, &TopicPane::showProblem);
    connect(m_timeline->timelineDelegate(), &TimelineDelegate::fileRequested, this, &TopicPane::onFileRequested);
    auto *send = toolButton(QStringLiteral("send"), tr("Send (Enter)"), QStringLiteral("sendButton"), this);
    connect(send, &QToolButton::clicked, this, [this] {
        QKeyEvent enter(QEvent::KeyPress, Qt::Key_Return, Qt::NoModifier);
        QCoreApplication::sendEvent(m_composer, &enter);
    });
    auto *emoji = toolButton(QStringLiteral("smile-plus"), tr("Emoji (Ctrl+E)"), QStringLiteral("emojiButton"), this);
    emoji->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    connect(emoji, &QToolButton::clicked, this, &TopicPane::pickEmojiForComposer);
    QWidget *editBar = buildEditBar();
    QWidget *replyBar = buildReplyBar();
    connect(m_composer, &Composer::submitted, this, [this](const QString &text) {
        m_problem->hide();
        if (!m_tray->isEmpty()) {
            if (!m_client.sendFiles(m_client.currentTopicId(), text, m_tray->take(), m_replyTo))
                showProblem(tr("The files could not be kept for sending: there is no room for them on this computer."));
        } else {
            m_client.send(m_client.currentTopicId(), text, m_replyTo);
        }
        cancelReply();
        if (m_client.timeline().hasNewer())
            m_client.loadLatest(m_client.currentTopicId(), [view = QPointer<TimelineView>(m_timeline)] {
                if (view)
                    view->jumpToNewest();
            });
        else
            m_timeline->scrollToBottom();
    });
    connect(m_composer, &Composer::replyCancelled, this, &TopicPane::cancelReply);
    connect(m_composer, &Composer::editSubmitted, this, [this](const QString &messageId, const QString &text) {
        QPointer<TopicPane> self(this);
        m_client.editMessage(messageId, text, [self](const protocol::Result<protocol::MessageReply> &answer) {
            if (self && !answer)
                self->showProblem(tr("Could not edit the message: %1").arg(QString::fromStdString(answer.error().message)));
        });
    });
    connect(m_composer, &Composer::editLastRequested, this, &TopicPane::editLast);
    connect(m_composer, &Composer::typing, this, [this] {
        if (!m_client.currentTopicId().isEmpty())
            m_client.startTyping(m_client.currentTopicId());
    });
    connect(m_composer, &Composer::problem, this, &TopicPane::showProblem);
    m_problem = new QLabel(this);
    m_problem->setObjectName(QStringLiteral("composerProblem"));
    m_problem->setTextFormat(Qt::PlainText);
    m_problem->setWordWrap(true);
    QPalette problemInk = m_problem->palette();
    problemInk.setColor(QPalette::WindowText, theme.danger());
    m_problem->setPalette(problemInk);
    m_problem->setContentsMargins(16, 0, 16, 0);
    m_problem->hide();
    auto *composerRow = new QHBoxLayout;
    composerRow->setContentsMargins(16, 0, 16, 12);
    composerRow->addWidget(attach, 0, Qt::AlignBottom);
    composerRow->addWidget(m_composer, 1);
    composerRow->addWidget(emoji, 0, Qt::AlignBottom);
    composerRow->addWidget(send, 0, Qt::AlignBottom);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_notice);
    layout->addWidget(m_banner);
    layout->addWidget(buildHeader());
    layout->addWidget(line);
    layout->addWidget(buildLoadProblem(theme));
    layout->addWidget(m_stack, 1);
    layout->addWidget(m_typing);
    layout->addWidget(editBar);
    layout->addWidget(replyBar);
    layout->addWidget(m_problem);
    layout->addWidget(m_tray);
    layout->addLayout(composerRow);

    connect(&client.timeline(), &QAbstractItemModel::rowsInserted, this, &TopicPane::markReadIfVisible);
    connect(&client.timeline(), &QAbstractItemModel::modelReset, this, &TopicPane::markReadIfVisible);
}

QWidget *TopicPane::buildHeader()
{
    auto *header = new QWidget(this);
    header->setMinimumHeight(48);
    m_topicTitle = new QLabel(header);
    m_topicTitle->setObjectName(QStringLiteral("topicTitle"));
    m_topicTitle->setTextFormat(Qt::PlainText);
    m_topicTitle->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    QFont bold = m_topicTitle->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.1);
    m_topicTitle->setFont(bold);
    m_pinsButton = toolButton(QStringLiteral("pin"), tr("Pinned Messages"), QStringLiteral("pinsButton"), header);
    m_pinsButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    connect(m_pinsButton, &QToolButton::clicked, this, [this] { m_actions->showPins(); });
    connect(&m_client.store(), &app::Store::topicsChanged, this, [this] { refresh(); });
    auto *search = toolButton(QStringLiteral("search"), tr("Search Messages (Ctrl+Shift+F)"), QStringLiteral("searchButton"), header);
    connect(search, &QToolButton::clicked, this, &TopicPane::searchRequested);
    auto *invite = toolButton(QStringLiteral("link"), tr("Invite People"), QStringLiteral("inviteButton"), header);
    connect(invite, &QToolButton::clicked, this, &TopicPane::inviteRequested);
    m_managerOnly << invite;
    auto *members = toolButton(QStringLiteral("users"), tr("Show or Hide Members"), QStringLiteral("membersButton"), header);
    connect(members, &QToolButton::clicked, this, &TopicPane::membersToggleRequested);
    auto *layout = new QHBoxLayout(header);
    layout->setContentsMargins(16, 4, 12, 4);
    layout->addWidget(m_topicTitle, 1);
    layout->addWidget(m_pinsButton);
    layout->addWidget(search);
    layout->addWidget(invite);
    layout->addWidget(members);
    return header;
}

QWidget *TopicPane::buildEmptyState()
{
    auto *empty = new QWidget(this);
    m_emptyText = new QLabel(empty);
    m_emptyText->setObjectName(QStringLiteral("emptyState"));
    m_emptyText->setTextFormat(Qt::PlainText);
    m_emptyText->setAlignment(Qt::AlignCenter);
    m_emptyText->setWordWrap(true);
    auto *create = new QPushButton(icon(QStringLiteral("plus")), tr("Create a Party"), empty);
    connect(create, &QPushButton::clicked, this, &TopicPane::createPartyRequested);
    auto *join = new QPushButton(icon(QStringLiteral("link")), tr("Join with an Invite Link"), empty);
    connect(join, &QPushButton::clicked, this, &TopicPane::joinPartyRequested);
    auto *buttons = new QHBoxLayout;
    buttons->addStretch();
    buttons->addWidget(create);
    buttons->addWidget(join);
    buttons->addStretch();
    auto *layout = new QVBoxLayout(empty);
    layout->addStretch();
    layout->addWidget(m_emptyText);
    layout->addLayout(buttons);
    layout->addStretch(2);
    return empty;
}

QWidget *TopicPane::buildLoadProblem(const Theme &theme)
{
    m_loadProblem = new QWidget(this);
    m_loadProblem->setObjectName(QStringLiteral("loadProblem"));
    m_loadProblemText = new QLabel(m_loadProblem);
    m_loadProblemText->setObjectName(QStringLiteral("loadProblemText"));
    m_loadProblemText->setTextFormat(Qt::PlainText);   // carries the server's words
    m_loadProblemText->setWordWrap(true);
    QPalette ink = m_loadProblemText->palette();
    ink.setColor(QPalette::WindowText, theme.danger());
    m_loadProblemText->setPalette(ink);
    auto *retry = new QPushButton(tr("Try Again"), m_loadProblem);
    retry->setObjectName(QStringLiteral("loadRetryButton"));
    connect(retry, &QPushButton::clicked, this, [this] {
        m_loadProblem->hide();
        m_client.retryTopic(m_client.currentTopicId());
    });
    auto *layout = new QHBoxLayout(m_loadProblem);
    layout->setContentsMargins(16, 6, 12, 6);
    layout->addWidget(m_loadProblemText, 1);
    layout->addWidget(retry);
    m_loadProblem->hide();
    connect(&m_client.connection(), &app::Connection::topicLoadFailed, this, [this](const QString &topicId, const QString &problem) {
        if (topicId != m_client.currentTopicId())
            return;
        m_loadProblemText->setText(problem);
        m_loadProblem->show();
    });
    connect(&m_client.connection(), &app::Connection::topicLoaded, this, [this](const QString &topicId) {
        if (topicId == m_client.currentTopicId())
            m_loadProblem->hide();
    });
    return m_loadProblem;
}

QWidget *TopicPane::buildEditBar()
{
    m_editBar = new QWidget(this);
    m_editBar->setObjectName(QStringLiteral("editBar"));
    auto *text = new QLabel(tr("Editing message · Enter saves · Esc cancels"), m_editBar);
    auto *cancel = new QPushButton(tr("Cancel"), m_editBar);
    cancel->setFlat(true);
    auto *editIcon = new QLabel(m_editBar);
    editIcon->setPixmap(icon(QStringLiteral("edit")).pixmap(14, 14));
    auto *layout = new QHBoxLayout(m_editBar);
    layout->setContentsMargins(16, 0, 16, 0);
    layout->addWidget(editIcon);
    layout->addWidget(text, 1);
    layout->addWidget(cancel);
    m_editBar->hide();
    connect(cancel, &QPushButton::clicked, m_composer, &Composer::endEdit);
    connect(m_composer, &Composer::editingChanged, m_editBar, &QWidget::setVisible);
    return m_editBar;
}

void TopicPane::refresh()
{
    m_timeline->timelineDelegate()->setMyName(QString::fromStdString(m_client.store().me().displayName));
    const auto &store = m_client.store();
    const auto *topic = store.topic(m_client.currentTopicId().toStdString());
    const auto *party = topic ? store.party(topic->partyId) : nullptr;
    if (party && party->kind == protocol::PartyKind::Direct) {
        // A direct conversation is its people, not a topic.
        const QString people = app::isolated(store.conversationName(*party));
        m_topicTitle->setText(QStringLiteral("@ ") + people);
        m_composer->setPlaceholder(tr("Message %1").arg(people));
    } else {
        m_topicTitle->setText(topic ? QStringLiteral("# ") + app::isolated(QString::fromStdString(topic->name)) : QString());
        m_composer->setPlaceholder(topic ? tr("Message #%1").arg(app::isolated(QString::fromStdString(topic->name))) : QString());
    }
    m_composer->setEnabled(topic);
    // The pin and how many: only when something is pinned, as a count a person reads at once.
    const int pinned = topic ? topic->pinnedCount : 0;
    m_pinsButton->setText(pinned > 0 ? QString::number(pinned) : QString());
    m_pinsButton->setToolTip(tr("Pinned Messages (%n)", nullptr, pinned));
    m_pinsButton->setVisible(topic != nullptr);
    for (QWidget *widget : std::as_const(m_managerOnly))
        widget->setVisible(m_client.canManage(m_client.currentPartyId()));
    updateEmptyState();
}

void TopicPane::updateEmptyState()
{
    const auto &store = m_client.store();
    if (!m_client.currentTopicId().isEmpty()) {
        m_stack->setCurrentIndex(0);
        return;
    }
    if (store.parties().empty())
        m_emptyText->setText(tr("You are not in any party yet.\nCreate one for your group, or join one with an invite link."));
    else if (const auto *party = store.party(m_client.currentPartyId().toStdString()); party && party->topics.empty())
        m_emptyText->setText(tr("%1 has no topics yet. Create one with the + next to Topics.").arg(app::isolated(QString::fromStdString(party->name))));
    else
        m_emptyText->setText(tr("Pick a topic on the left."));
    m_stack->setCurrentIndex(1);
}

QWidget *TopicPane::buildReplyBar()
{
    m_replyBar = new QWidget(this);
    m_replyBar->setObjectName(QStringLiteral("replyBar"));
    auto *replyIcon = new QLabel(m_replyBar);
    replyIcon->setPixmap(icon(QStringLiteral("reply")).pixmap(14, 14));
    m_replyText = new QLabel(m_replyBar);
    m_replyText->setObjectName(QStringLiteral("replyText"));
    m_replyText->setTextFormat(Qt::PlainText);   // a person's name and words
    m_replyText->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    auto *cancel = new QPushButton(tr("Cancel"), m_replyBar);
    cancel->setObjectName(QStringLiteral("replyCancel"));
    cancel->setFlat(true);
    connect(cancel, &QPushButton::clicked, this, &TopicPane::cancelReply);
    auto *layout = new QHBoxLayout(m_replyBar);
    layout->setContentsMargins(16, 0, 16, 0);
    layout->addWidget(replyIcon);
    layout->addWidget(m_replyText, 1);
    layout->addWidget(cancel);
    m_replyBar->hide();
    return m_replyBar;
}

void TopicPane::startReply(const QModelIndex &index)
{
    const QString messageId = index.data(TimelineModel::MessageIdRole).toString();
    if (messageId.isEmpty() || index.data(TimelineModel::DeletedRole).toBool())
        return;
    m_composer->endEdit();
    m_replyTo = messageId;
    const QString author = app::isolated(index.data(TimelineModel::AuthorNameRole).toString());
    const QString excerpt = index.data(TimelineModel::BodyRole).toString().simplified();
    m_replyText->setText(tr("Replying to %1: %2").arg(author, QFontMetrics(m_replyText->font()).elidedText(excerpt, Qt::ElideRight, 400)));
    m_replyBar->show();
    m_composer->setReplying(true);
    m_composer->setFocus();
}

void TopicPane::cancelReply()
{
    m_replyTo.clear();
    m_replyBar->hide();
    m_composer->setReplying(false);
}

void TopicPane::pickFiles()
{
    const QStringList files = QFileDialog::getOpenFileNames(this, tr("Attach Files"), m_lastFolder);
    if (files.isEmpty())
        return;
    m_lastFolder = QFileInfo(files.first()).absolutePath();
    m_tray->addFiles(files);
    m_composer->setFocus();
}

void TopicPane::onFileRequested(const QModelIndex &index, int fileIndex, TimelineDelegate::FileAction action)
{
    const QVariantList files = index.data(TimelineModel::FilesRole).toList();
    if (fileIndex < 0 || fileIndex >= files.size())
        return;
    const QVariantMap file = files[fileIndex].toMap();
    switch (action) {
    case TimelineDelegate::FileAction::Open: m_files->open(file); break;
    case TimelineDelegate::FileAction::Save: m_files->saveAs(file); break;
    case TimelineDelegate::FileAction::StopDownload:
        m_files->stopDownload(file.value(QString::fromLatin1(TimelineModel::kFileIdKey)).toString());
        break;
    }
}

void TopicPane::pickEmojiForComposer()
{
    auto *picker = new EmojiPicker(m_preferences, this);
    connect(picker, &EmojiPicker::picked, m_composer, [this](const QString &emoji) {
        m_composer->insertPlainText(emoji);
        m_composer->setFocus();
    });
    picker->popUp(m_composer->mapToGlobal(QPoint(m_composer->width() - picker->sizeHint().width(), -picker->sizeHint().height() - 4)));
}

void TopicPane::topicOpened()
{
    cancelReply();
    m_composer->endEdit();
    m_problem->hide();
    m_loadProblem->hide();
    refresh();
    if (!m_client.currentTopicId().isEmpty() && isVisible())
        m_composer->setFocus();
}

void TopicPane::showProblem(const QString &message)
{
    m_problem->setText(message);
    m_problem->show();
}

void TopicPane::markReadIfVisible()
{
    if (m_client.currentTopicId().isEmpty() || !window()->isActiveWindow() || !m_timeline->isVisible())
        return;
    if (m_timeline->isShowingNewest())
        m_client.markRead(m_client.currentTopicId());
}

void TopicPane::editLast()
{
    const auto &model = m_client.timeline();
    for (int row = model.rowCount() - 1; row >= 0; --row) {
        const QModelIndex index = model.index(row);
        if (index.data(TimelineModel::OwnRole).toBool() && !index.data(TimelineModel::DeletedRole).toBool()
            && index.data(TimelineModel::DeliveryStateRole).value<TimelineModel::DeliveryState>() == TimelineModel::DeliveryState::Delivered) {
            editMessage(index);
            return;
        }
    }
}

void TopicPane::editMessage(const QModelIndex &index)
{
    m_composer->beginEdit(index.data(TimelineModel::MessageIdRole).toString(), index.data(TimelineModel::BodyRole).toString());
}

void TopicPane::deleteMessage(const QModelIndex &index)
{
    const QString messageId = index.data(TimelineModel::MessageIdRole).toString();
    auto *dialog = new ConfirmDialog(m_client, m_theme, tr("Delete Message?"), tr("The message is removed for everyone in the topic."), tr("Delete"),
                                     [this, messageId](ConfirmDialog &d) { m_client.deleteMessage(messageId, d.answer<protocol::MessageReply>()); }, this);
    dialog->open();
}

} // namespace chatterbox::ui
