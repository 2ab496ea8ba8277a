// SPDX-License-Identifier: GPL-3.0-or-later
// Files in the chat window, against two instances of the real server sharing one database: Dana
// (on the first) picks a photo, drops a note and a script on the timeline and pastes a
// screenshot, and sends them with a caption; Erin (on the second) sees the images inline at
// their real aspect ratio, opens the photo in the viewer and zooms, saves the note, opens it,
// and is refused opening the script. An upload shows its progress and can be cancelled. Files an
// attacker's client declares as images (a PNG declaring 60000 × 60000, a truncated JPEG, a GIF of
// 10,000 frames, an SVG and an HTML page named .png, zero bytes, a hostile thumbnail) show as
// error tiles or a bounded first frame while the window goes on working. Dana sets a picture
// in the settings (cropped from a wide photo) and Erin sees it wherever Dana is drawn; a bomb as
// Alice's picture shows her initials.

#include "uifixture.h"

#include "app/core/filefetcher.h"
#include "app/ui/attachmentloader.h"
#include "app/ui/attachmenttray.h"
#include "app/ui/avatar.h"
#include "app/ui/dialogs/imageviewer.h"
#include "app/ui/dialogs/picturecropdialog.h"
#include "app/ui/dialogs/quickswitcher.h"
#include "app/ui/dialogs/settingsdialog.h"
#include "app/ui/listdelegates.h"
#include "app/ui/fileactions.h"
#include "app/ui/timelinedelegate.h"
#include "app/ui/topicpane.h"
#include "support/filebytes.h"
#include "support/filehttp.h"
#include "support/hostileimages.h"

#include <QClipboard>
#include <QDialogButtonBox>
#include <QLabel>
#include <QListView>
#include <QListWidget>
#include <QMimeData>
#include <QPainter>
#include <QPushButton>

using namespace chatterbox;
using namespace chatterbox::test;
using app::TimelineModel;

namespace {

QString key(const char *k) { return QString::fromLatin1(k); }

bool near(const QColor &seen, const QColor &expected, int tolerance = 24)
{
    return qAbs(seen.red() - expected.red()) < tolerance && qAbs(seen.green() - expected.green()) < tolerance
           && qAbs(seen.blue() - expected.blue()) < tolerance;
}

// A point of a drawn person that is inside their circle and clear of the initials' letters.
QPoint besideTheInitials(const QRect &avatar)
{
    return avatar.center() + QPoint(0, avatar.height() * 3 / 8);
}

const QColor kRed(220, 40, 40);

} // namespace

class TestUiFiles : public QObject {
    Q_OBJECT

    Harness m_harness;
    std::unique_ptr<TestServer> m_second;
    std::unique_ptr<ui::Theme> m_theme;
    std::unique_ptr<UiApp> m_dana, m_erin;
    Person m_alice;
    Harness::PartyIds m_party;
    QTemporaryDir m_files;   // the people's own files, outside the apps

    static ui::TopicPane &pane(UiApp &app) { return *app.window.findChild<ui::TopicPane *>(); }
    static ui::TimelineView &view(UiApp &app) { return *app.chat().timeline(); }

