// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QNetworkAccessManager>
#include <QObject>
#include <QPointer>
#include <QUrl>

#include <functional>

class QNetworkReply;

namespace chatterbox::app {

class TokenSource;

// Uploads a person's picture (docs/protocol.md, profile.update's avatarFileId): the small
// square image the app made from the one they chose, declared with its side and sent in one
// piece. It is not a message's file, so it does not go through the outbox: a picture that could
// not be uploaded is chosen again, not kept for later. An expired access token is renewed once.
class PictureUploader final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PictureUploader)

public:
    // done: the uploaded file's id, or an empty id and why (plain text, for people).
    using Done = std::function<void(const QString &fileId, const QString &problem)>;

    PictureUploader(TokenSource &tokens, std::function<QUrl()> server, QObject *parent = nullptr);
    ~PictureUploader() override;

    // image: PNG, JPEG or WebP bytes of a square of `side` pixels. One upload at a time: a new
    // one stops the one before (whose done is not called).
    void upload(const QByteArray &image, const QByteArray &mediaType, int side, Done done);

private:
    void declare();
    void sendBytes(const QString &fileId);
    void watch(QNetworkReply *reply, std::function<void(const QByteArray &body)> ok);
    void finish(const QString &fileId, const QString &problem);

    TokenSource &m_tokens;
    std::function<QUrl()> m_server;
    QNetworkAccessManager m_network;
    QByteArray m_image;
    QByteArray m_mediaType;
    int m_side = 0;
    bool m_renewed = false;
    Done m_done;
    QPointer<QNetworkReply> m_reply;
};

} // namespace chatterbox::app
