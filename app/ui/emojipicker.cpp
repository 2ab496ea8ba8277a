// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/ui/emojipicker.h"

#include "app/core/emoji/emojicatalog.h"
#include "app/core/preferences.h"
#include "app/ui/emoji.h"

#include <QApplication>
#include <QButtonGroup>
#include <QComboBox>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLineEdit>
#include <QListWidget>
#include <QScreen>
#include <QToolButton>
#include <QVBoxLayout>

namespace chatterbox::ui {

using app::Emoji;
using app::EmojiCatalog;

namespace {
constexpr int kCell = 36;
constexpr int kColumns = 9;
constexpr int kRoleEmoji = Qt::UserRole + 1;   // the emoji without tone applied, for picking
} // namespace

EmojiPicker::EmojiPicker(app::Preferences &preferences, QWidget *parent)
    : QFrame(parent, Qt::Popup), m_preferences(preferences)
{
    setObjectName(QStringLiteral("emojiPicker"));
    setFrameShape(QFrame::StyledPanel);
    setAttribute(Qt::WA_DeleteOnClose);
    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("emojiSearch"));
    m_search->setPlaceholderText(tr("Search emoji"));
    m_search->setClearButtonEnabled(true);
    m_search->installEventFilter(this);
    m_tone = new QComboBox(this);
    m_tone->setObjectName(QStringLiteral("skinTone"));
    m_tone->setToolTip(tr("Skin tone"));
    const QString hand = QStringLiteral("\U0001F44B");
    m_tone->addItem(hand, 0);
    const auto *wave = EmojiCatalog::instance().find(hand);
    for (int tone = 1; tone <= 5 && wave; ++tone)
        m_tone->addItem(wave->withTone(tone), tone);
    m_tone->setCurrentIndex(m_preferences.skinTone());
    QFont emojiFont = colorEmojiFont(font());
    emojiFont.setPointSizeF(font().pointSizeF() * 1.5);
    m_tone->setFont(emojiFont);

    m_list = new QListWidget(this);
    m_list->setObjectName(QStringLiteral("emojiList"));
    m_list->setViewMode(QListView::IconMode);
    m_list->setFlow(QListView::LeftToRight);
    m_list->setWrapping(true);
    m_list->setResizeMode(QListView::Adjust);
    m_list->setMovement(QListView::Static);
    m_list->setUniformItemSizes(false);
    m_list->setGridSize(QSize(kCell, kCell));
    m_list->setFont(emojiFont);
    m_list->setMouseTracking(true);
    m_list->setTextElideMode(Qt::ElideNone);   // an emoji is one picture, never "…"
    m_list->setWordWrap(false);
    m_list->setMinimumSize(kColumns * kCell + 24, 7 * kCell);
    m_list->installEventFilter(this);
    connect(m_list, &QListWidget::itemActivated, this, &EmojiPicker::pick);
    connect(m_list, &QListWidget::itemClicked, this, &EmojiPicker::pick);

    // One button per group: it scrolls to the group's first emoji.
    auto *groupBar = new QHBoxLayout;
    groupBar->setSpacing(2);
    m_groups = new QButtonGroup(this);
    const auto &catalog = EmojiCatalog::instance();
    for (int g = 0; g < catalog.groups().size(); ++g) {
        const Emoji *first = nullptr;
        for (const auto &e : catalog.all()) {
            if (e.group == g) {
                first = &e;
                break;
            }
        }
        auto *button = new QToolButton(this);
        button->setText(first ? first->text : QString::number(g));
        button->setFont(emojiFont);
        button->setToolTip(catalog.groups().at(g));
        button->setAutoRaise(true);
        button->setFocusPolicy(Qt::NoFocus);
        m_groups->addButton(button, g);
        groupBar->addWidget(button);
    }
    groupBar->addStretch();
    connect(m_groups, &QButtonGroup::idClicked, this, [this](int g) {
        if (!m_search->text().isEmpty())
            m_search->clear();   // fill() again, with every group
        if (g < m_groupStarts.size())
            m_list->scrollToItem(m_groupStarts.at(g), QAbstractItemView::PositionAtTop);
    });

