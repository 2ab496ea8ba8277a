// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QDialog>
#include <QImage>
#include <QRect>
#include <QWidget>

namespace chatterbox::ui {

// The side of the picture the app uploads: large enough for every place a person is drawn at
// twice the pixels, small enough to stay well under the server's limit for pictures.
inline constexpr int kPictureSide = 256;

// An image with a square on it that the person moves (drag it, or the arrow keys) and sizes (the
// wheel, the corner's handle, or + and -); outside the square is dimmed, and a circle shows what
// will be seen where the picture is drawn round.
class SquareCropper final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SquareCropper)

public:
    explicit SquareCropper(QImage image, QWidget *parent = nullptr);

    // The chosen square, in the image's pixels.
    QRect selection() const { return m_selection; }
    // Moved and sized to lie in the image, at least kMinSide pixels (or the image's short side).
    void setSelection(const QRect &square);
    // Where the image is drawn in the widget, and the selection there.
    QRectF imageRect() const;
    QRectF selectionRect() const;
    QSize sizeHint() const override { return {380, 380}; }

Q_SIGNALS:
    void selectionChanged();

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    enum class Drag { None, Move, Resize };
    static constexpr int kMinSide = 16;
    double scale() const;
    QRectF handleRect() const;
    void resizeBy(double factor);

    QImage m_image;
    QRect m_selection;
    Drag m_drag = Drag::None;
    QPointF m_dragFrom;
    QRect m_dragStart;
};

// "Choose a picture": the image the person picked, with the square to keep. OK makes the picture.
class PictureCropDialog final : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PictureCropDialog)

public:
    // image: decoded already, with the bounds of decodeImage.
    PictureCropDialog(QImage image, QWidget *parent);

    SquareCropper *cropper() const { return m_cropper; }
    // The chosen square, scaled to kPictureSide pixels a side.
    QImage picture() const;

private:
    QImage m_image;
    SquareCropper *m_cropper = nullptr;
};

// A picture as the server takes it: PNG when it fits in limits::kMaxAvatarBytes, else JPEG at
// the best quality that does.
struct EncodedPicture {
    QByteArray bytes;
    QByteArray type;
};
EncodedPicture encodePicture(const QImage &square);

} // namespace chatterbox::ui
