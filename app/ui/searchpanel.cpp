// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/ui/searchpanel.h"

#include "app/core/client.h"
#include "app/core/displaytext.h"
#include "app/core/models/searchmodel.h"
#include "app/core/preferences.h"
#include "app/ui/listdelegates.h"
#include "app/ui/theme.h"
#include "app/ui/widgetparts.h"
#include "shared/limits.h"
#include "shared/searchquery.h"

#include <QAbstractItemView>
#include <QComboBox>
#include <QCompleter>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QLocale>
#include <QPainter>
#include <QScrollBar>
#include <QStringListModel>
#include <QStyledItemDelegate>
#include <QTextLayout>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace chatterbox::ui {

using app::SearchModel;

namespace {

constexpr int kSnippetLines = 3;

// A topic's header ("#general · Book club"), or a result: author and time, then the snippet
// with the matched words on the mention colour, all as plain text.
class SearchResultDelegate final : public QStyledItemDelegate {
public:
    SearchResultDelegate(const Theme &theme, QObject *parent) : QStyledItemDelegate(parent), m_theme(theme) {}

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        painter->save();
        const QFontMetrics fm(option.font);
        if (index.data(SearchModel::IsHeaderRole).toBool()) {
            QFont bold = option.font;
            bold.setBold(true);
            painter->setFont(bold);
            painter->setPen(m_theme.mutedText());
            const QRect text = option.rect.adjusted(12, 6, -12, 0);
            painter->drawText(text, Qt::AlignLeft | Qt::AlignVCenter,
                              QFontMetrics(bold).elidedText(index.data().toString(), Qt::ElideRight, text.width()));
            painter->restore();
            return;
        }
        const QRect row = option.rect.adjusted(6, 1, -6, -1);
        paintRowBackground(*painter, option, row, m_theme);
        const bool selected = option.state & QStyle::State_Selected;
        const QColor text = selected ? option.palette.color(QPalette::HighlightedText) : option.palette.color(QPalette::Text);
        const QRect inner = row.adjusted(8, 6, -8, -6);
        const QString when = QLocale().toString(index.data(SearchModel::CreatedAtRole).toDateTime(), QLocale::ShortFormat);
        const int whenWidth = fm.horizontalAdvance(when) + 8;
        QFont bold = option.font;
        bold.setBold(true);
        painter->setFont(bold);
        painter->setPen(text);
        const QString author = app::isolated(index.data(SearchModel::AuthorNameRole).toString());
        painter->drawText(QRect(inner.left(), inner.top(), inner.width() - whenWidth, fm.height()), Qt::AlignLeft | Qt::AlignVCenter,
                          QFontMetrics(bold).elidedText(author, Qt::ElideRight, inner.width() - whenWidth));
        painter->setFont(option.font);
        painter->setPen(selected ? text : m_theme.mutedText());
        painter->drawText(QRect(inner.left(), inner.top(), inner.width(), fm.height()), Qt::AlignRight | Qt::AlignVCenter, when);

        // The snippet: its own line breaks become spaces (the ranges stay where they are).
        QString snippet = index.data(SearchModel::SnippetRole).toString();
        snippet.replace(QLatin1Char('\n'), QLatin1Char(' ')).replace(QLatin1Char('\r'), QLatin1Char(' ')).replace(QLatin1Char('\t'), QLatin1Char(' '));
        QList<QTextLayout::FormatRange> formats;
        for (const QVariant &v : index.data(SearchModel::HighlightsRole).toList()) {
            const QPoint range = v.toPoint();
            QTextLayout::FormatRange f;
            f.start = range.x();
            f.length = range.y();
            f.format.setBackground(selected ? m_theme.mentionPillOfMe() : m_theme.mentionPill());
            f.format.setFontWeight(QFont::DemiBold);
            formats << f;
        }
        QTextLayout layout(snippet, option.font);
        QTextOption wrap;
        wrap.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
        layout.setTextOption(wrap);
        layout.setFormats(formats);
        layout.beginLayout();
        qreal y = 0;
        for (int line = 0; line < kSnippetLines; ++line) {
            QTextLine l = layout.createLine();
            if (!l.isValid())
                break;
            l.setLineWidth(inner.width());
            l.setPosition(QPointF(0, y));
            y += l.height();
        }
        layout.endLayout();
        painter->setPen(text);
        painter->setClipRect(inner);
        layout.draw(painter, QPointF(inner.left(), inner.top() + fm.height() + 4));
        painter->restore();
    }

    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        const QFontMetrics fm(option.font);
        if (index.data(SearchModel::IsHeaderRole).toBool())
            return {200, fm.height() + 14};
        return {200, fm.height() * (1 + kSnippetLines) + 4 + 14};
    }

private:
    const Theme &m_theme;
};

