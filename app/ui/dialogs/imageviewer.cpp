// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/ui/dialogs/imageviewer.h"

#include "app/ui/widgetparts.h"

#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QPainter>
#include <QPaintEvent>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QToolButton>
#include <QVBoxLayout>
#include <QWheelEvent>

namespace chatterbox::ui {

namespace {
constexpr double kMinZoom = 0.05;
constexpr double kMaxZoom = 8.0;
constexpr double kStep = 1.25;

// The image drawn at the zoom straight from the decoded one: only what is on screen is scaled,
// so 800 % of a large image costs no more memory than 100 %.
class ZoomedImage final : public QWidget {
public:
    QImage image;
    void paintEvent(QPaintEvent *event) override
    {
        QPainter painter(this);
        painter.setRenderHint(QPainter::SmoothPixmapTransform, width() < image.width() * 2);
        painter.setClipRegion(event->region());
        const QSize shown = image.size().scaled(size(), Qt::KeepAspectRatio);
        const QRect target(QPoint((width() - shown.width()) / 2, (height() - shown.height()) / 2), shown);
        painter.drawImage(target, image);
    }
};
} // namespace

ImageViewer::ImageViewer(const QString &name, QWidget *parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("imageViewer"));
    // The title bar shows plain text; a name is the sender's and could hold anything.
    setWindowTitle(name);
    setAttribute(Qt::WA_DeleteOnClose);
    resize(parent ? parent->window()->size() * 0.85 : QSize(1000, 720));
    m_picture = new ZoomedImage;
    m_picture->setObjectName(QStringLiteral("viewerImage"));
    m_picture->installEventFilter(this);
    m_scroll = new QScrollArea(this);
    m_scroll->setWidget(m_picture);
    m_scroll->setAlignment(Qt::AlignCenter);
    m_scroll->setWidgetResizable(false);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setBackgroundRole(QPalette::Dark);
    m_scroll->viewport()->installEventFilter(this);
    m_status = new QLabel(tr("Loading…"), this);
    m_status->setObjectName(QStringLiteral("viewerStatus"));
    m_status->setTextFormat(Qt::PlainText);
    m_status->setAlignment(Qt::AlignCenter);
    m_status->setWordWrap(true);

    auto *nameLabel = new QLabel(this);
    nameLabel->setTextFormat(Qt::PlainText);
    nameLabel->setText(name);
    nameLabel->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_zoomLabel = new QLabel(this);
    m_zoomLabel->setObjectName(QStringLiteral("viewerZoom"));
    m_zoomLabel->setTextFormat(Qt::PlainText);
    m_zoomLabel->setMinimumWidth(m_zoomLabel->fontMetrics().horizontalAdvance(QStringLiteral("8000 %")));
    m_zoomLabel->setAlignment(Qt::AlignCenter);
    auto *out = toolButton(QStringLiteral("zoom-out"), tr("Zoom Out (-)"), QStringLiteral("zoomOut"), this);
    connect(out, &QToolButton::clicked, this, [this] { zoomBy(1 / kStep); });
    auto *in = toolButton(QStringLiteral("zoom-in"), tr("Zoom In (+)"), QStringLiteral("zoomIn"), this);
    connect(in, &QToolButton::clicked, this, [this] { zoomBy(kStep); });
    auto *fitButton = new QPushButton(tr("Fit"), this);
    fitButton->setObjectName(QStringLiteral("zoomFit"));
    fitButton->setToolTip(tr("Fit to the Window (0)"));
    connect(fitButton, &QPushButton::clicked, this, &ImageViewer::fit);
    auto *actual = new QPushButton(tr("Actual Size"), this);
    actual->setObjectName(QStringLiteral("zoomActual"));
    actual->setToolTip(tr("Pixel for Pixel (1)"));
    connect(actual, &QPushButton::clicked, this, [this] { zoomTo(1.0); });
    auto *save = new QPushButton(tr("Save As…"), this);
    save->setObjectName(QStringLiteral("viewerSave"));
    connect(save, &QPushButton::clicked, this, &ImageViewer::saveRequested);
    auto *close = new QPushButton(tr("Close"), this);
    connect(close, &QPushButton::clicked, this, &QDialog::close);
    for (QWidget *w : std::initializer_list<QWidget *>{out, in, fitButton, actual, save, close})
        w->setFocusPolicy(Qt::TabFocus);   // the keys zoom; Enter does not press a button
    m_zoomButtons = {out, in};

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(12, 8, 12, 8);
    bar->addWidget(nameLabel, 1);
    bar->addWidget(out);
    bar->addWidget(m_zoomLabel);
    bar->addWidget(in);
    bar->addWidget(fitButton);
    bar->addWidget(actual);
    bar->addSpacing(12);
    bar->addWidget(save);
    bar->addWidget(close);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_status, 1);
    layout->addWidget(m_scroll, 1);
    layout->addLayout(bar);
    m_scroll->hide();
}

