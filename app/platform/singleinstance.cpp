// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/platform/singleinstance.h"

#include "app/platform/privatefiles.h"

#include <QCryptographicHash>
#include <QDataStream>
#include <QDir>
#include <QElapsedTimer>
#include <QLocalSocket>
#include <QThread>

namespace chatterbox::platform {

namespace {
constexpr int kHandOverTimeoutMs = 3000;
const QByteArray kMagic = QByteArrayLiteral("chatterbox-links-1");

QString userName()
{
    const QString user = qEnvironmentVariable("USER", qEnvironmentVariable("USERNAME"));
    return user.isEmpty() ? QStringLiteral("user") : user;
}
} // namespace

QString SingleInstance::defaultName()
{
    const QByteArray scope = (userName() + QLatin1Char(':') + QDir::homePath()).toUtf8();
    return QStringLiteral("chatterbox-") + QString::fromLatin1(QCryptographicHash::hash(scope, QCryptographicHash::Sha256).toHex().left(20));
}

SingleInstance::SingleInstance(QString name, QObject *parent) : QObject(parent), m_name(std::move(name))
{
    m_server.setSocketOptions(QLocalServer::UserAccessOption);
    connect(&m_server, &QLocalServer::newConnection, this, &SingleInstance::onConnection);
}

SingleInstance::~SingleInstance() = default;

bool SingleInstance::claimOrHandOver(const QStringList &links)
{
    const PrivateDirectory directory = privateRuntimeDirectory();
    if (directory.path.isEmpty())
        return notUsing(directory.problem);
    if (!directory.problem.isEmpty())
        m_error = tr("Listening for other starts in %1, having passed over: %2.").arg(directory.path, directory.problem);
#ifdef Q_OS_WIN
    m_path = m_name;   // a named pipe; UserAccessOption gives it an access list of the user alone
#else
    m_path = directory.path + QLatin1Char('/') + m_name;
#endif
    const QString lockPath = directory.path + QLatin1Char('/') + m_name + QStringLiteral(".lock");
    for (const QString &path : {lockPath, m_path})
        if (const QString problem = ownershipProblem(path, Access::InsideOwnDirectory); !problem.isEmpty())
            return notUsing(problem);
    m_lock = std::make_unique<QLockFile>(lockPath);
    m_lock->setStaleLockTime(0);   // a lock whose process is gone is taken over
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < kHandOverTimeoutMs) {
        if (m_lock->tryLock(100))
            return listen();
        // Someone holds it: an app that runs (hand over), or one that is starting (try again).
        switch (handOver(links)) {
        case HandOver::Delivered:
            return false;
        case HandOver::Refused:
            return true;
        case HandOver::NoAnswer:
            break;
        }
        QThread::msleep(100);
    }
    m_error = tr("Another Chatterbox is running but does not answer.");
    return false;
}

bool SingleInstance::notUsing(const QString &problem)
{
    m_error = tr("Not using it to hear other starts: %1. Chatterbox runs, but links opened elsewhere will not reach it.").arg(problem);
    return true;
}

SingleInstance::HandOver SingleInstance::handOver(const QStringList &links)
{
    QLocalSocket socket;
    socket.connectToServer(m_path);
    if (!socket.waitForConnected(500))
        return HandOver::NoAnswer;
    // Only to this user's own app: anything else would be handed the links.
    if (QString who; !peerIsThisUser(socket.socketDescriptor(), PipeEnd::Client, &who)) {
        m_error = tr("Did not hand links over to %1 at %2: it runs as another user. Chatterbox runs without it.").arg(who, m_path);
        return HandOver::Refused;
    }
    QByteArray message;
    QDataStream out(&message, QIODevice::WriteOnly);
    out << kMagic << links;
    socket.write(message);
    if (!socket.waitForBytesWritten(1000))
        return HandOver::NoAnswer;
    // The answer says the links arrived; then this process may go.
    return socket.waitForReadyRead(2000) && socket.readAll().startsWith("ok") ? HandOver::Delivered : HandOver::NoAnswer;
}

bool SingleInstance::listen()
{
    // With the lock held, a socket left by a crashed app is stale and may go.
    QLocalServer::removeServer(m_path);
    if (!m_server.listen(m_path)) {
        m_error = tr("Could not listen for other starts: %1").arg(m_server.errorString());
        m_lock->unlock();   // so that later starts run too, rather than wait for an answer
        return true; // the app still runs; only the hand-over is missing
    }
    return true;
}

void SingleInstance::onConnection()
{
    while (QLocalSocket *socket = m_server.nextPendingConnection()) {
        connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
        if (QString who; !peerIsThisUser(socket->socketDescriptor(), PipeEnd::Server, &who)) {
            qWarning("chatterbox: refused links from %s, which runs as another user", qPrintable(who));
            socket->abort();
            continue;
        }
        auto buffer = std::make_shared<QByteArray>();
        connect(socket, &QLocalSocket::readyRead, this, [this, socket, buffer] {
            buffer->append(socket->readAll());
            if (buffer->size() > kMaxMessageBytes) {
                socket->abort();   // no link is that long; whoever sent it gets nothing
                return;
            }
            QDataStream in(*buffer);
            QByteArray magic;
            QStringList links;
            in.startTransaction();
            in >> magic >> links;
            if (!in.commitTransaction())
                return;   // more to come
            if (magic != kMagic) {
                socket->abort();
                return;
            }
            socket->write("ok\n");
            socket->flush();
            socket->disconnectFromServer();
            Q_EMIT received(links);
        });
    }
}

} // namespace chatterbox::platform
