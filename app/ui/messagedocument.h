#pragma once

#include <QColor>
#include <QString>
#include <QTextDocument>
#include <QUrl>

#include <memory>

class QFont;
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
};

// Builds the document for a body; edited adds a muted "(edited)" after the text.
std::unique_ptr<QTextDocument> renderMessage(const QString &body, const MessageStyle &style, bool edited);

// Whether a link in a message may be opened: web and mail links, and chatterbox invites.
// Anything else (files, other programs' schemes) is refused, so a message cannot run anything.
bool isOpenableLink(const QUrl &url);

} // namespace chatterbox::ui