void ImageViewer::setProgress(double done)
{
    m_status->setText(tr("Loading… %1 %").arg(qRound(done * 100)));
}

void ImageViewer::setProblem(const QString &problem)
{
    m_scroll->hide();
    m_status->show();
    m_status->setText(problem);
}

void ImageViewer::setImage(const DecodedImage &image)
{
    if (!image.ok()) {
        setProblem(image.problem);
        return;
    }
    m_image = image.image;
    m_status->hide();
    m_scroll->show();
    fit();
}

void ImageViewer::fit()
{
    if (m_image.isNull())
        return;
    m_fitted = true;
    const QSize room = m_scroll->viewport()->size();
    const double zoom = std::min({1.0, double(room.width()) / m_image.width(), double(room.height()) / m_image.height()});
    render(std::max(kMinZoom, zoom));
}

void ImageViewer::zoomBy(double factor)
{
    zoomTo(m_zoom * factor);
}

void ImageViewer::zoomTo(double zoom)
{
    if (m_image.isNull())
        return;
    m_fitted = false;
    // Keeps the middle of what is seen in the middle.
    const QSize room = m_scroll->viewport()->size();
    const double cx = (m_scroll->horizontalScrollBar()->value() + room.width() / 2.0) / std::max(1.0, double(m_picture->width()));
    const double cy = (m_scroll->verticalScrollBar()->value() + room.height() / 2.0) / std::max(1.0, double(m_picture->height()));
    render(std::clamp(zoom, kMinZoom, kMaxZoom));
    m_scroll->horizontalScrollBar()->setValue(qRound(cx * m_picture->width() - room.width() / 2.0));
    m_scroll->verticalScrollBar()->setValue(qRound(cy * m_picture->height() - room.height() / 2.0));
}

void ImageViewer::render(double zoom)
{
    m_zoom = zoom;
    static_cast<ZoomedImage *>(m_picture)->image = m_image;
    m_picture->resize((QSizeF(m_image.size()) * zoom).toSize().expandedTo(QSize(1, 1)));
    m_picture->update();
    m_zoomLabel->setText(tr("%1 %").arg(qRound(zoom * 100)));
}

bool ImageViewer::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::Wheel) {
        auto *wheel = static_cast<QWheelEvent *>(event);
        if (wheel->modifiers() & Qt::ControlModifier) {
            zoomBy(wheel->angleDelta().y() > 0 ? kStep : 1 / kStep);
            return true;
        }
    }
    if (watched == m_picture || watched == m_scroll->viewport()) {
        auto *mouse = static_cast<QMouseEvent *>(event);
        if (event->type() == QEvent::MouseButtonPress && mouse->button() == Qt::LeftButton) {
            m_dragFrom = mouse->globalPosition().toPoint();
            return true;
        }
        if (event->type() == QEvent::MouseMove && (mouse->buttons() & Qt::LeftButton)) {
            const QPoint delta = mouse->globalPosition().toPoint() - m_dragFrom;
            m_dragFrom = mouse->globalPosition().toPoint();
            m_scroll->horizontalScrollBar()->setValue(m_scroll->horizontalScrollBar()->value() - delta.x());
            m_scroll->verticalScrollBar()->setValue(m_scroll->verticalScrollBar()->value() - delta.y());
            return true;
        }
    }
    return QDialog::eventFilter(watched, event);
}

void ImageViewer::keyPressEvent(QKeyEvent *event)
{
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomBy(kStep);
        return;
    case Qt::Key_Minus:
        zoomBy(1 / kStep);
        return;
    case Qt::Key_0:
        fit();
        return;
    case Qt::Key_1:
        zoomTo(1.0);
        return;
    default:
        break;
    }
    QDialog::keyPressEvent(event);
}

void ImageViewer::resizeEvent(QResizeEvent *event)
{
    QDialog::resizeEvent(event);
    if (m_fitted)
        fit();
}

} // namespace chatterbox::ui
