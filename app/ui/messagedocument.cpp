// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/ui/messagedocument.h"

#include "app/ui/emoji.h"

#include <QAbstractTextDocumentLayout>
#include <QFont>
#include <QFontDatabase>
#include <QPainter>
#include <QPalette>
#include <QRegularExpression>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextFrame>
#include <QTextImageFormat>

#include <vector>

namespace chatterbox::ui {

QVariant MessageDocument::loadResource(int, const QUrl &)
{
    return {};   // nothing a message names is fetched: not images, not files, not style sheets
}

namespace {

// Text with none of these is plain, and laid out without the markdown parser (most chat lines).
bool looksLikeMarkdown(const QString &body)
{
    static const QRegularExpression markers(QStringLiteral(R"([*_`~\[\]<>#|\\!]|://|www\.|^\s*([-+]|\d+\.)\s|@.*\.)"),
                                            QRegularExpression::MultilineOption);
    return markers.match(body).hasMatch();
}

// Images would be fetched and drawn; in chat each is shown as a link to what it names, with its
// alt text as the words (its address when it has none). This works on the parsed document:
// escaping "![" in the text could be undone by a backslash of the sender's own, and would show
// in code spans.
void imagesAsLinks(QTextDocument &doc, const QColor &linkColor)
{
    struct Image {
        int position;
        QTextImageFormat format;
    };
    std::vector<Image> images;
    for (QTextBlock block = doc.begin(); block.isValid(); block = block.next()) {
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextFragment fragment = it.fragment();
            if (!fragment.charFormat().isImageFormat())
                continue;
            for (int i = 0; i < fragment.length(); ++i)   // adjacent images share one fragment
                images.push_back({fragment.position() + i, fragment.charFormat().toImageFormat()});
        }
    }
    // From the end, so that each replacement leaves the positions before it where they were.
    for (auto image = images.rbegin(); image != images.rend(); ++image) {
        const QString address = image->format.name();
        const QString alt = image->format.stringProperty(QTextFormat::ImageAltText);
        QTextCharFormat link;
        link.setAnchor(true);
        link.setAnchorHref(address);
        link.setForeground(linkColor);
        link.setFontUnderline(true);
        QTextCursor cursor(&doc);
        cursor.setPosition(image->position);
        cursor.setPosition(image->position + 1, QTextCursor::KeepAnchor);
        cursor.insertText(alt.trimmed().isEmpty() ? address : alt, link);
    }
}

constexpr int kQuoteIndent = 14;
constexpr int kQuoteBarWidth = 3;
constexpr int kCodePadding = 8;

// Inline code: on a tint, in the system's monospace, in the text's own colour in both themes.
void styleInlineCode(QTextDocument &doc, const QColor &background)
{
    const QString mono = QFontDatabase::systemFont(QFontDatabase::FixedFont).family();
    for (QTextBlock block = doc.begin(); block.isValid(); block = block.next()) {
        if (block.blockFormat().hasProperty(QTextFormat::BlockCodeLanguage))
            continue;
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextFragment fragment = it.fragment();
            if (!fragment.isValid() || !fragment.charFormat().fontFixedPitch())
                continue;
            QTextCursor cursor(&doc);
            cursor.setPosition(fragment.position());
            cursor.setPosition(fragment.position() + fragment.length(), QTextCursor::KeepAnchor);
            QTextCharFormat format;
            format.setBackground(background);
            format.setFontFamilies({mono});
            cursor.mergeCharFormat(format);
        }
    }
}

// Code blocks (fenced or indented): each run of them in one tinted box, in monospace.
void boxCodeBlocks(QTextDocument &doc, const QColor &background)
{
    const QString mono = QFontDatabase::systemFont(QFontDatabase::FixedFont).family();
    QList<std::pair<int, int>> runs;   // first and last character of each run of code blocks
    for (QTextBlock block = doc.begin(); block.isValid(); block = block.next()) {
        if (!block.blockFormat().hasProperty(QTextFormat::BlockCodeLanguage))
            continue;
        const int end = block.position() + block.length() - 1;
        if (!runs.isEmpty() && runs.last().second + 1 == block.position())
            runs.last().second = end;
        else
            runs.append({block.position(), end});
    }
    // From the last run back, so that a box put in does not move the runs before it.
    for (auto run = runs.crbegin(); run != runs.crend(); ++run) {
        QTextCursor cursor(&doc);
        cursor.setPosition(run->first);
        cursor.setPosition(run->second, QTextCursor::KeepAnchor);
        QTextCharFormat code;
        code.setFontFamilies({mono});
        cursor.mergeCharFormat(code);
        QTextFrameFormat box;
        box.setBackground(background);
        box.setPadding(kCodePadding);
        box.setTopMargin(4);
        box.setBottomMargin(4);
        box.setBorder(0);
        QTextFrame *frame = cursor.insertFrame(box);
        // Qt keeps an empty block before and after a frame: they take no room.
        QTextBlockFormat flat;
        flat.setLineHeight(1, QTextBlockFormat::FixedHeight);
        flat.setTopMargin(0);
        flat.setBottomMargin(0);
        for (QTextBlock empty : {frame->firstCursorPosition().block().previous(), frame->lastCursorPosition().block().next()}) {
            if (empty.isValid() && empty.text().isEmpty())
                QTextCursor(empty).mergeBlockFormat(flat);
        }
    }
}

