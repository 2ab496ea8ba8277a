// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QColor>
#include <QString>
#include <QStringList>
#include <QTextDocument>
#include <QUrl>

#include <memory>

class QFont;
class QPainter;
class QPalette;

namespace chatterbox::ui {

// The rich text of one message body. Markdown of the GitHub dialect (emphasis, inline code,
// code blocks, lists, links, autolinks), with any HTML in the message shown as the text it is and
// no resource, image or file ever loaded because a message asked for it.
class MessageDocument final : public QTextDocument {
    Q_OBJECT

public:
    using QTextDocument::QTextDocument;

protected:
    QVariant loadResource(int type, const QUrl &name) override;
};

struct MessageStyle {
    const QFont *font = nullptr;
    const QPalette *palette = nullptr;
    QColor muted;
    QColor codeBackground;
    QColor mention;               // the highlight behind "@Someone"
    QColor mentionOfMe;           // behind the signed-in person's own name, stronger
    QStringList mentionedNames;   // display names the message mentions
    QString myName;
};

// The link "(edited)" carries: the timeline opens the message's earlier versions on it.
inline constexpr const char *kEditedLink = "chatterbox-edited:";

// Builds the document for a body; edited adds a muted "(edited)" link after the text. Code blocks
// sit in a tinted box in monospace, inline code on a tint, quotes are indented (paintQuoteBars
// draws their bars), and mentions of the people the message names are highlighted.
std::unique_ptr<QTextDocument> renderMessage(const QString &body, const MessageStyle &style, bool edited);

// The bar at the left of each quoted block, drawn with the document at the painter's origin.
void paintQuoteBars(QPainter &painter, const QTextDocument &doc, const QColor &color);

// Whether a link in a message may be opened: web and mail links, and chatterbox invites.
// Anything else (files, other programs' schemes) is refused, so a message cannot run anything.
bool isOpenableLink(const QUrl &url);

} // namespace chatterbox::ui