QString filterLabel(const protocol::SearchFilter &filter)
{
    using K = protocol::SearchFilterKind;
    const QString value = QString::fromStdString(filter.value);
    switch (filter.kind) {
    case K::From: return SearchPanel::tr("from: %1").arg(value);
    case K::InTopic: return SearchPanel::tr("in: #%1").arg(value);
    case K::InParty: return SearchPanel::tr("in: %1").arg(value);
    case K::HasLink: return SearchPanel::tr("has a link");
    case K::HasFile: return SearchPanel::tr("has a file");
    case K::Before: return SearchPanel::tr("before %1").arg(value);
    case K::After: return SearchPanel::tr("after %1").arg(value);
    case K::On: return SearchPanel::tr("on %1").arg(value);
    case K::MentionsMe: return SearchPanel::tr("mentions me");
    }
    return value;
}

} // namespace

SearchPanel::SearchPanel(app::Client &client, app::Preferences &preferences, Theme &theme, QWidget *parent)
    : QWidget(parent), m_client(client), m_preferences(preferences), m_theme(theme)
{
    setObjectName(QStringLiteral("searchPanel"));
    setMinimumWidth(280);
    m_model = new SearchModel(client, this);

    auto *title = new QLabel(tr("Search"), this);
    title->setTextFormat(Qt::PlainText);
    QFont bold = title->font();
    bold.setBold(true);
    title->setFont(bold);
    auto *close = toolButton(QStringLiteral("close"), tr("Close Search (Esc)"), QStringLiteral("searchClose"), this);
    connect(close, &QToolButton::clicked, this, [this] {
        hide();
        Q_EMIT closed();
    });

    m_field = new QLineEdit(this);
    m_field->setObjectName(QStringLiteral("searchField"));
    m_field->setAccessibleName(tr("Search messages"));
    m_field->setPlaceholderText(tr("Words, \"a phrase\", from:, in:#topic, has:link, has:file, on:"));
    m_field->setClearButtonEnabled(true);
    m_field->setMaxLength(int(limits::kMaxSearchQueryChars));
    m_field->installEventFilter(this);
    m_field->setToolTip(tr("Words and \"quoted phrases\"; filters: from:name (or from:me), in:#topic, in:party, has:link, has:file, "
                           "before:, after: and on: a date (YYYY-MM-DD), mentions:me."));

    m_historyModel = new QStringListModel(this);
    m_history = new QCompleter(m_historyModel, this);
    m_history->setCompletionMode(QCompleter::UnfilteredPopupCompletion);
    m_history->setCaseSensitivity(Qt::CaseInsensitive);
    m_history->setWidget(m_field);
    m_history->popup()->setObjectName(QStringLiteral("searchHistory"));
    connect(m_history, qOverload<const QString &>(&QCompleter::activated), this, [this](const QString &query) {
        m_field->setText(query);
        run();
    });

    m_scope = new QComboBox(this);
    m_scope->setObjectName(QStringLiteral("searchScope"));
    m_scope->setAccessibleName(tr("Where to search"));
    m_scope->addItem(tr("This topic"));
    m_scope->addItem(tr("Everywhere"));
    connect(m_scope, &QComboBox::currentIndexChanged, this, [this] { run(); });

    m_chips = new QWidget(this);
    m_chips->setObjectName(QStringLiteral("searchChips"));
    auto *chips = new QHBoxLayout(m_chips);
    chips->setContentsMargins(0, 0, 0, 0);
    chips->setSpacing(4);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("searchStatus"));
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);

    m_results = sideList(new QListView(this), QStringLiteral("searchResults"), tr("Search results"));
    m_results->setModel(m_model);
    m_results->setItemDelegate(new SearchResultDelegate(theme, m_results));
    m_results->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_results->setMouseTracking(true);
    m_results->installEventFilter(this);
    // A click, or Enter (in the event filter): not "activated", which some desktops give for a
    // single click too, and the message would be opened twice.
    connect(m_results, &QListView::clicked, this, &SearchPanel::choose);

    m_typing = new QTimer(this);
    m_typing->setSingleShot(true);
    m_typing->setInterval(250);
    connect(m_typing, &QTimer::timeout, this, &SearchPanel::run);
    connect(m_field, &QLineEdit::textChanged, this, [this] {
        updateChips();
        m_typing->start();
    });
    connect(m_field, &QLineEdit::returnPressed, this, [this] {
        m_typing->stop();
        m_preferences.noteSearch(m_field->text());
        run();
    });
    connect(m_model, &SearchModel::stateChanged, this, &SearchPanel::updateState);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &SearchPanel::updateState);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &SearchPanel::updateState);
    connect(&client, &app::Client::currentTopicChanged, this, [this](const QString &topicId) {
        if (m_scope->currentIndex() == 0 && isVisible() && topicId != m_topicId) {
            m_topicId = topicId;
            run();
        }
    });

    auto *head = new QHBoxLayout;
    head->addWidget(title, 1);
    head->addWidget(close);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(10, 8, 6, 6);
    layout->setSpacing(6);
    layout->addLayout(head);
    layout->addWidget(m_field);
    layout->addWidget(m_scope);
    layout->addWidget(m_chips);
    layout->addWidget(m_status);
    layout->addWidget(m_results, 1);
    updateChips();
    updateState();
}

