#pragma once

#include <QLockFile>
#include <QLocalServer>
#include <QObject>
#include <QStringList>

#include <memory>

namespace chatterbox::platform {

// One app per user. The first start listens on a local socket whose name is the user's own
// (and which only the user may open); a second start hands its links to it and exits. A lock
// file settles two starts at the same moment.
class SingleInstance final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SingleInstance)

public:
    // The name a user's app listens on: per user and home directory.
    static QString defaultName();

    explicit SingleInstance(QString name = defaultName(), QObject *parent = nullptr);
    ~SingleInstance() override;

    // Becomes the one instance, or hands the links (none: "show yourself") to the one that
    // runs. Returns true when this process should go on as the app.
    bool claimOrHandOver(const QStringList &links);
    QString error() const { return m_error; }

    static constexpr qsizetype kMaxMessageBytes = 64 * 1024;

Q_SIGNALS:
    // Another start's links; empty when it only asked for the window.
    void received(const QStringList &links);

private:
    bool handOver(const QStringList &links);
    bool listen();
    void onConnection();

    QString m_name;
    std::unique_ptr<QLockFile> m_lock;
    QLocalServer m_server;
    QString m_error;
};

} // namespace chatterbox::platform
