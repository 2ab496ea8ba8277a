// SPDX-License-Identifier: GPL-3.0-or-later
// The parts a timeline row is stacked from, each on its own: when it is in a row (its height),
// that it paints inside the rect it is given, and what a click on it does.

#include "app/core/models/timelinemodel.h"
#include "app/ui/theme.h"
#include "app/ui/timelineparts.h"

#include <QApplication>
#include <QDateTime>
#include <QImage>
#include <QPainter>
#include <QStandardItemModel>
#include <QTest>

using namespace chatterbox;
using namespace chatterbox::ui;
using app::TimelineModel;

namespace {

struct Row {
    bool dayStart = false;
    bool groupStart = false;
    bool firstUnread = false;
    TimelineModel::DeliveryState delivery = TimelineModel::DeliveryState::Delivered;
    QString body = QStringLiteral("hello");
};

QStandardItem *itemFor(const Row &r)
{
    auto *item = new QStandardItem;
    item->setData(QStringLiteral("m1"), TimelineModel::MessageIdRole);
    item->setData(QStringLiteral("c1"), TimelineModel::ClientMsgIdRole);
    item->setData(QStringLiteral("a1"), TimelineModel::AuthorIdRole);
    item->setData(QStringLiteral("Alice"), TimelineModel::AuthorNameRole);
    item->setData(r.body, TimelineModel::BodyRole);
    item->setData(QDateTime::currentDateTime(), TimelineModel::SentAtRole);
    item->setData(QVariant::fromValue(r.delivery), TimelineModel::DeliveryStateRole);
    item->setData(QStringLiteral("the server said no"), TimelineModel::ErrorRole);
    item->setData(r.dayStart, TimelineModel::DayStartRole);
    item->setData(r.groupStart, TimelineModel::GroupStartRole);
    item->setData(r.firstUnread, TimelineModel::FirstUnreadRole);
    return item;
}

// Pixels that differ from the background, inside and outside rect.
std::pair<int, int> inkIn(const QImage &image, const QRect &rect, QRgb background)
{
    int inside = 0, outside = 0;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            if (image.pixel(x, y) != background)
                (rect.contains(x, y) ? inside : outside)++;
        }
    }
    return {inside, outside};
}

// Roles a reply, a pinned message and one with reactions carry, as TimelineModel gives them.
void makeConversational(QStandardItemModel &model, const QModelIndex &index)
{
    model.setData(index, QVariantMap{{QLatin1String(TimelineModel::kReplyIdKey), QStringLiteral("m0")},
                                     {QLatin1String(TimelineModel::kReplySeqKey), qint64(7)},
                                     {QLatin1String(TimelineModel::kReplyAuthorKey), QStringLiteral("Bob <i>B</i>")},
                                     {QLatin1String(TimelineModel::kReplyTextKey), QStringLiteral("the original\nsecond line")},
                                     {QLatin1String(TimelineModel::kReplyDeletedKey), false}},
                  TimelineModel::ReplyRole);
    const auto reaction = [](const QString &emoji, int count, bool mine) {
        return QVariantMap{{QLatin1String(TimelineModel::kReactionEmojiKey), emoji},
                           {QLatin1String(TimelineModel::kReactionCountKey), count},
                           {QLatin1String(TimelineModel::kReactionMineKey), mine}};
    };
    model.setData(index, QVariantList{reaction(QStringLiteral("\U0001F44D"), 2, true), reaction(QStringLiteral("\U0001F389"), 1, false)},
                  TimelineModel::ReactionsRole);
    const QStringList who{QStringLiteral("Ann"), QStringLiteral("<b>Bo</b>")};
    model.setData(index, QVariantList{who, who}, TimelineModel::ReactionNamesRole);
    model.setData(index, true, TimelineModel::PinnedRole);
    model.setData(index, QStringLiteral("Ann"), TimelineModel::PinnedByRole);
}

} // namespace

class TestTimelineParts : public QObject {
    Q_OBJECT

    std::unique_ptr<Theme> m_theme;
    QStandardItemModel m_model;
    QFont m_font;
    QPalette m_palette;

    QModelIndex add(const Row &r)
    {
        m_model.appendRow(itemFor(r));
        return m_model.index(m_model.rowCount() - 1, 0);
    }

