// SPDX-License-Identifier: GPL-3.0-or-later
// Images someone else sent, decoded with bounds (app/ui/imagedecoding.h): the hostile files of
// the files issue, made here byte by byte (a PNG declaring 60000 × 60000, a truncated JPEG, a GIF
// of 10,000 frames, an SVG and an HTML page named .png, a zero-byte file), each shown as an error
// or a bounded first frame, never a crash or a 14 GB allocation; and what the sending app makes
// of its own images (their size and a small thumbnail).

#include "app/ui/imagedecoding.h"
#include "support/hostileimages.h"

#include <QTest>

using namespace chatterbox::test;
using namespace chatterbox::ui;

class TestImageDecoding : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void declaring60000Squared_refusedBeforeDecoding()
    {
        const QByteArray bomb = pngDeclaring(60000, 60000);
        QVERIFY(bomb.size() < 200);
        const DecodedImage d = decodeImage(bomb, QSize(360, 240));
        QVERIFY(!d.ok());
        QCOMPARE(d.fullSize, QSize(60000, 60000));
        QVERIFY2(d.problem.contains(QStringLiteral("60000")), qPrintable(d.problem));
        // Within the side but not the pixels: 16000 × 16000 is 256 million pixels.
        QVERIFY(!decodeImage(pngDeclaring(16000, 16000)).ok());
    }

    void truncatedJpeg_showsWhatArrivedOrSaysSo()
    {
        const QByteArray whole = encoded(photo(800, 600), "jpeg", 85);
        for (const qsizetype keep : {whole.size() / 2, qsizetype(700), qsizetype(20), qsizetype(3)}) {
            const DecodedImage d = decodeImage(whole.left(keep), QSize(360, 240));
            if (d.ok())
                QVERIFY(d.image.width() <= 360 && d.image.height() <= 240);
            else
                QVERIFY(!d.problem.isEmpty());
        }
        const DecodedImage full = decodeImage(whole, QSize(360, 240));
        QVERIFY(full.ok());
        QCOMPARE(full.fullSize, QSize(800, 600));
        QCOMPARE(full.image.size(), QSize(320, 240));   // its aspect ratio, within the box
    }

    void gifOfTenThousandFrames_firstFrameOnly()
    {
        const DecodedImage d = decodeImage(gifOf(10000));
        QVERIFY2(d.ok(), qPrintable(d.problem));
        QCOMPARE(d.image.size(), QSize(1, 1));
        QCOMPARE(d.frames, 10000);
    }

    void notImages_namedAsImages_refused_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("SVG named .png") << QByteArray("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100\" height=\"100\">"
                                                      "<script>alert(1)</script><rect width=\"100\" height=\"100\"/></svg>");
        QTest::newRow("HTML named .png") << QByteArray("<!doctype html><html><script>fetch('/files')</script></html>");
        QTest::newRow("zero bytes") << QByteArray();
        QTest::newRow("PNG signature alone") << QByteArray("\x89PNG\r\n\x1a\n", 8);
        QTest::newRow("random bytes") << QByteArray::fromHex("00112233445566778899aabbccddeeff");
    }
    void notImages_namedAsImages_refused()
    {
        QFETCH(QByteArray, bytes);
        const DecodedImage d = decodeImage(bytes, QSize(360, 240));
        QVERIFY(!d.ok());
        QVERIFY(!d.problem.isEmpty());
    }

    void realImages_decodedWithinTheBox()
    {
        const QImage source = photo(2000, 1500);
        for (const char *format : {"png", "jpeg", "webp"}) {
            const DecodedImage d = decodeImage(encoded(source, format), QSize(360, 240));
            QVERIFY2(d.ok(), qPrintable(QString::fromLatin1(format) + QStringLiteral(": ") + d.problem));
            QCOMPARE(d.fullSize, QSize(2000, 1500));
            QCOMPARE(d.image.size(), QSize(320, 240));
        }
        // Smaller than the box: as it is, never enlarged.
        const DecodedImage small = decodeImage(encoded(photo(100, 50), "png"), QSize(360, 240));
        QCOMPARE(small.image.size(), QSize(100, 50));
    }

    void describeImage_sizeAndASmallThumbnail()
    {
        const ImageDescription photoDescription = describeImage(encoded(photo(4000, 3000), "jpeg", 90));
        QCOMPARE(photoDescription.size, QSize(4000, 3000));
        QCOMPARE(photoDescription.thumbnailType, QByteArray("image/jpeg"));
        QVERIFY(!photoDescription.thumbnail.isEmpty() && photoDescription.thumbnail.size() <= 64 * 1024);
        const DecodedImage thumbnail = decodeImage(photoDescription.thumbnail);
        QVERIFY(thumbnail.ok());
        QVERIFY(thumbnail.image.width() <= 400 && thumbnail.image.height() <= 400);

        QImage transparent(300, 200, QImage::Format_ARGB32);
        transparent.fill(QColor(10, 200, 10, 100));
        QCOMPARE(describeImage(encoded(transparent, "png")).thumbnailType, QByteArray("image/png"));

        const ImageDescription notAnImage = describeImage("<!doctype html>");
        QVERIFY(notAnImage.thumbnail.isEmpty());
        QVERIFY(!notAnImage.problem.isEmpty());
    }
};

QTEST_MAIN(TestImageDecoding)
#include "tst_imagedecoding.moc"
