// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/core/filesender.h"

#include "app/core/logging.h"
#include "app/core/transport.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>

#include <algorithm>
#include <utility>

namespace chatterbox::app {

namespace {

constexpr int kMaxBackoffMs = 30000;

int firstNotUploaded(const Outbox::Entry &entry)
{
    for (int i = 0; i < entry.attachments.size(); ++i) {
        if (!entry.attachments[i].uploaded)
            return i;
    }
    return -1;
}

QString errorText(const QByteArray &body, const QString &fallback)
{
    const QString message = QJsonDocument::fromJson(body).object().value(QStringLiteral("message")).toString();
    return message.isEmpty() ? fallback : message;
}

} // namespace

FileSender::FileSender(Outbox &outbox, TokenSource &tokens, std::function<QUrl()> server, QObject *parent)
    : QObject(parent), m_outbox(outbox), m_tokens(tokens), m_server(std::move(server))
{
    connect(&m_outbox, &Outbox::ready, this, [this](const QString &id) {
        const auto *e = m_outbox.entry(id);
        if (e && !e->uploaded())
            start(id);
    });
    connect(&m_outbox, &Outbox::removed, this, [this](const QString &id) {
        // Forgotten before its request is aborted: the abort's answer then finds no job.
        const QPointer<QNetworkReply> reply = m_jobs.take(id).reply;
        if (reply)
            reply->abort();
    });
}

FileSender::~FileSender()
{
    const auto jobs = std::exchange(m_jobs, {});
    for (const auto &job : jobs) {
        if (job.reply)
            job.reply->abort();
    }
}

void FileSender::resumeAll()
{
    for (const auto &e : m_outbox.pending()) {
        if (!e.uploaded())
            start(e.clientMsgId);
    }
}

std::pair<qint64, qint64> FileSender::progressOf(const QString &clientMsgId) const
{
    const auto job = m_jobs.constFind(clientMsgId);
    return job == m_jobs.constEnd() ? std::pair<qint64, qint64>{0, 0} : std::pair{job->sent, job->total};
}

void FileSender::start(const QString &clientMsgId)
{
    if (m_jobs.contains(clientMsgId) || !m_tokens.isSignedIn())
        return;   // already going; or not yet signed in (resumeAll runs then)
    const auto *e = m_outbox.entry(clientMsgId);
    if (!e || e->failed)
        return;
    Job job;
    for (const auto &a : e->attachments)
        job.total += a.size;
    m_jobs.insert(clientMsgId, job);
    step(clientMsgId);
}

void FileSender::step(const QString &clientMsgId)
{
    const auto *e = m_outbox.entry(clientMsgId);
    if (!e || e->failed) {
        m_jobs.remove(clientMsgId);
        return;
    }
    Job &job = m_jobs[clientMsgId];
    const int index = firstNotUploaded(*e);
    if (index < 0) {
        m_jobs.remove(clientMsgId);   // the outbox said ready: the connection sends it
        return;
    }
    if (index != job.index) {
        job.index = index;
        job.offset = 0;
        job.doneBefore = 0;
        for (int i = 0; i < index; ++i)
            job.doneBefore += e->attachments[i].size;
    }
    const Outbox::Attachment &file = e->attachments[index];
    if (!QFile::exists(file.path)) {
        m_jobs.remove(clientMsgId);
        m_outbox.fail(clientMsgId, tr("The file %1 is no longer there to send.").arg(file.name));
        return;
    }
    if (file.fileId.isEmpty())
        declare(clientMsgId, file);
    else if (job.pieceBytes == 0)
        askWhereItStands(clientMsgId, file);   // after a restart or a failure: the server knows
    else
        sendPiece(clientMsgId, file);
}

void FileSender::declare(const QString &clientMsgId, const Outbox::Attachment &file)
{
    QJsonObject declaration{{QStringLiteral("name"), file.name}, {QStringLiteral("type"), file.mediaType},
                            {QStringLiteral("size"), file.size}};
    if (file.width > 0 && file.height > 0) {
        declaration.insert(QStringLiteral("width"), file.width);
        declaration.insert(QStringLiteral("height"), file.height);
    }
    if (!file.thumbnail.isEmpty()) {
        declaration.insert(QStringLiteral("thumbnail"),
                           QString::fromLatin1(file.thumbnail.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals)));
        declaration.insert(QStringLiteral("thumbnailType"), file.thumbnailType);
    }
    watch(clientMsgId, send("POST", QStringLiteral("/files"), QJsonDocument(declaration).toJson(QJsonDocument::Compact)),
          [this, clientMsgId](const QByteArray &body) {
              const auto job = m_jobs.constFind(clientMsgId);
              if (job == m_jobs.constEnd())
                  return;
              m_outbox.setAttachmentFileId(clientMsgId, job->index, QJsonDocument::fromJson(body).object().value(QStringLiteral("id")).toString());
              onState(clientMsgId, body);
          });
}

void FileSender::askWhereItStands(const QString &clientMsgId, const Outbox::Attachment &file)
{
    watch(clientMsgId, send("GET", QStringLiteral("/files/%1/upload").arg(file.fileId), {}),
          [this, clientMsgId](const QByteArray &body) { onState(clientMsgId, body); });
}

