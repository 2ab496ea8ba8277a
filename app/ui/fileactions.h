// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/ui/dialogs/imageviewer.h"

#include <QObject>
#include <QPointer>
#include <QString>
#include <QUrl>
#include <QVariantMap>

#include <functional>

class QWidget;

namespace chatterbox::ui {

class AttachmentLoader;

// What clicking a file of a message does: an image opens in the viewer, another file is
// downloaded (its card shows how far) and opened with the system's handler, and Save As asks
// where and copies it there once downloaded. Programs and scripts are never opened from here,
// only saved: a file someone sent must not run because it was clicked.
class FileActions final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FileActions)

public:
    // window: what the viewer and the file dialog belong to.
    FileActions(AttachmentLoader &loader, QWidget &window, QObject *parent = nullptr);

    // How a file is handed to the system, and how the person says where to save one; tests
    // replace them.
    using Opener = std::function<bool(const QUrl &file)>;
    using SaveAsker = std::function<QString(const QString &suggestedPath)>;
    void setOpener(Opener opener) { m_open = std::move(opener); }
    void setSaveAsker(SaveAsker ask) { m_askWhere = std::move(ask); }

    // file: a TimelineModel::FilesRole entry.
    void open(const QVariantMap &file);
    void saveAs(const QVariantMap &file);
    void stopDownload(const QString &fileId);

    // Whether a file is one the app refuses to open (a program, a script, a launcher).
    static bool isProgram(const QString &name, const QString &mediaType);
    // A name someone sent made safe as a file name here: no folders, no control characters.
    static QString safeFileName(const QString &name);
    ImageViewer *viewer() const { return m_viewer; }

Q_SIGNALS:
    void problem(const QString &message);

private:
    void view(const QVariantMap &file);
    void openWithSystem(const QVariantMap &file);

    AttachmentLoader &m_loader;
    QWidget &m_window;
    Opener m_open;
    SaveAsker m_askWhere;
    QPointer<ImageViewer> m_viewer;
};

} // namespace chatterbox::ui
