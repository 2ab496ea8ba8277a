// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/ui/imagedecoding.h"

#include <QBuffer>
#include <QImageReader>
#include <QImageWriter>

#include <algorithm>

namespace chatterbox::ui {

namespace {

struct Texts {
    Q_DECLARE_TR_FUNCTIONS(ImageDecoding)
};

bool isShownFormat(const QByteArray &format)
{
    return format == "png" || format == "jpeg" || format == "gif" || format == "webp";
}

} // namespace

DecodedImage decodeImage(const QByteArray &bytes, QSize fit, const ImageLimits &limits)
{
    DecodedImage out;
    if (bytes.isEmpty()) {
        out.problem = Texts::tr("The file is empty.");
        return out;
    }
    QBuffer buffer;
    buffer.setData(bytes);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer);
    reader.setDecideFormatFromContent(true);
    reader.setAllocationLimit(limits.allocationLimitMb);
    reader.setAutoTransform(true);   // a photo's EXIF orientation
    if (!isShownFormat(reader.format())) {
        out.problem = Texts::tr("This is not a PNG, JPEG, GIF or WebP image.");
        return out;
    }
    // From the header alone: nothing is decoded yet.
    const QSize size = reader.size();
    if (!size.isValid() || size.isEmpty()) {
        out.problem = Texts::tr("The image does not say how large it is.");
        return out;
    }
    out.fullSize = size;
    if (size.width() > limits.maxSide || size.height() > limits.maxSide
        || static_cast<qint64>(size.width()) * size.height() > limits.maxPixels) {
        out.problem = Texts::tr("The image says it is %1 × %2 pixels, more than can be shown.").arg(size.width()).arg(size.height());
        return out;
    }
    out.frames = std::max(1, reader.imageCount());
    if (fit.isValid() && (size.width() > fit.width() || size.height() > fit.height()))
        reader.setScaledSize(size.scaled(fit, Qt::KeepAspectRatio).expandedTo(QSize(1, 1)));
    QImage image;
    if (!reader.read(&image) || image.isNull()) {
        out.problem = Texts::tr("The image could not be read: %1").arg(reader.errorString());
        return out;
    }
    out.image = std::move(image);
    return out;
}

ImageDescription describeImage(const QByteArray &bytes, int maxBytes)
{
    ImageDescription out;
    const DecodedImage decoded = decodeImage(bytes, QSize(400, 400));
    if (!decoded.ok()) {
        out.problem = decoded.problem;
        return out;
    }
    out.size = decoded.fullSize;
    const bool transparent = decoded.image.hasAlphaChannel();
    // Smaller until it fits: a thumbnail is a picture to recognise, not to study.
    QImage image = decoded.image;
    for (int attempt = 0; attempt < 6 && !image.isNull(); ++attempt) {
        QByteArray encoded;
        QBuffer buffer(&encoded);
        buffer.open(QIODevice::WriteOnly);
        QImageWriter writer(&buffer, transparent ? "png" : "jpeg");
        if (!transparent)
            writer.setQuality(std::max(40, 80 - 10 * attempt));
        if (writer.write(image) && encoded.size() <= maxBytes) {
            out.thumbnail = encoded;
            out.thumbnailType = transparent ? "image/png" : "image/jpeg";
            return out;
        }
        image = image.scaled(image.size() * 3 / 4, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    }
    return out;   // no thumbnail: the file is sent all the same
}

} // namespace chatterbox::ui
