#pragma once

#include <QDialog>

class QLineEdit;
class QListWidget;

namespace chatterbox::app {
class Store;
}

namespace chatterbox::ui {

// Ctrl+K: type part of a party's or topic's name, Enter goes there.
class QuickSwitcher final : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(QuickSwitcher)

public:
    QuickSwitcher(const app::Store &store, QWidget *parent);

    // Whether each character of query appears in text, in order ("gnrl" matches "general").
    static bool matches(const QString &query, const QString &text);

Q_SIGNALS:
    void topicChosen(const QString &partyId, const QString &topicId);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void fill();
    void choose();

    const app::Store &m_store;
    QLineEdit *m_query = nullptr;
    QListWidget *m_results = nullptr;
};

} // namespace chatterbox::ui
