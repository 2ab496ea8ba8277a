// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QElapsedTimer>
#include <QPlainTextEdit>

#include <optional>

class QCompleter;
class QImage;
class QMimeData;
class QStringListModel;

namespace chatterbox::ui {

// Where a message is written. Enter sends, Shift+Enter breaks the line, Up in an empty composer
// edits the person's last message, Escape leaves editing or replying, "@" completes member
// names and ":" emoji by their shortcodes (":thumbs_up:" typed whole becomes the emoji).
class Composer final : public QPlainTextEdit {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Composer)

public:
    explicit Composer(QWidget *parent = nullptr);

    // Names offered after "@".
    void setMemberNames(const QStringList &names);
    // "Message #topic" in the empty composer. (QPlainTextEdit repaints its placeholder only when
    // it appears or goes, so a changed one would stay on screen as it was until typed over.)
    void setPlaceholder(const QString &text);
    // Puts a message's text in the composer to be changed; the next submit is an edit.
    void beginEdit(const QString &messageId, const QString &body);
    void endEdit();
    bool isEditing() const { return !m_editingId.isEmpty(); }
    // A reply is being written: Escape leaves it (replyCancelled).
    void setReplying(bool replying) { m_replying = replying; }
    QCompleter *completer() const { return m_completer; }
    // Files are waiting to go with the next message: it may then have no text; while they are
    // being prepared, it waits.
    void setAttachments(bool has, bool ready)
    {
        m_hasAttachments = has;
        m_attachmentsReady = ready;
    }
    // The local files a drop or a paste carries; empty when it carries anything else too.
    static QStringList localFiles(const QMimeData *source);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void submitted(const QString &text);
    void editSubmitted(const QString &messageId, const QString &text);
    void editLastRequested();
    void editingChanged(bool editing);
    void replyCancelled();
    // The person is typing; emitted at most once every few seconds.
    void typing();
    // Something the person should know about what they wrote (too long to send).
    void problem(const QString &message);
    // Pasted: files copied in a file manager, or an image (a screenshot).
    void filesPasted(const QStringList &paths);
    void imagePasted(const QImage &image);

protected:
    void keyPressEvent(QKeyEvent *event) override;
    bool canInsertFromMimeData(const QMimeData *source) const override;
    void insertFromMimeData(const QMimeData *source) override;

private:
    void submit();
    void insertCompletion(const QString &name);
    // The name being typed after an "@", when the cursor is in one.
    std::optional<QString> mentionBeforeCursor() const;
    // The shortcode being typed after a ":" (two characters or more), when the cursor is in one.
    std::optional<QString> shortcodeBeforeCursor() const;
    // ":thumbs_up:" just closed with its second colon becomes 👍.
    bool replaceClosedShortcode();
    void updateCompletion();
    void fitHeight();

    QCompleter *m_completer = nullptr;
    QStringListModel *m_names = nullptr;
    QString m_editingId;
    bool m_replying = false;
    bool m_hasAttachments = false;
    bool m_attachmentsReady = true;
    // What the popup offers: member names after "@", or emoji after ":" (their text in
    // m_emojiChoices, in the popup's order).
    enum class Completing { Names, Emoji };
    Completing m_completing = Completing::Names;
    QStringList m_memberNames;
    QStringList m_emojiChoices;
    QElapsedTimer m_lastTyping;
};

} // namespace chatterbox::ui
