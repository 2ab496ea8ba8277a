// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLockFile>
#include <QLocalServer>
#include <QObject>
#include <QStringList>

#include <memory>

namespace chatterbox::platform {

// One app per user. The first start listens on a local socket in a directory of the user's own
// (privatefiles.h); a second start hands its links to it and exits. A lock file beside it
// settles two starts at the same moment. Each end checks that the other runs as the same user,
// so no other user's process can receive the links (invite codes among them) or send some.
// Where no such directory can be had, the app runs without the hand-over and error() says why.
class SingleInstance final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SingleInstance)

public:
    // The name a user's app listens on: per user and home directory.
    static QString defaultName();

    explicit SingleInstance(QString name = defaultName(), QObject *parent = nullptr);
    ~SingleInstance() override;

    // Becomes the one instance, or hands the links (none: "show yourself") to the one that
    // runs. Returns true when this process should go on as the app; error() may then still say
    // why other starts will not reach it.
    bool claimOrHandOver(const QStringList &links);
    QString error() const { return m_error; }
    // The socket's full name, once claimOrHandOver has found where it goes.
    QString serverName() const { return m_path; }

    static constexpr qsizetype kMaxMessageBytes = 64 * 1024;

Q_SIGNALS:
    // Another start's links; empty when it only asked for the window.
    void received(const QStringList &links);

private:
    enum class HandOver { Delivered, NoAnswer, Refused };
    HandOver handOver(const QStringList &links);
    bool notUsing(const QString &problem);
    bool listen();
    void onConnection();

    QString m_name;
    QString m_path;
    std::unique_ptr<QLockFile> m_lock;
    QLocalServer m_server;
    QString m_error;
};

} // namespace chatterbox::platform
