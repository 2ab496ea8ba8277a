#include "app/core/models/partylistmodel.h"

#include "app/core/preferences.h"

#include <QRegularExpression>
#include <QTextBoundaryFinder>

namespace chatterbox::app {

PartyListModel::PartyListModel(const Store &store, QObject *parent) : QAbstractListModel(parent), m_store(store)
{
    connect(&store, &Store::partiesReset, this, [this] {
        beginResetModel();
        endResetModel();
    });
    connect(&store, &Store::partyChanged, this, &PartyListModel::refreshRow);
    connect(&store, &Store::topicsChanged, this, &PartyListModel::refreshRow);
    connect(&store, &Store::readStateChanged, this, [this](const QString &topicId) {
        if (const auto *topic = m_store.topic(topicId.toStdString()))
            refreshRow(QString::fromStdString(topic->partyId));
    });
}

int PartyListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_store.parties().size());
}

int PartyListModel::rowOf(const QString &partyId) const
{
    const auto &parties = m_store.parties();
    for (std::size_t i = 0; i < parties.size(); ++i) {
        if (parties[i].id == partyId.toStdString())
            return static_cast<int>(i);
    }
    return -1;
}

void PartyListModel::refreshRow(const QString &partyId)
{
    const int row = rowOf(partyId);
    if (row >= 0)
        Q_EMIT dataChanged(index(row), index(row));
}

QString PartyListModel::initials(const QString &name)
{
    // The first letter (or digit) of each of the first two words that have one: "Ada (demo)" is
    // "AD", "🎉 Launch party" is "LP". A name with none shows its first character, whole.
    QString out;
    int found = 0;
    for (const QString &word : name.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts)) {
        for (const char32_t c : word.toUcs4()) {
            if (QChar::isLetterOrNumber(c)) {
                out += QString::fromUcs4(&c, 1).toUpper();
                ++found;
                break;
            }
        }
        if (found == 2)
            return out;
    }
    if (found > 0)
        return out;
    const QString trimmed = name.trimmed();
    QTextBoundaryFinder graphemes(QTextBoundaryFinder::Grapheme, trimmed);
    const qsizetype end = graphemes.toNextBoundary();
    return end > 0 ? trimmed.left(end) : QStringLiteral("?");
}

QVariant PartyListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const auto &party = m_store.parties().at(static_cast<std::size_t>(index.row()));
    switch (role) {
    case Qt::DisplayRole:
    case NameRole: return QString::fromStdString(party.name);
    case PartyIdRole: return QString::fromStdString(party.id);
    case OwnerIdRole: return QString::fromStdString(party.ownerId);
    case InitialsRole: return initials(QString::fromStdString(party.name));
    case MutedRole: return m_preferences && m_preferences->isPartyMuted(QString::fromStdString(party.id));
    case UnreadRole:
    case MentionsRole: {
        qint64 total = 0;
        for (const auto &t : party.topics) {
            const auto rs = m_store.readState(t.id);
            if (role == MentionsRole)
                total += rs.mentions;
            else if (!m_preferences || !m_preferences->isTopicMuted(QString::fromStdString(t.id)))
                total += rs.unread;
        }
        return total;
    }
    default: return {};
    }
}

QHash<int, QByteArray> PartyListModel::roleNames() const
{
    return {{PartyIdRole, "partyId"}, {NameRole, "name"}, {InitialsRole, "initials"}, {UnreadRole, "unread"},
            {MentionsRole, "mentions"}, {OwnerIdRole, "ownerId"}, {MutedRole, "muted"}};
}

void PartyListModel::setPreferences(const Preferences *preferences)
{
    if (m_preferences)
        disconnect(m_preferences, nullptr, this, nullptr);
    m_preferences = preferences;
    if (preferences) {
        connect(preferences, &Preferences::mutesChanged, this, [this] {
            if (rowCount() > 0)
                Q_EMIT dataChanged(index(0), index(rowCount() - 1), {MutedRole, UnreadRole});
        });
    }
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0), index(rowCount() - 1));
}

} // namespace chatterbox::app
