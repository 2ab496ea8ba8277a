// SPDX-License-Identifier: GPL-3.0-or-later
// chatterbox-timeline-bench: how the app's timeline copes with a long topic. Fills a topic with
// N messages (100,000 by default, a mix of plain lines and markdown, five authors), shows it in
// the real TimelineView, and measures opening it, painting frames while scrolling through all of
// it, a page of older history arriving at the top, and a window resize. One message in ten
// carries an image, whose thumbnail waits in the app's file cache on disk as after a first
// viewing, so the frames include the real decoding off the UI thread. Prints a table; with
// --json FILE also writes the numbers. Runs with any Qt platform (offscreen works headless).

#include "app/core/filefetcher.h"
#include "app/core/models/timelinemodel.h"
#include "app/core/outbox.h"
#include "app/core/store.h"
#include "app/core/transport.h"
#include "app/ui/attachmentloader.h"
#include "app/ui/imagedecoding.h"
#include "app/ui/theme.h"
#include "app/ui/timelinedelegate.h"
#include "app/ui/timelineview.h"

#include <QApplication>
#include <QBuffer>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPainter>
#include <QScrollBar>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace chatterbox;

namespace {

const char *const kBodies[] = {
    "sounds good to me",
    "Has anyone read the **new chapter** yet? I think it changes *everything* about the ending.",
    "see https://example.org/notes for the schedule",
    "`make test` passes here, trying the release build now",
    "Proposed:\n- Thursday 7pm\n- Saturday morning\n- online only",
    "lol",
    "I'll bring the projector and the cables, someone else please bring snacks and maybe a board game for after.",
};

// With conversation on, one message in ten carries reactions and another one in ten is a
// reply (to the message five before it), as in a lively topic.
bool g_conversation = true;
// With images on, one message in ten (seq % 10 == 5) carries a photo, in one of three shapes.
bool g_images = true;

bool hasImage(std::int64_t seq) { return g_images && seq % 10 == 5; }

// The file id of a message's image: a UUID, as the server makes them.
std::string imageId(std::int64_t seq)
{
    return QStringLiteral("00000000-0000-4000-8000-%1").arg(seq, 12, 10, QLatin1Char('0')).toStdString();
}

QSize imageShape(std::int64_t seq)
{
    static const QSize kShapes[] = {{1600, 1200}, {1920, 1080}, {1200, 1600}};
    return kShapes[(seq / 10) % 3];
}

// Thumbnails as the sending app makes them (describeImage), one per shape and colour, written to
// the cache under each image's id.
void writeThumbnails(const QString &directory, std::int64_t first, std::int64_t last)
{
    std::vector<QByteArray> made;
    for (int shape = 0; shape < 3; ++shape) {
        for (int colour = 0; colour < 4; ++colour) {
            QImage photo(imageShape(shape * 10), QImage::Format_RGB32);
            QPainter p(&photo);
            QLinearGradient gradient(0, 0, photo.width(), photo.height());
            gradient.setColorAt(0, QColor::fromHsv(colour * 80, 160, 200));
            gradient.setColorAt(1, QColor::fromHsv(colour * 80 + 40, 200, 120));
            p.fillRect(photo.rect(), gradient);
            p.end();
            QByteArray png;
            QBuffer buffer(&png);
            buffer.open(QIODevice::WriteOnly);
            photo.save(&buffer, "PNG");
            made.push_back(ui::describeImage(png).thumbnail);
        }
    }
    for (std::int64_t seq = first; seq <= last; ++seq) {
        if (!hasImage(seq))
            continue;
        QFile file(directory + QLatin1Char('/') + QString::fromStdString(imageId(seq)) + QStringLiteral(".thumbnail"));
        const QByteArray &bytes = made[static_cast<std::size_t>(((seq / 10) % 3) * 4 + (seq / 30) % 4)];
        if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
            qFatal("cannot write %s", qPrintable(file.fileName()));
    }
}

// The fetcher never asks the server in this bench: every thumbnail is on disk already.
class NoServer final : public app::TokenSource {
public:
    bool isSignedIn() const override { return true; }
    QByteArray currentAccessToken() const override { return {}; }
    QUrl webSocketUrl() const override { return {}; }
    void refreshAccess(std::function<void(bool)> done) override { done(false); }
};

protocol::Message message(std::int64_t seq, std::int64_t createdAt)
{
    protocol::Message m;
    m.id = std::to_string(seq);
    m.topicId = "topic";
    m.partyId = "party";
    m.seq = seq;
    m.rev = seq;
    static const std::string kAuthors[] = {"user0", "user1", "user2", "user3", "user4"};
    m.authorId = kAuthors[(seq / 3) % 5];
    m.body = kBodies[seq % (sizeof kBodies / sizeof kBodies[0])];
    m.createdAt = createdAt;
    if (g_conversation && seq % 10 == 3)
        m.reactions = {{"\xf0\x9f\x91\x8d", {"user1", "user2"}}, {"\xf0\x9f\x8e\x89", {"user3"}}};
    if (g_conversation && seq % 10 == 7 && seq > 5)
        m.replyTo = protocol::ReplyPreview{std::to_string(seq - 5), seq - 5, kAuthors[((seq - 5) / 3) % 5],
                                           kBodies[(seq - 5) % (sizeof kBodies / sizeof kBodies[0])], false};
    if (hasImage(seq)) {
        const QSize shape = imageShape(seq);
        m.files = {{imageId(seq), "photo.jpg", "image/jpeg", 2'400'000, shape.width(), shape.height(), true}};
    }
    return m;
}

struct Stats {
    double p50 = 0, p99 = 0, max = 0;
};

Stats stats(std::vector<double> ms)
{
    std::sort(ms.begin(), ms.end());
    if (ms.empty())
        return {};
    auto at = [&](double q) { return ms[std::min(ms.size() - 1, static_cast<std::size_t>(q * static_cast<double>(ms.size())))]; };
    return {at(0.5), at(0.99), ms.back()};
}

// Paints one frame of the view now, as the screen would show it.
void paintFrame(ui::TimelineView &view)
{
    static QImage frame;
    if (frame.size() != view.viewport()->size())
        frame = QImage(view.viewport()->size(), QImage::Format_ARGB32_Premultiplied);
    view.viewport()->render(&frame);
}

double elapsedMs(QElapsedTimer &t)
{
    return static_cast<double>(t.nsecsElapsed()) / 1e6;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Measures the app's timeline with a very long topic."));
    parser.addHelpOption();
    const QCommandLineOption countOption(QStringLiteral("messages"), QStringLiteral("Messages in the topic (default 100000)."), QStringLiteral("n"), QStringLiteral("100000"));
    const QCommandLineOption jsonOption(QStringLiteral("json"), QStringLiteral("Also write the results to this file."), QStringLiteral("file"));
    const QCommandLineOption plainOption(QStringLiteral("plain"), QStringLiteral("No reactions or replies (by default one message in ten has reactions and one in ten is a reply)."));
    parser.addOption(countOption);
    parser.addOption(jsonOption);
    const QCommandLineOption noImagesOption(QStringLiteral("no-images"), QStringLiteral("No images (by default one message in ten carries one)."));
    parser.addOption(plainOption);
    parser.addOption(noImagesOption);
    parser.process(app);
    g_conversation = !parser.isSet(plainOption);
    g_images = !parser.isSet(noImagesOption);
    const std::int64_t count = std::max<std::int64_t>(100, parser.value(countOption).toLongLong());

    ui::Theme theme(app);
    app::Store store;
    protocol::Ready ready;
    ready.me = {"user0", "Dana", "", ""};
    protocol::Party party{"party", "Bench", "user0", 0, {{"topic", "party", "general", 0, count + 50, count + 50}}, {}};
    for (const char *id : {"user0", "user1", "user2", "user3", "user4"})
        party.members.push_back({id, std::string("Person ").append(id + 4), "", protocol::Role::Member, 0, ""});
    ready.parties = {party};
    store.applyReady(ready);

    // The newest count messages, one a minute; the 50 before them arrive later as a page.
    const std::int64_t start = QDateTime::currentMSecsSinceEpoch() - (count + 50) * 60000;
    protocol::History all{"topic", {}, true};
    all.messages.reserve(static_cast<std::size_t>(count));
    for (std::int64_t seq = 51; seq <= count + 50; ++seq)
        all.messages.push_back(message(seq, start + seq * 60000));
    store.applyHistory(all, true);

    QTemporaryDir cache;
    writeThumbnails(cache.path(), 1, count + 50);
    NoServer noServer;
    app::FileFetcher fetcher(noServer, [] { return QUrl(); }, cache.path());
    ui::AttachmentLoader loader(fetcher);

    app::Outbox outbox({});
    app::TimelineModel model(store, outbox, [](const QString &, auto) {}, [](const QString &, auto) {});
    ui::TimelineView view(theme);
    view.setTimeline(&model);
    view.timelineDelegate()->setAttachmentLoader(&loader);
    QObject::connect(&loader, &ui::AttachmentLoader::changed, view.viewport(), qOverload<>(&QWidget::update));
    view.resize(900, 800);
    view.show();

    QElapsedTimer timer;
    timer.start();
    model.setTopicId(QStringLiteral("topic"));
    paintFrame(view);
    const double openMs = elapsedMs(timer);
    // Until the images of the first screen are decoded and drawn.
    auto visibleImagesShown = [&] {
        for (int y = 0; y < view.viewport()->height(); y += 8) {
            const QModelIndex index = view.indexAt(QPoint(view.viewport()->width() / 2, y));
            if (!index.isValid())
                continue;
            for (const auto &item : view.timelineDelegate()->attachmentItems(view.visualRect(index), index)) {
                const auto preview = item.image ? loader.preview(item.file, item.rect.size()) : ui::AttachmentLoader::Preview{};
                if (item.image && preview.image.isNull() && preview.problem.isEmpty())
                    return false;   // still decoding
                if (!preview.problem.isEmpty())
                    qFatal("an image of the bench cannot be shown: %s", qPrintable(preview.problem));
            }
        }
        return true;
    };
    while (!visibleImagesShown())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 5);
    paintFrame(view);
    const double imagesShownMs = elapsedMs(timer);

