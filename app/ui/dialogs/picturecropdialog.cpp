// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/ui/dialogs/picturecropdialog.h"

#include "shared/limits.h"

#include <QBuffer>
#include <QDialogButtonBox>
#include <QKeyEvent>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QPushButton>
#include <QVBoxLayout>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace chatterbox::ui {

SquareCropper::SquareCropper(QImage image, QWidget *parent) : QWidget(parent), m_image(std::move(image))
{
    setObjectName(QStringLiteral("squareCropper"));
    setAccessibleName(tr("Part of the picture to keep"));
    setAccessibleDescription(tr("Arrow keys move the square; plus and minus make it larger or smaller."));
    setFocusPolicy(Qt::StrongFocus);
    setMinimumSize(240, 240);
    setMouseTracking(true);
    // The largest square in the middle: what most people want from a portrait or a logo.
    const int side = std::min(m_image.width(), m_image.height());
    m_selection = QRect((m_image.width() - side) / 2, (m_image.height() - side) / 2, side, side);
}

void SquareCropper::setSelection(const QRect &square)
{
    const int shortSide = std::min(m_image.width(), m_image.height());
    const int side = std::clamp(std::min(square.width(), square.height()), std::min(kMinSide, shortSide), shortSide);
    const int x = std::clamp(square.x(), 0, m_image.width() - side);
    const int y = std::clamp(square.y(), 0, m_image.height() - side);
    const QRect clamped(x, y, side, side);
    if (clamped == m_selection)
        return;
    m_selection = clamped;
    update();
    Q_EMIT selectionChanged();
}

double SquareCropper::scale() const
{
    if (m_image.isNull())
        return 1.0;
    return std::min(double(width()) / m_image.width(), double(height()) / m_image.height());
}

QRectF SquareCropper::imageRect() const
{
    const QSizeF size = QSizeF(m_image.size()) * scale();
    return QRectF(QPointF((width() - size.width()) / 2, (height() - size.height()) / 2), size);
}

QRectF SquareCropper::selectionRect() const
{
    const QRectF image = imageRect();
    const double s = scale();
    return QRectF(image.topLeft() + QPointF(m_selection.topLeft()) * s, QSizeF(m_selection.size()) * s);
}

QRectF SquareCropper::handleRect() const
{
    const QRectF square = selectionRect();
    return QRectF(square.bottomRight() - QPointF(7, 7), QSizeF(14, 14));
}

void SquareCropper::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.drawImage(imageRect(), m_image);
    const QRectF square = selectionRect();
    QPainterPath outside;
    outside.addRect(imageRect());
    QPainterPath kept;
    kept.addEllipse(square);
    painter.fillPath(outside.subtracted(kept), QColor(0, 0, 0, 150));
    painter.setPen(QPen(Qt::white, 1, Qt::DashLine));
    painter.setBrush(Qt::NoBrush);
    painter.drawRect(square);
    painter.setPen(QPen(Qt::white, 2));
    painter.drawEllipse(square);
    painter.setBrush(Qt::white);
    painter.drawRect(handleRect());
    if (hasFocus()) {
        painter.setPen(QPen(palette().color(QPalette::Highlight), 2));
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(rect().adjusted(1, 1, -1, -1));
    }
}

void SquareCropper::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton)
        return;
    const QPointF at = event->position();
    m_dragFrom = at;
    m_dragStart = m_selection;
    if (handleRect().adjusted(-4, -4, 4, 4).contains(at)) {
        m_drag = Drag::Resize;
    } else if (selectionRect().contains(at)) {
        m_drag = Drag::Move;
    } else {
        // A click beside the square brings it there.
        const QPointF inImage = (at - imageRect().topLeft()) / scale();
        setSelection(QRect(QPoint(int(inImage.x()) - m_selection.width() / 2, int(inImage.y()) - m_selection.height() / 2), m_selection.size()));
        m_dragStart = m_selection;
        m_drag = Drag::Move;
    }
}

void SquareCropper::mouseMoveEvent(QMouseEvent *event)
{
    const QPointF delta = (event->position() - m_dragFrom) / scale();
    if (m_drag == Drag::Move) {
        setSelection(m_dragStart.translated(int(std::lround(delta.x())), int(std::lround(delta.y()))));
    } else if (m_drag == Drag::Resize) {
        const int side = m_dragStart.width() + int(std::lround(std::max(delta.x(), delta.y())));
        const int room = std::min(m_image.width() - m_dragStart.x(), m_image.height() - m_dragStart.y());
        setSelection(QRect(m_dragStart.topLeft(), QSize(std::min(side, room), std::min(side, room))));
    } else {
        setCursor(handleRect().adjusted(-4, -4, 4, 4).contains(event->position()) ? Qt::SizeFDiagCursor
                  : selectionRect().contains(event->position())                   ? Qt::SizeAllCursor
                                                                                 : Qt::ArrowCursor);
    }
}