    auto *top = new QHBoxLayout;
    top->addWidget(m_search, 1);
    top->addWidget(m_tone);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->addLayout(top);
    layout->addLayout(groupBar);
    layout->addWidget(m_list, 1);
    connect(m_search, &QLineEdit::textChanged, this, &EmojiPicker::fill);
    connect(m_tone, &QComboBox::currentIndexChanged, this, [this](int tone) {
        m_preferences.setSkinTone(tone);
        fill();
    });
    fill();
}


void EmojiPicker::addHeading(const QString &title)
{
    auto *item = new QListWidgetItem(title, m_list);
    item->setFlags(Qt::NoItemFlags);
    QFont small = font();
    small.setBold(true);
    item->setFont(small);
    // A heading takes a whole line of the grid.
    item->setSizeHint(QSize(kColumns * kCell, kCell * 2 / 3));
}

QListWidgetItem *EmojiPicker::addEmoji(const QString &text, const QString &name)
{
    auto *item = new QListWidgetItem(text, m_list);
    item->setTextAlignment(Qt::AlignCenter);
    item->setSizeHint(QSize(kCell, kCell));
    item->setToolTip(name);
    item->setData(kRoleEmoji, text);
    item->setData(Qt::AccessibleTextRole, name);
    return item;
}

void EmojiPicker::fill()
{
    m_list->clear();
    m_groupStarts.clear();
    const auto &catalog = EmojiCatalog::instance();
    const int tone = m_tone->currentData().toInt();
    const QString query = m_search->text().trimmed();
    if (!query.isEmpty()) {
        for (const Emoji *e : catalog.search(query, 200))
            addEmoji(e->withTone(tone), e->name);
    } else {
        const QStringList recent = m_preferences.recentEmoji();
        if (!recent.isEmpty()) {
            addHeading(tr("Recently used"));
            for (const QString &text : recent) {
                const Emoji *known = catalog.find(text);
                addEmoji(text, known ? known->name : text);
            }
        }
        int group = -1;
        for (const auto &e : catalog.all()) {
            if (e.group != group) {
                group = e.group;
                addHeading(catalog.groups().at(group));
                m_groupStarts << m_list->item(m_list->count() - 1);
            }
            addEmoji(e.withTone(tone), e.name);
        }
    }
    for (int row = 0; row < m_list->count(); ++row) {
        if (m_list->item(row)->flags() & Qt::ItemIsEnabled) {
            m_list->setCurrentRow(row);
            break;
        }
    }
}

void EmojiPicker::pick(QListWidgetItem *item)
{
    if (!item || !(item->flags() & Qt::ItemIsEnabled))
        return;
    const QString emoji = item->data(kRoleEmoji).toString();
    m_preferences.noteEmojiUsed(emoji);
    Q_EMIT picked(emoji);
    close();
}

bool EmojiPicker::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() != QEvent::KeyPress)
        return QFrame::eventFilter(watched, event);
    auto *key = static_cast<QKeyEvent *>(event);
    if (watched == m_search) {
        switch (key->key()) {
        case Qt::Key_Return:
        case Qt::Key_Enter:
            pick(m_list->currentItem());
            return true;
        case Qt::Key_Down:
        case Qt::Key_Up:
        case Qt::Key_Left:
        case Qt::Key_Right:
            if (key->key() == Qt::Key_Left || key->key() == Qt::Key_Right) {
                if (!m_search->text().isEmpty())
                    break;   // moving in the text
            }
            m_list->setFocus();
            QApplication::sendEvent(m_list, event);
            return true;
        default:
            break;
        }
    }
    return QFrame::eventFilter(watched, event);
}

void EmojiPicker::popUp(const QPoint &globalPos)
{
    adjustSize();
    QRect area = QRect(globalPos, sizeHint());
    if (const QScreen *screen = QApplication::screenAt(globalPos)) {
        const QRect available = screen->availableGeometry();
        if (area.right() > available.right())
            area.moveRight(available.right());
        if (area.bottom() > available.bottom())
            area.moveBottom(globalPos.y() - 4);
        area.moveTop(qMax(area.top(), available.top()));
        area.moveLeft(qMax(area.left(), available.left()));
    }
    move(area.topLeft());
    show();
    m_search->setFocus();
}

} // namespace chatterbox::ui
