#include "app/ui/messagedocument.h"

#include <QAbstractTextDocumentLayout>
#include <QFont>
#include <QPalette>
#include <QRegularExpression>
#include <QTextBlock>
#include <QTextCursor>

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

// Images would be fetched and drawn; in chat they are shown as the link they point to.
QString withoutImages(QString body)
{
    return body.replace(QStringLiteral("!["), QStringLiteral("\\!["));
}

void tintCode(QTextDocument &doc, const QColor &background)
{
    for (QTextBlock block = doc.begin(); block.isValid(); block = block.next()) {
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextFragment fragment = it.fragment();
            if (!fragment.isValid() || !fragment.charFormat().fontFixedPitch())
                continue;
            QTextCursor cursor(&doc);
            cursor.setPosition(fragment.position());
            cursor.setPosition(fragment.position() + fragment.length(), QTextCursor::KeepAnchor);
            QTextCharFormat format;
            format.setBackground(background);
            cursor.mergeCharFormat(format);
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
        doc->setMarkdown(withoutImages(body), QTextDocument::MarkdownFeatures(QTextDocument::MarkdownDialectGitHub
                                                                             | QTextDocument::MarkdownNoHTML));
        tintCode(*doc, style.codeBackground);
    } else {
        doc->setPlainText(body);
    }
    if (edited) {
        QTextCursor cursor(doc.get());
        cursor.movePosition(QTextCursor::End);
        QTextCharFormat format;
        format.setForeground(style.muted);
        format.setFontPointSize(style.font->pointSizeF() * 0.85);
        cursor.insertText(QStringLiteral(" ") + MessageDocument::tr("(edited)"), format);
    }
    return doc;
}

bool isOpenableLink(const QUrl &url)
{
    const QString scheme = url.scheme().toLower();
    return url.isValid()
           && (scheme == QLatin1String("https") || scheme == QLatin1String("http") || scheme == QLatin1String("mailto")
               || scheme == QLatin1String("chatterbox"));
}

} // namespace chatterbox::ui