    QString write(const QString &name, const QByteArray &bytes)
    {
        const QString path = m_files.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

    static int rowWith(UiApp &app, const QString &body)
    {
        TimelineModel &timeline = app.client.timeline();
        for (int row = timeline.rowCount() - 1; row >= 0; --row) {
            if (timeline.index(row).data(TimelineModel::BodyRole).toString() == body)
                return row;
        }
        return -1;
    }

    // The row with that caption, once it is delivered there, scrolled into view.
    static QModelIndex shown(UiApp &app, const QString &body, int timeoutMs = 30000)
    {
        QModelIndex index;
        (void)QTest::qWaitFor([&] {
            const int row = rowWith(app, body);
            if (row < 0)
                return false;
            index = app.client.timeline().index(row);
            return index.data(TimelineModel::DeliveryStateRole).value<TimelineModel::DeliveryState>()
                   == TimelineModel::DeliveryState::Delivered;
        }, timeoutMs);
        if (index.isValid()) {
            view(app).scrollTo(index);
            QCoreApplication::processEvents();
        }
        return index;
    }

    static std::vector<ui::AttachmentsPart::Item> itemsOf(UiApp &app, const QModelIndex &index)
    {
        return view(app).timelineDelegate()->attachmentItems(view(app).visualRect(index), index);
    }

    // What an item's tile shows once its preview is decoded (or why it cannot be shown).
    static ui::AttachmentLoader::Preview previewOf(UiApp &app, const ui::AttachmentsPart::Item &item, int timeoutMs = 20000)
    {
        ui::AttachmentLoader &loader = *pane(app).attachmentLoader();
        ui::AttachmentLoader::Preview preview;
        (void)QTest::qWaitFor([&] {
            preview = loader.preview(item.file, item.rect.size() * view(app).devicePixelRatio());
            return !preview.image.isNull() || !preview.problem.isEmpty();
        }, timeoutMs);
        return preview;
    }

    // Files dropped from a file manager onto a widget, as the platform delivers them.
    static void drop(QWidget *target, const QStringList &paths)
    {
        QMimeData mime;
        QList<QUrl> urls;
        for (const QString &p : paths)
            urls.append(QUrl::fromLocalFile(p));
        mime.setUrls(urls);
        const QPoint at = target->rect().center();
        QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(target, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent dropped(QPointF(at), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(target, &dropped);
        QVERIFY(dropped.isAccepted());
    }

    static void sendWithCaption(UiApp &app, const QString &caption)
    {
        ui::AttachmentTray &tray = *pane(app).attachmentTray();
        QVERIFY(QTest::qWaitFor([&] { return tray.isReady(); }, 10000));
        ui::Composer &composer = *app.chat().composer();
        composer.setFocus();
        QTest::keyClicks(&composer, caption);
        QTest::keyClick(&composer, Qt::Key_Return);
    }

    // Alice's client, as an attacker would write one: uploads bytes declared as it likes.
    std::string uploadAsAlice(const QByteArray &bytes, json declared)
    {
        Http http(m_harness.server());
        return http.upload(m_alice.login.accessToken, bytes.toStdString(), std::move(declared));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_harness.start());
        m_second = std::make_unique<TestServer>(m_harness.databaseUrl());
        QVERIFY2(m_second->start(), qPrintable(m_second->output()));
        m_theme = std::make_unique<ui::Theme>(*qApp);
        m_alice = m_harness.connect(QStringLiteral("Alice"));
        m_party = Harness::createParty(m_alice, "Holiday");
        m_dana = std::make_unique<UiApp>(QStringLiteral("Dana"), *m_theme);
        m_erin = std::make_unique<UiApp>(QStringLiteral("Erin"), *m_theme);
        QVERIFY(m_dana->signIn(m_harness.server().httpUrl(QString())));
        QVERIFY(m_erin->signIn(m_second->httpUrl(QString())));
        for (UiApp *app : {m_dana.get(), m_erin.get()})
            QVERIFY(app->joinAndOpen(m_alice, m_party));
    }

    void pickedDroppedPasted_sentAsOneMessage_seenOnTheOtherInstance()
    {
        const QString photo = write(QStringLiteral("beach.png"), encoded(chatterbox::test::photo(1600, 900), "PNG"));
        const QByteArray noteBytes = "Bring sunscreen.\nAnd the <b>map</b>.\n";
        const QString note = write(QStringLiteral("notes.txt"), noteBytes);
        const QString script = write(QStringLiteral("setup.sh"), "#!/bin/sh\necho installing\n");
        ui::AttachmentTray &tray = *pane(*m_dana).attachmentTray();

        // The picker hands its choice to the tray; a drop on the timeline and a paste add to it.
        tray.addFiles({photo});
        drop(view(*m_dana).viewport(), {note, script});
        QImage screenshot(400, 300, QImage::Format_RGB32);
        screenshot.fill(QColor(20, 160, 90));
        QGuiApplication::clipboard()->setImage(screenshot);
        m_dana->chat().composer()->setFocus();
        QTest::keySequence(m_dana->chat().composer(), QKeySequence::Paste);
        QCOMPARE(tray.count(), 4);
        QCOMPARE(m_dana->chat().composer()->toPlainText(), QString());   // the image is a file, not text
        QCOMPARE(tray.findChildren<QWidget *>(QStringLiteral("attachmentChip")).size(), 4);
        sendWithCaption(*m_dana, QStringLiteral("from the beach"));
        QVERIFY(tray.isEmpty());

        const QModelIndex index = shown(*m_erin, QStringLiteral("from the beach"));
        QVERIFY(index.isValid());
        const QVariantList files = index.data(TimelineModel::FilesRole).toList();
        QCOMPARE(files.size(), 4);
        QCOMPARE(files[0].toMap().value(key(TimelineModel::kFileNameKey)).toString(), QStringLiteral("beach.png"));
        QCOMPARE(files[1].toMap().value(key(TimelineModel::kFileNameKey)).toString(), QStringLiteral("notes.txt"));
        QCOMPARE(files[2].toMap().value(key(TimelineModel::kFileNameKey)).toString(), QStringLiteral("setup.sh"));
        QVERIFY(files[3].toMap().value(key(TimelineModel::kFileNameKey)).toString().startsWith(QStringLiteral("Pasted image ")));

        const auto items = itemsOf(*m_erin, index);
        QCOMPARE(int(items.size()), 4);
        QVERIFY(items[0].image && !items[1].image && !items[2].image && items[3].image);
        // The photo's tile keeps its 16:9, within the bounded box.
        QVERIFY(items[0].rect.width() <= ui::AttachmentsPart::kImageBox.width());
        QVERIFY(items[0].rect.height() <= ui::AttachmentsPart::kImageBox.height());
        QVERIFY2(qAbs(items[0].rect.width() * 9 - items[0].rect.height() * 16) <= 16,
                 qPrintable(QStringLiteral("%1x%2").arg(items[0].rect.width()).arg(items[0].rect.height())));
        // Shown: the screenshot's green fills its tile on Erin's screen.
        QVERIFY(!previewOf(*m_erin, items[3]).image.isNull());
        QVERIFY(!previewOf(*m_erin, items[0]).image.isNull());
        view(*m_erin).viewport()->repaint();
        const QImage screen = view(*m_erin).viewport()->grab().toImage();
        const QColor tile = screen.pixelColor(items[3].rect.center() * screen.devicePixelRatio());
        QVERIFY2(qAbs(tile.red() - 20) < 12 && qAbs(tile.green() - 160) < 12 && qAbs(tile.blue() - 90) < 12,
                 qPrintable(tile.name()));
    }

    void photo_opensInTheViewer_zooms()
    {
        const QModelIndex index = shown(*m_erin, QStringLiteral("from the beach"));
        const auto items = itemsOf(*m_erin, index);
        QTest::mouseClick(view(*m_erin).viewport(), Qt::LeftButton, Qt::NoModifier, items[0].rect.center());
        ui::ImageViewer *viewer = pane(*m_erin).fileActions()->viewer();
        QVERIFY(viewer);
        QVERIFY(QTest::qWaitFor([&] { return viewer->isVisible() && !viewer->image().isNull(); }, 20000));
        QCOMPARE(viewer->image().size(), QSize(1600, 900));   // the whole file, not its thumbnail
        QVERIFY(viewer->isFitted());
        const double fitted = viewer->zoom();
        QTest::keyClick(viewer, Qt::Key_Plus);
        QVERIFY(viewer->zoom() > fitted);
        QVERIFY(!viewer->isFitted());
        QTest::keyClick(viewer, Qt::Key_1);
        QCOMPARE(viewer->zoom(), 1.0);
        QTest::keyClick(viewer, Qt::Key_0);
        QVERIFY(viewer->isFitted());
        viewer->close();
        QVERIFY(QTest::qWaitFor([&] { return pane(*m_erin).fileActions()->viewer() == nullptr; }, 5000));
    }

    void note_savedAndOpened_scriptRefused()
    {
        const QModelIndex index = shown(*m_erin, QStringLiteral("from the beach"));
        const auto items = itemsOf(*m_erin, index);
        ui::FileActions &actions = *pane(*m_erin).fileActions();
        QString suggested;
        const QString target = m_files.filePath(QStringLiteral("saved by erin.txt"));
        actions.setSaveAsker([&](const QString &path) {
            suggested = path;
            return target;
        });
        QList<QUrl> opened;
        actions.setOpener([&](const QUrl &url) {
            opened.append(url);
            return true;
        });

        // The card's button saves where the person says.
        QTest::mouseClick(view(*m_erin).viewport(), Qt::LeftButton, Qt::NoModifier, items[1].button.center());
        QVERIFY(QTest::qWaitFor([&] { return QFile::exists(target); }, 20000));
        QVERIFY(suggested.endsWith(QStringLiteral("notes.txt")));
        QCOMPARE(contentsOf(target), QByteArray("Bring sunscreen.\nAnd the <b>map</b>.\n"));

        // A click on the card opens it with the system's handler, from the app's own copy.
        QTest::mouseClick(view(*m_erin).viewport(), Qt::LeftButton, Qt::NoModifier, items[1].rect.center());
        QVERIFY(QTest::qWaitFor([&] { return !opened.isEmpty(); }, 20000));
        QVERIFY(opened[0].isLocalFile());
        QCOMPARE(QFileInfo(opened[0].toLocalFile()).fileName(), QStringLiteral("notes.txt"));
        QCOMPARE(contentsOf(opened[0].toLocalFile()), QByteArray("Bring sunscreen.\nAnd the <b>map</b>.\n"));

        // A script is never run because it was clicked: the person is told to save it instead.
        auto *problem = m_erin->window.findChild<QLabel *>(QStringLiteral("composerProblem"));
        QVERIFY(problem);
        QTest::mouseClick(view(*m_erin).viewport(), Qt::LeftButton, Qt::NoModifier, items[2].rect.center());
        QVERIFY(QTest::qWaitFor([&] { return problem->isVisible(); }, 5000));
        QCOMPARE(problem->textFormat(), Qt::PlainText);
        QVERIFY2(problem->text().contains(QStringLiteral("setup.sh")), qPrintable(problem->text()));
        QTest::qWait(300);
        QCOMPARE(opened.size(), 1);
    }

    void upload_showsProgress_cancelled_neverArrives()
    {
        const QString video = write(QStringLiteral("video.mp4"), randomFileBytes(20'000'000, 8));
        ui::AttachmentTray &tray = *pane(*m_dana).attachmentTray();
        tray.addFiles({video});
        double seen = -1;
        QRect cancel;
        QObject watching;
        connect(&m_dana->client.fileSender(), &app::FileSender::progress, &watching, [&](const QString &id, qint64 sent, qint64 total) {
            if (seen >= 0 || sent <= 0 || sent >= total)
                return;
            const int row = rowWith(*m_dana, QStringLiteral("too long to wait for"));
            const QModelIndex index = m_dana->client.timeline().index(row);
            seen = index.data(TimelineModel::UploadProgressRole).toDouble();
            view(*m_dana).scrollTo(index);
            cancel = view(*m_dana).timelineDelegate()->uploadCancelRect(view(*m_dana).visualRect(index), index);
            Q_UNUSED(id);
            // Clicked once this signal is over, as a person's click comes.
            QTimer::singleShot(0, &watching, [&] { QTest::mouseClick(view(*m_dana).viewport(), Qt::LeftButton, Qt::NoModifier, cancel.center()); });
        });
        sendWithCaption(*m_dana, QStringLiteral("too long to wait for"));
        QVERIFY(QTest::qWaitFor([&] { return seen >= 0; }, 20000));
        QVERIFY2(seen > 0 && seen < 1, qPrintable(QString::number(seen)));
        QVERIFY(!cancel.isNull());
        // Cancelled: gone from Dana's timeline and outbox, and never in Erin's.
        QVERIFY(QTest::qWaitFor([&] { return rowWith(*m_dana, QStringLiteral("too long to wait for")) < 0; }, 5000));
        QVERIFY(m_dana->client.outbox().entries().isEmpty());
        QTest::qWait(1000);
        QCOMPARE(rowWith(*m_erin, QStringLiteral("too long to wait for")), -1);
    }

    void hostileFiles_showSafely()
    {
        QByteArray jpeg = encoded(chatterbox::test::photo(800, 600), "JPEG", 90);
        jpeg.truncate(jpeg.size() / 3);
        const QByteArray svg("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>");
        const QByteArray html("<!doctype html><html><script>fetch('/files')</script></html>");
        const QByteArray goodPng = encoded(chatterbox::test::photo(200, 150), "PNG");
        const json asImage = {{"width", 800}, {"height", 600}};
        struct Hostile {
            const char *name;
            const char *type;
            QByteArray bytes;
            json extra;
        };
        const std::vector<Hostile> hostile = {
            {"<img src=x onerror=alert(1)>bomb.png", "image/png", pngDeclaring(60000, 60000), asImage},   // a name with markup, too
            {"cut.jpg", "image/jpeg", jpeg, asImage},
            {"frames.gif", "image/gif", gifOf(10000), asImage},
            {"page.png", "image/png", svg, asImage},
            {"site.png", "image/png", html, asImage},
            {"empty.png", "image/png", QByteArray(), asImage},
            // A good image whose thumbnail declares 60000 × 60000.
            {"thumb.png", "image/png", goodPng,
             {{"width", 200}, {"height", 150}, {"thumbnailType", "image/png"},
              {"thumbnail", pngDeclaring(60000, 60000).toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals).toStdString()}}},
        };
        json ids = json::array();
        for (const Hostile &h : hostile) {
            json declared = h.extra;
            declared["name"] = h.name;
            declared["type"] = h.type;
            const std::string id = uploadAsAlice(h.bytes, declared);
            QVERIFY2(!id.empty(), h.name);
            ids.push_back(id);
        }
        QVERIFY(isOk(m_alice->request("message.send", {{"topicId", m_party.topicId}, {"clientMsgId", uuid()}, {"body", "look at these"}, {"files", ids}})));

        const QModelIndex index = shown(*m_erin, QStringLiteral("look at these"));
        QVERIFY(index.isValid());
        const auto items = itemsOf(*m_erin, index);
        QCOMPARE(items.size(), hostile.size());
        for (std::size_t i = 0; i < items.size(); ++i) {
            QVERIFY2(items[i].image, hostile[i].name);   // declared as images: tiles
            const auto preview = previewOf(*m_erin, items[i]);
            QVERIFY2(!preview.image.isNull() || !preview.problem.isEmpty(), hostile[i].name);
            // What can be shown of it is bounded by its tile.
            QVERIFY2(preview.image.width() <= items[i].rect.width() * 2 && preview.image.height() <= items[i].rect.height() * 2, hostile[i].name);
        }
        for (const int refused : {0, 3, 4, 5, 6}) {
            QVERIFY2(!previewOf(*m_erin, items[refused]).problem.isEmpty(), hostile[refused].name);
            QVERIFY2(previewOf(*m_erin, items[refused]).image.isNull(), hostile[refused].name);
        }
        // Drawn as error tiles; the window still answers, and the bomb opens in the viewer as an error.
        view(*m_erin).viewport()->repaint();
        QTest::mouseClick(view(*m_erin).viewport(), Qt::LeftButton, Qt::NoModifier, items[0].rect.center());
        ui::ImageViewer *viewer = pane(*m_erin).fileActions()->viewer();
        QVERIFY(viewer);
        auto *status = viewer->findChild<QLabel *>(QStringLiteral("viewerStatus"));
        QVERIFY(status);
        QVERIFY(QTest::qWaitFor([&] { return status->isVisible() && status->text().contains(QStringLiteral("60000")); }, 20000));
        QVERIFY(viewer->image().isNull());
        for (QLabel *label : viewer->findChildren<QLabel *>())
            QVERIFY2(label->textFormat() == Qt::PlainText, qPrintable(label->objectName()));
        bool named = false;   // the name as sent, markup and all
        for (QLabel *label : viewer->findChildren<QLabel *>())
            named = named || label->text() == QStringLiteral("<img src=x onerror=alert(1)>bomb.png");
        QVERIFY(named);
        viewer->close();
        // And Erin can still write.
        m_erin->chat().composer()->setFocus();
        QTest::keyClicks(m_erin->chat().composer(), QStringLiteral("those did not open"));
        QTest::keyClick(m_erin->chat().composer(), Qt::Key_Return);
        QVERIFY(shown(*m_erin, QStringLiteral("those did not open")).isValid());
    }

    // What Erin's member list shows at Dana's (or anyone's) avatar, drawn afresh.
    QColor memberAvatarColor(const std::string &userId)
    {
        auto *members = m_erin->window.findChild<QListView *>(QStringLiteral("memberList"));
        for (int row = 0; row < members->model()->rowCount(); ++row) {
            const QModelIndex index = members->model()->index(row, 0);
            if (index.data(app::MemberListModel::UserIdRole).toString().toStdString() != userId)
                continue;
            members->viewport()->repaint();
            const QImage screen = members->viewport()->grab().toImage();
            return screen.pixelColor(besideTheInitials(ui::MemberDelegate::avatarRect(members->visualRect(index))) * screen.devicePixelRatio());
        }
        return {};
    }

    void picture_croppedInSettings_shownOnTheOtherInstance()
    {
        // A wide photo: red on the left, blue on the right.
        QImage wide(800, 400, QImage::Format_RGB32);
        wide.fill(QColor(30, 90, 220));
        QPainter(&wide).fillRect(0, 0, 400, 400, kRed);
        const QString path = write(QStringLiteral("wide.png"), encoded(wide, "PNG"));
        const std::string dana = m_dana->client.store().me().id;

        m_dana->chat().openSettings();
        QPointer<ui::SettingsDialog> settings = m_dana->waitForDialog<ui::SettingsDialog>();
        QVERIFY(settings);
        QVERIFY(!settings->findChild<QPushButton *>(QStringLiteral("removePicture"))->isEnabled());
        // A file that is no image it can show is refused before any cropping, in plain words.
        auto *error = settings->findChild<QLabel *>(QStringLiteral("dialogError"));
        settings->cropPicture(write(QStringLiteral("<img src=x onerror=alert(1)>bomb.png"), pngDeclaring(60000, 60000)));
        QVERIFY(error->isVisible() && error->text().contains(QStringLiteral("60000")));
        QVERIFY(!settings->findChild<ui::PictureCropDialog *>());
        settings->cropPicture(write(QStringLiteral("page.png"), "<!doctype html><script>alert(1)</script>"));
        QVERIFY(error->isVisible());
        QVERIFY(!settings->findChild<ui::PictureCropDialog *>());
        settings->cropPicture(path);
        auto *crop = m_dana->waitForDialog<ui::PictureCropDialog>();
        QVERIFY(crop);
        ui::SquareCropper *cropper = crop->cropper();
        QVERIFY(QTest::qWaitForWindowExposed(crop));
        QCOMPARE(cropper->selection(), QRect(200, 0, 400, 400));   // the largest square, in the middle
        // Dragged past the left edge: it stops there, on the red half.
        const QPoint from = cropper->selectionRect().center().toPoint();
        QTest::mousePress(cropper, Qt::LeftButton, {}, from);
        QTest::mouseMove(cropper, from - QPoint(cropper->width(), 0));
        QTest::mouseRelease(cropper, Qt::LeftButton, {}, from - QPoint(cropper->width(), 0));
        QCOMPARE(cropper->selection(), QRect(0, 0, 400, 400));
        // The keys move and size it too.
        QTest::keyClick(cropper, Qt::Key_Right);
        QVERIFY(cropper->selection().x() > 0);
        QTest::keyClick(cropper, Qt::Key_Left);
        QTest::keyClick(cropper, Qt::Key_Minus);
        QVERIFY(cropper->selection().width() < 400);
        QTest::keyClick(cropper, Qt::Key_Plus);
        cropper->setSelection(QRect(0, 0, 400, 400));
        QTest::keyClick(cropper, Qt::Key_Return);   // the default button: Use This
        QVERIFY(QTest::qWaitFor([&] { return !crop->isVisible(); }, 5000));

        // The settings show it before it is saved; Save uploads it.
        auto *shownThere = settings->findChild<QLabel *>(QStringLiteral("pictureShown"));
        const QImage preview = shownThere->pixmap().toImage();
        QVERIFY2(near(preview.pixelColor(preview.width() / 2, preview.height() / 2), kRed), qPrintable(preview.pixelColor(preview.width() / 2, preview.height() / 2).name()));
        QVERIFY(m_dana->client.store().me().avatarFileId.empty());
        settings->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();
        QVERIFY(QTest::qWaitFor([&] { return settings.isNull(); }, 15000));
        const std::string picture = m_dana->client.store().me().avatarFileId;
        QVERIFY(!picture.empty());

        // Erin, on the other instance, sees it in the member list ...
        QVERIFY(QTest::qWaitFor([&] { return m_erin->client.store().pictureOf(dana).toStdString() == picture; }, 10000));
        QVERIFY2(QTest::qWaitFor([&] { return near(memberAvatarColor(dana), kRed); }, 15000), qPrintable(memberAvatarColor(dana).name()));
        // ... beside Dana's messages ...
        m_dana->client.send(m_dana->client.currentTopicId(), QStringLiteral("new picture"));
        const QModelIndex index = shown(*m_erin, QStringLiteral("new picture"));
        QVERIFY(index.isValid());
        const QRect avatar = view(*m_erin).timelineDelegate()->avatarRect(view(*m_erin).visualRect(index), index);
        QVERIFY(!avatar.isNull());
        const auto timelineColor = [&] {
            view(*m_erin).viewport()->repaint();
            const QImage screen = view(*m_erin).viewport()->grab().toImage();
            return screen.pixelColor(besideTheInitials(avatar) * screen.devicePixelRatio());
        };
        QVERIFY2(QTest::qWaitFor([&] { return near(timelineColor(), kRed); }, 15000), qPrintable(timelineColor().name()));
        // ... and in the quick switcher.
        m_erin->chat().openQuickSwitcher();
        auto *switcher = m_erin->waitForDialog<ui::QuickSwitcher>();
        QVERIFY(switcher);
        QTest::keyClicks(switcher->findChild<QLineEdit *>(), QStringLiteral("Dana"));
        auto *results = switcher->findChild<QListWidget *>();
        QVERIFY(results->count() > 0);
        const auto iconColor = [&] {
            const QImage icon = results->item(0)->icon().pixmap(QSize(32, 32)).toImage();
            return icon.pixelColor(besideTheInitials(QRect(2, 2, 28, 28)) * icon.devicePixelRatio());
        };
        QVERIFY2(QTest::qWaitFor([&] { return near(iconColor(), kRed); }, 15000), qPrintable(iconColor().name()));
        switcher->reject();

        // Dana removes it: her initials on her colour again, for Erin too.
        m_dana->chat().openSettings();
        settings = m_dana->waitForDialog<ui::SettingsDialog>();
        QVERIFY(settings);
        auto *remove = settings->findChild<QPushButton *>(QStringLiteral("removePicture"));
        QVERIFY(remove->isEnabled());
        remove->click();
        QVERIFY(!remove->isEnabled());
        settings->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();
        QVERIFY(QTest::qWaitFor([&] { return settings.isNull(); }, 15000));
        QVERIFY(QTest::qWaitFor([&] { return m_erin->client.store().pictureOf(dana).isEmpty(); }, 10000));
        const QColor danas = ui::colorFor(QString::fromStdString(dana));
        QVERIFY2(QTest::qWaitFor([&] { return near(memberAvatarColor(dana), danas); }, 10000), qPrintable(memberAvatarColor(dana).name()));
    }

    void picture_thatCannotBeShown_leavesTheInitials()
    {
        // Alice's client declares a PNG of 60000 × 60000 as a square picture: the server takes
        // it (it never decodes images); Erin's app fetches it, refuses to decode it, and draws
        // Alice's initials, and the window goes on.
        const std::string bomb = uploadAsAlice(pngDeclaring(60000, 60000), {{"name", "me.png"}, {"type", "image/png"}, {"width", 256}, {"height", 256}});
        QVERIFY(!bomb.empty());
        QVERIFY(isOk(m_alice->request("profile.update", {{"avatarFileId", bomb}})));
        const std::string alice = m_alice.login.userId;
        QVERIFY(QTest::qWaitFor([&] { return m_erin->client.store().pictureOf(alice).toStdString() == bomb; }, 10000));
        ui::AttachmentLoader &loader = *pane(*m_erin).attachmentLoader();
        const QSize pixels = QSize(28, 28) * view(*m_erin).devicePixelRatio();
        QVERIFY(QTest::qWaitFor([&] { return !loader.picture(QString::fromStdString(bomb), pixels).problem.isEmpty(); }, 15000));
        QVERIFY(near(memberAvatarColor(alice), ui::colorFor(QString::fromStdString(alice))));
        m_erin->chat().composer()->setFocus();
        QTest::keyClicks(m_erin->chat().composer(), QStringLiteral("still here"));
        QTest::keyClick(m_erin->chat().composer(), Qt::Key_Return);
        QVERIFY(shown(*m_erin, QStringLiteral("still here")).isValid());
        QVERIFY(isOk(m_alice->request("profile.update", {{"avatarFileId", ""}})));
    }
};

QTEST_MAIN(TestUiFiles)
#include "tst_ui_files.moc"