    // Paints the part at rect on a plain background; returns the picture.
    QImage painted(const TimelinePart &part, const RowContext &row, const QRect &rect)
    {
        QImage image(600, 200, QImage::Format_RGB32);
        image.fill(Qt::white);
        QPainter painter(&image);
        painter.setFont(m_font);
        part.paint(painter, row, rect);
        return image;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_theme = std::make_unique<Theme>(*qApp);
        m_theme->setChoice(app::Preferences::Theme::Light);
        m_palette = QApplication::palette();
    }

    void eachPart_isInTheRowsThatNeedIt()
    {
        const QModelIndex plain = add({});
        const QModelIndex everything = add({true, true, true, TimelineModel::DeliveryState::Failed});
        const RowContext plainRow{plain, m_font, m_palette, *m_theme};
        const RowContext fullRow{everything, m_font, m_palette, *m_theme};
        DaySeparatorPart day;
        UnreadLinePart unread;
        HeaderPart header;
        BodyPart body(*m_theme);
        FailurePart failure;
        for (const TimelinePart *part : {static_cast<const TimelinePart *>(&day), static_cast<const TimelinePart *>(&unread),
                                         static_cast<const TimelinePart *>(&header), static_cast<const TimelinePart *>(&failure)}) {
            QCOMPARE(part->height(plainRow, 600), 0);
            QVERIFY(part->height(fullRow, 600) > 0);
        }
        QVERIFY(body.height(plainRow, 600) > 0);
        // A longer text wraps into more lines at a narrower width.
        const QModelIndex longer = add({false, false, false, TimelineModel::DeliveryState::Delivered, QString(60, QLatin1Char('w')).replace(QLatin1Char('w'), QStringLiteral("word "))});
        const RowContext longRow{longer, m_font, m_palette, *m_theme};
        QVERIFY(body.height(longRow, 200) > body.height(longRow, 600));
    }

    void separatorsAndFailure_paintInsideTheirRect()
    {
        const QModelIndex index = add({true, true, true, TimelineModel::DeliveryState::Failed});
        const RowContext row{index, m_font, m_palette, *m_theme};
        DaySeparatorPart day;
        UnreadLinePart unread;
        FailurePart failure;
        for (const TimelinePart *part : {static_cast<const TimelinePart *>(&day), static_cast<const TimelinePart *>(&unread),
                                         static_cast<const TimelinePart *>(&failure)}) {
            const QRect rect(0, 40, 600, part->height(row, 600));
            const auto [inside, outside] = inkIn(painted(*part, row, rect), rect, qRgb(255, 255, 255));
            QVERIFY(inside > 0);
            QCOMPARE(outside, 0);
        }
    }

    void failure_retryAndCancelAreWhereTheyAreDrawn()
    {
        const QModelIndex index = add({false, false, false, TimelineModel::DeliveryState::Failed});
        const RowContext row{index, m_font, m_palette, *m_theme};
        FailurePart failure;
        const QRect rect(0, 100, 600, failure.height(row, 600));
        const QRect retry = failure.retryRect(row, rect);
        const QRect cancel = failure.cancelRect(row, rect);
        QVERIFY(rect.contains(retry.center()) && rect.contains(cancel.center()));
        QVERIFY(cancel.left() > retry.right());
        QCOMPARE(failure.actionAt(row, rect, retry.center()).kind, PartAction::Kind::Retry);
        QCOMPARE(failure.actionAt(row, rect, cancel.center()).kind, PartAction::Kind::Cancel);
        QVERIFY(failure.actionAt(row, rect, QPoint(rect.left() + 2, rect.center().y())).isNone());
        // Retry is drawn where it is clicked.
        const auto [inside, outside] = inkIn(painted(failure, row, rect), retry, qRgb(255, 255, 255));
        QVERIFY(inside > 0);
        Q_UNUSED(outside);
    }

    void body_linksAreClickable_textIsNot()
    {
        const QModelIndex index = add({false, false, false, TimelineModel::DeliveryState::Delivered,
                                       QStringLiteral("see https://example.org/page now")});
        const RowContext row{index, m_font, m_palette, *m_theme};
        BodyPart body(*m_theme);
        const QRect rect(0, 0, 600, body.height(row, 600));
        const QRect text = BodyPart::textRect(rect);
        QString found;
        for (int x = text.left(); x < text.right() && found.isEmpty(); x += 2)
            found = body.actionAt(row, rect, QPoint(x, text.center().y())).link;
        QCOMPARE(found, QStringLiteral("https://example.org/page"));
        QVERIFY(body.actionAt(row, rect, QPoint(text.left() + 1, text.center().y())).isNone());
        QVERIFY(body.actionAt(row, rect, QPoint(2, text.center().y())).isNone());   // the avatar's column
    }

