// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QFrame>

class QButtonGroup;
class QComboBox;
class QLineEdit;
class QListWidget;
class QListWidgetItem;

namespace chatterbox::app {
class Preferences;
}

namespace chatterbox::ui {

// Picks one emoji: a search by name or keyword, the ones picked lately first, then Unicode's
// groups (a button for each jumps to it), in the skin tone the person chose. From the
// composer's emoji button and for reactions. Keyboard: type to search, arrows, Enter picks,
// Escape closes.
class EmojiPicker final : public QFrame {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EmojiPicker)

public:
    EmojiPicker(app::Preferences &preferences, QWidget *parent = nullptr);

    // Opens as a popup with its top left near globalPos (kept on the screen), search focused.
    void popUp(const QPoint &globalPos);
    QLineEdit *searchField() const { return m_search; }
    QListWidget *list() const { return m_list; }
    QComboBox *toneChooser() const { return m_tone; }

Q_SIGNALS:
    void picked(const QString &emoji);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void fill();
    void pick(QListWidgetItem *item);
    QListWidgetItem *addEmoji(const QString &text, const QString &name);
    void addHeading(const QString &title);

    app::Preferences &m_preferences;
    QLineEdit *m_search = nullptr;
    QComboBox *m_tone = nullptr;
    QListWidget *m_list = nullptr;
    QButtonGroup *m_groups = nullptr;
    QList<QListWidgetItem *> m_groupStarts;
};

} // namespace chatterbox::ui
