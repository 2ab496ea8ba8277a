// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QComboBox;
class QCompleter;
class QLabel;
class QLineEdit;
class QListView;
class QStringListModel;
class QTimer;

namespace chatterbox::app {
class Client;
class Preferences;
class SearchModel;
} // namespace chatterbox::app

namespace chatterbox::ui {

class Theme;

// Search, beside the timeline: a field (words, "phrases", filters such as from: and in:#topic),
// this topic or everywhere, the filters as chips that take themselves out, and the results
// grouped by topic with the matched words marked. Enter or a click on a result opens it in its
// place in history. The field remembers the last searches.
class SearchPanel final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SearchPanel)

public:
    SearchPanel(app::Client &client, app::Preferences &preferences, Theme &theme, QWidget *parent = nullptr);

    // Shows the panel with the field focused: thisTopic narrows it to the open topic.
    void open(bool thisTopic);
    app::SearchModel &model() const { return *m_model; }
    QLineEdit *field() const { return m_field; }
    QListView *results() const { return m_results; }

Q_SIGNALS:
    void resultChosen(const QString &topicId, qint64 seq);
    void closed();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void run();
    void updateState();
    void updateChips();
    void choose(const QModelIndex &index);
    QString scopeTopicId() const;

    app::Client &m_client;
    app::Preferences &m_preferences;
    Theme &m_theme;
    app::SearchModel *m_model = nullptr;
    QLineEdit *m_field = nullptr;
    QComboBox *m_scope = nullptr;
    QWidget *m_chips = nullptr;
    QLabel *m_status = nullptr;
    QListView *m_results = nullptr;
    QCompleter *m_history = nullptr;
    QStringListModel *m_historyModel = nullptr;
    QTimer *m_typing = nullptr;
    QString m_topicId;   // the topic "this topic" meant when the panel opened
};

} // namespace chatterbox::ui