    void replyPinAndReactions_onlyInTheRowsThatHaveThem_paintInside()
    {
        const QModelIndex plain = add({});
        const QModelIndex rich = add({});
        makeConversational(m_model, rich);
        const RowContext plainRow{plain, m_font, m_palette, *m_theme};
        const RowContext richRow{rich, m_font, m_palette, *m_theme};
        ReplyPart reply;
        PinnedPart pinned;
        ReactionsPart reactions;
        for (const TimelinePart *part : {static_cast<const TimelinePart *>(&reply), static_cast<const TimelinePart *>(&pinned),
                                         static_cast<const TimelinePart *>(&reactions)}) {
            QCOMPARE(part->height(plainRow, 600), 0);
            const int h = part->height(richRow, 600);
            QVERIFY(h > 0);
            const QRect rect(0, 40, 600, h);
            const auto [inside, outside] = inkIn(painted(*part, richRow, rect), rect, qRgb(255, 255, 255));
            QVERIFY(inside > 0);
            QCOMPARE(outside, 0);
        }
        // The quote is one line of plain text: the name as typed, the original's lines joined.
        QCOMPARE(ReplyPart::text(rich), QStringLiteral("\u2068Bob <i>B</i>\u2069: the original second line"));
        m_model.setData(rich, QVariantMap{{QLatin1String(TimelineModel::kReplyDeletedKey), true}}, TimelineModel::ReplyRole);
        QCOMPARE(ReplyPart::text(rich), QStringLiteral("Original message deleted"));
    }

    void reactions_clicksLandOnTheChipDrawn_andFlowOntoMoreLines()
    {
        const QModelIndex index = add({});
        makeConversational(m_model, index);
        const RowContext row{index, m_font, m_palette, *m_theme};
        ReactionsPart reactions;
        const QRect rect(0, 20, 600, reactions.height(row, 600));
        const auto chips = reactions.chips(row, rect);
        QCOMPARE(int(chips.size()), 3);   // two emoji and "+"
        QVERIFY(chips[0].mine && !chips[1].mine);
        const PartAction first = reactions.actionAt(row, rect, chips[0].rect.center());
        QCOMPARE(first.kind, PartAction::Kind::ToggleReaction);
        QCOMPARE(first.link, QStringLiteral("\U0001F44D"));
        QCOMPARE(reactions.actionAt(row, rect, chips[2].rect.center()).kind, PartAction::Kind::AddReaction);
        QVERIFY(reactions.actionAt(row, rect, QPoint(chips[2].rect.right() + 20, chips[2].rect.center().y())).isNone());
        const auto [inside, outside] = inkIn(painted(reactions, row, rect), chips[0].rect, qRgb(255, 255, 255));
        QVERIFY(inside > 0);
        Q_UNUSED(outside);
        QVERIFY(reactions.toolTipAt(row, rect, chips[0].rect.center()).contains(QStringLiteral("Ann, <b>Bo</b>")));
        // Too narrow for all three chips on one line: they wrap, and the part grows.
        QVERIFY(reactions.height(row, timeline::kTextLeft + 120) > reactions.height(row, 600));
    }

    void replyQuote_clickGoesToTheOriginal()
    {
        const QModelIndex index = add({});
        makeConversational(m_model, index);
        const RowContext row{index, m_font, m_palette, *m_theme};
        ReplyPart reply;
        const QRect rect(0, 0, 600, reply.height(row, 600));
        const PartAction action = reply.actionAt(row, rect, QPoint(timeline::kTextLeft + 30, rect.center().y()));
        QCOMPARE(action.kind, PartAction::Kind::JumpTo);
        QCOMPARE(action.seq, qint64(7));
        QVERIFY(reply.actionAt(row, rect, QPoint(4, rect.center().y())).isNone());
    }
};

QTEST_MAIN(TestTimelineParts)
#include "tst_timelineparts.moc"