    // Scrolling up through history: by wheel steps, by whole screens, and by dragging the bar.
    QScrollBar *bar = view.verticalScrollBar();
    auto scrollFrames = [&](int frames, auto nextValue) {
        std::vector<double> ms;
        for (int i = 0; i < frames; ++i) {
            QCoreApplication::processEvents();   // what the app does between frames: decoded previews arrive
            QElapsedTimer frame;
            frame.start();
            bar->setValue(nextValue(i));
            paintFrame(view);
            ms.push_back(elapsedMs(frame));
        }
        return stats(ms);
    };
    const int wheelStep = 3 * view.fontMetrics().lineSpacing() * 2;
    const int screen = view.viewport()->height();
    bar->setValue(bar->maximum());
    const Stats wheel = scrollFrames(500, [&](int) { return bar->value() - wheelStep; });
    const Stats pages = scrollFrames(500, [&](int) { return bar->value() - screen; });
    std::uint32_t seed = 12345;
    const Stats jumps = scrollFrames(200, [&](int) {
        seed = seed * 1664525u + 1013904223u;
        return static_cast<int>(static_cast<qint64>(seed % 100000) * bar->maximum() / 100000);
    });
    bar->setValue(0);
    paintFrame(view);

    // A page of older history arrives while the reader is at the top.
    protocol::History older{"topic", {}, false};
    for (std::int64_t seq = 1; seq <= 50; ++seq)
        older.messages.push_back(message(seq, start + seq * 60000));
    timer.restart();
    store.applyHistory(older, true);
    paintFrame(view);
    const double prependMs = elapsedMs(timer);

