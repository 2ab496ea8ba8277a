// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/ui/icons.h"

#include <QApplication>
#include <QFile>
#include <QIconEngine>
#include <QPainter>
#include <QPalette>
#include <QPixmap>
#include <QSvgRenderer>

namespace chatterbox::ui {

namespace {

// Renders an SVG at the asked size, so the icon is sharp at every scale factor; disabled icons
// are the same drawing, faded, and selected ones take the colour of selected text.
class SvgIconEngine final : public QIconEngine {
public:
    SvgIconEngine(QByteArray svg, QColor color) : m_svg(std::move(svg)), m_color(color) {}

    void paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State) override
    {
        const QColor ink = mode == QIcon::Selected ? QApplication::palette().color(QPalette::HighlightedText) : m_color;
        QSvgRenderer renderer(QByteArray(m_svg).replace("currentColor", ink.name().toLatin1()));
        painter->save();
        if (mode == QIcon::Disabled)
            painter->setOpacity(0.4);
        renderer.render(painter, rect);
        painter->restore();
    }

    QPixmap pixmap(const QSize &size, QIcon::Mode mode, QIcon::State state) override
    {
        return scaledPixmap(size, mode, state, 1.0);
    }

    QPixmap scaledPixmap(const QSize &size, QIcon::Mode mode, QIcon::State state, qreal scale) override
    {
        QPixmap pixmap(size * scale);
        pixmap.fill(Qt::transparent);
        {
            QPainter painter(&pixmap);
            painter.setRenderHint(QPainter::Antialiasing);
            paint(&painter, QRect(QPoint(), pixmap.size()), mode, state);
        }
        pixmap.setDevicePixelRatio(scale);
        return pixmap;
    }

    QIconEngine *clone() const override { return new SvgIconEngine(m_svg, m_color); }

private:
    QByteArray m_svg;   // with "currentColor" where the ink goes
    QColor m_color;
};

} // namespace

QIcon icon(const QString &name, const QColor &color)
{
    QFile file(QStringLiteral(":/icons/") + name + QStringLiteral(".svg"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QColor ink = color.isValid() ? color : QApplication::palette().color(QPalette::WindowText);
    return QIcon(new SvgIconEngine(file.readAll(), ink));
}

} // namespace chatterbox::ui
