// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QImage>
#include <QSize>
#include <QString>

namespace chatterbox::ui {

// What an image someone else sent may cost to show. A PNG can declare 60000 × 60000 pixels
// (14 GB decoded) in a few dozen bytes; these are checked against what it declares, before a
// pixel is decoded.
struct ImageLimits {
    int maxSide = 16384;                  // pixels, either side
    qint64 maxPixels = 64'000'000;        // width × height (256 MB at four bytes a pixel)
    int allocationLimitMb = 256;          // what Qt's reader may allocate for the one image
};

struct DecodedImage {
    QImage image;          // null when it cannot be shown
    QSize fullSize;        // as the file declares it
    int frames = 0;        // an animation's frames (only the first is decoded)
    QString problem;       // why it cannot be shown, for the error tile: plain text
    bool ok() const { return !image.isNull(); }
};

// Decodes an image from bytes someone else sent, trusting neither its name nor its declared
// type: the format is read from its first bytes and must be PNG, JPEG, GIF or WebP (an SVG or an
// HTML page named .png is not one); the size it declares is checked against the limits before
// decoding; it is decoded scaled down to fit `fit` (never up) when fit is valid, and of an
// animation only the first frame. Safe to call off the UI thread; never throws.
DecodedImage decodeImage(const QByteArray &bytes, QSize fit = {}, const ImageLimits &limits = {});

// What the sending app declares of an image it uploads: its size, and a thumbnail (JPEG, or PNG
// when it has transparency) that fits 400 × 400 in at most maxBytes. An empty thumbnail when
// the file is not an image that can be shown.
struct ImageDescription {
    QSize size;
    QByteArray thumbnail;
    QByteArray thumbnailType;   // "image/jpeg" or "image/png"
    QString problem;
};
ImageDescription describeImage(const QByteArray &bytes, int maxBytes = 64 * 1024);

} // namespace chatterbox::ui
