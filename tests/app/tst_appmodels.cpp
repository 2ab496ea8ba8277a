// SPDX-License-Identifier: GPL-3.0-or-later
// The app's store and list models, fed with protocol structs as the server sends them; every
// model runs under QAbstractItemModelTester.

#include "app/core/destinations.h"
#include "app/core/keychainsecretstore.h"
#include "app/core/models/memberlistmodel.h"
#include "app/core/models/partylistmodel.h"
#include "app/core/models/timelinemodel.h"
#include "app/core/models/topiclistmodel.h"
#include "app/core/models/typingmodel.h"
#include "app/core/outbox.h"
#include "app/core/store.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace chatterbox;
using namespace chatterbox::app;
using namespace chatterbox::protocol;

namespace {

const std::string kMe = "00000000-0000-4000-8000-000000000001";
const std::string kAnn = "00000000-0000-4000-8000-000000000002";
const std::string kBo = "00000000-0000-4000-8000-000000000003";
const std::string kParty = "00000000-0000-4000-8000-00000000aaaa";
const std::string kTopic = "00000000-0000-4000-8000-00000000bbbb";
const std::string kOther = "00000000-0000-4000-8000-00000000cccc";
const std::int64_t kDay = 24LL * 3600 * 1000;
const std::int64_t kT0 = 1795800000000; // a fixed moment

Message message(std::int64_t seq, const std::string &author, std::int64_t at, std::vector<std::string> mentions = {})
{
    Message m;
    m.id = "m-" + std::to_string(seq);
    m.topicId = kTopic;
    m.partyId = kParty;
    m.seq = seq;
    m.rev = seq;
    m.authorId = author;
    m.clientMsgId = "c-" + std::to_string(seq);
    m.body = "message " + std::to_string(seq);
    m.createdAt = at;
    m.mentions = std::move(mentions);
    return m;
}

Ready readyWith(std::int64_t lastSeq, std::int64_t lastRead)
{
    Ready r;
    r.protocol = 1;
    r.me = {kMe, "Me", {}, {}};
    Party p;
    p.id = kParty;
    p.name = "Book Club";
    p.ownerId = kMe;
    p.topics = {{kTopic, kParty, "general", 0, lastSeq, lastSeq}, {kOther, kParty, "random", 1, 0, 0}};
    p.members = {{kMe, "Me", {}, Role::Owner, 0, {}}, {kAnn, "Ann", {}, Role::Member, 0, {}}, {kBo, "bo", {}, Role::Member, 0, {}}};
    r.parties = {p};
    r.readStates = {{kTopic, lastRead, lastSeq - lastRead, 0}, {kOther, 0, 0, 0}};
    r.presence = {{kBo, Presence::Online}};
    return r;
}

History page(std::int64_t from, std::int64_t to, bool hasMore)
{
    History h;
    h.topicId = kTopic;
    for (std::int64_t s = from; s <= to; ++s)
        h.messages.push_back(message(s, s % 2 ? kAnn : kMe, kT0 + s * 60000));
    h.hasMore = hasMore;
    return h;
}

} // namespace