// Quotes: a small indent per level instead of the importer's 40 px, for the bar to sit in.
void indentQuotes(QTextDocument &doc)
{
    for (QTextBlock block = doc.begin(); block.isValid(); block = block.next()) {
        const int level = block.blockFormat().intProperty(QTextFormat::BlockQuoteLevel);
        if (level <= 0)
            continue;
        QTextCursor cursor(block);
        QTextBlockFormat format = block.blockFormat();
        format.setLeftMargin(level * kQuoteIndent);
        cursor.setBlockFormat(format);
    }
}

// "@Name" for each name the message mentions, highlighted; the reader's own name more so.
void highlightMentions(QTextDocument &doc, const MessageStyle &style)
{
    for (const QString &name : style.mentionedNames) {
        if (name.isEmpty())
            continue;
        const bool mine = name.compare(style.myName, Qt::CaseInsensitive) == 0;
        QTextCharFormat pill;
        pill.setBackground(mine ? style.mentionOfMe : style.mention);
        pill.setFontWeight(QFont::DemiBold);
        for (QTextCursor found = doc.find(QLatin1Char('@') + name); !found.isNull(); found = doc.find(QLatin1Char('@') + name, found)) {
            // Not the start of a longer word ("@Ann" inside "@Anne").
            const QChar next = doc.characterAt(found.selectionEnd());
            if (next.isLetterOrNumber() || next == QLatin1Char('_'))
                continue;
            found.mergeCharFormat(pill);
        }
    }
}

} // namespace

std::unique_ptr<QTextDocument> renderMessage(const QString &body, const MessageStyle &style, bool edited)
{
    auto doc = std::make_unique<MessageDocument>();
    doc->setDefaultFont(*style.font);
    doc->setDocumentMargin(0);
    doc->setUndoRedoEnabled(false);
    doc->setDefaultStyleSheet(QStringLiteral("a { color: %1; }").arg(style.palette->color(QPalette::Link).name()));
    if (looksLikeMarkdown(body)) {
        doc->setMarkdown(body, QTextDocument::MarkdownFeatures(QTextDocument::MarkdownDialectGitHub
                                                               | QTextDocument::MarkdownNoHTML));
        imagesAsLinks(*doc, style.palette->color(QPalette::Link));
        styleInlineCode(*doc, style.codeBackground);
        indentQuotes(*doc);
        boxCodeBlocks(*doc, style.codeBackground);
    } else {
        doc->setPlainText(body);
    }
    highlightMentions(*doc, style);
    useColorEmoji(*doc);
    if (edited) {
        QTextCursor cursor(doc.get());
        cursor.movePosition(QTextCursor::End);
        QTextCharFormat format;
        format.setForeground(style.muted);
        format.setFontPointSize(style.font->pointSizeF() * 0.85);
        cursor.insertText(QStringLiteral(" "), format);
        // A link of its own: clicking it opens the earlier versions.
        format.setAnchor(true);
        format.setAnchorHref(QLatin1String(kEditedLink));
        cursor.insertText(MessageDocument::tr("(edited)"), format);
    }
    return doc;
}

void paintQuoteBars(QPainter &painter, const QTextDocument &doc, const QColor &color)
{
    QAbstractTextDocumentLayout *layout = doc.documentLayout();
    for (QTextBlock block = doc.begin(); block.isValid(); block = block.next()) {
        const int level = block.blockFormat().intProperty(QTextFormat::BlockQuoteLevel);
        const QRectF rect = level > 0 ? layout->blockBoundingRect(block) : QRectF();
        for (int i = 0; i < level; ++i)
            painter.fillRect(QRectF(i * kQuoteIndent, rect.top(), kQuoteBarWidth, rect.height()), color);
    }
}

bool isOpenableLink(const QUrl &url)
{
    const QString scheme = url.scheme().toLower();
    return url.isValid()
           && (scheme == QLatin1String("https") || scheme == QLatin1String("http") || scheme == QLatin1String("mailto")
               || scheme == QLatin1String("chatterbox"));
}

} // namespace chatterbox::ui
