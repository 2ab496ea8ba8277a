// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/ui/timelineparts.h"

#include <QVariantMap>

#include <vector>

namespace chatterbox::ui {

class AttachmentLoader;

// Below a message's text, its files: an image as a tile at its real aspect ratio (at most
// kImageBox), drawn from its preview or, until that is decoded, as an empty tile, and as an
// error tile saying why when it cannot be shown; any other file as a card with its name, size
// and type and a button that saves it, with a bar while it downloads. A message still being sent
// shows how far its upload is, with Cancel. A click on an image opens the viewer, on a card opens
// the file with the system's handler (after its download).
class AttachmentsPart final : public TimelinePart {
public:
    static constexpr QSize kImageBox{360, 280};
    static constexpr int kCardWidth = 320;
    static constexpr int kCardHeight = 52;

    // loader: where previews and downloads come from; none draws empty tiles (tests).
    void setLoader(AttachmentLoader *loader) { m_loader = loader; }

    int height(const RowContext &row, int rowWidth) const override;
    void paint(QPainter &painter, const RowContext &row, const QRect &rect) const override;
    PartAction actionAt(const RowContext &row, const QRect &rect, const QPoint &pos) const override;
    QString toolTipAt(const RowContext &row, const QRect &rect, const QPoint &pos) const override;

    struct Item {
        QRect rect;
        int index = 0;        // in FilesRole
        QVariantMap file;
        bool image = false;
        QRect button;         // a card's save (or cancel, while downloading) button
    };
    // Where each file is drawn in a part drawn at rect.
    std::vector<Item> items(const RowContext &row, const QRect &rect) const;
    // A pending message's upload line (null when none is going) and its Cancel.
    QRect uploadRect(const RowContext &row, const QRect &rect) const;
    QRect uploadCancelRect(const RowContext &row, const QRect &rect) const;

private:
    void paintImage(QPainter &painter, const RowContext &row, const Item &item) const;
    void paintCard(QPainter &painter, const RowContext &row, const Item &item) const;
    void paintUpload(QPainter &painter, const RowContext &row, const QRect &rect) const;

    AttachmentLoader *m_loader = nullptr;
};

} // namespace chatterbox::ui
