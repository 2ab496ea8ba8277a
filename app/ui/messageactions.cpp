// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/ui/messageactions.h"

#include "app/core/client.h"
#include "app/core/displaytext.h"
#include "app/core/messagelink.h"
#include "app/core/preferences.h"
#include "app/ui/emojipicker.h"
#include "app/ui/timelinedelegate.h"
#include "app/ui/timelineview.h"

#include <QApplication>
#include <QClipboard>
#include <QDateTime>
#include <QDialog>
#include <QDialogButtonBox>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QPointer>
#include <QVBoxLayout>

namespace chatterbox::ui {

using app::TimelineModel;

namespace {

QString errorText(const protocol::Error &error) { return QString::fromStdString(error.message); }

QString when(std::int64_t ms)
{
    return QLocale().toString(QDateTime::fromMSecsSinceEpoch(ms).toLocalTime(), QLocale::ShortFormat);
}

// A dialog with a title, a line of text and a list: everything in it plain text.
QDialog *listDialog(QWidget *parent, const QString &objectName, const QString &title, const QString &intro, QListWidget *&list)
{
    auto *dialog = new QDialog(parent);
    dialog->setObjectName(objectName);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(title);
    auto *text = new QLabel(intro, dialog);
    text->setTextFormat(Qt::PlainText);
    text->setWordWrap(true);
    list = new QListWidget(dialog);
    list->setWordWrap(true);
    list->setTextElideMode(Qt::ElideNone);
    list->setAlternatingRowColors(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    QObject::connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    auto *layout = new QVBoxLayout(dialog);
    layout->addWidget(text);
    layout->addWidget(list, 1);
    layout->addWidget(buttons);
    dialog->resize(480, 420);
    return dialog;
}

} // namespace

MessageActions::MessageActions(app::Client &client, app::Preferences &preferences, const Theme &theme, TimelineView &timeline, QWidget &window)
    : QObject(&window), m_client(client), m_preferences(preferences), m_theme(theme), m_timeline(timeline), m_window(window)
{
    connect(&timeline, &TimelineView::reactRequested, this, &MessageActions::react);
    connect(&timeline, &TimelineView::copyLinkRequested, this, &MessageActions::copyLink);
    connect(&timeline, &TimelineView::pinRequested, this, &MessageActions::setPinned);
    connect(&timeline, &TimelineView::versionsRequested, this, &MessageActions::showVersions);
    connect(timeline.timelineDelegate(), &TimelineDelegate::reactionToggled, this, &MessageActions::toggleReaction);
    connect(&timeline, &TimelineView::seqRequested, this, [this](qint64 seq) { m_client.showMessage(m_client.currentTopicId(), seq); });
    connect(&timeline, &TimelineView::newerRequested, this, [this] {
        // Every scroll step near the end asks; one page at a time is asked for.
        if (m_loadingNewer)
            return;
        m_loadingNewer = true;
        m_client.loadNewer(m_client.currentTopicId(), [self = QPointer<MessageActions>(this)] {
            if (self)
                self->m_loadingNewer = false;
        });
    });
    connect(&timeline, &TimelineView::latestRequested, this, [this] {
        const QString topicId = m_client.currentTopicId();
        QPointer<TimelineView> view(&m_timeline);
        m_client.loadLatest(topicId, [view] {
            if (view)
                view->jumpToNewest();
        });
    });
    connect(&client, &app::Client::messageShown, this, [this](const QString &topicId, qint64 seq) {
        if (topicId == m_client.currentTopicId())
            m_timeline.showSeq(seq);
    });
    connect(&client, &app::Client::messageNotFound, this, &MessageActions::problem);
}

void MessageActions::react(const QModelIndex &index, const QPoint &globalPos)
{
    const QString messageId = index.data(TimelineModel::MessageIdRole).toString();
    if (messageId.isEmpty())
        return;
    if (m_picker)
        m_picker->close();
    m_picker = new EmojiPicker(m_preferences, &m_window);
    connect(m_picker, &EmojiPicker::picked, this, [this, messageId](const QString &emoji) {
        m_client.addReaction(messageId, emoji, [self = QPointer<MessageActions>(this)](const protocol::Result<protocol::Empty> &answer) {
            if (self && !answer)
                Q_EMIT self->problem(tr("Could not add the reaction: %1").arg(errorText(answer.error())));
        });
    });
    m_picker->popUp(globalPos);
}

void MessageActions::toggleReaction(const QModelIndex &index, const QString &emoji)
{
    const QString messageId = index.data(TimelineModel::MessageIdRole).toString();
    if (messageId.isEmpty())
        return;
    m_client.toggleReaction(m_client.currentTopicId(), messageId, emoji,
                            [self = QPointer<MessageActions>(this)](const protocol::Result<protocol::Empty> &answer) {
                                if (self && !answer)
                                    Q_EMIT self->problem(tr("Could not change the reaction: %1").arg(errorText(answer.error())));
                            });
}

void MessageActions::copyLink(const QModelIndex &index)
{
    const auto *topic = m_client.store().topic(m_client.currentTopicId().toStdString());
    const qint64 seq = index.data(TimelineModel::SeqRole).toLongLong();
    if (!topic || seq <= 0)
        return;
    app::MessageLink link;
    link.server = m_client.session().server().baseUrl;
    link.partyId = QString::fromStdString(topic->partyId);
    link.topicId = QString::fromStdString(topic->id);
    link.seq = seq;
    QApplication::clipboard()->setText(link.appUrl().toString(QUrl::FullyEncoded));
}

void MessageActions::setPinned(const QModelIndex &index, bool pinned)
{
    const QString messageId = index.data(TimelineModel::MessageIdRole).toString();
    if (messageId.isEmpty())
        return;
    m_client.pinMessage(messageId, pinned, [self = QPointer<MessageActions>(this), pinned](const protocol::Result<protocol::MessageReply> &answer) {
        if (self && !answer)
            Q_EMIT self->problem((pinned ? tr("Could not pin the message: %1") : tr("Could not unpin the message: %1")).arg(errorText(answer.error())));
    });
}

void MessageActions::showVersions(const QModelIndex &index)
{
    const QString messageId = index.data(TimelineModel::MessageIdRole).toString();
    const QString current = index.data(TimelineModel::BodyRole).toString();
    const QString author = index.data(TimelineModel::AuthorNameRole).toString();
    if (messageId.isEmpty())
        return;
    QPointer<MessageActions> self(this);
    m_client.messageVersions(messageId, [self, current, author](const protocol::Result<protocol::MessageVersions> &answer) {
        if (!self)
            return;
        if (!answer)
            return Q_EMIT self->problem(tr("Could not load the earlier versions: %1").arg(errorText(answer.error())));
        QListWidget *list = nullptr;
        QDialog *dialog = listDialog(&self->m_window, QStringLiteral("editHistoryDialog"), tr("Edit History"),
                                     tr("Earlier versions of this message by %1, oldest first.").arg(app::isolated(author)), list);
        for (const auto &version : answer.value().versions)
            list->addItem(when(version.writtenAt) + QLatin1Char('\n') + QString::fromStdString(version.body));
        list->addItem(tr("Now") + QLatin1Char('\n') + current);
        dialog->open();
    });
}

void MessageActions::showPins()
{
    const QString topicId = m_client.currentTopicId();
    if (topicId.isEmpty())
        return;
    QPointer<MessageActions> self(this);
    m_client.listPins(topicId, [self, topicId](const protocol::Result<protocol::PinnedMessages> &answer) {
        if (!self)
            return;
        if (!answer)
            return Q_EMIT self->problem(tr("Could not load the pinned messages: %1").arg(errorText(answer.error())));
        QListWidget *list = nullptr;
        QDialog *dialog = listDialog(&self->m_window, QStringLiteral("pinnedDialog"), tr("Pinned Messages"),
                                     answer.value().messages.empty() ? tr("Nothing is pinned in this topic yet. Owners and admins pin messages from a message's menu.")
                                                                     : tr("Pinned in this topic, the latest first. Open one to go to it."),
                                     list);
        for (const auto &m : answer.value().messages) {
            auto *item = new QListWidgetItem(self->m_client.store().displayName(m.authorId) + QStringLiteral(" · ") + when(m.createdAt)
                                                 + QLatin1Char('\n') + QString::fromStdString(m.body),
                                             list);
            item->setData(Qt::UserRole, static_cast<qint64>(m.seq));
        }
        connect(list, &QListWidget::itemActivated, dialog, [self, dialog, topicId](QListWidgetItem *item) {
            if (self)
                self->m_client.showMessage(topicId, item->data(Qt::UserRole).toLongLong());
            dialog->accept();
        });
        dialog->open();
    });
}

} // namespace chatterbox::ui
