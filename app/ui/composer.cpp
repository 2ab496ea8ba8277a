// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/ui/composer.h"

#include "app/core/emoji/emojicatalog.h"

#include "shared/limits.h"

#include <QAbstractItemView>
#include <QCompleter>
#include <QFileInfo>
#include <QImage>
#include <QKeyEvent>
#include <QMimeData>
#include <QScrollBar>
#include <QStringListModel>
#include <QTextBlock>

namespace chatterbox::ui {

namespace {
constexpr int kMaxVisibleLines = 8;
constexpr qint64 kTypingEveryMs = 3000;   // the server passes one typing event per 3 s anyway
} // namespace

Composer::Composer(QWidget *parent) : QPlainTextEdit(parent)
{
    setObjectName(QStringLiteral("composer"));
    setAccessibleName(tr("Message"));
    setTabChangesFocus(true);
    setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_names = new QStringListModel(this);
    m_completer = new QCompleter(m_names, this);
    m_completer->setWidget(this);
    m_completer->setCaseSensitivity(Qt::CaseInsensitive);
    m_completer->setFilterMode(Qt::MatchContains);
    m_completer->setCompletionMode(QCompleter::PopupCompletion);
    m_completer->popup()->setObjectName(QStringLiteral("mentionPopup"));
    connect(m_completer, qOverload<const QString &>(&QCompleter::activated), this, &Composer::insertCompletion);
    connect(this, &QPlainTextEdit::textChanged, this, [this] {
        fitHeight();
        if (toPlainText().isEmpty() || isEditing())
            return;
        if (!m_lastTyping.isValid() || m_lastTyping.elapsed() > kTypingEveryMs) {
            m_lastTyping.start();
            Q_EMIT typing();
        }
    });
    fitHeight();
}

void Composer::setPlaceholder(const QString &text)
{
    if (text == placeholderText())
        return;
    setPlaceholderText(text);
    viewport()->update();
}

void Composer::setMemberNames(const QStringList &names)
{
    m_memberNames = names;
    if (m_completing == Completing::Names)
        m_names->setStringList(names);
}

QSize Composer::sizeHint() const
{
    const int lines = qBound(1, static_cast<int>(document()->size().height()), kMaxVisibleLines);
    const int height = lines * fontMetrics().lineSpacing() + 2 * (frameWidth() + static_cast<int>(document()->documentMargin())) + 8;
    return {QPlainTextEdit::sizeHint().width(), height};
}

QSize Composer::minimumSizeHint() const
{
    return {100, sizeHint().height()};
}

void Composer::fitHeight()
{
    setFixedHeight(sizeHint().height());
}

void Composer::beginEdit(const QString &messageId, const QString &body)
{
    m_editingId = messageId;
    setPlainText(body);
    moveCursor(QTextCursor::End);
    setFocus();
    Q_EMIT editingChanged(true);
}

void Composer::endEdit()
{
    if (m_editingId.isEmpty())
        return;
    m_editingId.clear();
    clear();
    Q_EMIT editingChanged(false);
}

void Composer::submit()
{
    const QString text = toPlainText().trimmed();
    if (text.isEmpty() && (!m_hasAttachments || isEditing()))
        return;   // files alone make a message; an edit keeps some text
    if (m_hasAttachments && !m_attachmentsReady && !isEditing()) {
        Q_EMIT problem(tr("A moment: the files are still being prepared."));
        return;
    }
    const auto length = static_cast<std::size_t>(text.toUcs4().size());
    if (length > limits::kMaxBodyChars) {
        Q_EMIT problem(tr("This message is %1 characters long; the most a message can have is %2.")
                           .arg(length).arg(limits::kMaxBodyChars));
        return;
    }
    if (isEditing()) {
        const QString id = m_editingId;
        Q_EMIT editSubmitted(id, text);
        endEdit();
    } else {
        Q_EMIT submitted(text);
        clear();
    }
    m_lastTyping.invalidate();
}

bool Composer::canInsertFromMimeData(const QMimeData *source) const
{
    return source->hasImage() || !localFiles(source).isEmpty() || QPlainTextEdit::canInsertFromMimeData(source);
}

void Composer::insertFromMimeData(const QMimeData *source)
{
    // A copied file or a screenshot is something to send, not text (its path or nothing).
    if (!isEditing()) {
        if (const QStringList files = localFiles(source); !files.isEmpty()) {
            Q_EMIT filesPasted(files);
            return;
        }
        if (source->hasImage()) {
            Q_EMIT imagePasted(qvariant_cast<QImage>(source->imageData()));
            return;
        }
    }
    QPlainTextEdit::insertFromMimeData(source);
}

QStringList Composer::localFiles(const QMimeData *source)
{
    QStringList files;
    if (!source->hasUrls())
        return files;
    for (const QUrl &url : source->urls()) {
        if (!url.isLocalFile() || !QFileInfo(url.toLocalFile()).isFile())
            return {};   // text with a link in it, or a folder: not files to send
        files.append(url.toLocalFile());
    }
    return files;
}

std::optional<QString> Composer::mentionBeforeCursor() const
{
    QTextCursor cursor = textCursor();
    const QString block = cursor.block().text().left(cursor.positionInBlock());
    const qsizetype at = block.lastIndexOf(QLatin1Char('@'));
    if (at < 0 || (at > 0 && !block.at(at - 1).isSpace()))
        return std::nullopt;   // no "@", or one inside a word (an e-mail address)
    const QString word = block.mid(at + 1);
    if (word.size() > 40 || word.count(QLatin1Char(' ')) > 2)
        return std::nullopt;   // long past any name
    return word;
}

std::optional<QString> Composer::shortcodeBeforeCursor() const
{
    QTextCursor cursor = textCursor();
    const QString block = cursor.block().text().left(cursor.positionInBlock());
    const qsizetype colon = block.lastIndexOf(QLatin1Char(':'));
    if (colon < 0 || (colon > 0 && !block.at(colon - 1).isSpace()))
        return std::nullopt;   // none, or inside a word ("12:30", "http:")
    const QString word = block.mid(colon + 1);
    if (word.size() < 2 || word.size() > 40)
        return std::nullopt;
    for (const QChar c : word) {
        if (!(c.isLetterOrNumber() || c == QLatin1Char('_') || c == QLatin1Char('+') || c == QLatin1Char('-')))
            return std::nullopt;
    }
    return word;
}

bool Composer::replaceClosedShortcode()
{
    QTextCursor cursor = textCursor();
    const QString block = cursor.block().text().left(cursor.positionInBlock());
    if (!block.endsWith(QLatin1Char(':')))
        return false;
    const qsizetype open = block.lastIndexOf(QLatin1Char(':'), block.size() - 2);
    if (open < 0 || (open > 0 && !block.at(open - 1).isSpace()))
        return false;
    const QString code = block.mid(open + 1, block.size() - open - 2);
    const app::Emoji *emoji = code.isEmpty() ? nullptr : app::EmojiCatalog::instance().byShortcode(code.toLower());
    if (!emoji)
        return false;
    cursor.movePosition(QTextCursor::Left, QTextCursor::KeepAnchor, static_cast<int>(code.size() + 2));
    cursor.insertText(emoji->text);
    setTextCursor(cursor);
    return true;
}

void Composer::updateCompletion()
{
    if (const auto code = shortcodeBeforeCursor()) {
        m_completing = Completing::Emoji;
        m_emojiChoices.clear();
        QStringList shown;
        for (const app::Emoji *e : app::EmojiCatalog::instance().search(*code, 8)) {
            m_emojiChoices << e->text;
            shown << e->text + QStringLiteral("  :") + e->shortcode + QLatin1Char(':');
        }
        m_names->setStringList(shown);
        m_completer->setCompletionPrefix(QString());
        if (shown.isEmpty()) {
            m_completer->popup()->hide();
            return;
        }
        QRect rect = cursorRect();
        rect.setWidth(qMax(260, m_completer->popup()->sizeHintForColumn(0) + 24));
        m_completer->complete(rect);
        m_completer->popup()->setCurrentIndex(m_completer->completionModel()->index(0, 0));
        return;
    }
    if (m_completing == Completing::Emoji) {
        m_completing = Completing::Names;
        m_names->setStringList(m_memberNames);
    }
    const auto prefix = mentionBeforeCursor();
    if (prefix)
        m_completer->setCompletionPrefix(*prefix);
    if (!prefix || m_completer->completionCount() == 0) {
        m_completer->popup()->hide();
        return;
    }
    QRect rect = cursorRect();
    rect.setWidth(qMax(220, m_completer->popup()->sizeHintForColumn(0) + 24));
    m_completer->complete(rect);
    m_completer->popup()->setCurrentIndex(m_completer->completionModel()->index(0, 0));
}

void Composer::insertCompletion(const QString &name)
{
    QTextCursor cursor = textCursor();
    if (m_completing == Completing::Emoji) {
        const qsizetype row = m_names->stringList().indexOf(name);
        const QString code = shortcodeBeforeCursor().value_or(QString());
        if (row < 0 || row >= m_emojiChoices.size() || code.isEmpty())
            return;
        cursor.movePosition(QTextCursor::Left, QTextCursor::KeepAnchor, static_cast<int>(code.size() + 1));
        cursor.insertText(m_emojiChoices.at(row));
        setTextCursor(cursor);
        m_completer->popup()->hide();
        return;
    }
    const QString word = mentionBeforeCursor().value_or(QString());
    cursor.movePosition(QTextCursor::Left, QTextCursor::KeepAnchor, static_cast<int>(word.size()));
    cursor.insertText(name + QLatin1Char(' '));
    setTextCursor(cursor);
    m_completer->popup()->hide();
}

void Composer::keyPressEvent(QKeyEvent *event)
{
    if (m_completer->popup()->isVisible()) {
        switch (event->key()) {
        case Qt::Key_Enter:
        case Qt::Key_Return:
        case Qt::Key_Tab: {
            const QModelIndex current = m_completer->popup()->currentIndex();
            if (current.isValid()) {
                insertCompletion(current.data().toString());
                return;
            }
            break;
        }
        case Qt::Key_Escape:
            m_completer->popup()->hide();
            return;
        default:
            break;
        }
    }
    const bool enter = event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter;
    if (enter && !(event->modifiers() & Qt::ShiftModifier)) {
        submit();
        return;
    }
    if (enter) {
        insertPlainText(QStringLiteral("\n"));
        return;
    }
    if (event->key() == Qt::Key_Up && event->modifiers() == Qt::NoModifier && toPlainText().isEmpty()) {
        Q_EMIT editLastRequested();
        return;
    }
    if (event->key() == Qt::Key_Escape && isEditing()) {
        endEdit();
        return;
    }
    if (event->key() == Qt::Key_Escape && m_replying) {
        Q_EMIT replyCancelled();
        return;
    }
    QPlainTextEdit::keyPressEvent(event);
    if (event->text() == QLatin1String(":") && replaceClosedShortcode()) {
        m_completer->popup()->hide();
        return;
    }
    if (!event->text().isEmpty() || event->key() == Qt::Key_Backspace)
        updateCompletion();
}

} // namespace chatterbox::ui
