// chatterbox-timeline-bench: how the app's timeline copes with a long topic. Fills a topic with
// N messages (100,000 by default, a mix of plain lines and markdown, five authors), shows it in
// the real TimelineView, and measures opening it, painting frames while scrolling through all of
// it, a page of older history arriving at the top, and a window resize. Prints a table; with
// --json FILE also writes the numbers. Runs with any Qt platform (offscreen works headless).

#include "app/core/models/timelinemodel.h"
#include "app/core/outbox.h"
#include "app/core/store.h"
#include "app/ui/theme.h"
#include "app/ui/timelineview.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QScrollBar>

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
    parser.addOption(plainOption);
    parser.process(app);
    g_conversation = !parser.isSet(plainOption);
    const std::int64_t count = std::max<std::int64_t>(100, parser.value(countOption).toLongLong());

    ui::Theme theme(app);
    app::Store store;
    protocol::Ready ready;
    ready.me = {"user0", "Dana", ""};
    protocol::Party party{"party", "Bench", "user0", 0, {{"topic", "party", "general", 0, count + 50, count + 50}}, {}};
    for (const char *id : {"user0", "user1", "user2", "user3", "user4"})
        party.members.push_back({id, std::string("Person ").append(id + 4), "", protocol::Role::Member, 0});
    ready.parties = {party};
    store.applyReady(ready);

    // The newest count messages, one a minute; the 50 before them arrive later as a page.
    const std::int64_t start = QDateTime::currentMSecsSinceEpoch() - (count + 50) * 60000;
    protocol::History all{"topic", {}, true};
    all.messages.reserve(static_cast<std::size_t>(count));
    for (std::int64_t seq = 51; seq <= count + 50; ++seq)
        all.messages.push_back(message(seq, start + seq * 60000));
    store.applyHistory(all, true);

    app::Outbox outbox({});
    app::TimelineModel model(store, outbox, [](const QString &, auto) {}, [](const QString &, auto) {});
    ui::TimelineView view(theme);
    view.setTimeline(&model);
    view.resize(900, 800);
    view.show();

    QElapsedTimer timer;
    timer.start();
    model.setTopicId(QStringLiteral("topic"));
    paintFrame(view);
    const double openMs = elapsedMs(timer);

    // Scrolling up through history: by wheel steps, by whole screens, and by dragging the bar.
    QScrollBar *bar = view.verticalScrollBar();
    auto scrollFrames = [&](int frames, auto nextValue) {
        std::vector<double> ms;
        for (int i = 0; i < frames; ++i) {
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

    std::printf("chatterbox-timeline-bench: %lld messages, viewport %dx%d, platform %s\n",
                static_cast<long long>(model.rowCount()), view.viewport()->width(), view.viewport()->height(),
                qPrintable(QGuiApplication::platformName()));
    std::printf("  %-34s %10.1f ms\n", "open topic (layout + first frame)", openMs);
    for (const auto &[name, st] : {std::pair{"frame, wheel scroll (6 lines)", wheel}, std::pair{"frame, page up", pages},
                                   std::pair{"frame, drag the scroll bar", jumps}})
        std::printf("  %-34s %10.2f ms p50 %8.2f ms p99 %8.2f ms max\n", name, st.p50, st.p99, st.max);
    std::printf("  %-34s %10.1f ms\n", "50 older messages arrive at 100k", prependMs);
    std::printf("  %-34s %10.1f ms\n", "resize (relayout all rows)", resizeMs);

    if (parser.isSet(jsonOption)) {
        const QJsonObject out{{QStringLiteral("messages"), static_cast<qint64>(model.rowCount())},
                              {QStringLiteral("openMs"), openMs},
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