void SquareCropper::mouseReleaseEvent(QMouseEvent *)
{
    m_drag = Drag::None;
}

void SquareCropper::resizeBy(double factor)
{
    // Around the square's middle, so that what is looked at stays in it.
    const QPointF middle = QRectF(m_selection).center();
    const int side = std::max(1, int(std::lround(m_selection.width() * factor)));
    const int shortSide = std::min(m_image.width(), m_image.height());
    const int clamped = std::clamp(side, std::min(kMinSide, shortSide), shortSide);
    setSelection(QRect(int(std::lround(middle.x() - clamped / 2.0)), int(std::lround(middle.y() - clamped / 2.0)), clamped, clamped));
}

void SquareCropper::wheelEvent(QWheelEvent *event)
{
    const int steps = event->angleDelta().y() / 120;
    if (steps != 0)
        resizeBy(std::pow(0.9, steps));   // up: closer in, as a zoom
    event->accept();
}

void SquareCropper::keyPressEvent(QKeyEvent *event)
{
    const int step = std::max(1, m_selection.width() / (event->modifiers() & Qt::ShiftModifier ? 4 : 20));
    switch (event->key()) {
    case Qt::Key_Left: setSelection(m_selection.translated(-step, 0)); break;
    case Qt::Key_Right: setSelection(m_selection.translated(step, 0)); break;
    case Qt::Key_Up: setSelection(m_selection.translated(0, -step)); break;
    case Qt::Key_Down: setSelection(m_selection.translated(0, step)); break;
    case Qt::Key_Plus:
    case Qt::Key_Equal: resizeBy(1.1); break;
    case Qt::Key_Minus: resizeBy(1 / 1.1); break;
    default: QWidget::keyPressEvent(event); return;
    }
    event->accept();
}

PictureCropDialog::PictureCropDialog(QImage image, QWidget *parent) : QDialog(parent), m_image(std::move(image))
{
    setObjectName(QStringLiteral("pictureCropDialog"));
    setWindowTitle(tr("Your Picture"));
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowModality(Qt::WindowModal);
    auto *hint = new QLabel(tr("Move the square to what should show, and size it with the wheel or its corner."), this);
    hint->setTextFormat(Qt::PlainText);
    hint->setWordWrap(true);
    m_cropper = new SquareCropper(m_image, this);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Use This"));
    buttons->button(QDialogButtonBox::Ok)->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(hint);
    layout->addWidget(m_cropper, 1);
    layout->addWidget(buttons);
    m_cropper->setFocus();
}

QImage PictureCropDialog::picture() const
{
    const QImage square = m_image.copy(m_cropper->selection());
    if (square.width() == kPictureSide)
        return square.convertToFormat(QImage::Format_ARGB32);
    return square.scaled(kPictureSide, kPictureSide, Qt::IgnoreAspectRatio, Qt::SmoothTransformation).convertToFormat(QImage::Format_ARGB32);
}

EncodedPicture encodePicture(const QImage &square)
{
    const auto encode = [&](const char *format, int quality) {
        QByteArray bytes;
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::WriteOnly);
        square.save(&buffer, format, quality);
        return bytes;
    };
    const QByteArray png = encode("PNG", -1);
    if (!png.isEmpty() && png.size() <= qsizetype(limits::kMaxAvatarBytes))
        return {png, QByteArrayLiteral("image/png")};
    // A photo: JPEG, on white where it was transparent.
    QImage opaque(square.size(), QImage::Format_RGB32);
    opaque.fill(Qt::white);
    QPainter(&opaque).drawImage(0, 0, square);
    for (int quality = 92; quality >= 40; quality -= 8) {
        QByteArray bytes;
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::WriteOnly);
        opaque.save(&buffer, "JPEG", quality);
        if (bytes.size() <= qsizetype(limits::kMaxAvatarBytes))
            return {bytes, QByteArrayLiteral("image/jpeg")};
    }
    return {};
}

} // namespace chatterbox::ui
