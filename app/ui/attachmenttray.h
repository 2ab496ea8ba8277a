// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/core/outbox.h"

#include <QImage>
#include <QTemporaryDir>
#include <QWidget>

class QHBoxLayout;

namespace chatterbox::ui {

// What the app declares of a file it is about to send: its name, its type (read from its
// content, not its name), its size, and for an image its measured size and a thumbnail
// (describeImage). Reads the file; run it off the UI thread. problem says why it cannot be sent.
struct PreparedFile {
    app::Outbox::Attachment attachment;
    QString problem;
};
PreparedFile prepareFile(const QString &path);

// Above the composer: the files chosen for the next message (from the file picker, dropped on
// the window or pasted), each as a chip with its preview, name and size and a button that takes
// it away. Files are measured on a worker thread as they are added; the message can be sent
// once they all are. A pasted image is kept as a PNG file until it is sent.
class AttachmentTray final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AttachmentTray)

public:
    explicit AttachmentTray(QWidget *parent = nullptr);

    void addFiles(const QStringList &paths);
    void addImage(const QImage &image);
    bool isEmpty() const { return m_files.isEmpty(); }
    int count() const { return static_cast<int>(m_files.size()); }
    // Every file is measured (and none failed).
    bool isReady() const;
    // The files, for Client::sendFiles; the tray is empty after.
    QList<app::Outbox::Attachment> take();
    void clear();
    // Files dropped on this widget (the timeline, the composer) come here.
    void takeDropsOn(QWidget *widget);

Q_SIGNALS:
    void changed();
    // A file cannot be sent (unreadable, empty, too many): for the composer's problem line.
    void problem(const QString &message);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    struct Staged {
        int id = 0;
        QString path;
        bool ready = false;
        app::Outbox::Attachment attachment;
        QWidget *chip = nullptr;
    };
    void add(const QString &path, const QString &shownName);
    void prepared(int id, const PreparedFile &file);
    void remove(int id);
    QWidget *chipFor(const Staged &staged);

    QList<Staged> m_files;
    QHBoxLayout *m_row = nullptr;
    QTemporaryDir m_pasted;
    int m_nextId = 1;
};

} // namespace chatterbox::ui
