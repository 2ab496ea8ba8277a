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
    struct Entry {
        QString clientMsgId;
        QString topicId;
        QString body;
        QString replyTo;   // the id of the message it answers; empty when none
        QDateTime createdAt;
        bool failed = false;
        QString error;
    };

    // storagePath: a file the outbox keeps itself in; empty keeps it in memory only.
    explicit Outbox(QString storagePath, QObject *parent = nullptr);

    // Adds a message (an answer to replyTo, when given); returns its client id.
    QString add(const QString &topicId, const QString &body, const QString &replyTo = {});
    const QList<Entry> &entries() const { return m_entries; }
    QList<Entry> entriesFor(const QString &topicId) const;
    QList<Entry> pending() const;

    void confirm(const QString &clientMsgId);
    void fail(const QString &clientMsgId, const QString &error);
    void retry(const QString &clientMsgId);
    void cancel(const QString &clientMsgId);

Q_SIGNALS:
    void changed(const QString &topicId);
    // A pending entry is ready to go (new, or retried).
    void ready(const QString &clientMsgId);

private:
    void save() const;
    void load();
    int indexOf(const QString &clientMsgId) const;

    QString m_path;
    QList<Entry> m_entries;
};

} // namespace chatterbox::app
