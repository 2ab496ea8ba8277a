// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/ui/imagedecoding.h"

#include <QDialog>
#include <QImage>

class QLabel;
class QScrollArea;
class QToolButton;

namespace chatterbox::ui {

// An image at full size, in its own window: it opens fitted to the window, and zooms with the
// buttons, Ctrl+wheel, + and - (0 fits it again, 1 shows it pixel for pixel); the rest of it is
// a scroll or a drag away. Save As keeps the file. It shows "Loading…" with the download's
// progress until the image is decoded, or why it cannot be shown.
class ImageViewer final : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ImageViewer)

public:
    // name: the file's name as sent (plain text, in the title).
    ImageViewer(const QString &name, QWidget *parent = nullptr);

    void setProgress(double done);
    void setImage(const DecodedImage &image);
    void setProblem(const QString &problem);

    // The zoom: 1 is pixel for pixel; fitted() follows the window.
    double zoom() const { return m_zoom; }
    bool isFitted() const { return m_fitted; }
    void zoomBy(double factor);
    void zoomTo(double zoom);
    void fit();
    QImage image() const { return m_image; }

Q_SIGNALS:
    void saveRequested();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void render(double zoom);

    QScrollArea *m_scroll = nullptr;
    QWidget *m_picture = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_zoomLabel = nullptr;
    QList<QToolButton *> m_zoomButtons;
    QImage m_image;
    double m_zoom = 1.0;
    bool m_fitted = true;
    QPoint m_dragFrom;
};

} // namespace chatterbox::ui