void SearchPanel::open(bool thisTopic)
{
    m_topicId = m_client.currentTopicId();
    const QSignalBlocker blocker(m_scope);
    m_scope->setCurrentIndex(thisTopic && !m_topicId.isEmpty() ? 0 : 1);
    m_scope->setItemText(0, tr("This topic"));
    show();
    m_field->setFocus(Qt::ShortcutFocusReason);
    m_field->selectAll();
    if (!m_field->text().isEmpty())
        run();
}

QString SearchPanel::scopeTopicId() const
{
    return m_scope->currentIndex() == 0 ? m_topicId : QString();
}

void SearchPanel::run()
{
    // As typed: a space after the last word says it is finished (no longer a prefix).
    m_model->search(m_field->text(), scopeTopicId());
    updateState();
}

void SearchPanel::updateState()
{
    QString status;
    if (!m_model->error().isEmpty())
        status = m_model->error();
    else if (m_model->query().isEmpty())
        status = tr("Type to search the messages of your parties.");
    else if (m_model->isLoading() && m_model->resultCount() == 0)
        status = tr("Searching…");
    else if (m_model->resultCount() == 0)
        status = tr("No messages match.");
    else
        status = m_model->hasMore() ? tr("%n or more results", nullptr, m_model->resultCount()) : tr("%n result(s)", nullptr, m_model->resultCount());
    m_status->setText(status);
    m_status->setForegroundRole(m_model->error().isEmpty() ? QPalette::PlaceholderText : QPalette::Text);
    QPalette palette = m_status->palette();
    palette.setColor(QPalette::WindowText, m_model->error().isEmpty() ? m_theme.mutedText() : m_theme.danger());
    m_status->setPalette(palette);
    // A first page shorter than the list's height: ask for the next one, once the list is laid
    // out (it scrolls on to the others itself).
    QTimer::singleShot(0, this, [this] {
        if (isVisible() && m_model->canFetchMore({}) && m_results->verticalScrollBar()->maximum() == 0)
            m_model->fetchMore({});
    });
}

void SearchPanel::updateChips()
{
    auto *layout = static_cast<QHBoxLayout *>(m_chips->layout());
    while (QLayoutItem *item = layout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    const std::string text = m_field->text().toStdString();
    const auto parsed = protocol::parseSearchQuery(text);
    if (parsed) {
        for (const auto &filter : parsed.value().filters) {
            auto *chip = new QToolButton(m_chips);
            chip->setObjectName(QStringLiteral("searchChip"));
            chip->setText(QString(filterLabel(filter)).replace(QLatin1Char('&'), QStringLiteral("&&")) + QStringLiteral("  ×"));
            chip->setToolTip(tr("Remove this filter"));
            chip->setAutoRaise(false);
            // Takes its own text out of the query, and the space after it.
            const std::size_t begin = filter.begin;
            std::size_t end = filter.end;
            while (end < text.size() && text[end] == ' ')
                ++end;
            connect(chip, &QToolButton::clicked, this, [this, text, begin, end] {
                m_field->setText(QString::fromStdString(text.substr(0, begin) + text.substr(end)).trimmed() + QLatin1Char(' '));
                m_field->setFocus();
                m_typing->stop();
                run();
            });
            layout->addWidget(chip);
        }
    }
    layout->addStretch(1);
    m_chips->setVisible(layout->count() > 1);
}

void SearchPanel::choose(const QModelIndex &index)
{
    if (!index.isValid() || index.data(SearchModel::IsHeaderRole).toBool())
        return;
    m_preferences.noteSearch(m_field->text());
    Q_EMIT resultChosen(index.data(SearchModel::TopicIdRole).toString(), index.data(SearchModel::SeqRole).toLongLong());
}

bool SearchPanel::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::FocusIn && watched == m_field && m_field->text().isEmpty()) {
        m_historyModel->setStringList(m_preferences.recentSearches());
        if (m_historyModel->rowCount() > 0)
            QTimer::singleShot(0, m_history, [this] { m_history->complete(); });
    }
    if (event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Escape && !(watched == m_field && m_history->popup()->isVisible())) {
            hide();
            Q_EMIT closed();
            return true;
        }
        if (watched == m_results && (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter)) {
            choose(m_results->currentIndex());
            return true;
        }
        if (watched == m_results && key->key() == Qt::Key_Up && m_results->currentIndex().row() <= m_model->firstResultRow()) {
            m_field->setFocus();
            return true;
        }
        if (watched == m_field && key->key() == Qt::Key_Down && !m_history->popup()->isVisible() && m_model->firstResultRow() >= 0) {
            m_results->setFocus();
            m_results->setCurrentIndex(m_model->index(m_model->firstResultRow()));
            return true;
        }
    }
    if (event->type() == QEvent::Show && watched == m_results)
        updateState();
    return QWidget::eventFilter(watched, event);
}

} // namespace chatterbox::ui
