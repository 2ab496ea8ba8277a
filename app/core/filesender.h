// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/core/outbox.h"

#include <QHash>
#include <QNetworkAccessManager>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

#include <functional>

class QNetworkReply;

namespace chatterbox::app {

class TokenSource;

// Uploads the files of the outbox's messages (docs/protocol.md, "Files"), one piece at a time
// from the outbox's copy on disk: it declares each file, sends its pieces, and marks it uploaded,
// after which the connection sends the message. A cut connection, a server away or a restart of
// the app resumes where the server says the upload stands; an expired access token is renewed;
// a refusal that will not change (too large, over the quota) fails the message with the
// server's words. Cancelling the message stops its upload.
class FileSender final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FileSender)

public:
    // server: the server's base URL, asked each time (the person may switch servers).
    FileSender(Outbox &outbox, TokenSource &tokens, std::function<QUrl()> server, QObject *parent = nullptr);
    ~FileSender() override;

    // Starts (or resumes) every pending message's uploads: at start and once signed in.
    void resumeAll();
    // How far a message's files are, in bytes of all of them: (sent, total).
    std::pair<qint64, qint64> progressOf(const QString &clientMsgId) const;

Q_SIGNALS:
    void progress(const QString &clientMsgId, qint64 sent, qint64 total);

private:
    struct Job {
        int index = -1;            // the attachment being uploaded
        qint64 offset = 0;         // where its upload stands
        qint64 pieceBytes = 0;
        qint64 doneBefore = 0;     // bytes of the attachments before it
        qint64 total = 0;
        qint64 sent = 0;
        int failures = 0;
        bool renewed = false;      // the token was renewed once for the current step
        QPointer<QNetworkReply> reply;
    };

    void start(const QString &clientMsgId);
    void step(const QString &clientMsgId);
    void declare(const QString &clientMsgId, const Outbox::Attachment &file);
    void askWhereItStands(const QString &clientMsgId, const Outbox::Attachment &file);
    void sendPiece(const QString &clientMsgId, const Outbox::Attachment &file);
    // A state from the server (POST, PATCH and GET .../upload answer with one).
    void onState(const QString &clientMsgId, const QByteArray &body);
    // What an answer that is not a success means: a retry later, a token to renew, or a refusal.
    void onFailure(const QString &clientMsgId, QNetworkReply *reply, const QByteArray &body);
    void retryLater(const QString &clientMsgId);
    QNetworkReply *send(const QByteArray &method, const QString &path, const QByteArray &body,
                        const QList<std::pair<QByteArray, QByteArray>> &headers = {});
    void watch(const QString &clientMsgId, QNetworkReply *reply, std::function<void(const QByteArray &)> ok);

    Outbox &m_outbox;
    TokenSource &m_tokens;
    std::function<QUrl()> m_server;
    QNetworkAccessManager m_network;
    QHash<QString, Job> m_jobs;
};

} // namespace chatterbox::app
