// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/core/outbox.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QUuid>

#include <algorithm>

namespace chatterbox::app {

Outbox::Outbox(QString storagePath, QObject *parent) : QObject(parent), m_path(std::move(storagePath))
{
    load();
}

int Outbox::indexOf(const QString &clientMsgId) const
{
    for (int i = 0; i < m_entries.size(); ++i) {
        if (m_entries[i].clientMsgId == clientMsgId)
            return i;
    }
    return -1;
}

bool Outbox::Entry::uploaded() const
{
    return std::all_of(attachments.begin(), attachments.end(), [](const Attachment &a) { return a.uploaded; });
}

QString Outbox::filesDirectory() const
{
    return QFileInfo(m_path).absolutePath() + QStringLiteral("/outbox-files");
}

const Outbox::Entry *Outbox::entry(const QString &clientMsgId) const
{
    const int i = indexOf(clientMsgId);
    return i < 0 ? nullptr : &m_entries[i];
}

QString Outbox::add(const QString &topicId, const QString &body, const QString &replyTo, QList<Attachment> attachments)
{
    Entry e;
    e.clientMsgId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    e.topicId = topicId;
    e.body = body;
    e.replyTo = replyTo;
    e.createdAt = QDateTime::currentDateTimeUtc();
    if (!m_path.isEmpty()) {
        // The outbox's own copies: the person may move or delete theirs before it is sent.
        QDir().mkpath(filesDirectory());
        for (int i = 0; i < attachments.size(); ++i) {
            const QString copy = filesDirectory() + QStringLiteral("/%1-%2").arg(e.clientMsgId).arg(i);
            if (!QFile::copy(attachments[i].path, copy)) {
                for (int j = 0; j < i; ++j)
                    QFile::remove(filesDirectory() + QStringLiteral("/%1-%2").arg(e.clientMsgId).arg(j));
                return {};
            }
            attachments[i].path = copy;
        }
    }
    e.attachments = std::move(attachments);
    m_entries.append(e);
    save();
    Q_EMIT changed(topicId);
    Q_EMIT ready(e.clientMsgId);
    return e.clientMsgId;
}

QList<Outbox::Entry> Outbox::entriesFor(const QString &topicId) const
{
    QList<Entry> out;
    for (const auto &e : m_entries) {
        if (e.topicId == topicId)
            out.append(e);
    }
    return out;
}

QList<Outbox::Entry> Outbox::pending() const
{
    QList<Entry> out;
    for (const auto &e : m_entries) {
        if (!e.failed)
            out.append(e);
    }
    return out;
}

void Outbox::setAttachmentFileId(const QString &clientMsgId, int index, const QString &fileId)
{
    const int i = indexOf(clientMsgId);
    if (i < 0 || index < 0 || index >= m_entries[i].attachments.size())
        return;
    m_entries[i].attachments[index].fileId = fileId;
    save();
}

void Outbox::setAttachmentUploaded(const QString &clientMsgId, int index)
{
    const int i = indexOf(clientMsgId);
    if (i < 0 || index < 0 || index >= m_entries[i].attachments.size())
        return;
    m_entries[i].attachments[index].uploaded = true;
    save();
    Q_EMIT changed(m_entries[i].topicId);
    if (m_entries[i].uploaded())
        Q_EMIT ready(clientMsgId);
}

void Outbox::confirm(const QString &clientMsgId)
{
    const int i = indexOf(clientMsgId);
    if (i < 0)
        return;
    const Entry gone = m_entries.takeAt(i);
    if (!m_path.isEmpty()) {
        for (const auto &a : gone.attachments)
            QFile::remove(a.path);
    }
    save();
    Q_EMIT removed(clientMsgId);
    Q_EMIT changed(gone.topicId);
}

void Outbox::fail(const QString &clientMsgId, const QString &error)
{
    const int i = indexOf(clientMsgId);
    if (i < 0)
        return;
    m_entries[i].failed = true;
    m_entries[i].error = error;
    save();
    Q_EMIT changed(m_entries[i].topicId);
}

void Outbox::retry(const QString &clientMsgId)
{
    const int i = indexOf(clientMsgId);
    if (i < 0 || !m_entries[i].failed)
        return;
    m_entries[i].failed = false;
    m_entries[i].error.clear();
    save();
    Q_EMIT changed(m_entries[i].topicId);
    Q_EMIT ready(clientMsgId);
}

void Outbox::cancel(const QString &clientMsgId)
{
    confirm(clientMsgId);
}

void Outbox::save() const
{
    if (m_path.isEmpty())
        return;
    QJsonArray array;
    for (const auto &e : m_entries) {
        QJsonArray files;
        for (const auto &a : e.attachments)
            files.append(QJsonObject{{QStringLiteral("path"), a.path}, {QStringLiteral("name"), a.name},
                                     {QStringLiteral("type"), a.mediaType}, {QStringLiteral("size"), a.size},
                                     {QStringLiteral("width"), a.width}, {QStringLiteral("height"), a.height},
                                     {QStringLiteral("thumbnail"), QString::fromLatin1(a.thumbnail.toBase64())},
                                     {QStringLiteral("thumbnailType"), a.thumbnailType}, {QStringLiteral("fileId"), a.fileId},
                                     {QStringLiteral("uploaded"), a.uploaded}});
        array.append(QJsonObject{{QStringLiteral("clientMsgId"), e.clientMsgId}, {QStringLiteral("topicId"), e.topicId},
                                 {QStringLiteral("body"), e.body}, {QStringLiteral("replyTo"), e.replyTo},
                                 {QStringLiteral("createdAt"), e.createdAt.toString(Qt::ISODateWithMs)},
                                 {QStringLiteral("failed"), e.failed}, {QStringLiteral("error"), e.error},
                                 {QStringLiteral("files"), files}});
    }
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    // Written whole to a temporary file and renamed: a crash never leaves half an outbox.
    QSaveFile file(m_path);
    if (file.open(QIODevice::WriteOnly)) {
        file.write(QJsonDocument(array).toJson(QJsonDocument::Compact));
        file.commit();
    }
}

void Outbox::load()
{
    if (m_path.isEmpty())
        return;
    QFile file(m_path);
    if (!file.open(QIODevice::ReadOnly))
        return;
    // A damaged file loses its entries rather than stopping the app.
    const QJsonArray array = QJsonDocument::fromJson(file.read(16 * 1024 * 1024)).array();
    for (const auto &v : array) {
        const QJsonObject o = v.toObject();
        Entry e;
        e.clientMsgId = o.value(QStringLiteral("clientMsgId")).toString();
        e.topicId = o.value(QStringLiteral("topicId")).toString();
        e.body = o.value(QStringLiteral("body")).toString();
        e.replyTo = o.value(QStringLiteral("replyTo")).toString();
        e.createdAt = QDateTime::fromString(o.value(QStringLiteral("createdAt")).toString(), Qt::ISODateWithMs);
        e.failed = o.value(QStringLiteral("failed")).toBool();
        e.error = o.value(QStringLiteral("error")).toString();
        for (const auto &f : o.value(QStringLiteral("files")).toArray()) {
            const QJsonObject file = f.toObject();
            Attachment a;
            a.path = file.value(QStringLiteral("path")).toString();
            a.name = file.value(QStringLiteral("name")).toString();
            a.mediaType = file.value(QStringLiteral("type")).toString();
            a.size = file.value(QStringLiteral("size")).toInteger();
            a.width = file.value(QStringLiteral("width")).toInt();
            a.height = file.value(QStringLiteral("height")).toInt();
            a.thumbnail = QByteArray::fromBase64(file.value(QStringLiteral("thumbnail")).toString().toLatin1());
            a.thumbnailType = file.value(QStringLiteral("thumbnailType")).toString();
            a.fileId = file.value(QStringLiteral("fileId")).toString();
            a.uploaded = file.value(QStringLiteral("uploaded")).toBool();
            e.attachments.append(a);
        }
        if (!QUuid::fromString(e.clientMsgId).isNull() && !e.topicId.isEmpty() && (!e.body.isEmpty() || !e.attachments.isEmpty()))
            m_entries.append(e);
    }
}

} // namespace chatterbox::app
