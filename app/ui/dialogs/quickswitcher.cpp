#include "app/ui/dialogs/quickswitcher.h"

#include "app/core/store.h"
#include "app/ui/icons.h"

#include <QKeyEvent>
#include <QLineEdit>
#include <QListWidget>
#include <QVBoxLayout>

namespace chatterbox::ui {

namespace {
constexpr int kPartyRole = Qt::UserRole + 1;
constexpr int kTopicRole = Qt::UserRole + 2;
constexpr int kMaxResults = 50;
} // namespace

QuickSwitcher::QuickSwitcher(const app::Store &store, QWidget *parent) : QDialog(parent), m_store(store)
{
    setObjectName(QStringLiteral("quickSwitcher"));
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowModality(Qt::WindowModal);
    setWindowTitle(tr("Go to Topic"));
    resize(480, 360);
    m_query = new QLineEdit(this);
    m_query->setObjectName(QStringLiteral("switcherQuery"));
    m_query->setPlaceholderText(tr("Where to? Type a topic or party name"));
    m_query->setAccessibleName(tr("Topic or party name"));
    m_query->setMinimumHeight(36);
    m_query->addAction(icon(QStringLiteral("search")), QLineEdit::LeadingPosition);
    m_query->installEventFilter(this);
    m_results = new QListWidget(this);
    m_results->setObjectName(QStringLiteral("switcherResults"));
    m_results->setAccessibleName(tr("Matching topics"));
    m_results->setUniformItemSizes(true);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_query);
    layout->addWidget(m_results);
    connect(m_query, &QLineEdit::textChanged, this, &QuickSwitcher::fill);
    connect(m_query, &QLineEdit::returnPressed, this, &QuickSwitcher::choose);
    connect(m_results, &QListWidget::itemActivated, this, &QuickSwitcher::choose);
    fill();
}

bool QuickSwitcher::matches(const QString &query, const QString &text)
{
    qsizetype at = 0;
    for (const QChar c : query) {
        if (c.isSpace())
            continue;
        at = text.indexOf(c, at, Qt::CaseInsensitive);
        if (at < 0)
            return false;
        ++at;
    }
    return true;
}

void QuickSwitcher::fill()
{
    m_results->clear();
    const QString query = m_query->text();
    for (const auto &party : m_store.parties()) {
        const QString partyName = QString::fromStdString(party.name);
        for (const auto &topic : party.topics) {
            const QString topicName = QString::fromStdString(topic.name);
            if (!matches(query, topicName) && !matches(query, partyName + QLatin1Char(' ') + topicName))
                continue;
            auto *item = new QListWidgetItem(icon(QStringLiteral("hash")), tr("%1  —  %2").arg(topicName, partyName), m_results);
            item->setData(kPartyRole, QString::fromStdString(party.id));
            item->setData(kTopicRole, QString::fromStdString(topic.id));
            if (m_store.readState(topic.id).unread > 0) {
                QFont bold = item->font();
                bold.setBold(true);
                item->setFont(bold);
            }
            if (m_results->count() >= kMaxResults)
                break;
        }
    }
    m_results->setCurrentRow(0);
}

void QuickSwitcher::choose()
{
    QListWidgetItem *item = m_results->currentItem();
    if (!item)
        return;
    Q_EMIT topicChosen(item->data(kPartyRole).toString(), item->data(kTopicRole).toString());
    accept();
}

bool QuickSwitcher::eventFilter(QObject *watched, QEvent *event)
{
    // Up and Down move through the results while typing.
    if (watched == m_query && event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Down || key->key() == Qt::Key_Up) {
            const int row = m_results->currentRow() + (key->key() == Qt::Key_Down ? 1 : -1);
            if (row >= 0 && row < m_results->count())
                m_results->setCurrentRow(row);
            return true;
        }
    }
    return QDialog::eventFilter(watched, event);
}

} // namespace chatterbox::ui
