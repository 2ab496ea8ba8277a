#include "app/core/outbox.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QUuid>

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

QString Outbox::add(const QString &topicId, const QString &body, const QString &replyTo)
{
    Entry e;
    e.clientMsgId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    e.topicId = topicId;
    e.body = body;
    e.replyTo = replyTo;
    e.createdAt = QDateTime::currentDateTimeUtc();
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

void Outbox::confirm(const QString &clientMsgId)
{
    const int i = indexOf(clientMsgId);
    if (i < 0)
        return;
    const QString topicId = m_entries[i].topicId;
    m_entries.removeAt(i);
    save();
    Q_EMIT changed(topicId);
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
        array.append(QJsonObject{{QStringLiteral("clientMsgId"), e.clientMsgId}, {QStringLiteral("topicId"), e.topicId},
                                 {QStringLiteral("body"), e.body}, {QStringLiteral("replyTo"), e.replyTo},
                                 {QStringLiteral("createdAt"), e.createdAt.toString(Qt::ISODateWithMs)},
                                 {QStringLiteral("failed"), e.failed}, {QStringLiteral("error"), e.error}});
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
        if (!QUuid::fromString(e.clientMsgId).isNull() && !e.topicId.isEmpty() && !e.body.isEmpty())
            m_entries.append(e);
    }
}

} // namespace chatterbox::app
