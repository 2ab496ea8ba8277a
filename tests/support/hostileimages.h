// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Image files made byte by byte for the tests of what the app shows: well-formed photos, and the
// hostile files of the files issue (a PNG declaring a huge size, a GIF of many frames).

#include <QBuffer>
#include <QByteArray>
#include <QImage>
#include <QImageWriter>
#include <QLinearGradient>
#include <QPainter>

#include <array>

namespace chatterbox::test {

inline quint32 crc32(const QByteArray &bytes)
{
    static const auto table = [] {
        std::array<quint32, 256> t{};
        for (quint32 n = 0; n < 256; ++n) {
            quint32 c = n;
            for (int k = 0; k < 8; ++k)
                c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
            t[n] = c;
        }
        return t;
    }();
    quint32 c = 0xffffffffu;
    for (const char b : bytes)
        c = table[(c ^ static_cast<quint8>(b)) & 0xff] ^ (c >> 8);
    return c ^ 0xffffffffu;
}

inline QByteArray bigEndian(quint32 v)
{
    const char bytes[4] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8), static_cast<char>(v)};
    return QByteArray(bytes, 4);
}

inline QByteArray pngChunk(const QByteArray &type, const QByteArray &data)
{
    return bigEndian(static_cast<quint32>(data.size())) + type + data + bigEndian(crc32(type + data));
}

// A valid PNG header declaring width × height RGBA pixels, with one tiny compressed row.
inline QByteArray pngDeclaring(quint32 width, quint32 height)
{
    const QByteArray header = bigEndian(width) + bigEndian(height) + QByteArray("\x08\x06\x00\x00\x00", 5);
    const QByteArray idat = qCompress(QByteArray(5, '\0')).mid(4);   // zlib stream of one short row
    return QByteArray("\x89PNG\r\n\x1a\n", 8) + pngChunk("IHDR", header) + pngChunk("IDAT", idat) + pngChunk("IEND", {});
}

// A GIF of `frames` frames of one pixel each.
inline QByteArray gifOf(int frames)
{
    QByteArray gif("GIF89a");
    gif += QByteArray("\x01\x00\x01\x00\x80\x00\x00", 7);       // 1 × 1, a global table of two colours
    gif += QByteArray("\x00\x00\x00\xff\xff\xff", 6);
    for (int i = 0; i < frames; ++i) {
        gif += QByteArray("\x21\xf9\x04\x00\x0a\x00\x00\x00", 8);      // 100 ms a frame
        gif += QByteArray("\x2c\x00\x00\x00\x00\x01\x00\x01\x00\x00", 10);
        gif += QByteArray("\x02\x02\x44\x01\x00", 5);                  // LZW: clear, pixel 0, end
    }
    return gif + ';';
}

inline QByteArray encoded(const QImage &image, const char *format, int quality = -1)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QImageWriter writer(&buffer, format);
    writer.setQuality(quality);
    writer.write(image);
    return bytes;
}

inline QImage photo(int width, int height)
{
    QImage image(width, height, QImage::Format_RGB32);
    QPainter p(&image);
    QLinearGradient gradient(0, 0, width, height);
    gradient.setColorAt(0, QColor(30, 90, 160));
    gradient.setColorAt(1, QColor(240, 200, 80));
    p.fillRect(image.rect(), gradient);
    for (int i = 0; i < 40; ++i)
        p.fillRect(QRect((i * 97) % width, (i * 53) % height, 60, 40), QColor::fromHsv((i * 37) % 360, 200, 220));
    return image;
}


} // namespace chatterbox::test
