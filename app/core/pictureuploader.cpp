// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/core/pictureuploader.h"

#include "app/core/transport.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>

#include <utility>

namespace chatterbox::app {

PictureUploader::PictureUploader(TokenSource &tokens, std::function<QUrl()> server, QObject *parent)
    : QObject(parent), m_tokens(tokens), m_server(std::move(server))
{
}

PictureUploader::~PictureUploader()
{
    if (m_reply)
        m_reply->abort();
}

void PictureUploader::upload(const QByteArray &image, const QByteArray &mediaType, int side, Done done)
{
    if (m_reply) {
        m_done = {};
        m_reply->abort();
    }
    m_image = image;
    m_mediaType = mediaType;
    m_side = side;
    m_renewed = false;
    m_done = std::move(done);
    declare();
}

void PictureUploader::declare()
{
    const QString extension = QString::fromLatin1(m_mediaType.mid(m_mediaType.indexOf('/') + 1));
    const QJsonObject file{{QStringLiteral("name"), QStringLiteral("picture.") + extension},
                           {QStringLiteral("type"), QString::fromLatin1(m_mediaType)},
                           {QStringLiteral("size"), m_image.size()},
                           {QStringLiteral("width"), m_side},
                           {QStringLiteral("height"), m_side}};
    QNetworkRequest request(m_server().resolved(QUrl(QStringLiteral("/files"))));
    request.setRawHeader("Authorization", "Bearer " + m_tokens.currentAccessToken());
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    request.setTransferTimeout(30000);
    watch(m_network.post(request, QJsonDocument(file).toJson(QJsonDocument::Compact)), [this](const QByteArray &body) {
        const QString fileId = QJsonDocument::fromJson(body).object().value(QStringLiteral("id")).toString();
        if (fileId.isEmpty())
            finish({}, tr("The server's answer made no sense."));
        else
            sendBytes(fileId);
    });
}

void PictureUploader::sendBytes(const QString &fileId)
{
    QNetworkRequest request(m_server().resolved(QUrl(QStringLiteral("/files/") + fileId)));
    request.setRawHeader("Authorization", "Bearer " + m_tokens.currentAccessToken());
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/offset+octet-stream"));
    request.setRawHeader("Upload-Offset", "0");
    request.setTransferTimeout(30000);
    watch(m_network.sendCustomRequest(request, "PATCH", m_image), [this, fileId](const QByteArray &body) {
        if (QJsonDocument::fromJson(body).object().value(QStringLiteral("complete")).toBool())
            finish(fileId, {});
        else
            finish({}, tr("The server did not take the whole picture."));
    });
}

void PictureUploader::watch(QNetworkReply *reply, std::function<void(const QByteArray &body)> ok)
{
    m_reply = reply;
    connect(reply, &QNetworkReply::finished, this, [this, reply, ok = std::move(ok)] {
        reply->deleteLater();
        if (reply != m_reply)
            return;   // stopped by a newer upload
        m_reply = nullptr;
        const QByteArray body = reply->readAll();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status == 200 || status == 201) {
            ok(body);
            return;
        }
        if (status == 401 && !m_renewed) {
            // Its access token expired: renewed once, and the picture declared again (an upload
            // left half-way is dropped by the server within a day).
            m_renewed = true;
            m_tokens.refreshAccess([this](bool signedIn) {
                if (signedIn)
                    declare();
                else
                    finish({}, tr("You are signed out; sign in and choose the picture again."));
            });
            return;
        }
        const QString message = QJsonDocument::fromJson(body).object().value(QStringLiteral("message")).toString();
        if (!message.isEmpty())
            finish({}, message);
        else if (status == 0)
            finish({}, tr("The picture could not be uploaded: %1").arg(reply->errorString()));
        else
            finish({}, tr("The server refused the picture (HTTP %1).").arg(status));
    });
}

void PictureUploader::finish(const QString &fileId, const QString &problem)
{
    if (auto done = std::exchange(m_done, {}))
        done(fileId, problem);
}

} // namespace chatterbox::app
