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
};

QTEST_MAIN(TestTimelineParts)
#include "tst_timelineparts.moc"