    timer.restart();
    view.resize(700, 800);
    QCoreApplication::processEvents();
    paintFrame(view);
    const double resizeMs = elapsedMs(timer);

    std::printf("chatterbox-timeline-bench: %lld messages%s, viewport %dx%d, platform %s\n",
                static_cast<long long>(model.rowCount()), g_images ? " (one in ten with an image)" : "", view.viewport()->width(), view.viewport()->height(),
                qPrintable(QGuiApplication::platformName()));
    std::printf("  %-34s %10.1f ms\n", "open topic (layout + first frame)", openMs);
    if (g_images)
        std::printf("  %-34s %10.1f ms\n", "... and its images shown", imagesShownMs);
    for (const auto &[name, st] : {std::pair{"frame, wheel scroll (6 lines)", wheel}, std::pair{"frame, page up", pages},
                                   std::pair{"frame, drag the scroll bar", jumps}})
        std::printf("  %-34s %10.2f ms p50 %8.2f ms p99 %8.2f ms max\n", name, st.p50, st.p99, st.max);
    std::printf("  %-34s %10.1f ms\n", "50 older messages arrive at 100k", prependMs);
    std::printf("  %-34s %10.1f ms\n", "resize (relayout all rows)", resizeMs);

    if (parser.isSet(jsonOption)) {
        const QJsonObject out{{QStringLiteral("messages"), static_cast<qint64>(model.rowCount())},
                              {QStringLiteral("images"), g_images},
                              {QStringLiteral("openMs"), openMs},
                              {QStringLiteral("imagesShownMs"), imagesShownMs},
                              {QStringLiteral("wheelFrameP50Ms"), wheel.p50},
                              {QStringLiteral("wheelFrameP99Ms"), wheel.p99},
                              {QStringLiteral("pageFrameP50Ms"), pages.p50},
                              {QStringLiteral("pageFrameP99Ms"), pages.p99},
                              {QStringLiteral("dragFrameP50Ms"), jumps.p50},
                              {QStringLiteral("dragFrameP99Ms"), jumps.p99},
                              {QStringLiteral("prependMs"), prependMs},
                              {QStringLiteral("resizeMs"), resizeMs}};
        QFile file(parser.value(jsonOption));
        if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(out).toJson()) < 0) {
            std::fprintf(stderr, "cannot write %s\n", qPrintable(parser.value(jsonOption)));
            return 1;
        }
    }
    return 0;
}
