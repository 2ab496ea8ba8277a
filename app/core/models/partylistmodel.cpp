// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/core/models/partylistmodel.h"

#include "app/core/notifylevel.h"
#include "app/core/preferences.h"

#include <QRegularExpression>
#include <QTextBoundaryFinder>

#include <algorithm>

namespace chatterbox::app {

PartyListModel::PartyListModel(const Store &store, protocol::PartyKind kind, QObject *parent)
    : QAbstractListModel(parent), m_store(store), m_kind(kind)
{
    rebuild();
    connect(&store, &Store::partiesReset, this, [this] {
        beginResetModel();
        rebuild();
        endResetModel();
    });
    connect(&store, &Store::partyChanged, this, &PartyListModel::refreshRow);
    if (kind == protocol::PartyKind::Direct) {
        // Names, pictures and presence come from the people in them.
        connect(&store, &Store::membersChanged, this, &PartyListModel::refreshRow);
        connect(&store, &Store::presenceChanged, this, &PartyListModel::refreshAll);
        connect(&store, &Store::blocksChanged, this, &PartyListModel::refreshAll);
    }
    connect(&store, &Store::topicsChanged, this, &PartyListModel::refreshRow);
    connect(&store, &Store::readStateChanged, this, [this](const QString &topicId) {
        if (const auto *topic = m_store.topic(topicId.toStdString()))
            refreshRow(QString::fromStdString(topic->partyId));
    });
}

void PartyListModel::rebuild()
{
    m_rows.clear();
    const auto &parties = m_store.parties();
    for (std::size_t i = 0; i < parties.size(); ++i) {
        if (parties[i].kind == m_kind)
            m_rows.push_back(i);
    }
}

const protocol::Party &PartyListModel::partyAt(int row) const
{
    return m_store.parties().at(m_rows.at(static_cast<std::size_t>(row)));
}

int PartyListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int PartyListModel::rowOf(const QString &partyId) const
{
    const std::string id = partyId.toStdString();
    for (std::size_t row = 0; row < m_rows.size(); ++row) {
        if (m_store.parties()[m_rows[row]].id == id)
            return static_cast<int>(row);
    }
    return -1;
}

void PartyListModel::refreshAll()
{
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0), index(rowCount() - 1));
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
    const auto &party = partyAt(index.row());
    const bool direct = party.kind == protocol::PartyKind::Direct;
    const auto others = direct ? m_store.othersIn(party) : std::vector<const protocol::Member *>{};
    const protocol::Member *peer = others.empty() ? nullptr : others.front();
    switch (role) {
    case Qt::DisplayRole:
    case NameRole: return direct ? m_store.conversationName(party) : QString::fromStdString(party.name);
    case PeerIdRole: return peer ? QString::fromStdString(peer->userId) : QString();
    case PeerPictureRole: return peer ? QString::fromStdString(peer->avatarFileId) : QString();
    case PeerPresenceRole: return peer ? QString::fromLatin1(protocol::presenceName(m_store.presence(peer->userId))) : QString();
    case OthersRole: return static_cast<int>(others.size());
    case BlockedRole:
        return std::any_of(others.begin(), others.end(), [this](const protocol::Member *m) { return m_store.isBlocked(m->userId); });
    case TopicIdRole: return party.topics.empty() ? QString() : QString::fromStdString(party.topics.front().id);
    case PartyIdRole: return QString::fromStdString(party.id);
    case OwnerIdRole: return QString::fromStdString(party.ownerId);
    case InitialsRole: return initials(direct ? m_store.conversationName(party) : QString::fromStdString(party.name));
    case LevelRole: return static_cast<int>(partyLevel(m_preferences, party));
    case UnreadRole:
    case MentionsRole: {
        qint64 total = 0;
        for (const auto &t : party.topics) {
            const auto rs = m_store.readState(t.id);
            const auto level = topicLevel(m_preferences, party, t.id);
            if (role == UnreadRole)
                total += countedUnread(level, rs);
            else if (level != protocol::NotifyLevel::Nothing)
                total += rs.mentions;
        }
        return total;
    }
    default: return {};
    }
}

QHash<int, QByteArray> PartyListModel::roleNames() const
{
    return {{PartyIdRole, "partyId"}, {NameRole, "name"}, {InitialsRole, "initials"}, {UnreadRole, "unread"},
            {MentionsRole, "mentions"}, {OwnerIdRole, "ownerId"}, {LevelRole, "level"}, {PeerIdRole, "peerId"},
            {PeerPictureRole, "peerPicture"}, {PeerPresenceRole, "peerPresence"}, {OthersRole, "others"},
            {BlockedRole, "blocked"}, {TopicIdRole, "topicId"}};
}

void PartyListModel::setPreferences(const Preferences *preferences)
{
    if (m_preferences)
        disconnect(m_preferences, nullptr, this, nullptr);
    m_preferences = preferences;
    if (preferences) {
        connect(preferences, &Preferences::levelsChanged, this, [this] {
            if (rowCount() > 0)
                Q_EMIT dataChanged(index(0), index(rowCount() - 1), {LevelRole, UnreadRole, MentionsRole});
        });
    }
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0), index(rowCount() - 1));
}

} // namespace chatterbox::app
