// SPDX-License-Identifier: GPL-3.0-or-later
//
// The message renderer, fed any body a message could carry, laid out and painted as the
// timeline does it. Beyond "no crash, no hang" (a hang is an input slower than libFuzzer's
// timeout): a message never becomes an image, so nothing it names is fetched or drawn.

#include "app/ui/messagedocument.h"
#include "tests/fuzz/fuzzcheck.h"

#include <QFont>
#include <QGuiApplication>
#include <QImage>
#include <QPainter>
#include <QPalette>
#include <QTextBlock>

#include <cstddef>
#include <cstdint>

using namespace chatterbox::ui;

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    static int argc = 1;
    static char name[] = "fuzz_markdown";
    static char *argv[] = {name, nullptr};
    static QGuiApplication app(argc, argv);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QString body = QString::fromUtf8(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    static const QFont font = QGuiApplication::font();
    static const QPalette palette = QGuiApplication::palette();
    MessageStyle style{&font, &palette, Qt::gray, Qt::lightGray, Qt::yellow, Qt::red,
                       {QStringLiteral("Ann"), QStringLiteral("Zoë Ω"), QStringLiteral("a.b")}, QStringLiteral("Ann")};
    const auto doc = renderMessage(body, style, size % 2 == 1);

    for (QTextBlock block = doc->begin(); block.isValid(); block = block.next()) {
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextFragment fragment = it.fragment();
            FUZZ_CHECK(!fragment.charFormat().isImageFormat());
        }
    }

    doc->setTextWidth(320);
    const QSizeF laidOut = doc->size();
    FUZZ_CHECK(laidOut.width() >= 0 && laidOut.height() >= 0);
    QImage canvas(320, 200, QImage::Format_ARGB32_Premultiplied);
    canvas.fill(Qt::white);
    QPainter painter(&canvas);
    paintQuoteBars(painter, *doc, Qt::blue);
    doc->drawContents(&painter, QRectF(0, 0, 320, 200));
    return 0;
}