class TestAppModels : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void parties_unreadAndInitials()
    {
        Store store;
        PartyListModel parties(store);
        QAbstractItemModelTester tester(&parties, QAbstractItemModelTester::FailureReportingMode::QtTest);
        store.applyReady(readyWith(10, 7));
        QCOMPARE(parties.rowCount(), 1);
        QCOMPARE(parties.data(parties.index(0), PartyListModel::InitialsRole).toString(), QStringLiteral("BC"));
        QCOMPARE(parties.data(parties.index(0), PartyListModel::UnreadRole).toLongLong(), 3);
        QSignalSpy changed(&parties, &QAbstractItemModel::dataChanged);
        store.applyEvent(MessageCreated{message(11, kAnn, kT0, {kMe})});
        QVERIFY(changed.count() >= 1);
        QCOMPARE(parties.data(parties.index(0), PartyListModel::UnreadRole).toLongLong(), 4);
        QCOMPARE(parties.data(parties.index(0), PartyListModel::MentionsRole).toLongLong(), 1);
        // My own message means I have read up to it.
        store.applyEvent(MessageCreated{message(12, kMe, kT0)});
        QCOMPARE(parties.data(parties.index(0), PartyListModel::UnreadRole).toLongLong(), 0);
        store.applyEvent(PartyDeleted{kParty});
        QCOMPARE(parties.rowCount(), 0);
    }

    void topics_orderRenameDeleteAndCounts()
    {
        Store store;
        TopicListModel topics(store);
        QAbstractItemModelTester tester(&topics, QAbstractItemModelTester::FailureReportingMode::QtTest);
        store.applyReady(readyWith(3, 3));
        topics.setPartyId(QString::fromStdString(kParty));
        QCOMPARE(topics.rowCount(), 2);
        store.applyEvent(TopicsReordered{kParty, {kOther, kTopic}});
        QCOMPARE(topics.data(topics.index(0)).toString(), QStringLiteral("random"));
        store.applyEvent(TopicUpdated{{kOther, kParty, "chat", 0, 0, 0}});
        QCOMPARE(topics.data(topics.index(0)).toString(), QStringLiteral("chat"));
        store.applyEvent(MessageCreated{message(4, kAnn, kT0)});
        QCOMPARE(topics.data(topics.index(1), TopicListModel::UnreadRole).toLongLong(), 1);
        store.applyEvent(ReadStateUpdated{{kTopic, 4, 0, 0}});
        QCOMPARE(topics.data(topics.index(1), TopicListModel::UnreadRole).toLongLong(), 0);
        store.applyEvent(TopicDeleted{kParty, kOther});
        QCOMPARE(topics.rowCount(), 1);
    }

    void members_onlineFirst()
    {
        Store store;
        MemberListModel members(store);
        QAbstractItemModelTester tester(&members, QAbstractItemModelTester::FailureReportingMode::QtTest);
        store.applyReady(readyWith(0, 0));
        members.setPartyId(QString::fromStdString(kParty));
        QCOMPARE(members.data(members.index(0)).toString(), QStringLiteral("bo"));
        QCOMPARE(members.data(members.index(0), MemberListModel::PresenceRole).toString(), QStringLiteral("online"));
        store.applyEvent(PresenceUpdated{kAnn, Presence::Idle});
        QCOMPARE(members.data(members.index(1)).toString(), QStringLiteral("Ann"));
        store.applyEvent(PresenceUpdated{kBo, Presence::Offline});
        QCOMPARE(members.data(members.index(0)).toString(), QStringLiteral("Ann"));
        store.applyEvent(ProfileUpdated{{kAnn, "Annie", {}, {}}});
        QCOMPARE(members.data(members.index(0)).toString(), QStringLiteral("Annie"));
        store.applyEvent(MemberLeft{kParty, kAnn, "left"});
        QCOMPARE(members.rowCount(), 2);
    }

    void members_doNotDisturbSortsWithOnline_byName()
    {
        Store store;
        MemberListModel members(store);
        store.applyReady(readyWith(0, 0));
        members.setPartyId(QString::fromStdString(kParty));
        store.applyEvent(PresenceUpdated{kAnn, Presence::DoNotDisturb});
        store.applyEvent(PresenceUpdated{kMe, Presence::Online});
        // Ann (do not disturb), bo and Me (online) by name, then nobody idle or offline.
        QCOMPARE(members.data(members.index(0)).toString(), QStringLiteral("Ann"));
        QCOMPARE(members.data(members.index(0), MemberListModel::PresenceRole).toString(), QStringLiteral("dnd"));
        QCOMPARE(members.data(members.index(1)).toString(), QStringLiteral("bo"));
        QCOMPARE(members.data(members.index(2)).toString(), QStringLiteral("Me"));
        store.applyEvent(PresenceUpdated{kAnn, Presence::Idle});
        QCOMPARE(members.data(members.index(2)).toString(), QStringLiteral("Ann"));
    }

    void store_directConversationsAndBlocks()
    {
        Store store;
        QSignalSpy blocks(&store, &Store::blocksChanged);
        Ready ready = readyWith(0, 0);
        ready.blockedUserIds = {kBo};
        Party direct;
        direct.id = "dddddddd-0000-4000-8000-000000000001";
        direct.kind = PartyKind::Direct;
        direct.topics = {{"dddddddd-0000-4000-8000-0000000000t1", direct.id, "messages", 0, 0, 0}};
        direct.members = {{kAnn, "Ann", {}, Role::Member, 0, {}}, {kMe, "Me", {}, Role::Member, 0, {}}};
        ready.parties.push_back(direct);
        store.applyReady(ready);
        QVERIFY(store.isBlocked(kBo));
        QVERIFY(!store.isBlocked(kAnn));
        QCOMPARE(store.directWith({kAnn}), store.party(direct.id));
        QCOMPARE(store.directWith({kAnn, kAnn}), store.party(direct.id));
        QVERIFY(!store.directWith({kBo}));
        QVERIFY(!store.directWith({kAnn, kBo}));
        QCOMPARE(store.conversationName(*store.party(direct.id)), QStringLiteral("Ann"));

        store.applyEvent(BlocksUpdated{{kAnn, kBo}});
        QCOMPARE(blocks.count(), 1);
        QVERIFY(store.isBlocked(kAnn));
        store.applyEvent(BlocksUpdated{{kBo, kAnn}});   // the same, in another order: no change
        QCOMPARE(blocks.count(), 1);
        store.applyEvent(BlocksUpdated{{}});
        QVERIFY(!store.isBlocked(kBo));

        Party group = direct;
        group.id = "dddddddd-0000-4000-8000-000000000002";
        group.members = {{kMe, "Me", {}, Role::Member, 0, {}}, {kAnn, "Ann", {}, Role::Member, 0, {}},
                         {kBo, "bo", {}, Role::Member, 0, {}}, {"cccccccc-0000-4000-8000-000000000003", "Cy", {}, Role::Member, 0, {}}};
        store.applyJoined(group);
        QCOMPARE(store.conversationName(*store.party(group.id)), QStringLiteral("Ann, bo and 1 other"));
        QCOMPARE(store.directWith({kBo, "cccccccc-0000-4000-8000-000000000003", kAnn}), store.party(group.id));
    }

    void timeline_pagesLiveEditsPendingAndMarkers()
    {
        Store store;
        Outbox outbox({});
        QStringList opened, loadedOlder;
        TimelineModel timeline(store, outbox, [&](const QString &t, auto) { opened << t; },
                               [&](const QString &t, auto done) { loadedOlder << t; done(true); });
        QAbstractItemModelTester tester(&timeline, QAbstractItemModelTester::FailureReportingMode::QtTest);
        store.applyReady(readyWith(100, 95));
        timeline.setTopicId(QString::fromStdString(kTopic));
        QCOMPARE(opened, QStringList{QString::fromStdString(kTopic)});
        QCOMPARE(timeline.rowCount(), 0);

        store.applyHistory(page(51, 100, true), true);
        QCOMPARE(timeline.rowCount(), 50);
        QCOMPARE(timeline.data(timeline.index(0), TimelineModel::SeqRole).toLongLong(), 51);
        // The red line sits at the first unread message, 96.
        QCOMPARE(timeline.firstUnreadRow(), 45);
        QVERIFY(timeline.data(timeline.index(45), TimelineModel::FirstUnreadRole).toBool());
        // Older history pages in at the top without blocking.
        QVERIFY(timeline.hasOlder());
        timeline.loadOlder();
        QVERIFY(!loadedOlder.isEmpty());
        store.applyHistory(page(1, 50, false), true);
        QCOMPARE(timeline.rowCount(), 100);
        QVERIFY(!timeline.hasOlder());

        // Live: appended, edited, deleted.
        store.applyEvent(MessageCreated{message(101, kAnn, kT0 + 101 * 60000)});
        QCOMPARE(timeline.rowCount(), 101);
        Message edited = message(101, kAnn, kT0 + 101 * 60000);
        edited.body = "fixed";
        edited.rev = 102;
        edited.editedAt = kT0 + 102 * 60000;
        store.applyEvent(MessageUpdated{edited});
        QCOMPARE(timeline.data(timeline.index(100)).toString(), QStringLiteral("fixed"));
        QVERIFY(timeline.data(timeline.index(100), TimelineModel::EditedRole).toBool());
        // A gap is reported, not papered over.
        const auto gaps = store.applyEvent(MessageCreated{message(105, kAnn, kT0)});
        QCOMPARE(gaps.size(), std::size_t(1));
        QCOMPARE(timeline.rowCount(), 101);

        // Pending and failed sends come last.
        const QString id = outbox.add(QString::fromStdString(kTopic), QStringLiteral("on its way"));
        QCOMPARE(timeline.rowCount(), 102);
        QCOMPARE(timeline.data(timeline.index(101), TimelineModel::DeliveryStateRole).value<TimelineModel::DeliveryState>(),
                 TimelineModel::DeliveryState::Pending);
        outbox.fail(id, QStringLiteral("too long"));
        QCOMPARE(timeline.data(timeline.index(101), TimelineModel::DeliveryStateRole).value<TimelineModel::DeliveryState>(),
                 TimelineModel::DeliveryState::Failed);
        QCOMPARE(timeline.data(timeline.index(101), TimelineModel::ErrorRole).toString(), QStringLiteral("too long"));
        outbox.cancel(id);
        QCOMPARE(timeline.rowCount(), 101);
    }

    // Reactions and pins change one loaded message each, by rev: an event older than what the
    // store holds (a sync brought the message already) changes nothing.
    void store_reactionsAndPins_applyByRev()
    {
        Store store;
        store.applyReady(readyWith(10, 10));
        store.applyHistory(page(1, 10, false), true);
        QSignalSpy changed(&store, &Store::messageChanged);
        const auto reaction = [](std::int64_t rev, const std::string &who) {
            return ReactionAdded{kParty, kTopic, "m-4", 4, rev, "\xf0\x9f\x91\x8d", who};
        };
        store.applyEvent(reaction(11, kAnn));
        store.applyEvent(reaction(12, kMe));
        store.applyEvent(reaction(12, kBo));   // a rev it holds: already there, or stale
        const auto *m = store.loadedMessage(kTopic, "m-4");
        QVERIFY(m);
        QCOMPARE(m->rev, std::int64_t(12));
        QCOMPARE(m->reactions.size(), std::size_t(1));
        QCOMPARE(m->reactions[0].userIds, (std::vector<std::string>{kAnn, kMe}));
        QCOMPARE(changed.count(), 2);
        QCOMPARE(changed.at(0).at(1).toInt(), 3);   // the row of seq 4

        store.applyEvent(ReactionRemoved{kParty, kTopic, "m-4", 4, 13, "\xf0\x9f\x91\x8d", kAnn});
        store.applyEvent(ReactionRemoved{kParty, kTopic, "m-4", 4, 14, "\xf0\x9f\x91\x8d", kMe});
        QVERIFY(store.loadedMessage(kTopic, "m-4")->reactions.empty());
        QCOMPARE(store.topic(kTopic)->lastRev, std::int64_t(14));

        QSignalSpy topics(&store, &Store::topicsChanged);
        Message pinned = message(4, kMe, kT0 + 4 * 60000);
        pinned.rev = 15;
        pinned.pinnedAt = kT0 + kDay;
        pinned.pinnedBy = kMe;
        store.applyEvent(PinChanged{pinned, 1});
        QCOMPARE(store.topic(kTopic)->pinnedCount, 1);
        QVERIFY(store.loadedMessage(kTopic, "m-4")->pinnedAt);
        QCOMPARE(topics.count(), 1);
    }

    // A reaction applied to a copy the app holds from before an edit it missed: the sync reply
    // that brings the edit (read before the reaction) keeps both, and a quote of the edited or
    // deleted message follows it even when the original is not loaded.
    void store_reactionOnAStaleCopy_keepsTheEditAndTheReaction()
    {
        Store store;
        store.applyReady(readyWith(10, 10));
        store.applyHistory(page(5, 10, true), true);
        store.applyEvent(ReactionAdded{kParty, kTopic, "m-7", 7, 105, "\xf0\x9f\x91\x8d", kAnn});
        Message edited = message(7, kMe, kT0);
        edited.rev = 103;
        edited.body = "edited while away";
        edited.editedAt = kT0 + 1000;
        store.applyCatchUp(TopicCatchUp{kTopic, {edited}, false});
        const auto *m = store.loadedMessage(kTopic, "m-7");
        QCOMPARE(m->body, std::string("edited while away"));
        QCOMPARE(m->reactions.size(), std::size_t(1));
        QCOMPARE(m->rev, std::int64_t(105));
        // A copy older than the reaction's base changes nothing.
        Message older = message(7, kMe, kT0);
        older.rev = 7;
        store.applyCatchUp(TopicCatchUp{kTopic, {older}, false});
        QCOMPARE(store.loadedMessage(kTopic, "m-7")->body, std::string("edited while away"));

        // m-9 quotes m-2, which is not loaded; m-2's delete reaches the quote.
        Store quoting;
        quoting.applyReady(readyWith(10, 10));
        History withReply = page(5, 10, true);
        withReply.messages[4].replyTo = ReplyPreview{"m-2", 2, kAnn, "the original", false};
        quoting.applyHistory(withReply, true);
        Message gone = message(2, kAnn, kT0);
        gone.rev = 50;
        gone.deleted = true;
        gone.body.clear();
        quoting.applyEvent(MessageDeleted{gone});
        const auto *reply = quoting.loadedMessage(kTopic, "m-9");
        QVERIFY(reply->replyTo->deleted);
        QCOMPARE(reply->replyTo->excerpt, std::string());
    }

    // A window opened around an old message (a permalink) does not reach the present: live
    // messages past it are not kept and are no gap, paging newer joins up, and going back to
    // the present replaces it.
    void store_windowAroundAnOldMessage()
    {
        Store store;
        Outbox outbox({});
        TimelineModel timeline(store, outbox, [](const QString &, auto) {}, [](const QString &, auto done) { done(true); });
        QAbstractItemModelTester tester(&timeline, QAbstractItemModelTester::FailureReportingMode::QtTest);
        store.applyReady(readyWith(500, 500));
        timeline.setTopicId(QString::fromStdString(kTopic));
        store.applyHistory(page(451, 500, true), true);
        History around = page(75, 124, true);
        around.hasNewer = true;
        store.applyAround(around);
        QCOMPARE(timeline.rowCount(), 50);
        QCOMPARE(timeline.data(timeline.index(0), TimelineModel::SeqRole).toLongLong(), 75);
        QVERIFY(store.messages(kTopic)->hasNewer);

        const auto gaps = store.applyEvent(MessageCreated{message(501, kAnn, kT0 + 501 * 60000)});
        QVERIFY(gaps.empty());
        QCOMPARE(timeline.rowCount(), 50);
        QCOMPARE(store.topic(kTopic)->lastSeq, std::int64_t(501));

        History newer = page(125, 174, true);
        store.applyNewer(newer);
        QCOMPARE(timeline.rowCount(), 100);
        QVERIFY(store.messages(kTopic)->hasNewer);

        // Changes to the message just past the window (an edit, a sync from its end) are not
        // kept either, and change nothing in it.
        Message past = message(175, kAnn, kT0 + 175 * 60000);
        past.rev = 900;
        past.editedAt = kT0;
        QVERIFY(store.applyEvent(MessageUpdated{past}).empty());
        store.applyCatchUp(TopicCatchUp{kTopic, {past}, false});
        QCOMPARE(timeline.rowCount(), 100);
        QCOMPARE(store.messages(kTopic)->messages.back().seq, std::int64_t(174));

        History latest = page(452, 501, true);
        store.applyAround(latest);
        QCOMPARE(timeline.rowCount(), 50);
        QVERIFY(!store.messages(kTopic)->hasNewer);
        QVERIFY(store.applyEvent(MessageCreated{message(502, kAnn, kT0 + 502 * 60000)}).empty());
        QCOMPARE(timeline.rowCount(), 51);
    }

    void store_catchUpBeforeALiveFirstMessage_joinsUp()
    {
        // The topic was empty when it was read; message 1 arrived before that page (and was
        // skipped), message 2 after it, and the catch-up for both came last.
        Store store;
        Outbox outbox({});
        TimelineModel timeline(store, outbox, [](const QString &, auto) {}, [](const QString &, auto done) { done(true); });
        QAbstractItemModelTester tester(&timeline, QAbstractItemModelTester::FailureReportingMode::QtTest);
        store.applyReady(readyWith(0, 0));
        timeline.setTopicId(QString::fromStdString(kTopic));
        QVERIFY(store.applyEvent(MessageCreated{message(1, kAnn, kT0 + 60000)}).empty());
        History empty;
        empty.topicId = kTopic;
        store.applyHistory(empty, true);
        QVERIFY(store.applyEvent(MessageCreated{message(2, kAnn, kT0 + 120000)}).empty());
        QCOMPARE(timeline.rowCount(), 1);

        store.applyCatchUp(TopicCatchUp{kTopic, {message(1, kAnn, kT0 + 60000), message(2, kAnn, kT0 + 120000)}, false});
        QCOMPARE(timeline.rowCount(), 2);
        QCOMPARE(timeline.data(timeline.index(0), TimelineModel::SeqRole).toLongLong(), 1);
        QCOMPARE(timeline.data(timeline.index(1), TimelineModel::SeqRole).toLongLong(), 2);
        QVERIFY(!store.messages(kTopic)->hasOlder);

        // A catch-up that does not join up with the window's start changes nothing before it.
        Store other;
        other.applyReady(readyWith(0, 0));
        other.applyHistory(empty, true);
        QVERIFY(other.applyEvent(MessageCreated{message(5, kAnn, kT0)}).empty());
        other.applyCatchUp(TopicCatchUp{kTopic, {message(2, kAnn, kT0), message(3, kAnn, kT0)}, false});
        QCOMPARE(other.messages(kTopic)->messages.size(), std::size_t(1));
        QCOMPARE(other.messages(kTopic)->messages.front().seq, std::int64_t(5));
        QVERIFY(other.messages(kTopic)->hasOlder);
    }

    void timeline_filesOfMessagesAndOfPendingOnes()
    {
        Store store;
        Outbox outbox({});
        TimelineModel timeline(store, outbox, [](const QString &, auto) {}, [](const QString &, auto done) { done(true); });
        store.applyReady(readyWith(0, 0));
        timeline.setTopicId(QString::fromStdString(kTopic));
        History h;
        h.topicId = kTopic;
        Message m = message(1, kAnn, kT0);
        m.body.clear();
        m.files = {FileInfo{"6f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0", "beach <1>.png", "image/png", 2345678, 4000, 3000, true},
                   FileInfo{"7a2b3c4d-5e6f-4a7b-9c8d-e0f1a2b3c4d5", "plan.pdf", "application/pdf", 81234, std::nullopt, std::nullopt, false}};
        h.messages = {m};
        store.applyHistory(h, true);
        Outbox::Attachment a;
        a.path = QStringLiteral("/somewhere/notes.txt");
        a.name = QStringLiteral("notes.txt");
        a.mediaType = QStringLiteral("text/plain");
        a.size = 12;
        outbox.add(QString::fromStdString(kTopic), QString(), {}, {a});
        QCOMPARE(timeline.rowCount(), 2);

        const QVariantList sent = timeline.data(timeline.index(0), TimelineModel::FilesRole).toList();
        QCOMPARE(sent.size(), 2);
        const QVariantMap image = sent[0].toMap();
        QCOMPARE(image.value(QString::fromLatin1(TimelineModel::kFileNameKey)).toString(), QStringLiteral("beach <1>.png"));
        QCOMPARE(image.value(QString::fromLatin1(TimelineModel::kFileWidthKey)).toInt(), 4000);
        QCOMPARE(image.value(QString::fromLatin1(TimelineModel::kFileSizeKey)).toLongLong(), 2345678LL);
        QVERIFY(image.value(QString::fromLatin1(TimelineModel::kFileThumbnailKey)).toBool());
        QCOMPARE(sent[1].toMap().value(QString::fromLatin1(TimelineModel::kFileHeightKey)).toInt(), 0);

        const QVariantList pending = timeline.data(timeline.index(1), TimelineModel::FilesRole).toList();
        QCOMPARE(pending.size(), 1);
        QCOMPARE(pending[0].toMap().value(QString::fromLatin1(TimelineModel::kFileLocalPathKey)).toString(), a.path);
        QVERIFY(pending[0].toMap().value(QString::fromLatin1(TimelineModel::kFileIdKey)).toString().isEmpty());
    }

    void timeline_groupsAndDays()
    {
        Store store;
        Outbox outbox({});
        TimelineModel timeline(store, outbox, {}, {});
        QAbstractItemModelTester tester(&timeline, QAbstractItemModelTester::FailureReportingMode::QtTest);
        store.applyReady(readyWith(4, 4));
        timeline.setTopicId(QString::fromStdString(kTopic));
        History h;
        h.topicId = kTopic;
        h.messages = {message(1, kAnn, kT0), message(2, kAnn, kT0 + 60000), message(3, kAnn, kT0 + 20 * 60000),
                      message(4, kMe, kT0 + 20 * 60000 + kDay)};
        store.applyHistory(h, true);
        QVERIFY(timeline.data(timeline.index(0), TimelineModel::GroupStartRole).toBool());
        QVERIFY(!timeline.data(timeline.index(1), TimelineModel::GroupStartRole).toBool());   // same author, a minute later
        QVERIFY(timeline.data(timeline.index(2), TimelineModel::GroupStartRole).toBool());    // 19 minutes later
        QVERIFY(timeline.data(timeline.index(3), TimelineModel::DayStartRole).toBool());      // the next day
        QVERIFY(!timeline.data(timeline.index(2), TimelineModel::DayStartRole).toBool());
    }

    void typing_appearsAndExpires()
    {
        Store store;
        TypingModel typing(store);
        QAbstractItemModelTester tester(&typing, QAbstractItemModelTester::FailureReportingMode::QtTest);
        store.applyReady(readyWith(0, 0));
        typing.setTopicId(QString::fromStdString(kTopic));
        store.applyEvent(Typing{kParty, kTopic, kAnn});
        store.applyEvent(Typing{kParty, kOther, kBo});   // another topic
        store.applyEvent(Typing{kParty, kTopic, kMe});   // myself
        QCOMPARE(typing.rowCount(), 1);
        QCOMPARE(typing.summary(), QStringLiteral("\u2068Ann\u2069 is typing…"));
        QVERIFY(QTest::qWaitFor([&] { return typing.rowCount() == 0; }, 8000));
    }

    void outbox_survivesRestart_ignoresDamage()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("outbox.json"));
        QString id;
        {
            Outbox outbox(path);
            id = outbox.add(QStringLiteral("topic-1"), QStringLiteral("first"));
            outbox.add(QStringLiteral("topic-1"), QStringLiteral("second"));
            outbox.fail(id, QStringLiteral("no"));
        }
        Outbox again(path);
        QCOMPARE(again.entries().size(), 2);
        QCOMPARE(again.entries().at(0).clientMsgId, id);
        QVERIFY(again.entries().at(0).failed);
        QCOMPARE(again.pending().size(), 1);
        QFile damaged(path);
        QVERIFY(damaged.open(QIODevice::WriteOnly));
        damaged.write("{ not json");
        damaged.close();
        Outbox fresh(path);
        QCOMPARE(fresh.entries().size(), 0);
    }

    void outbox_keepsFilesOnDiskAcrossRestarts()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("outbox.json"));
        const QString original = dir.filePath(QStringLiteral("photo.png"));
        {
            QFile f(original);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("not really a png");
        }
        Outbox::Attachment a;
        a.path = original;
        a.name = QStringLiteral("photo <1>.png");
        a.mediaType = QStringLiteral("image/png");
        a.size = 16;
        a.width = 40;
        a.height = 30;
        a.thumbnail = QByteArray("\x89PNG thumb", 10);
        a.thumbnailType = QStringLiteral("image/png");
        QString id;
        {
            Outbox outbox(path);
            QSignalSpy ready(&outbox, &Outbox::ready);
            id = outbox.add(QStringLiteral("topic-1"), QString(), {}, {a});
            QVERIFY(!id.isEmpty());
            QVERIFY(!outbox.entry(id)->uploaded());
            QCOMPARE(ready.size(), 1);   // for the sender of files; the connection waits
            outbox.setAttachmentFileId(id, 0, QStringLiteral("6f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"));
        }
        // Its own copy: the person's may go.
        QVERIFY(QFile::remove(original));
        Outbox again(path);
        const auto *e = again.entry(id);
        QVERIFY(e);
        QCOMPARE(e->attachments.size(), 1);
        const auto &kept = e->attachments.front();
        QVERIFY(kept.path != original);
        QVERIFY(QFile::exists(kept.path));
        QCOMPARE(kept.name, a.name);
        QCOMPARE(kept.size, a.size);
        QCOMPARE(kept.width, 40);
        QCOMPARE(kept.thumbnail, a.thumbnail);
        QCOMPARE(kept.fileId, QStringLiteral("6f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"));
        QSignalSpy ready(&again, &Outbox::ready);
        again.setAttachmentUploaded(id, 0);
        QVERIFY(again.entry(id)->uploaded());
        QCOMPARE(ready.size(), 1);
        // Sent: its copy goes with it.
        again.confirm(id);
        QVERIFY(!QFile::exists(kept.path));
        // A file that cannot be read is not taken.
        a.path = dir.filePath(QStringLiteral("gone.png"));
        QVERIFY(again.add(QStringLiteral("topic-1"), QStringLiteral("x"), {}, {a}).isEmpty());
        QCOMPARE(again.entries().size(), 0);
    }

    void destinations_rankedAsPeopleExpect()
    {
        // Two parties with topics and people, as the quick switcher searches them.
        Store store;
        Ready r = readyWith(0, 0);
        Party &club = r.parties.front();
        club.topics = {{"t-general", kParty, "general", 0, 3, 3}, {"t-help", kParty, "help", 1, 0, 0},
                       {"t-shelves", kParty, "bookshelves", 2, 0, 0}, {"t-random", kParty, "random", 3, 0, 0}};
        Party climbing;
        climbing.id = "p-climb";
        climbing.name = "Helsinki Climbers";
        climbing.ownerId = kAnn;
        climbing.topics = {{"t-routes", "p-climb", "routes", 0, 0, 0}};
        climbing.members = {{kMe, "Me", {}, Role::Member, 0, {}}, {kAnn, "Ann", {}, Role::Owner, 0, {}}, {"u-helga", "Helga Berg", {}, Role::Member, 0, {}}};
        r.parties.push_back(climbing);
        r.readStates = {{"t-general", 0, 3, 0}};
        store.applyReady(r);

        const auto names = [&](const QString &query, const QStringList &recent = {}) {
            QStringList out;
            for (const auto &d : findDestinations(store, query, recent))
                out << d.name;
            return out;
        };
        // "hel": what starts with it (the topic, then the shorter name), a name with "hel" inside a
        // word after, and last the topics of the party whose name starts with it. Not #general.
        QCOMPARE(names(QStringLiteral("hel")),
                 (QStringList{QStringLiteral("help"), QStringLiteral("Helga Berg"), QStringLiteral("Helsinki Climbers"),
                              QStringLiteral("bookshelves"), QStringLiteral("routes")}));
        QCOMPARE(findDestinations(store, QStringLiteral("hel"), {}).first().topicId, QStringLiteral("t-help"));
        // Equal matches: the one visited last first.
        QCOMPARE(names(QStringLiteral("r"), {QStringLiteral("t-routes")}).mid(0, 2), (QStringList{QStringLiteral("routes"), QStringLiteral("random")}));
        QCOMPARE(names(QStringLiteral("r"), {QStringLiteral("t-random")}).mid(0, 2), (QStringList{QStringLiteral("random"), QStringLiteral("routes")}));
        // People: found once, whatever parties they share; the signed-in person never.
        const auto ann = findDestinations(store, QStringLiteral("ann"), {});
        QCOMPARE(std::count_if(ann.begin(), ann.end(), [](const Destination &d) { return d.kind == Destination::Kind::Person; }), 1);
        QVERIFY(findDestinations(store, QStringLiteral("Me"), {}).isEmpty() || findDestinations(store, QStringLiteral("Me"), {}).first().kind != Destination::Kind::Person);
        // Nothing typed: topics, recent first, then unread.
        QCOMPARE(names(QString(), {QStringLiteral("t-routes")}).mid(0, 2), (QStringList{QStringLiteral("routes"), QStringLiteral("general")}));
        // Letters in order, and the party's name before the topic's.
        QCOMPARE(names(QStringLiteral("gnrl")), QStringList{QStringLiteral("general")});
        QVERIFY(names(QStringLiteral("book gen")).contains(QStringLiteral("general")));
        QVERIFY(names(QStringLiteral("zzz")).isEmpty());
    }

    void secrets_splitForSmallKeychains()
    {
        const QString secret(2500, QLatin1Char('x'));
        const QStringList chunks = splitSecret(secret, 1000);
        QCOMPARE(chunks.size(), 3);
        QCOMPARE(joinSecret(chunks), std::optional<QString>(secret));
        QCOMPARE(joinSecret(splitSecret(QString(), 1000)), std::optional<QString>(QString()));
        QVERIFY(!joinSecret({QStringLiteral("2:abc")}));   // a chunk missing
        MemorySecretStore store;
        store.setUnavailable(true);
        bool called = false;
        store.read(QStringLiteral("k"), [&](const SecretStore::ReadResult &r) {
            called = true;
            QCOMPARE(r.status, SecretStore::Status::Unavailable);
            QVERIFY(r.error.contains(QStringLiteral("Unlock")));
        });
        QVERIFY(called);
    }
};

QTEST_GUILESS_MAIN(TestAppModels)
#include "tst_appmodels.moc"
