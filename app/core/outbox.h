// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QString>

namespace chatterbox::app {

// Messages the person sent that the server has not confirmed yet. Each shows at once (pending,
// with its client id), is sent again after every reconnect and after an app restart (the outbox
// is saved to a file), and leaves when the server's ack names it. A permanent refusal turns it
// into a failed message that says why; the person may retry or cancel it.
class Outbox final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Outbox)

public:
    // A file going with a message. Its bytes wait on disk (the outbox's own copy, so that the
    // person may move or delete theirs), never in memory; FileSender uploads it.
    struct Attachment {
        QString path;              // the file to upload
        QString name;              // as it will show
        QString mediaType;         // "image/png"; application/octet-stream when unknown
        qint64 size = 0;
        int width = 0;             // of an image, as the app measured it; 0 when not an image
        int height = 0;
        QByteArray thumbnail;      // a small image the app made of it, or empty
        QString thumbnailType;
        QString fileId;            // the server's, once the upload is declared (resumes it)
        bool uploaded = false;
    };
    struct Entry {
        QString clientMsgId;
        QString topicId;
        QString body;
        QString replyTo;   // the id of the message it answers; empty when none
        QDateTime createdAt;
        bool failed = false;
        QString error;
        QList<Attachment> attachments;
        // Ready for message.send: every attachment uploaded.
        bool uploaded() const;
    };

    // storagePath: a file the outbox keeps itself in; empty keeps it in memory only.
    explicit Outbox(QString storagePath, QObject *parent = nullptr);

    // Adds a message (an answer to replyTo, when given) with its files, copied into the outbox's
    // directory first; returns its client id, or empty when a file could not be copied.
    QString add(const QString &topicId, const QString &body, const QString &replyTo = {}, QList<Attachment> attachments = {});
    const Entry *entry(const QString &clientMsgId) const;
    const QList<Entry> &entries() const { return m_entries; }
    QList<Entry> entriesFor(const QString &topicId) const;
    QList<Entry> pending() const;

    // An attachment's upload was declared (its id), or finished; the last one makes the entry
    // ready.
    void setAttachmentFileId(const QString &clientMsgId, int index, const QString &fileId);
    void setAttachmentUploaded(const QString &clientMsgId, int index);

    void confirm(const QString &clientMsgId);
    void fail(const QString &clientMsgId, const QString &error);
    void retry(const QString &clientMsgId);
    void cancel(const QString &clientMsgId);

Q_SIGNALS:
    void changed(const QString &topicId);
    // A pending entry is ready to go (new, or retried, or its last file uploaded). One with
    // files still to upload is ready for FileSender, not yet for message.send.
    void ready(const QString &clientMsgId);
    // Sent, or cancelled: its files' copies are gone.
    void removed(const QString &clientMsgId);

private:
    void save() const;
    QString filesDirectory() const;
    void load();
    int indexOf(const QString &clientMsgId) const;

    QString m_path;
    QList<Entry> m_entries;
};

} // namespace chatterbox::app