void FileSender::sendPiece(const QString &clientMsgId, const Outbox::Attachment &file)
{
    Job &job = m_jobs[clientMsgId];
    QFile source(file.path);
    if (!source.open(QIODevice::ReadOnly) || !source.seek(job.offset)) {
        m_jobs.remove(clientMsgId);
        m_outbox.fail(clientMsgId, tr("The file %1 could not be read.").arg(file.name));
        return;
    }
    // One piece in memory at a time, never the whole file.
    const QByteArray piece = source.read(std::min(job.pieceBytes, file.size - job.offset));
    QNetworkReply *reply = send("PATCH", QStringLiteral("/files/%1").arg(file.fileId), piece,
                                {{"Upload-Offset", QByteArray::number(job.offset)}});
    const qint64 base = job.doneBefore + job.offset;
    connect(reply, &QNetworkReply::uploadProgress, this, [this, clientMsgId, base](qint64 sent, qint64) {
        const auto job = m_jobs.find(clientMsgId);
        if (job == m_jobs.end())
            return;
        job->sent = base + sent;
        Q_EMIT progress(clientMsgId, job->sent, job->total);
    });
    watch(clientMsgId, reply, [this, clientMsgId](const QByteArray &body) { onState(clientMsgId, body); });
}

void FileSender::onState(const QString &clientMsgId, const QByteArray &body)
{
    const auto job = m_jobs.find(clientMsgId);
    if (job == m_jobs.end())
        return;
    const QJsonObject state = QJsonDocument::fromJson(body).object();
    job->offset = state.value(QStringLiteral("offset")).toInteger();
    job->pieceBytes = std::max<qint64>(1, state.value(QStringLiteral("pieceBytes")).toInteger());
    job->failures = 0;
    job->renewed = false;
    job->sent = job->doneBefore + job->offset;
    Q_EMIT progress(clientMsgId, job->sent, job->total);
    if (state.value(QStringLiteral("complete")).toBool())
        m_outbox.setAttachmentUploaded(clientMsgId, job->index);   // may make it ready, and send it
    step(clientMsgId);
}

void FileSender::onFailure(const QString &clientMsgId, QNetworkReply *reply, const QByteArray &body)
{
    const auto job = m_jobs.find(clientMsgId);
    if (job == m_jobs.end())
        return;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const auto *e = m_outbox.entry(clientMsgId);
    if (!e)
        return;
    if (status == 401 && !job->renewed) {
        job->renewed = true;
        m_tokens.refreshAccess([this, clientMsgId](bool ok) {
            if (ok)
                step(clientMsgId);
            else
                retryLater(clientMsgId);
        });
        return;
    }
    if (status == 409) {
        onState(clientMsgId, body);   // the server says where the upload stands: on from there
        return;
    }
    if (status == 404 && job->index >= 0) {
        // The upload is gone (never sent within a day): declared again from the start.
        m_outbox.setAttachmentFileId(clientMsgId, job->index, {});
        job->pieceBytes = 0;
        step(clientMsgId);
        return;
    }
    if (status == 400 || status == 413) {
        m_jobs.erase(job);
        m_outbox.fail(clientMsgId, errorText(body, tr("The server refused the file.")));
        return;
    }
    qCInfo(lcApp, "upload paused (%s): trying again", qPrintable(reply->errorString()));
    retryLater(clientMsgId);
}

void FileSender::retryLater(const QString &clientMsgId)
{
    const auto job = m_jobs.find(clientMsgId);
    if (job == m_jobs.end())
        return;
    const int delay = std::min(kMaxBackoffMs, 500 << std::min(job->failures, 6));
    ++job->failures;
    job->pieceBytes = 0;   // ask where it stands before going on
    QTimer::singleShot(delay, this, [this, clientMsgId] {
        if (m_jobs.contains(clientMsgId))
            step(clientMsgId);
    });
}

QNetworkReply *FileSender::send(const QByteArray &method, const QString &path, const QByteArray &body,
                                const QList<std::pair<QByteArray, QByteArray>> &headers)
{
    QNetworkRequest request(m_server().resolved(QUrl(path)));
    request.setRawHeader("Authorization", "Bearer " + m_tokens.currentAccessToken());
    request.setHeader(QNetworkRequest::ContentTypeHeader,
                      method == "PATCH" ? QByteArray("application/offset+octet-stream") : QByteArray("application/json"));
    request.setTransferTimeout(30000);
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    return m_network.sendCustomRequest(request, method, body);
}

void FileSender::watch(const QString &clientMsgId, QNetworkReply *reply, std::function<void(const QByteArray &)> ok)
{
    m_jobs[clientMsgId].reply = reply;
    connect(reply, &QNetworkReply::finished, this, [this, clientMsgId, reply, ok = std::move(ok)] {
        reply->deleteLater();
        if (reply->error() == QNetworkReply::OperationCanceledError && !m_jobs.contains(clientMsgId))
            return;   // cancelled
        const QByteArray body = reply->readAll();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status == 200 || status == 201)
            ok(body);
        else
            onFailure(clientMsgId, reply, body);
    });
}

} // namespace chatterbox::app
