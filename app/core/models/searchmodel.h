// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "shared/replies.h"
#include "shared/result.h"

#include <QAbstractListModel>

namespace chatterbox::app {

class Client;

// The results of one search, grouped by topic: a header row for each topic (in the order its
// newest result came), then its results, newest first. Pages come in as the view asks for more
// (canFetchMore/fetchMore). A reply to an older query is dropped; results of a party the person
// is no longer in go at once.
class SearchModel final : public QAbstractListModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SearchModel)

public:
    enum Role {
        IsHeaderRole = Qt::UserRole + 1,
        TopicIdRole,
        PartyIdRole,
        SeqRole,
        MessageIdRole,
        AuthorNameRole,
        CreatedAtRole,       // QDateTime
        SnippetRole,         // plain text
        HighlightsRole,      // QVariantList of QPoint(start, length) in SnippetRole's text
    };

    explicit SearchModel(Client &client, QObject *parent = nullptr);

    // Starts a search; an empty query clears the results. topicId empty: everywhere.
    void search(const QString &query, const QString &topicId);
    void clear();
    QString query() const { return m_query; }
    QString topicId() const { return m_topicId; }
    bool isLoading() const { return m_loading; }
    // The server's refusal of the query (what is wrong with it), or empty.
    QString error() const { return m_error; }
    int resultCount() const { return m_resultCount; }
    bool hasMore() const { return !m_next.isEmpty(); }
    // The first result's row, or -1.
    int firstResultRow() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

Q_SIGNALS:
    // Loading began or ended, or the error changed.
    void stateChanged();

private:
    struct Group {
        QString topicId;
        QString partyId;
        std::vector<protocol::SearchHit> hits;
    };
    void request();
    void answered(const protocol::Result<protocol::SearchResults> &answer);
    void add(std::vector<protocol::SearchHit> hits);
    void dropPartiesLeft();
    // The group and hit (-1: the header) of a row.
    std::pair<int, int> locate(int row) const;
    int firstRowOf(int group) const;

    Client &m_client;
    QString m_query;
    QString m_topicId;
    QString m_next;
    QString m_error;
    bool m_loading = false;
    int m_generation = 0;
    int m_resultCount = 0;
    std::vector<Group> m_groups;
};

} // namespace chatterbox::app
